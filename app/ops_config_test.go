package app

import (
	"slices"
	"strings"
	"testing"
)

func TestOpsConfig(t *testing.T) {
	c := Config{Addr: "127.0.0.1:8080", DBPath: "x.db"}.withDefaults()
	if c.RateIP != DefaultRateIP || c.RateSite != DefaultRateSite || !slices.Equal(c.MetricsAllow, []string{"127.0.0.0/8", "::1"}) {
		t.Errorf("defaults: rate ip %d, site %d, metrics allow %v", c.RateIP, c.RateSite, c.MetricsAllow)
	}
	// An empty allow list stays empty: metrics by token only.
	if c := (Config{MetricsAllow: []string{}}).withDefaults(); c.MetricsAllow == nil || len(c.MetricsAllow) != 0 {
		t.Errorf("empty allow list became %v", c.MetricsAllow)
	}
	// Negative rates mean no limit and are kept.
	if c := (Config{RateIP: -1, RateSite: -1}).withDefaults(); c.RateIP != -1 || c.RateSite != -1 {
		t.Errorf("no limits became %d, %d", c.RateIP, c.RateSite)
	}
	err := Config{Addr: "127.0.0.1:8080", DBPath: "x.db", MetricsAllow: []string{"10.0.0.0/8", "example.com"}, MetricsToken: "short"}.Validate()
	if err == nil || !strings.Contains(err.Error(), `--metrics-allow (COPYLAB_METRICS_ALLOW): "example.com"`) || !strings.Contains(err.Error(), "metrics-token") {
		t.Errorf("Validate: %v", err)
	}
	if err := (Config{Addr: "127.0.0.1:8080", DBPath: "x.db", MetricsAllow: []string{"10.0.0.0/8", "::1", "192.0.2.1"},
		MetricsToken: "a-long-enough-token"}).Validate(); err != nil {
		t.Errorf("Validate of a good config: %v", err)
	}
}

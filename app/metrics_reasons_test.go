package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestMetricsIgnoredPerReason: copylab_events_ignored_total counts events
// per reason, also when one request mixes reasons. It used to count each
// reason once for such a request, so two conversions without an exposure
// and an unmatched exposure sent together read as one of each.
func TestMetricsIgnoredPerReason(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} })
	site, x := e.runningExperiment()
	miss := exposureEv(x.ID, "b")
	miss["matched"] = false
	resp, body := e.postEventsAs(evBodyOf(site.Key, "v1", miss, conversionEv(x.ID), conversionEv(x.ID)), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	if h := resp.Header.Get("X-Copylab"); h != "stored; 3 not counted: no_exposure, not_matched" {
		t.Fatalf("X-Copylab %q: the request does not mix the reasons this test needs", h)
	}

	resp = e.do(newRequest(http.MethodGet, "/metrics", nil))
	page := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, page)
	for _, want := range []string{
		`copylab_events_ignored_total{reason="no_exposure"} 2` + "\n",
		`copylab_events_ignored_total{reason="not_matched"} 1` + "\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

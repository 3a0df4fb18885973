package experiments_test

import (
	"context"
	"testing"

	"copylab/experiments"
)

// TestCheckWebhookURL: what the webhook form and any other path that saves
// a webhook refuse, by field and code. plainHTTP is whether whoever runs
// copylab lets webhooks use http:// (it does with private addresses).
func TestCheckWebhookURL(t *testing.T) {
	for _, tt := range []struct {
		name      string
		url       string
		plainHTTP bool
		code      string // "" for none
	}{
		{"empty", "", false, ""},
		{"https", "https://hooks.slack.com/services/T0/B0/x", false, ""},
		{"http", "http://127.0.0.1.nip.io:19501/h", false, "https_required"},
		{"http in capitals", "HTTP://chat.example/h", false, "https_required"},
		{"http allowed", "http://chat.internal/h", true, ""},
		{"no scheme", "hooks.slack.com/services/x", false, "invalid_url"},
		{"another scheme", "ftp://chat.example/h", true, "invalid_url"},
		{"no host", "https:///h", false, "invalid_url"},
		{"user and password", "https://u:p@chat.example/h", false, "invalid_url"},
		{"too long", "https://chat.example/" + string(make([]byte, experiments.MaxWebhookURLLen)), false, "too_long"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			errs := experiments.CheckWebhookURL(tt.url, tt.plainHTTP)
			switch {
			case tt.code == "" && errs != nil:
				t.Fatalf("CheckWebhookURL(%q) = %v, want none", tt.url, errs)
			case tt.code == "":
				return
			case len(errs) != 1 || errs[0].Field != "webhook_url" || errs[0].Code != tt.code || errs[0].Message == "":
				t.Fatalf("CheckWebhookURL(%q) = %#v, want one webhook_url error %s", tt.url, errs, tt.code)
			}
			if tt.code == "https_required" && errs[0].Message != "Webhook messages carry a secret URL and your results: use an https:// address." {
				t.Errorf("message %q", errs[0].Message)
			}
		})
	}
}

// TestSetSiteWebhookPlain: the store keeps taking an http:// webhook, as
// it takes what the caller allows: whether plain http is allowed is a
// setting of the server (CheckWebhookURL's plainHTTP), and webhooks saved
// before https:// was required are read back as saved.
func TestSetSiteWebhookPlain(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SetSiteWebhook(ctx, site.ID, "http://chat.internal/hooks/x")
	if err != nil || got.WebhookURL != "http://chat.internal/hooks/x" {
		t.Fatalf("SetSiteWebhook = %q, %v", got.WebhookURL, err)
	}
	if _, err := s.SetSiteWebhook(ctx, site.ID, "ftp://chat.internal/x"); err == nil {
		t.Error("SetSiteWebhook took ftp://")
	}
}

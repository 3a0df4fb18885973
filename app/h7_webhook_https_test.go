package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// plainWebhookWords is the sentence that refuses a plain http:// webhook.
const plainWebhookWords = "Webhook messages carry a secret URL and your results: use an https:// address."

// plainWebhookWarning is the Notifications card's warning about a
// webhook saved with http:// before copylab required https://.
const plainWebhookWarning = "This webhook uses http://; messages travel unencrypted. Change it to https://."

// TestWebhookHTTPSRequired: a webhook URL must start with https://: its
// URL is a secret and its messages name tests and their results, so over
// plain http both could be read on the way. Only where whoever runs
// copylab allows private addresses (--webhook-allow-private), for a
// receiver on the internal network, which often has no certificate, is
// http:// taken too.
func TestWebhookHTTPSRequired(t *testing.T) {
	for _, tt := range []struct {
		name         string
		allowPrivate bool
		url          string
		saved        bool
	}{
		{"http on a public name", false, "http://127.0.0.1.nip.io:19501/h", false},
		{"http in capitals", false, "HTTP://chat.example/hooks/s3cret", false},
		{"https", false, "https://chat.example/hooks/s3cret", true},
		{"http with private addresses allowed", true, "http://chat.example/hooks/s3cret", true},
		{"http on the internal network, allowed", true, "http://10.0.0.7/hooks/s3cret", true},
		{"https with private addresses allowed", true, "https://chat.example/hooks/s3cret", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			change := func(*Config) {}
			if tt.allowPrivate {
				change = allowPrivateWebhooks
			}
			e := newEnvConfig(t, change)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			resp, body := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {tt.url}})
			s, err := e.store.Site(context.Background(), site.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.saved {
				wantStatus(t, resp, http.StatusUnprocessableEntity, body)
				wantContains(t, body, plainWebhookWords)
				if s.WebhookURL != "" {
					t.Errorf("saved as %q", s.WebhookURL)
				}
				return
			}
			wantStatus(t, resp, http.StatusSeeOther, body)
			if s.WebhookURL != tt.url {
				t.Errorf("saved as %q, want %q", s.WebhookURL, tt.url)
			}
		})
	}
}

// TestWebhookPlainSavedBefore: a webhook saved with http:// before copylab
// required https:// is kept, and copylab goes on posting to it (dropping
// it, or pausing it, would stop a team's notifications after an upgrade
// with nothing to tell them why). Its card says the messages travel
// unencrypted and asks for https://; not where whoever runs copylab
// allows http:// (private addresses), nor for an https:// webhook, nor
// while the card says copylab does not post to it at all.
func TestWebhookPlainSavedBefore(t *testing.T) {
	for _, tt := range []struct {
		name         string
		allowPrivate bool
		url          string
		warn         bool
		paused       bool // for its private address: the card says that instead
	}{
		{"http", false, "http://chat.example/hooks/s3cret", true, false},
		{"http with private addresses allowed", true, "http://chat.example/hooks/s3cret", false, false},
		{"https", false, "https://chat.example/hooks/s3cret", false, false},
		{"http on a private address", false, "http://10.0.0.7/hooks/s3cret", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			change := func(*Config) {}
			if tt.allowPrivate {
				change = allowPrivateWebhooks
			}
			e := newEnvConfig(t, change)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			setWebhook(t, e, site.ID, tt.url) // as saved before the upgrade
			_, body := c.get("/sites/" + site.ID)
			if tt.paused {
				wantContains(t, body, `id="webhook-refused"`, "copylab does not post to this webhook")
			} else {
				wantContains(t, body, `<span class="badge badge-running">On</span>`, "Posting to <code class=\"mono\">")
			}
			wantNotContains(t, body, "s3cret")
			if tt.warn {
				wantContains(t, body, `id="webhook-plain"`, plainWebhookWarning)
			} else {
				wantNotContains(t, body, `id="webhook-plain"`, "travel unencrypted")
			}
		})
	}
}

package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/views"
)

// TestTestMessageRefusedForGood: a test message answered as delivery
// would pause the webhook for (gone, not allowed, no posts, a redirect)
// pauses it too: the URL is the one the notifier posts to, and every
// message would get the same answer. The flash says what the answer
// means in the card's own words, the card turns to Paused with what to
// do, and the notifier holds back the site's messages instead of
// posting one to be refused; a test message that gets through resumes
// delivery, and what was held back goes out.
func TestTestMessageRefusedForGood(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusGone, http.StatusUnauthorized, http.StatusForbidden,
		http.StatusMethodNotAllowed, http.StatusFound} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			e.app.testSends = nil
			ctx := context.Background()
			h := newHook(t)
			h.status = []int{status} // then 200
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			winnerOn(e, site, "Pricing hero")
			resp, _ := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {h.URL + "/hooks/s3cret"}})
			wantStatus(t, resp, http.StatusSeeOther, "")

			resp, _ = c.post("/sites/"+site.ID+"/notifications/test", nil)
			wantStatus(t, resp, http.StatusSeeOther, "")
			card := notifyCard(t, c, site.ID)
			host := strings.TrimPrefix(h.URL, "http://")
			wantContains(t, card,
				escHTML("The test message did not get through to "+host+": the webhook answered "+itoa(status)+": "+views.RefusalReason(status, "")+"."),
				"copylab has paused notifications to it.",
				`<span class="badge badge-paused">Paused</span>`, "copylab has stopped posting to this webhook",
				escHTML("Refused: copylab test message for “Shop”"),
				"Paste a working webhook URL below, or fix this one where it was made and press <strong>Send a test message</strong>.")
			wantNotContains(t, card, "badge-running", "s3cret")
			if n := e.app.notifyOnce(ctx); n != 0 || len(h.received()) != 1 {
				t.Fatalf("the notifier posted to the refused webhook: sent %d, %d posts", n, len(h.received()))
			}
			wantContains(t, notifyMetrics(t, e), `copylab_notifications_total{result="paused"} 1`)

			resp, _ = c.post("/sites/"+site.ID+"/notifications/test", nil)
			wantStatus(t, resp, http.StatusSeeOther, "")
			card = notifyCard(t, c, site.ID)
			wantContains(t, card, escHTML("Test message sent to "+host+". Notifications are on again"), `<span class="badge badge-running">On</span>`)
			if n := e.app.notifyOnce(ctx); n != 1 || len(h.received()) != 3 {
				t.Fatalf("after a test message got through: sent %d, %d posts; want the held-back winner", n, len(h.received()))
			}
		})
	}
}

// TestTestMessageRefusedByItself: a test message the webhook refuses by
// itself (400, 413, 422) says so, with the status's name, and does not
// pause the webhook: such an answer is about the message, and delivery
// goes on with the next one too.
func TestTestMessageRefusedByItself(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			ctx := context.Background()
			h := newHook(t)
			h.status = []int{status}
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			winnerOn(e, site, "Pricing hero")
			setWebhook(t, e, site.ID, h.URL+"/hook")
			c.post("/sites/"+site.ID+"/notifications/test", nil)
			card := notifyCard(t, c, site.ID)
			wantContains(t, card, "the webhook refused the message ("+itoa(status)+" "+http.StatusText(status)+")",
				`<span class="badge badge-running">On</span>`)
			wantNotContains(t, card, "badge-paused", "copylab has stopped posting")
			if n := e.app.notifyOnce(ctx); n != 1 {
				t.Fatalf("sent %d, want the winner", n)
			}
			wantContains(t, notifyMetrics(t, e), `copylab_notifications_total{result="failed"} 1`)
		})
	}
}

// TestTestMessageLink: the test message's link leads to the site's
// Notifications card and says so, in Slack, Teams and a Teams workflow;
// a verdict's link still opens its results.
func TestTestMessageLink(t *testing.T) {
	for _, tc := range []struct{ name, url string }{
		{"slack", "http://hooks.slack.com/services/T0/B0/XXX"},
		{"teams", "http://acme.webhook.office.com/webhookb2/abc"},
		{"workflow", "http://prod-30.centraluseuap.logic.azure.com/workflows/873e29ec/triggers/manual/paths/invoke?sig=s3cret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			h := newHook(t)
			routeWebhooksTo(t, e, h)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			x := winnerOn(e, site, "Pricing hero")
			setWebhook(t, e, site.ID, tc.url)
			c.post("/sites/"+site.ID+"/notifications/test", nil)
			if n := e.app.notifyOnce(ctx); n != 1 {
				t.Fatalf("sent %d, want the winner", n)
			}
			got := h.received()
			if len(got) != 2 {
				t.Fatalf("receiver got %v", got)
			}
			settings := testPublicURL + "/sites/" + site.ID + "#notifications"
			results := testPublicURL + "/experiments/" + x.ID + "/results"
			for i, want := range []struct{ label, link string }{
				{"Open the notification settings", settings},
				{"Open the results", results},
			} {
				switch tc.name {
				case "slack":
					text, _ := got[i]["text"].(string)
					if !strings.HasSuffix(text, "\n<"+want.link+"|"+want.label+">") {
						t.Errorf("message %d: %q, want a link %q to %s", i, text, want.label, want.link)
					}
				case "teams":
					text, _ := got[i]["text"].(string)
					if !strings.HasSuffix(text, "\n\n["+want.label+"]("+want.link+")") {
						t.Errorf("message %d: %q, want a link %q to %s", i, text, want.label, want.link)
					}
				case "workflow":
					if i == 1 {
						wantAdaptiveCard(t, got[i], "We have a winner: “Pricing hero” on Shop", results)
						continue
					}
					b, _ := json.Marshal(got[i])
					if raw := string(b); !strings.Contains(raw, `"actions":[{"title":"Open the notification settings","type":"Action.OpenUrl","url":"`+settings+`"}]`) {
						t.Errorf("test message card %s, want a button %q to %s", b, want.label, want.link)
					}
				}
			}
		})
	}
}

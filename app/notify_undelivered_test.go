package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// notifyMetrics is the notification counter's lines on /metrics.
func notifyMetrics(t *testing.T, e *env) string {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(e.app.Metrics().Registry(), promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	var lines []string
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(l, "copylab_notifications_total{") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// TestNotifyMessageRefused: a webhook that refuses one message by itself
// (400, as Discord answers a message over 2,000 characters; 413; 422),
// while it takes others, is not paused: that message is given up, not
// posted again the next minute or after a restart, and the site's other
// messages still go out, that round and later. The Notifications card
// lists it under "Not delivered" with what the webhook answered, the
// webhook stays On, and the metric counts it as dropped, not retried.
func TestNotifyMessageRefused(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			ctx := context.Background()
			h := newHook(t)
			h.status = []int{status} // then 200
			site := e.site("Shop")
			winnerOn(e, site, "Pricing hero")
			winnerOn(e, site, "Checkout button")
			setWebhook(t, e, site.ID, h.URL+"/hook")
			if n := e.app.notifyOnce(ctx); n != 1 || len(h.received()) != 2 {
				t.Fatalf("sent %d in %d posts; want the refused message, then the other one through", n, len(h.received()))
			}
			refused, _ := h.received()[0]["experiment"].(map[string]any)["name"].(string)
			took, _ := h.received()[1]["experiment"].(map[string]any)["name"].(string)
			if refused == took {
				t.Fatalf("the same test's message twice: %q", refused)
			}
			for _, a := range []*App{e.app, e.app, e.restarted()} {
				if n := a.notifyOnce(ctx); n != 0 || len(h.received()) != 2 {
					t.Fatalf("posted the refused message again: sent %d, %d posts in all", n, len(h.received()))
				}
			}
			// The webhook is not paused: the next message goes out.
			winnerOn(e, site, "Signup form")
			if n := e.app.notifyOnce(ctx); n != 1 || len(h.received()) != 3 {
				t.Fatalf("a new message: sent %d, %d posts in all; want it through", n, len(h.received()))
			}

			card := notifyCard(t, e.signIn("owner@example.com"), site.ID)
			wantContains(t, card, `<span class="badge badge-running">On</span>`, `<h3 id="undelivered">Not delivered</h3>`,
				"We have a winner: <a href=", ">"+refused+"</a>. copylab could not deliver: the webhook refused the message ("+itoa(status)+" "+http.StatusText(status)+").")
			wantNotContains(t, card, "badge-paused", "copylab has stopped posting")
			undelivered := card[strings.Index(card, `id="undelivered"`):]
			wantNotContains(t, undelivered, ">"+took+"</a>")

			wantContains(t, notifyMetrics(t, e), `copylab_notifications_total{result="dropped"} 1`, `copylab_notifications_total{result="sent"} 2`)
			wantNotContains(t, notifyMetrics(t, e), `result="retried"`, `result="failed"`)
		})
	}
}

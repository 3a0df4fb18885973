package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// notifyCard is the site page's Notifications card, as a signed-in member
// sees it, at the address a webhook action sends the browser back to.
func notifyCard(t *testing.T, c *client, siteID string) string {
	t.Helper()
	_, body := c.get(strings.TrimSuffix(notificationsURL(siteID), "#notifications"))
	i := strings.Index(body, `id="notifications"`)
	j := strings.Index(body, `id="settings"`)
	if i < 0 || j < i {
		t.Fatal("no Notifications card")
	}
	return body[i:j]
}

// TestNotifyRefusedForGood: a webhook that answers it is gone or not
// allowed (404, 410, 401, 403), takes no posts (405) or redirects gets
// that message once and nothing more, not the site's other messages that
// round, not the next minute, not after a restart. The site page says
// what answered, when, to which message, and what to do; replacing the
// URL, saving it again, or a test message that gets through sends what
// was held back, once.
func TestNotifyRefusedForGood(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusGone, http.StatusUnauthorized, http.StatusForbidden,
		http.StatusMethodNotAllowed, http.StatusFound} {
		for _, resume := range []string{"test message", "new URL", "same URL saved again"} {
			t.Run(http.StatusText(status)+" then "+resume, func(t *testing.T) {
				e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
				e.app.testSends = nil
				ctx := context.Background()
				h := newHook(t)
				h.status = []int{status} // then 200
				site := e.site("Shop")
				winnerOn(e, site, "Pricing hero")
				winnerOn(e, site, "Checkout button")
				setWebhook(t, e, site.ID, h.URL+"/hooks/s3cret")
				if n := e.app.notifyOnce(ctx); n != 0 || len(h.received()) != 1 {
					t.Fatalf("sent %d in %d posts; want one post, refused", n, len(h.received()))
				}
				for _, a := range []*App{e.app, e.app, e.restarted()} {
					if n := a.notifyOnce(ctx); n != 0 || len(h.received()) != 1 {
						t.Fatalf("tried again: sent %d, %d posts in all", n, len(h.received()))
					}
				}

				c := e.signIn("owner@example.com")
				card := notifyCard(t, c, site.ID)
				host := strings.TrimPrefix(h.URL, "http://")
				wantContains(t, card, `<span class="badge badge-paused">Paused</span>`, "copylab has stopped posting to this webhook",
					host+" answered "+itoa(status)+" on ", "Refused: We have a winner: “",
					"Paste a working webhook URL below, or fix this one where it was made and press <strong>Send a test message</strong>.")
				wantNotContains(t, card, "s3cret", "badge-running")
				switch status {
				case http.StatusNotFound, http.StatusGone:
					wantContains(t, card, "there is no webhook at that URL any more")
				case http.StatusUnauthorized, http.StatusForbidden:
					wantContains(t, card, "it does not let copylab post")
				case http.StatusMethodNotAllowed:
					wantContains(t, card, "that URL takes no messages")
				default:
					wantContains(t, card, "a redirect, which copylab does not follow")
				}

				to := h
				switch resume {
				case "test message":
					resp, _ := c.post("/sites/"+site.ID+"/notifications/test", nil)
					wantStatus(t, resp, http.StatusSeeOther, "")
					card = notifyCard(t, c, site.ID)
					wantContains(t, card, escHTML("Test message sent to "+host+". Notifications are on again"))
				case "new URL":
					to = newHook(t)
					resp, _ := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {to.URL + "/hooks/new"}})
					wantStatus(t, resp, http.StatusSeeOther, "")
					card = notifyCard(t, c, site.ID)
				case "same URL saved again":
					resp, _ := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {h.URL + "/hooks/s3cret"}})
					wantStatus(t, resp, http.StatusSeeOther, "")
					card = notifyCard(t, c, site.ID)
				}
				wantContains(t, card, `<span class="badge badge-running">On</span>`)
				wantNotContains(t, card, "copylab has stopped posting")
				before := len(to.received())
				if n := e.app.notifyOnce(ctx); n != 2 || len(to.received())-before != 2 {
					t.Fatalf("after %s: sent %d; want both held-back messages", resume, n)
				}
				if n := e.app.notifyOnce(ctx); n != 0 {
					t.Fatalf("sent %d more", n)
				}
			})
		}
	}
}

// TestNotifyRefusalForAnotherURL: a refusal holds for the URL that
// answered it only; a webhook replaced behind the page's back (the API,
// another browser) is posted to at once.
func TestNotifyRefusalForAnotherURL(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx := context.Background()
	gone, fine := newHook(t), newHook(t)
	gone.status = []int{http.StatusNotFound}
	site := e.site("Shop")
	winnerOn(e, site, "Pricing hero")
	setWebhook(t, e, site.ID, gone.URL+"/hook")
	e.app.notifyOnce(ctx)
	setWebhook(t, e, site.ID, fine.URL+"/hook")
	if n := e.app.notifyOnce(ctx); n != 1 || len(fine.received()) != 1 {
		t.Fatalf("sent %d to the new URL, want the held-back message", n)
	}
}

// TestNotifyTransientFailuresRetried: a webhook that is busy, down or
// slow (429, 5xx, 408, 425, 423), or behind a proxy that wants copylab's
// credentials (407), is tried again the next minute, and the site page
// shows no refusal.
func TestNotifyTransientFailuresRetried(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusRequestTimeout, http.StatusTooEarly, http.StatusLocked,
		http.StatusProxyAuthRequired} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			ctx := context.Background()
			h := newHook(t)
			h.status = []int{status, status}
			site := e.site("Shop")
			winnerOn(e, site, "Pricing hero")
			setWebhook(t, e, site.ID, h.URL+"/hook")
			for round := range 2 {
				if n := e.app.notifyOnce(ctx); n != 0 || len(h.received()) != round+1 {
					t.Fatalf("round %d: sent %d, %d posts", round, n, len(h.received()))
				}
			}
			card := notifyCard(t, e.signIn("owner@example.com"), site.ID)
			wantNotContains(t, card, "copylab has stopped posting", "badge-paused", `id="undelivered"`)
			if n := e.app.notifyOnce(ctx); n != 1 || len(h.received()) != 3 {
				t.Fatalf("third round: sent %d, %d posts; want the message through", n, len(h.received()))
			}
		})
	}
}

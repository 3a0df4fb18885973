package app

import (
	"context"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// cardParts reads the Notifications card as a person sees it: the text
// of its badge (or "" for none) and of its paused banner (or "").
func cardParts(t *testing.T, c *client, siteID string) (badge, banner string) {
	t.Helper()
	doc := parseHTML(t, notifyCard(t, c, siteID))
	var b []string
	for _, n := range findAll(doc, hasClass("badge")) {
		b = append(b, textOf(n))
	}
	if len(b) > 1 {
		t.Fatalf("the card has %d badges: %q", len(b), b)
	}
	if len(b) == 1 {
		badge = b[0]
	}
	if ns := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "webhook-refused" }); len(ns) > 0 {
		banner = strings.Join(strings.Fields(textOf(ns[0])), " ")
	}
	return badge, banner
}

// TestH2AddressPausedCardSaysPaused: a webhook copylab paused because it
// refuses its address (a private one while they are refused, or a
// link-local or metadata one) reads Paused on its card, as one paused for
// a receiver's answer does, with a banner that says why and what to do:
// paste another URL or, for a private address, ask whoever runs copylab
// to start it with --webhook-allow-private. "On" beside it had a person
// believe messages were arriving. One saved before copylab refused its
// address, and not yet paused for want of a message to send, reads the
// same: nothing will go there.
func TestH2AddressPausedCardSaysPaused(t *testing.T) {
	const private, linkLocal = "http://10.0.0.7:8080/hooks/s3cret", "http://169.254.169.254/hooks/s3cret"
	for _, tt := range []struct {
		name, url  string
		due        bool     // a message is due, so the notifier pauses the webhook
		wantBanner []string // besides the host, the title and "Paste"
	}{
		{"private, paused by the notifier", private, true,
			[]string{"on the computer copylab runs on or on a private network", askOperator, "--webhook-allow-private"}},
		{"private, nothing due yet", private, false,
			[]string{"on the computer copylab runs on or on a private network", askOperator, "--webhook-allow-private"}},
		{"link-local, paused by the notifier", linkLocal, true, []string{"link-local or cloud metadata address"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			site := e.site("Shop")
			if tt.due {
				winnerOn(e, site, "Pricing hero")
			}
			setWebhook(t, e, site.ID, tt.url) // as saved before copylab refused it: the store takes it
			if tt.due {
				if n := e.app.notifyOnce(context.Background()); n != 0 {
					t.Fatalf("sent %d", n)
				}
				wantContains(t, notifyMetrics(t, e), `result="paused"} 1`)
			}
			c := e.signIn("owner@example.com")
			badge, banner := cardParts(t, c, site.ID)
			if badge != "Paused" {
				t.Errorf("badge %q, want Paused", badge)
			}
			host := webhookHost(tt.url)
			title := "copylab does not post to this webhook"
			if tt.due {
				title = "copylab stopped posting to this webhook"
			}
			wantContains(t, banner, append([]string{title, host, "Paste"}, tt.wantBanner...)...)
			// Not a receiver's answer: there is none to quote.
			wantNotContains(t, banner, "answered", "Send a test message once")
			wantNotContains(t, notifyCard(t, c, site.ID), "s3cret", "badge-running", "Posting to <code")
		})
	}

	// Once whoever runs copylab allows private addresses, a pause for one
	// no longer holds: the card is On, with no reason left to show.
	t.Run("private addresses allowed", func(t *testing.T) {
		strict := newEnv(t)
		site := strict.site("Shop")
		winnerOn(strict, site, "Pricing hero")
		h := newHook(t)
		setWebhook(t, strict, site.ID, h.URL+"/hooks/s3cret")
		strict.app.notifyOnce(context.Background())
		allowed := &env{t: t, app: strict.app, store: strict.store, ing: strict.ing}
		allowPrivateWebhooksOn(allowed.app)
		badge, banner := cardParts(t, allowed.signIn("owner@example.com"), site.ID)
		if badge != "On" || banner != "" {
			t.Errorf("badge %q, banner %q: want On and none", badge, banner)
		}
	})
}

package app

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"copylab/variants/netguard"
)

// askOperator is what every refusal of a private webhook address tells
// the member to do when their chat server is on the internal network.
const askOperator = "ask whoever runs copylab to allow private addresses"

// TestWebhookPrivateRefusedOnSave: by default a webhook on copylab's own
// host or network (loopback, private, shared, unspecified, in any
// spelling, IPv4-mapped included, or the name localhost) is refused when
// it is saved, with a 422 page that says why and what to do, and nothing
// is saved. A member could otherwise use the test message to learn what
// answers there.
func TestWebhookPrivateRefusedOnSave(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	h := newHook(t)
	_, port, _ := net.SplitHostPort(h.Listener.Addr().String())
	for _, raw := range []string{
		h.URL + "/redir",
		"http://[::ffff:127.0.0.1]:" + port + "/b",
		"http://[::ffff:7f00:1]:" + port + "/b",
		"http://0.0.0.0:" + port + "/a",
		"http://[::]:" + port + "/a",
		"http://[::1]:" + port + "/a",
		"http://localhost:" + port + "/hook",
		"http://2130706433:" + port + "/hook",
		"http://10.0.0.7/hooks/x",
		"https://172.16.5.4/hooks/x",
		"https://192.168.1.10/hooks/x",
		"https://100.64.0.9/hooks/x",
		"https://[fd00::1]/hooks/x",
	} {
		resp, body := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {raw}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", raw, resp.StatusCode)
		}
		wantContains(t, body, "That address is on the computer copylab runs on or on a private network", askOperator)
		if s, _ := e.store.Site(context.Background(), site.ID); s.WebhookURL != "" {
			t.Fatalf("%s: saved as %q", raw, s.WebhookURL)
		}
	}
	if got := h.received(); len(got) != 0 {
		t.Errorf("the receiver on 127.0.0.1 got %v", got)
	}
}

// TestWebhookPrivateRefusedWhenSent: a webhook saved on a private address
// before copylab refused them is not posted to: the notifier pauses it,
// as it pauses a webhook that answered it is gone, and the Notifications
// card says why and what to do, instead of dropping messages silently or
// trying every minute. A test message is refused the same way.
func TestWebhookPrivateRefusedWhenSent(t *testing.T) {
	e := newEnv(t)
	e.app.testSends = nil
	ctx := context.Background()
	h := newHook(t)
	site := e.site("Shop")
	winnerOn(e, site, "Pricing hero")
	hookURL := h.URL + "/hooks/s3cret"
	setWebhook(t, e, site.ID, hookURL) // as saved before the upgrade: the store takes it

	for round := range 3 {
		if n := e.app.notifyOnce(ctx); n != 0 {
			t.Fatalf("round %d: sent %d to 127.0.0.1", round, n)
		}
	}
	if got := h.received(); len(got) != 0 {
		t.Fatalf("the receiver on 127.0.0.1 got %v", got)
	}
	if _, refused, err := e.store.WebhookRefusalOf(ctx, site.ID, hookURL); err != nil || !refused {
		t.Errorf("no refusal recorded (%v): the card would not say why nothing arrives", err)
	}
	wantContains(t, notifyMetrics(t, e), `copylab_notifications_total{result="paused"} 1`)
	wantNotContains(t, notifyMetrics(t, e), `result="retried"`)

	c := e.signIn("owner@example.com")
	card := notifyCard(t, c, site.ID)
	wantContains(t, card, "copylab stopped posting to this webhook", "on the computer copylab runs on or on a private network", askOperator)
	// The card's badge still reads On: the Paused badge and banner are
	// the view's, worded for a receiver's answer, which there is none of.
	wantNotContains(t, card, "s3cret")

	resp, _ := c.post("/sites/"+site.ID+"/notifications/test", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	card = notifyCard(t, c, site.ID)
	wantContains(t, card, "The test message did not get through: "+h.Listener.Addr().String()+" is on the computer copylab runs on or on a private network", askOperator)
	if got := h.received(); len(got) != 0 {
		t.Fatalf("the test message reached 127.0.0.1: %v", got)
	}
}

// TestWebhookPrivateRefusedWhenDialled: a saved webhook whose name only
// the resolver turns into a loopback address (localhost, this computer's
// own name) or an IPv4-mapped loopback address is refused when copylab
// connects: the test message says why, and nothing reaches the receiver.
func TestWebhookPrivateRefusedWhenDialled(t *testing.T) {
	e := newEnv(t)
	e.app.testSends = nil
	c := e.signIn("owner@example.com")
	h := newHook(t)
	_, port, _ := net.SplitHostPort(h.Listener.Addr().String())
	hosts := []string{"localhost", "[::ffff:127.0.0.1]", "0.0.0.0"}
	// This computer's name, when it resolves to its own addresses only,
	// as it does on most machines: no check of the URL knows it is local.
	// Its answer is the one a name that does not resolve gets: saying it
	// resolved privately would map internal names for whoever tries them.
	machine := ""
	if name, err := os.Hostname(); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip4", name)
		cancel()
		local := err == nil && len(addrs) > 0
		for _, a := range addrs {
			local = local && a.IsLoopback()
		}
		if local && netguard.CheckHost(name) == nil {
			hosts, machine = append(hosts, name), name
		} else {
			t.Logf("%s does not resolve to loopback only (%v %v): not tried", name, addrs, err)
		}
	}
	for _, host := range hosts {
		t.Run(host, func(t *testing.T) {
			site := e.site("Shop " + host)
			setWebhook(t, e, site.ID, "http://"+host+":"+port+"/hook")
			resp, _ := c.post("/sites/"+site.ID+"/notifications/test", nil)
			wantStatus(t, resp, http.StatusSeeOther, "")
			card := notifyCard(t, c, site.ID)
			if host == machine {
				wantContains(t, card, "copylab could not deliver to "+host)
				wantNotContains(t, card, "is on the computer copylab runs on")
			} else {
				wantContains(t, card, "The test message did not get through: "+host+":"+port+" is on the computer copylab runs on or on a private network", askOperator)
			}
			if got := h.received(); len(got) != 0 {
				t.Fatalf("the test message reached 127.0.0.1: %v", got)
			}
			if strings.Contains(card, "Test message sent") {
				t.Errorf("card says sent")
			}
		})
	}
}

// allowPrivateWebhooks is the setting a test needs to post to a receiver
// on 127.0.0.1 (--webhook-allow-private).
func allowPrivateWebhooks(c *Config) { c.WebhookAllowPrivate = true }

// allowPrivateWebhooksOn gives an app a shared helper made (before it
// serves) the setting --webhook-allow-private gives, as newApp wires it,
// for a test that posts to a receiver on 127.0.0.1.
func allowPrivateWebhooksOn(a *App) {
	a.cfg.WebhookAllowPrivate = true
	a.webhooks = webhookGuard(a.cfg).NewClient(notifyTimeout)
}

// allowPrivateWebhooks is allowPrivateWebhooksOn for an env's app.
func (e *env) allowPrivateWebhooks() { allowPrivateWebhooksOn(e.app) }

// TestWebhookAllowPrivate: with --webhook-allow-private, a webhook on a
// private address is saved and posted to, and one paused for its address
// while they were refused takes messages again without anyone acting:
// the reason it was paused is gone.
func TestWebhookAllowPrivate(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks)
	e.app.testSends = nil
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	h := newHook(t)
	_, port, _ := net.SplitHostPort(h.Listener.Addr().String())
	for _, raw := range []string{"http://[::ffff:127.0.0.1]:" + port + "/hook", h.URL + "/hook"} {
		resp, body := c.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {raw}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		resp, _ = c.post("/sites/"+site.ID+"/notifications/test", nil)
		wantStatus(t, resp, http.StatusSeeOther, "")
		wantContains(t, notifyCard(t, c, site.ID), "Test message sent to ")
	}
	if got := h.received(); len(got) != 2 {
		t.Fatalf("the receiver got %d test messages, want 2", len(got))
	}

	// Paused by an app that refused private addresses, then the operator
	// allowed them and restarted copylab.
	ctx := context.Background()
	strict := newEnv(t)
	paused := strict.site("Paused")
	winnerOn(strict, paused, "Pricing hero")
	setWebhook(t, strict, paused.ID, h.URL+"/hook")
	if n := strict.app.notifyOnce(ctx); n != 0 {
		t.Fatalf("the strict app sent %d", n)
	}
	allowed, err := newApp(Config{
		Addr: "127.0.0.1:0", PublicURL: testPublicURL, SetupToken: testSetupToken,
		Logger: strict.app.log, WebhookAllowPrivate: true,
	}.withDefaults(), strict.store, strict.ing)
	if err != nil {
		t.Fatal(err)
	}
	if n := allowed.notifyOnce(ctx); n != 1 {
		t.Fatalf("once allowed, sent %d, want the held message", n)
	}
	if got := h.received(); len(got) != 3 || !strings.HasPrefix(got[2]["title"].(string), "We have a winner") {
		t.Errorf("the receiver got %v", got)
	}
}

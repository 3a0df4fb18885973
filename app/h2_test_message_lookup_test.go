package app

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"copylab/variants/netguard"
)

// loopbackName is a name that copylab's resolver turns into loopback
// addresses only, and that no check of the URL refuses as written: this
// computer's own name, on most machines. The test is skipped without one.
func loopbackName(t *testing.T) string {
	t.Helper()
	name, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", name)
	local := err == nil && len(addrs) > 0
	for _, a := range addrs {
		local = local && a.IsLoopback()
	}
	if !local || webhookGuard(Config{}).CheckHost(name) != nil {
		t.Skipf("%s does not resolve to loopback only, or is refused as written (%v %v)", name, addrs, err)
	}
	return name
}

// cardFlash is the message the Notifications card shows after an action.
func cardFlash(t *testing.T, c *client, siteID string) string {
	t.Helper()
	fl := findAll(parseHTML(t, notifyCard(t, c, siteID)), hasClass("flash"))
	if len(fl) != 1 {
		t.Fatalf("%d flash messages on the card", len(fl))
	}
	return textOf(fl[0])
}

// TestH2TestMessageHidesPrivateLookup: while private addresses are
// refused, a webhook whose name resolves to one is answered, on the card
// and in what the site keeps, as one whose name does not resolve at all:
// otherwise anyone who may edit a webhook could map the internal DNS
// through "Send a test message". The one sentence still says what to
// check and that private addresses are refused. A host typed as a private
// address, or the name localhost, is still named as private (the member
// wrote it; nothing is revealed). The resolved address is never shown;
// the log, which only whoever runs copylab reads, keeps it.
func TestH2TestMessageHidesPrivateLookup(t *testing.T) {
	name := loopbackName(t)
	var logs syncBuffer
	e := newEnvConfig(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	e.app.testSends = nil
	h := newHook(t)
	_, port, _ := net.SplitHostPort(h.Listener.Addr().String())
	c := e.signIn("owner@example.com")

	// What a member sees after a test message to each, with the host as
	// they typed it taken out.
	seen := map[string][3]string{}
	for _, host := range []string{name, "nonexistent.invalid"} {
		site := e.site("Shop " + host)
		setWebhook(t, e, site.ID, "http://"+host+":"+port+"/hook")
		resp, _ := c.post("/sites/"+site.ID+"/notifications/test", nil)
		wantStatus(t, resp, http.StatusSeeOther, "")
		flash := cardFlash(t, c, site.ID)
		badge, banner := cardParts(t, c, site.ID)
		if _, refused, err := e.store.WebhookRefusalOf(context.Background(), site.ID, "http://"+host+":"+port+"/hook"); err != nil || refused {
			t.Errorf("%s: a refusal is recorded (%v): the card would tell it from a name that does not resolve", host, err)
		}
		wantContains(t, flash, "The test message did not get through", "private")
		wantNotContains(t, flash, "127.0.0.1", "::1", "look up", "on the computer copylab runs on", "paused")
		un := func(s string) string { return strings.ReplaceAll(s, host+":"+port, "HOST") }
		seen[host] = [3]string{un(flash), badge, un(banner)}
	}
	if a, b := seen[name], seen["nonexistent.invalid"]; a != b {
		t.Errorf("a name that resolves to loopback reads\n  %q\nand one that does not resolve\n  %q", a, b)
	}
	if got := h.received(); len(got) != 0 {
		t.Fatalf("the test message reached 127.0.0.1: %v", got)
	}
	wantContains(t, logs.String(), "127.0.0.1", "loopback, private or unspecified address", "no such host")
	wantNotContains(t, notifyMetrics(t, e), `result="paused"`)

	// Typed as a private address, or as localhost: named as such.
	for _, host := range []string{"127.0.0.1", "localhost"} {
		site := e.site("Typed " + host)
		setWebhook(t, e, site.ID, "http://"+host+":"+port+"/hook")
		c.post("/sites/"+site.ID+"/notifications/test", nil)
		wantContains(t, cardFlash(t, c, site.ID), "The test message did not get through: "+host+":"+port+" is on the computer copylab runs on or on a private network", askOperator)
	}
}

// TestH2NotifierHidesPrivateLookup: the notifier treats a webhook whose
// name resolves to a private address, while they are refused, as it
// treats one whose name does not resolve: the message is tried again
// next round, and the webhook is not paused, so its card does not tell
// the two apart either. Should the name come to resolve to a public
// address, or private addresses be allowed, messages flow with no one
// acting.
func TestH2NotifierHidesPrivateLookup(t *testing.T) {
	name := loopbackName(t)
	e := newEnv(t)
	ctx := context.Background()
	h := newHook(t)
	_, port, _ := net.SplitHostPort(h.Listener.Addr().String())
	c := e.signIn("owner@example.com")
	sites := map[string]string{} // host: site ID
	for _, host := range []string{name, "nonexistent.invalid"} {
		site := e.site("Shop " + host)
		winnerOn(e, site, "Pricing hero")
		setWebhook(t, e, site.ID, "http://"+host+":"+port+"/hook")
		sites[host] = site.ID
	}
	for round := range 2 {
		if n := e.app.notifyOnce(ctx); n != 0 {
			t.Fatalf("round %d: sent %d", round, n)
		}
	}
	wantNotContains(t, notifyMetrics(t, e), `result="paused"`)
	wantContains(t, notifyMetrics(t, e), `result="retried"} 4`)
	for host, id := range sites {
		if _, refused, err := e.store.WebhookRefusalOf(ctx, id, "http://"+host+":"+port+"/hook"); err != nil || refused {
			t.Errorf("%s: a refusal is recorded (%v)", host, err)
		}
		if badge, banner := cardParts(t, c, id); badge != "On" || banner != "" {
			t.Errorf("%s: card reads %q, %q; want On, as before the rounds", host, badge, banner)
		}
	}
	if got := h.received(); len(got) != 0 {
		t.Fatalf("reached 127.0.0.1: %v", got)
	}
}

// TestH2TestMessageAnswerLookups: while private addresses are refused,
// every way copylab learns where a name leads and refuses it (when it
// dials, or before asking a proxy, which names the address it judged)
// reads as a name that does not resolve and as a port where nothing
// answers, and names no address; where they are allowed, a name that
// does not resolve is still said as such.
func TestH2TestMessageAnswerLookups(t *testing.T) {
	const hook = "https://hooks.example.com/services/s3cret"
	strict := newEnv(t).app
	allowed := newEnvConfig(t, allowPrivateWebhooks).app
	dns := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "hooks.example.com", IsNotFound: true}}
	want := strict.testMessageAnswer(hook, dns)
	wantContains(t, want, "could not deliver to hooks.example.com", "private")
	for name, err := range map[string]error{
		"dialled private":  &net.OpError{Op: "dial", Net: "tcp", Err: &netguard.BlockedError{Host: "10.0.0.5", Private: true}},
		"dialled metadata": &net.OpError{Op: "dial", Net: "tcp", Err: &netguard.BlockedError{Host: "169.254.169.254"}},
		"before a proxy":   &netguard.BlockedError{Host: "hooks.example.com (10.0.0.5)", Private: true},
		"refused":          &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)},
	} {
		got := strict.testMessageAnswer(hook, strict.unrevealedLookup(err))
		if got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
		if _, f := failureOf(strict.unrevealedLookup(err)); f != failRetry {
			t.Errorf("%s: failure %v, want failRetry (not paused)", name, f)
		}
		if logged := strict.unrevealedLookup(err).Error(); name != "refused" && !strings.Contains(logged, "refusing to connect to") {
			t.Errorf("%s: the log would read %q", name, logged)
		}
	}
	if got := allowed.testMessageAnswer(hook, dns); got != "The test message did not get through: copylab could not look up hooks.example.com." {
		t.Errorf("allowed: %q", got)
	}
}

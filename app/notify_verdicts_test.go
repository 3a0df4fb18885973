package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// restarted is a new app on e's database, as after a restart: whatever the
// notifier knows must come from storage.
func (e *env) restarted() *App {
	e.t.Helper()
	a, err := newApp(Config{
		Addr: "127.0.0.1:0", PublicURL: testPublicURL, BcryptCost: bcrypt.MinCost,
		SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler),
		// Restarted with the same setting: the receivers are on 127.0.0.1.
		WebhookAllowPrivate: e.app.cfg.WebhookAllowPrivate,
	}.withDefaults(), e.store, e.ing)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// TestNotifyChangedVerdict: a verdict that changes after it was announced
// is announced once more, with the new answer: another variant becomes
// the winner, or a winner comes after "no meaningful difference". An
// unchanged verdict is not repeated, not after a restart either, and a
// verdict that comes back after another (the first winner again) is not
// announced on the check that finds it: it waits a day
// (TestNotifyAnswerComesBack), so a test near the line cannot flood the
// channel.
func TestNotifyChangedVerdict(t *testing.T) {
	type step struct {
		counts [][2]int64
		title  string // the message this check sends; "" for none
		text   string // in the message's text
	}
	even := [2]int64{100000, 5000}
	ahead := [2]int64{100000, 6500}
	for _, tc := range []struct {
		name  string
		texts []string
		steps []step
	}{
		{"another variant wins", []string{"Original headline", "Headline B", "Headline C"}, []step{
			{[][2]int64{even, ahead, even}, "We have a winner: “Pricing hero” on Shop", "Variant B lifts clicks"},
			{[][2]int64{even, ahead, even}, "", ""},
			{[][2]int64{even, even, ahead}, "The winner changed: “Pricing hero” on Shop", "Variant C lifts clicks"},
			{[][2]int64{even, even, ahead}, "", ""},
			{[][2]int64{even, ahead, even}, "", ""}, // B again: announced before, so it waits a day
		}},
		{"a winner after no meaningful difference", []string{"Original headline", "Headline B"}, []step{
			{[][2]int64{even, even}, "No meaningful difference: “Pricing hero” on Shop", "within ±10%"},
			{[][2]int64{even, ahead}, "We have a winner: “Pricing hero” on Shop", "Variant B lifts clicks"},
			{[][2]int64{even, ahead}, "", ""},
		}},
		{"the original ahead after a winner", []string{"Original headline", "Headline B"}, []step{
			{[][2]int64{even, ahead}, "We have a winner: “Pricing hero” on Shop", "Variant B lifts clicks"},
			{[][2]int64{ahead, even}, "Keep the original: “Pricing hero” on Shop", "Keep the original"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			ctx := context.Background()
			h := newHook(t)
			site := e.site("Shop")
			x := e.experiment(site.ID, "Pricing hero", tc.texts...)
			x = e.transition(x.ID, experiments.ActionStart)
			backdate(e, x, 14)
			setWebhook(t, e, site.ID, h.URL+"/hook")
			for i, s := range tc.steps {
				e.setCounts(x, s.counts...)
				before := len(h.received())
				n := e.app.notifyOnce(ctx)
				got := h.received()[before:]
				if s.title == "" {
					if n != 0 || len(got) != 0 {
						t.Fatalf("step %d: sent %d: %v; want nothing", i, n, got)
					}
				} else {
					if n != 1 || len(got) != 1 {
						t.Fatalf("step %d: sent %d: %v; want %q", i, n, got, s.title)
					}
					if text, _ := got[0]["text"].(string); got[0]["title"] != s.title || !strings.Contains(text, s.text) {
						t.Errorf("step %d: got %q %q, want %q with %q", i, got[0]["title"], text, s.title, s.text)
					}
				}
				// Whatever was announced stays announced for the next
				// process on the same database.
				if n := e.restarted().notifyOnce(ctx); n != 0 {
					t.Fatalf("step %d: after a restart, %d sent again", i, n)
				}
			}
		})
	}
}

// TestNotifyWinnerRecordedBefore: a winner recorded before copylab kept
// the winning variant (a bare "winner") is not announced again after the
// upgrade, and the site page names keyed winners as it names any other.
func TestNotifyWinnerRecordedBefore(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx := context.Background()
	h := newHook(t)
	site := e.site("Shop")
	old := winnerOn(e, site, "Announced before")
	if err := e.store.RecordNotification(ctx, old.ID, "winner", "", time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	fresh := winnerOn(e, site, "Announced now")
	setWebhook(t, e, site.ID, h.URL+"/hook")
	if n := e.app.notifyOnce(ctx); n != 1 {
		t.Fatalf("sent %d, want the new experiment's winner only", n)
	}
	if got := h.received(); len(got) != 1 || !strings.Contains(got[0]["title"].(string), "Announced now") {
		t.Fatalf("webhook got %v", got)
	}
	c := e.signIn("owner@example.com")
	_, page := c.get("/sites/" + site.ID)
	wantContains(t, page, "We have a winner: <a href=\"/experiments/"+fresh.ID+"/results\" dir=\"auto\">Announced now</a>")
	wantNotContains(t, page, "winner:b")
}

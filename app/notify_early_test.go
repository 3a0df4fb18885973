package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// calledWinner is a clear winner past the planned sample (about 31,000
// visitors per variant at 5%): once the test has run a full week, the
// results page calls it.
var calledWinner = [][2]int64{{100000, 5000}, {100000, 6500}}

// TestNotifyEarlyAnswerWaits: an answer too early to act on (the results
// page heads it "Early lead: not called yet") posts nothing, however many
// checks run, and goes out once, with the page's words ("Ship it."), on
// the first check after the page calls it: when the test turns a week
// old, or when its planned sample is in. A broken split is no answer and
// does not wait.
func TestNotifyEarlyAnswerWaits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts [][2]int64
		days   int
		later  func(e *env, x experiments.Experiment) // what makes the page call it
		title  string
		text   string
	}{
		{"two days in, until a full week has passed", calledWinner, 2,
			func(e *env, x experiments.Experiment) {
				later := time.Now().Add(6 * 24 * time.Hour)
				e.app.now = func() time.Time { return later }
			},
			"We have a winner: “Pricing hero” on Shop", "Ship it."},
		{"two weeks in, until the planned sample is in", [][2]int64{{10000, 500}, {10000, 650}}, 14,
			func(e *env, x experiments.Experiment) { e.setCounts(x, calledWinner...) },
			"We have a winner: “Pricing hero” on Shop", "Ship it."},
		{"the original ahead two days in, until a full week has passed", [][2]int64{{100000, 6500}, {100000, 5000}}, 2,
			func(e *env, x experiments.Experiment) {
				later := time.Now().Add(6 * 24 * time.Hour)
				e.app.now = func() time.Time { return later }
			},
			"Keep the original: “Pricing hero” on Shop", "Keep the original"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			ctx := context.Background()
			h := newHook(t)
			site := e.site("Shop")
			x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
			x = e.transition(x.ID, experiments.ActionStart)
			e.setCounts(x, tc.counts...)
			backdate(e, x, tc.days)
			setWebhook(t, e, site.ID, h.URL+"/hook")

			// The page does not call it yet; nor does the channel hear of it.
			c := e.signIn("owner@example.com")
			_, body := c.get("/experiments/" + x.ID + "/results")
			if _, _, early, _ := verdictOn(t, body); !early {
				t.Fatal("the results page calls the answer already; the case no longer tests an early one")
			}
			for range 3 {
				if n := e.app.notifyOnce(ctx); n != 0 {
					t.Fatalf("%d sent while the answer is too early to act on", n)
				}
			}
			if got := h.received(); len(got) != 0 {
				t.Fatalf("the webhook got %v while the answer is too early", got)
			}

			tc.later(e, x)
			_, body = c.get("/experiments/" + x.ID + "/results")
			title, text, early, _ := verdictOn(t, body)
			if early {
				t.Fatalf("the results page still does not call it (%q)", title)
			}
			if n := e.app.notifyOnce(ctx); n != 1 {
				t.Fatalf("%d sent once the page calls the answer, want 1", n)
			}
			if n := e.app.notifyOnce(ctx); n != 0 {
				t.Fatalf("%d sent again", n)
			}
			got := h.received()
			if len(got) != 1 {
				t.Fatalf("the webhook got %d messages, want 1: %v", len(got), got)
			}
			v, _ := got[0]["verdict"].(map[string]any)
			vt, _ := v["text"].(string)
			if got[0]["title"] != tc.title || !strings.Contains(vt, tc.text) || vt != text {
				t.Errorf("message %q: %q; want %q with the page's sentence %q", got[0]["title"], vt, tc.title, text)
			}
			_, page := c.get("/sites/" + site.ID)
			wantContains(t, page, "Latest messages")
		})
	}
}

// TestNotifyBrokenSplitEarly: a broken split is announced at once, young
// test or not: it is a warning to act on, not an answer to wait for.
func TestNotifyBrokenSplitEarly(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx := context.Background()
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, [2]int64{10000, 500}, [2]int64{8000, 400})
	backdate(e, x, 2)
	setWebhook(t, e, site.ID, h.URL+"/hook")
	if n := e.app.notifyOnce(ctx); n != 1 {
		t.Fatalf("%d sent, want the broken split", n)
	}
	got := h.received()
	if len(got) != 1 || got[0]["title"] != "Results can’t be trusted yet: “Pricing hero” on Shop" {
		t.Errorf("webhook got %v", got)
	}
}

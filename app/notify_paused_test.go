package app

import (
	"context"
	"testing"
	"time"

	"copylab/experiments"
)

// holdWebhook returns the changes that stop and restart the site's
// messages one way: "paused", as a webhook's refusal for good pauses it
// and a test message that gets through resumes it, or "off", as the
// card's Turn off and a saved URL do.
func holdWebhook(t *testing.T, e *env, siteID, url, how string) (hold, resume func()) {
	t.Helper()
	ctx := context.Background()
	if how == "paused" {
		return func() {
				r := experiments.WebhookRefusal{Status: 404, Message: "m", At: time.Now()}
				if err := e.store.RecordWebhookRefusal(ctx, siteID, url, r); err != nil {
					t.Fatal(err)
				}
			}, func() {
				if err := e.store.ClearWebhookRefusal(ctx, siteID); err != nil {
					t.Fatal(err)
				}
			}
	}
	return func() { setWebhook(t, e, siteID, "") }, func() { setWebhook(t, e, siteID, url) }
}

// TestNotifyWarningsWhilePaused: copylab keeps checking the warnings of a
// site whose webhook is paused or off, so that their episodes go on as if
// it were not. A warning announced before, fixed for days and broken again
// during the pause is announced ("again") once the webhook takes messages,
// if it is still on; one fixed during the pause and broken again hours
// after the resume is news too (it had been fixed a full day); one that
// went on all through the pause is not repeated, and one that came and
// went during the pause is not announced late.
func TestNotifyWarningsWhilePaused(t *testing.T) {
	const day = 24 * time.Hour
	const (
		missing = "The element is going missing: “Pricing hero” on Shop"
		again   = "The element is going missing again: “Pricing hero” on Shop"
	)
	for _, how := range []string{"paused", "off"} {
		for _, tc := range []struct {
			name  string
			steps func(broken, fine func(time.Duration) func(), hold, resume func()) []warningStep
		}{
			{"broken again during the pause", func(broken, fine func(time.Duration) func(), hold, resume func()) []warningStep {
				return []warningStep{
					{"the element goes missing", 0, broken(0), false, missing},
					{"held", time.Hour, hold, false, ""},
					{"fixed: found all day 2", 2 * day, fine(2 * day), false, ""},
					{"found all day 3 too", 3*day + time.Hour, fine(3 * day), false, ""},
					{"broken again while held", 4 * day, broken(4 * day), false, ""},
					{"still broken, after a restart", 4*day + time.Hour, nil, true, ""},
					{"delivering again: the new break is news", 4*day + 2*time.Hour, resume, false, again},
					{"still broken", 4*day + 3*time.Hour, nil, false, ""},
					{"still broken, after a restart", 4*day + 4*time.Hour, nil, true, ""},
				}
			}},
			{"fixed during the pause, broken after it", func(broken, fine func(time.Duration) func(), hold, resume func()) []warningStep {
				return []warningStep{
					{"the element goes missing", 0, broken(0), false, missing},
					{"held", time.Hour, hold, false, ""},
					{"fixed: found all day 2", 2 * day, fine(2 * day), false, ""},
					{"found all day 3 too", 3*day + time.Hour, fine(3 * day), false, ""},
					{"delivering again, still fixed", 3*day + 2*time.Hour, resume, false, ""},
					{"broken six hours later", 3*day + 8*time.Hour, broken(3 * day), false, again},
				}
			}},
			{"broken all through the pause", func(broken, fine func(time.Duration) func(), hold, resume func()) []warningStep {
				return []warningStep{
					{"the element goes missing", 0, broken(0), false, missing},
					{"held", time.Hour, hold, false, ""},
					{"still broken on day 2", 2 * day, broken(2 * day), false, ""},
					{"still broken on day 3", 3 * day, broken(3 * day), false, ""},
					{"delivering again: the same break", 3*day + time.Hour, resume, false, ""},
					{"still broken", 3*day + 2*time.Hour, nil, false, ""},
				}
			}},
			{"broken and fixed during the pause", func(broken, fine func(time.Duration) func(), hold, resume func()) []warningStep {
				return []warningStep{
					{"the element goes missing", 0, broken(0), false, missing},
					{"held", time.Hour, hold, false, ""},
					{"fixed: found all day 2", 2 * day, fine(2 * day), false, ""},
					{"found all day 3 too", 3*day + time.Hour, fine(3 * day), false, ""},
					{"broken again while held", 4 * day, broken(4 * day), false, ""},
					{"fixed: found all day 5", 5 * day, fine(5 * day), false, ""},
					{"found all day 6 too", 6*day + time.Hour, fine(6 * day), false, ""},
					{"delivering again, fixed", 6*day + 2*time.Hour, resume, false, ""},
					{"still fixed", 6*day + 3*time.Hour, nil, false, ""},
				}
			}},
		} {
			t.Run(how+": "+tc.name, func(t *testing.T) {
				e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
				h := newHook(t)
				site := e.site("Shop")
				x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
				x = e.transition(x.ID, experiments.ActionStart)
				url := h.URL + "/hook"
				setWebhook(t, e, site.ID, url)
				start := time.Now().UTC().Truncate(day).Add(12 * time.Hour) // noon, day 0
				broken := func(at time.Duration) func() { return func() { e.setHealthDay(x, start.Add(at), 10, 90) } }
				fine := func(at time.Duration) func() { return func() { e.setHealthDay(x, start.Add(at), 100, 0) } }
				hold, resume := holdWebhook(t, e, site.ID, url, how)
				runWarningSteps(t, e, h, start, tc.steps(broken, fine, hold, resume))
			})
		}
	}
}

// TestNotifySplitBrokenWhileOff: the split's warning is watched while the
// webhook is off too: a split announced broken, sound for a day and
// broken again while no webhook was set is announced "again" once one is,
// and a split that first broke while the webhook was off is announced
// then as well.
func TestNotifySplitBrokenWhileOff(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
	x = e.transition(x.ID, experiments.ActionStart)
	y := e.experiment(site.ID, "Checkout button", "Buy", "Buy now")
	y = e.transition(y.ID, experiments.ActionStart)
	url := h.URL + "/hook"
	setWebhook(t, e, site.ID, url)
	broken := func(x experiments.Experiment) func() {
		return func() { e.setCounts(x, [2]int64{10000, 500}, [2]int64{8000, 400}) }
	}
	sound := func() { e.setCounts(x, [2]int64{10000, 500}, [2]int64{10000, 500}) }
	hold, resume := holdWebhook(t, e, site.ID, url, "off")
	runWarningSteps(t, e, h, time.Now(), []warningStep{
		{"the split breaks", 0, broken(x), false, "Results can’t be trusted yet: “Pricing hero” on Shop"},
		{"webhook off", time.Minute, hold, false, ""},
		{"sound", time.Hour, sound, false, ""},
		{"sound for a day", 26 * time.Hour, nil, true, ""},
		{"broken again", 27 * time.Hour, broken(x), false, ""},
		{"another test's split breaks", 28 * time.Hour, broken(y), false, ""},
	})
	before := len(h.received())
	resume()
	if n := e.app.notifyOnce(context.Background()); n != 2 {
		t.Fatalf("webhook on again: sent %d, want both splits", n)
	}
	got := map[any]bool{}
	for _, b := range h.received()[before:] {
		got[b["title"]] = true
	}
	for _, want := range []string{"Results can’t be trusted yet, again: “Pricing hero” on Shop", "Results can’t be trusted yet: “Checkout button” on Shop"} {
		if !got[want] {
			t.Errorf("sent %v, want %q", got, want)
		}
	}
}

package app

import (
	"testing"
	"time"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// setHealthDay sets the original's page views on one UTC day (Unix days),
// as the tag reports them: where the element was found and where not.
func (e *env) setHealthDay(x experiments.Experiment, day time.Time, applied, missed int64) {
	e.t.Helper()
	if _, err := e.store.Writer().Exec(`insert into variant_health_days (experiment_id, day, variant, applied, missed)
		values (?, ?, ?, ?, ?) on conflict do update set applied = excluded.applied, missed = excluded.missed`,
		x.ID, day.Unix()/86400, x.Variants[0].Key, applied, missed); err != nil {
		e.t.Fatal(err)
	}
}

// warningStep is one check of the notifier at a time, after a change to
// what it reads, and the message it must send then ("" for none).
type warningStep struct {
	name    string
	at      time.Duration // after the first check
	change  func()
	restart bool // the check runs in a new process on the same database
	want    string
}

// runWarningSteps runs the steps' checks in order on e's webhook h, each
// at its time, and checks the title of what each sent (runAnswerSteps).
func runWarningSteps(t *testing.T, e *env, h *hook, start time.Time, steps []warningStep) {
	t.Helper()
	as := make([]answerStep, len(steps))
	for i, s := range steps {
		as[i] = answerStep{name: s.name, at: s.at, change: s.change, restart: s.restart, title: s.want}
	}
	runAnswerSteps(t, e, h, start, as)
}

// TestNotifyElementMissingAgain: the missing element's warning goes out
// once per episode. While the element stays missing, and when it comes
// back within a day of a fix (a flaky page, a deploy rolled back), no
// second message goes out, not after a restart either; once the page has
// found the element on checks a full day apart, a new break is news,
// "again", once.
func TestNotifyElementMissingAgain(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
	x = e.transition(x.ID, experiments.ActionStart)
	setWebhook(t, e, site.ID, h.URL+"/hook")
	const day = 24 * time.Hour
	day0 := time.Now().UTC().Truncate(day)
	start := day0.Add(12 * time.Hour) // noon, day 0
	dayOf := func(at time.Duration) time.Time { return start.Add(at) }
	broken := func(at time.Duration) func() { return func() { e.setHealthDay(x, dayOf(at), 10, 90) } }
	fine := func(at time.Duration) func() { return func() { e.setHealthDay(x, dayOf(at), 100, 0) } }
	const missing = "The element is going missing: “Pricing hero” on Shop"
	runWarningSteps(t, e, h, start, []warningStep{
		{"the element goes missing", 0, broken(0), false, missing},
		{"still missing", time.Hour, nil, false, ""},
		{"still missing, after a restart", 2 * time.Hour, nil, true, ""},
		{"fixed: found all day 2", 2 * day, fine(2 * day), false, ""},
		{"missing again six hours later", 2*day + 6*time.Hour, broken(2 * day), false, ""},
		{"fixed again: found all day 4", 4 * day, fine(4 * day), false, ""},
		{"found for 11 hours", 4*day + 11*time.Hour, nil, false, ""},
		// Two days after the first fix, but 12 hours after this one.
		{"missing again 12 hours later", 4*day + 12*time.Hour, broken(4 * day), false, ""},
		{"fixed again: found all day 6", 6 * day, fine(6 * day), false, ""},
		{"found for 25 hours (day 7 too)", 7*day + time.Hour, fine(7 * day), false, ""},
		{"still found, after a restart", 7*day + 2*time.Hour, nil, true, ""},
		{"broken again", 7*day + 3*time.Hour, broken(7 * day), false, "The element is going missing again: “Pricing hero” on Shop"},
		{"still broken", 7*day + 4*time.Hour, nil, false, ""},
		{"still broken, after a restart", 7*day + 5*time.Hour, nil, true, ""},
	})
	c := e.signIn("owner@example.com")
	_, page := c.get("/sites/" + site.ID)
	wantContains(t, page, "The element is going missing again: <a href=\"/experiments/"+x.ID+"/results\" dir=\"auto\">Pricing hero</a>")
	wantNotContains(t, page, "element_missing")
}

// TestNotifySplitBrokenAgain: the broken split's warning goes out once
// per episode too: not again when the split's check flips back within a
// day, near its line, nor after a restart, nor when copylab comes back
// from a day down to a broken split (no check saw it sound for a day);
// again, once, when the split breaks after checks a full day apart found
// it sound.
func TestNotifySplitBrokenAgain(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
	x = e.transition(x.ID, experiments.ActionStart)
	setWebhook(t, e, site.ID, h.URL+"/hook")
	// Not enough visitors for an answer either way: only the split speaks.
	broken := func() { e.setCounts(x, [2]int64{10000, 500}, [2]int64{8000, 400}) }
	sound := func() { e.setCounts(x, [2]int64{10000, 500}, [2]int64{10000, 500}) }
	const split = "Results can’t be trusted yet: “Pricing hero” on Shop"
	start := time.Now()
	runWarningSteps(t, e, h, start, []warningStep{
		{"the split breaks", 0, broken, false, split},
		{"still broken, after a restart", time.Minute, nil, true, ""},
		{"sound", time.Hour, sound, false, ""},
		{"broken two hours later", 3 * time.Hour, broken, false, ""},
		{"sound again", 4 * time.Hour, sound, false, ""},
		// 26 hours after it first turned sound, 23 after it last did.
		{"sound for 23 hours", 27 * time.Hour, nil, false, ""},
		{"broken 23.5 hours later", 27*time.Hour + 30*time.Minute, broken, false, ""},
		{"sound once more", 28 * time.Hour, sound, false, ""},
		// copylab is down for 25 hours, and comes back to a broken split:
		// no check found it sound a full day, so it may never have been.
		{"broken when copylab comes back", 53 * time.Hour, broken, true, ""},
		{"sound after that", 54 * time.Hour, sound, false, ""},
		{"sound for 24 hours", 78 * time.Hour, nil, false, ""},
		{"still sound, after a restart", 78*time.Hour + time.Minute, nil, true, ""},
		{"broken again", 79 * time.Hour, broken, true, "Results can’t be trusted yet, again: “Pricing hero” on Shop"},
		{"still broken", 80 * time.Hour, nil, false, ""},
		{"still broken, after a restart", 81 * time.Hour, nil, true, ""},
	})
	// Programs read the same status for each episode.
	got := h.received()
	v, _ := got[len(got)-1]["verdict"].(map[string]any)
	if v["status"] != stats.StatusSRM {
		t.Errorf("the second warning's verdict status is %v, want %q as the first's", v["status"], stats.StatusSRM)
	}
}

package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"copylab/experiments"
)

// TestF1StaleStartOnPaused: Start pressed on a page drawn while the test
// was a draft, once a teammate has started and paused it, leaves it
// paused: the page says who paused it and when, and that Resume runs it,
// and the history has no new line. The API's start of a paused test still
// resumes it, as documented.
func TestF1StaleStartOnPaused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		byBob bool // the start and pause were Bob's, not the viewer's
	}{
		{"paused by a teammate", true},
		{"paused from another tab", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ann := e.signIn("ann@example.com")
			bob := e.signIn("bob@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			page := "/experiments/" + x.ID
			ann.get(page) // the stale tab, drawn while it was a draft
			first, who := ann, "you"
			if tc.byBob {
				first, who = bob, "bob@example.com"
			}
			for _, a := range []string{"start", "pause"} {
				first.get(page)
				resp, body := first.post(page+"/"+a, nil)
				wantStatus(t, resp, http.StatusSeeOther, body)
			}
			paused := lastChange(t, e, x.ID)

			body := flashAfter(t, ann, page+"/start", nil)
			want := "This experiment was paused (" + historyTime(paused.At) + " by " + who +
				") after this page was opened: it stays paused. Press Resume to run it again."
			if kind, text := pageFlash(body); kind != "warn" || text != want {
				t.Errorf("flash %s %q, want warn %q", kind, text, want)
			}
			if got := lastChange(t, e, x.ID); got != paused {
				t.Errorf("the history has a new line %+v", got)
			}
			if cur, err := e.store.Experiment(context.Background(), x.ID); err != nil || cur.Status != experiments.StatusPaused {
				t.Errorf("status %q (%v), want paused", cur.Status, err)
			}
		})
	}

	t.Run("the API's start resumes", func(t *testing.T) {
		e := newEnv(t)
		x := e.experiment(e.site("Shop").ID, "Hero")
		e.transition(x.ID, experiments.ActionStart)
		e.transition(x.ID, experiments.ActionPause)
		resp, got := e.api("POST", "/api/v1/experiments/"+x.ID+"/start", e.token("api@example.com"), "")
		wantStatus(t, resp, http.StatusOK, "")
		if got["status"] != "running" {
			t.Errorf("status %v, want running", got["status"])
		}
		if ch := lastChange(t, e, x.ID); ch.Action != experiments.ChangeResumed {
			t.Errorf("last history line %+v, want resumed", ch)
		}
	})
}

// TestF1StalePauseOnStopped: Pause pressed on a page drawn while the test
// ran, once it has been stopped (by a person, by shipping a variant, or
// on its planned date), says plainly that it was stopped, when and by
// whom, that it can neither be paused nor run again, and what to do
// instead; nothing is recorded.
func TestF1StalePauseOnStopped(t *testing.T) {
	for _, tc := range []struct {
		name string
		stop func(e *env, bob *client, x experiments.Experiment)
		by   string // after the time in the note
	}{
		{"stopped by a teammate", func(e *env, bob *client, x experiments.Experiment) {
			bob.get("/experiments/" + x.ID)
			resp, body := bob.post("/experiments/"+x.ID+"/stop", nil)
			wantStatus(e.t, resp, http.StatusSeeOther, body)
		}, " by bob@example.com"},
		{"stopped by shipping a variant", func(e *env, _ *client, x experiments.Experiment) { shipTest(e, x) }, ""},
		{"stopped on its planned date", func(e *env, _ *client, x experiments.Experiment) {
			stops := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(24 * time.Hour)
			resp, _ := e.api("PATCH", "/api/v1/experiments/"+x.ID, e.token("api@example.com"), `{"stops_at":"`+stops.Format("2006-01-02")+`"}`)
			wantStatus(e.t, resp, http.StatusOK, "")
			if _, err := e.store.StopDue(context.Background(), stops.Add(time.Minute)); err != nil {
				e.t.Fatal(err)
			}
		}, ", on its planned date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ann := e.signIn("ann@example.com")
			bob := e.signIn("bob@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			page := "/experiments/" + x.ID
			e.transition(x.ID, experiments.ActionStart)
			ann.get(page) // the stale tab, drawn while it ran
			tc.stop(e, bob, x)
			done := lastChange(t, e, x.ID)

			body := flashAfter(t, ann, page+"/pause", nil)
			want := "This experiment was stopped (" + historyTime(done.At) + tc.by +
				"): it cannot be paused or run again. Duplicate it to test again."
			if kind, text := pageFlash(body); kind != "warn" || text != want {
				t.Errorf("flash %s %q, want warn %q", kind, text, want)
			}
			if got := lastChange(t, e, x.ID); got != done {
				t.Errorf("the history has a new line %+v", got)
			}
		})
	}
}

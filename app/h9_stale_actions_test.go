package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// pageFlash is the kind ("ok", "warn", "error") and text of a page's
// flash message; both "" for none.
func pageFlash(body string) (kind, text string) {
	m := regexp.MustCompile(`<div class="flash flash-([a-z]+)"[^>]*>([^<]*)</div>`).FindStringSubmatch(body)
	if m == nil {
		return "", ""
	}
	return m[1], html.UnescapeString(m[2])
}

// historyTime is t as the history and the notes word it.
func historyTime(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

// lastChange is the newest line of id's history.
func lastChange(t *testing.T, e *env, id string) experiments.Change {
	t.Helper()
	h, err := e.store.History(context.Background(), id)
	if err != nil || len(h) == 0 {
		t.Fatalf("history of %s: %v %v", id, h, err)
	}
	return h[0]
}

// TestH9StaleTabAction: Start, Pause, Resume or Stop pressed on a page
// drawn before the experiment got there (a second tab, a teammate's
// press) lands on the experiment's page with a note saying it is there
// already, when and by whom, not a red refusal, and records nothing. A
// real refusal stays one.
func TestH9StaleTabAction(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before []string // actions done first, from the first tab
		action string   // pressed in the stale tab
		byBob  bool     // the first actions were Bob's, not the viewer's
		want   string   // the note, before " (…)"
	}{
		{"start, started from another tab", []string{"start"}, "start", false, "This experiment is already running (started "},
		{"start, started by a teammate", []string{"start"}, "start", true, "This experiment is already running (started "},
		{"resume, resumed already", []string{"start", "pause", "resume"}, "resume", true, "This experiment is already running (resumed "},
		{"pause, paused already", []string{"start", "pause"}, "pause", false, "This experiment is already paused (paused "},
		{"stop, stopped already", []string{"start", "stop"}, "stop", true, "This experiment is already stopped (stopped "},
		{"stop, stopped by shipping a variant", []string{"start", "ship"}, "stop", false, "This experiment is already stopped (stopped "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ann := e.signIn("ann@example.com")
			bob := e.signIn("bob@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			page := "/experiments/" + x.ID
			first := ann
			who := "you"
			if tc.byBob {
				first, who = bob, "bob@example.com"
			}
			ann.get(page) // the stale tab, drawn while it was a draft
			first.get(page)
			for _, a := range tc.before {
				resp, body := first.post(page+"/"+a, url.Values{"variant": {x.Variants[1].Key}})
				wantStatus(t, resp, http.StatusSeeOther, body)
				first.get(page)
			}
			done := lastChange(t, e, x.ID)

			resp, body := ann.post(page+"/"+tc.action, nil)
			wantStatus(t, resp, http.StatusSeeOther, body)
			if loc := resp.Header.Get("Location"); loc != page {
				t.Fatalf("Location %q, want %q", loc, page)
			}
			_, body = ann.get(page)
			kind, text := pageFlash(body)
			want := tc.want + historyTime(done.At) + " by " + who + ")."
			if kind != "ok" || text != want {
				t.Errorf("flash %s %q, want ok %q", kind, text, want)
			}
			if got := lastChange(t, e, x.ID); got != done {
				t.Errorf("the history has a new line %+v", got)
			}
		})
	}

	t.Run("start, stopped meanwhile", func(t *testing.T) {
		e := newEnv(t)
		ann := e.signIn("ann@example.com")
		x := e.experiment(e.site("Shop").ID, "Hero")
		page := "/experiments/" + x.ID
		ann.get(page)
		e.transition(x.ID, experiments.ActionStart)
		e.transition(x.ID, experiments.ActionStop)
		resp, body := ann.post(page+"/start", nil)
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, body = ann.get(page)
		if kind, text := pageFlash(body); kind != "error" || !strings.Contains(text, "has stopped and cannot run again") {
			t.Errorf("flash %s %q, want the refusal", kind, text)
		}
	})
}

// TestH9StaleTabPlannedStop: a test stopped on its planned date was
// stopped by no one: the note says when, and why.
func TestH9StaleTabPlannedStop(t *testing.T) {
	e := newEnv(t)
	ann := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	page := "/experiments/" + x.ID
	ann.get(page)
	resp, body := ann.post(page+"/start", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	ann.get(page)
	tok := e.token("api@example.com")
	stops := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(24 * time.Hour)
	resp, _ = e.api("PATCH", "/api/v1/experiments/"+x.ID, tok, `{"stops_at":"`+stops.Format("2006-01-02")+`"}`)
	wantStatus(t, resp, http.StatusOK, "")
	if _, err := e.store.StopDue(context.Background(), stops.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	done := lastChange(t, e, x.ID)

	resp, body = ann.post(page+"/stop", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = ann.get(page)
	want := "This experiment is already stopped (stopped " + historyTime(done.At) + ", on its planned date)."
	if kind, text := pageFlash(body); kind != "ok" || text != want {
		t.Errorf("flash %s %q, want ok %q", kind, text, want)
	}
}

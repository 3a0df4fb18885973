package app

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"testing"
	"time"

	"copylab/experiments"
)

// TestStartAfterPlannedStopPassed: a draft whose planned stop has passed
// (a plan made days ago, never started) is refused by a person's Start,
// on the page and through the API alike, rather than started for the
// one-minute job to stop at once with no visitor in it. The refusal says
// what to do, and nothing changes: the draft keeps its status, its plan,
// its updated_at and its history. Once the stop is removed, it starts.
func TestStartAfterPlannedStopPassed(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	const want = "Its planned stop, %s, has passed: move or remove it, then start."
	for _, tc := range []struct {
		name string
		via  string
		// starting: the draft has a planned start too, which has
		// passed as well (the server was down past both plans, and a
		// person starts it before the job's next look).
		starting bool
	}{
		{"api", "api", false},
		{"page", "page", false},
		{"page, planned start passed too", "page", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := e.experiment(site.ID, tc.name)
			// The store takes only plans in the future: these pass a
			// moment later.
			now := time.Now().UTC().Truncate(time.Millisecond)
			starts, stops := time.Time{}, now.Add(300*time.Millisecond)
			if tc.starting {
				starts = now.Add(150 * time.Millisecond)
			}
			h1Plan(t, e, x.ID, starts, stops)
			time.Sleep(time.Until(stops) + 20*time.Millisecond)
			before := h1Stored(t, e, x.ID)
			hist, err := e.store.History(t.Context(), x.ID)
			if err != nil {
				t.Fatal(err)
			}
			msg := fmt.Sprintf(want, h10PlanWords(stops))
			if tc.via == "api" {
				resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/start", tok, "")
				wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
				code, _ := errorShape(t, out)
				if got := out["error"].(map[string]any)["message"]; code != "stops_at_passed" || got != msg {
					t.Errorf("api: %s %q, want stops_at_passed %q", code, got, msg)
				}
			} else {
				resp, body := c.post("/experiments/"+x.ID+"/start", url.Values{})
				wantStatus(t, resp, http.StatusSeeOther, body)
				_, page := c.get(loc(resp))
				m := flashRe.FindStringSubmatch(page)
				if m == nil {
					t.Fatal("page: no message after Start")
				}
				if got := html.UnescapeString(m[1]); got != msg {
					t.Errorf("page: %q, want %q", got, msg)
				}
			}
			got := h1Stored(t, e, x.ID)
			if got.Status != experiments.StatusDraft || !got.StartedAt.IsZero() || !got.StopsAt.Equal(before.StopsAt) ||
				!got.StartsAt.Equal(before.StartsAt) || !got.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("changed: %s, started %v, starts %v, stops %v, updated %v (was %v)",
					got.Status, got.StartedAt, got.StartsAt, got.StopsAt, got.UpdatedAt, before.UpdatedAt)
			}
			if after, err := e.store.History(t.Context(), x.ID); err != nil || len(after) != len(hist) {
				t.Errorf("history: %d lines, was %d (%v)", len(after), len(hist), err)
			}
			// Removed, the stop no longer holds the start back.
			resp, out := e.api("PATCH", "/api/v1/experiments/"+x.ID, tok, `{"stops_at": null}`)
			wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
			resp, out = e.api("POST", "/api/v1/experiments/"+x.ID+"/start", tok, "")
			wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
			if out["status"] != "running" {
				t.Errorf("after removing the stop: %v", out["status"])
			}
		})
	}
}

// h10PlanWords is a planned time as the refusals word it, as the
// experiment page does: its time of day and its day, in UTC ("00:00 UTC
// on 25 Nov 2026").
func h10PlanWords(t time.Time) string {
	t = t.UTC()
	return t.Format("15:04") + " UTC on " + t.Format("2 Jan 2006")
}

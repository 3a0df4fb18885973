package app

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestEditSaveStopsWarning: an edit saved with a Stop on day too soon
// for the test to be called says so in the message after the save, as
// the New form's save does, in the same words, also after the words on
// a running test left at 0%; a day far enough says nothing of it.
func TestEditSaveStopsWarning(t *testing.T) {
	tests := []struct {
		name    string
		started bool
		stopsAt time.Time
		share   string // the traffic share sent, 100 when ""
		saved   string // how the message begins
		want    string
	}{
		{name: "draft, three days", stopsAt: h1Day(3), want: "if it starts today"},
		{name: "running, three days", started: true, stopsAt: h1Day(3), want: "after its start"},
		{name: "running at 0%, three days", started: true, stopsAt: h1Day(3), share: "0",
			saved: "Changes saved, but its traffic share is 0%", want: "after its start"},
		{name: "draft, a month", stopsAt: h1Day(30)},
		{name: "running, a month", started: true, stopsAt: h1Day(30)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			x := e.experiment(site.ID, "Hero")
			if tc.started {
				x = e.transition(x.ID, experiments.ActionStart)
			}
			change := url.Values{"stops_at": {tc.stopsAt.Format(time.DateOnly)}}
			if tc.share != "" {
				change.Set("coverage", tc.share)
			}
			body := flashAfter(t, c, "/experiments/"+x.ID+"/edit", h1Resend(t, c, x, change))
			if got := h1Stored(t, e, x.ID); !got.StopsAt.Equal(tc.stopsAt) {
				t.Fatalf("stops at %v, want %v", got.StopsAt, tc.stopsAt)
			}
			flash := flashText(body)
			if tc.saved == "" {
				tc.saved = "Changes saved."
			}
			if !strings.HasPrefix(flash, tc.saved) {
				t.Fatalf("flash %q", flash)
			}
			if tc.want == "" {
				if strings.Contains(flash, "may stop before") {
					t.Fatalf("flash %q warns", flash)
				}
				return
			}
			if !strings.Contains(flash, "The test may stop before it can be called: it runs less than 3 days") || !strings.Contains(flash, tc.want) ||
				!strings.Contains(flash, "a full week") {
				t.Fatalf("flash %q, want %q", flash, tc.want)
			}
		})
	}
}

package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestF5CautionWeekdaysOnlyUnderAWeek: a test that has run a full week
// has both weekdays and weekends in, so once it is 8 days in, short of
// its planned sample, the warning no longer gives "weekday visitors
// differ from weekend ones" as a reason; 3 days in, it still does.
func TestF5CautionWeekdaysOnlyUnderAWeek(t *testing.T) {
	for _, tc := range []struct {
		name     string
		days     int
		weekdays bool
	}{
		{"3 days in", 3, true},
		{"8 days in", 8, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			x = e.transition(x.ID, experiments.ActionStart)
			e.setCounts(x, [2]int64{1000, 100}, [2]int64{1000, 135})
			backdate(e, x, tc.days)
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			_, _, _, caution := verdictOn(t, body)
			doc := parseHTML(t, body)
			var text string
			for _, b := range findAll(doc, hasClass("banner-warn")) {
				if w := words(b); strings.Contains(w, "Don’t call it yet") {
					text = w
				}
			}
			if text == "" {
				t.Fatalf("no caution (%q) on the page", caution)
			}
			if got := strings.Contains(text, "weekday visitors differ from weekend ones"); got != tc.weekdays {
				t.Errorf("caution %q: says weekdays %v, want %v", text, got, tc.weekdays)
			}
		})
	}
}

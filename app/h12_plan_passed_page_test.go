package app

import (
	"context"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestPlanPassedPage: the experiment page words a planned stop or start
// that has passed by the App's clock as what it is, never "today" for a
// day gone by. A draft whose planned stop has passed cannot start (Start
// refuses it, 409 stops_at_passed): the Setup card says so, the page says
// why beside Start with a link to the date, and Start asks nothing first,
// since a question would promise a start that is refused. A planned
// start that has come is the job's within a minute; so is a started
// test's stop. A plan still ahead reads as before.
func TestPlanPassedPage(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 9)
	plan := func(t *testing.T, id string, starts, stops time.Time) {
		t.Helper()
		if _, err := e.store.PatchExperiment(context.Background(), id, func(x *experiments.Experiment) error {
			x.StartsAt, x.StopsAt = starts, stops
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	const stopPassed = "Stop at %s has passed: move or remove it to start the test."
	on := func(t time.Time) string { return "00:00 UTC on " + t.Format("2 Jan 2006") }
	for _, tc := range []struct {
		name            string
		started         bool
		starts, stops   time.Time
		now             time.Time
		want, wantNot   []string
		confirm, notice bool
	}{
		{name: "draft, stop days ago", stops: day, now: day.AddDate(0, 0, 3).Add(time.Hour),
			want:    []string{strings.Replace(stopPassed, "%s", on(day), 1)},
			wantNot: []string{", today", "The test may stop before it can be called"}, notice: true},
		{name: "draft, stop this midnight", stops: day, now: day.Add(2 * time.Hour),
			want:    []string{strings.Replace(stopPassed, "%s", on(day), 1)},
			wantNot: []string{", today"}, notice: true},
		{name: "draft, stop within the day passed", stops: day.Add(10 * time.Hour), now: day.Add(11 * time.Hour),
			want:    []string{strings.Replace(stopPassed, "%s", "10:00 UTC on "+day.Format("2 Jan 2006"), 1)},
			wantNot: []string{", today"}, notice: true},
		{name: "draft, start come", starts: day, stops: day.AddDate(0, 0, 20), now: day.Add(30 * time.Second),
			want: []string{"Start at " + on(day) + " has come: copylab starts the test within a minute, or says under History why it could not.",
				"Stops at " + on(day.AddDate(0, 0, 20)) + ", in 20 days"},
			wantNot: []string{", today"}, confirm: true},
		{name: "running, stop come", started: true, stops: day, now: day.Add(30 * time.Second),
			want:    []string{"Stop at " + on(day) + " has come: copylab stops the test within a minute."},
			wantNot: []string{", today"}},
		{name: "draft, stop ahead", stops: day, now: day.AddDate(0, 0, -9).Add(time.Hour),
			want: []string{"Stops at " + on(day) + ", in 9 days"}, confirm: true},
		{name: "draft, stop later today", stops: day.Add(20 * time.Hour), now: day.Add(time.Hour),
			want: []string{"Stops at 20:00 UTC on " + day.Format("2 Jan 2006") + ", today"}, confirm: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.app.now = time.Now
			x := e.experiment(site.ID, tc.name)
			if tc.started {
				e.transition(x.ID, "start")
			}
			plan(t, x.ID, tc.starts, tc.stops)
			e.app.now = func() time.Time { return tc.now }
			_, body := c.get("/experiments/" + x.ID)
			doc := parseHTML(t, body)
			var setup string
			for _, s := range findAll(doc, func(n *xhtml.Node) bool { return n.Data == "section" && hasClass("card")(n) }) {
				if h := findAll(s, func(n *xhtml.Node) bool { return n.Data == "h2" }); len(h) > 0 && textOf(h[0]) == "Setup" {
					setup = strings.Join(strings.Fields(textOf(s)), " ")
				}
			}
			if setup == "" {
				t.Fatal("no Setup card")
			}
			for _, w := range tc.want {
				if !strings.Contains(setup, w) {
					t.Errorf("Setup card lacks %q:\n%s", w, setup)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(setup, w) {
					t.Errorf("Setup card says %q:\n%s", w, setup)
				}
			}
			if tc.started {
				return
			}
			starts := findAll(doc, func(n *xhtml.Node) bool {
				return n.Data == "form" && attrOf(n, "action") == "/experiments/"+x.ID+"/start"
			})
			if len(starts) != 1 {
				t.Fatalf("%d Start forms", len(starts))
			}
			q := ""
			if b := findAll(starts[0], func(n *xhtml.Node) bool { return n.Data == "button" }); len(b) == 1 {
				q = attrOf(b[0], "data-confirm")
			}
			if (q != "") != tc.confirm {
				t.Errorf("Start asks %q first, want a question: %v", q, tc.confirm)
			}
			notes := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "stop-passed" })
			if !tc.notice {
				if len(notes) != 0 {
					t.Errorf("notice of a passed stop: %q", textOf(notes[0]))
				}
				return
			}
			if len(notes) != 1 {
				t.Fatalf("%d notices of the passed stop", len(notes))
			}
			text := strings.Join(strings.Fields(textOf(notes[0])), " ")
			words := tc.stops.UTC().Format("15:04") + " UTC on " + tc.stops.UTC().Format("2 Jan 2006")
			if !strings.Contains(text, "Its planned stop, "+words+", has passed") {
				t.Errorf("notice %q does not name the stop %s", text, words)
			}
			links := findAll(notes[0], func(n *xhtml.Node) bool {
				return n.Data == "a" && attrOf(n, "href") == "/experiments/"+x.ID+"/edit#f-stops-at"
			})
			if len(links) != 1 {
				t.Errorf("notice %q has no link to the stop's date", text)
			}
			_, edit := c.get("/experiments/" + x.ID + "/edit")
			if len(findAll(parseHTML(t, edit), func(n *xhtml.Node) bool { return attrOf(n, "id") == "f-stops-at" })) != 1 {
				t.Error("the edit form has no #f-stops-at for the link")
			}
			if strings.Contains(body, "then press Start") {
				t.Error("the draft notice still says to press Start")
			}
		})
	}
}

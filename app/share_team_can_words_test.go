package app

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestShareSaysWhatTheTeamCanDo: whoever holds a share link cannot act in
// copylab, so where the team's results tell them to act (duplicate a test
// that stopped too soon, check the snippet behind a broken split, give a
// variant without traffic a share, check the element's selector), the
// share page, its live fragment and its CSV say what happened and that
// the team can act: "The team can run it again for longer." The team's
// results page keeps its instruction.
func TestShareSaysWhatTheTeamCanDo(t *testing.T) {
	// running is a running test with counts, days old.
	running := func(days int, counts ...[2]int64) func(t *testing.T) (*env, *client, experiments.Experiment) {
		return func(t *testing.T) (*env, *client, experiments.Experiment) {
			e, c, _, x := startedWithCounts(t, counts...)
			backdate(e, x, days)
			return e, c, x
		}
	}
	stopped := func(set func(t *testing.T) (*env, *client, experiments.Experiment)) func(t *testing.T) (*env, *client, experiments.Experiment) {
		return func(t *testing.T) (*env, *client, experiments.Experiment) {
			e, c, x := set(t)
			stopTest(e, x)
			return e, c, x
		}
	}
	// notFound is a test whose element the tag never finds on its page.
	notFound := func(t *testing.T) (*env, *client, experiments.Experiment) {
		e := newEnv(t)
		c := e.signIn("ann@example.com")
		site := e.site("Shop")
		x := e.transition(e.experimentOn(site.ID, "Hero", "/pricing", "#missing").ID, experiments.ActionStart)
		e.tagSees(site.Key, x.ID, "control", 6, false)
		e.tagSees(site.Key, x.ID, "b", 13, false)
		e.app.now = func() time.Time { return x.StartedAt.Add(2 * time.Minute) }
		return e, c, x
	}
	for _, tt := range []struct {
		name string
		set  func(t *testing.T) (*env, *client, experiments.Experiment)
		team string // the team's instruction
		view string // what the share link says instead
		csv  bool   // the sentence is in the CSV too (the verdict or the caution)
	}{
		{"stopped before it could be called", stopped(running(9, [2]int64{1000, 50}, [2]int64{1000, 58})),
			"no clear answer. Duplicate it to run it again for longer.",
			"no clear answer. The team can run it again for longer.", true},
		{"stopped too soon after an early lead", stopped(running(2, [2]int64{100000, 5000}, [2]int64{100000, 6500})),
			"read this one with care, or run the test again (Duplicate) for longer.",
			"read this one with care. The team can run it again for longer.", true},
		{"broken split", running(2, [2]int64{10000, 500}, [2]int64{8000, 400}),
			"can't be trusted yet: check how the tag is installed before reading anything into them.",
			"can't be trusted yet. The team can check how the tag is installed.", true},
		{"broken split, stopped", stopped(running(9, [2]int64{10000, 500}, [2]int64{8000, 400})),
			"can't be trusted: check how the tag is installed before running the test again.",
			"can't be trusted. The team can check how the tag is installed before running the test again.", true},
		{"a variant without traffic", func(t *testing.T) (*env, *client, experiments.Experiment) {
			e, c, x := running(2, [2]int64{1000, 50}, [2]int64{0, 0})(t)
			if _, err := e.store.Writer().Exec(`update variants set weight_bp = ? where experiment_id = ? and key = ?`, 0, x.ID, "b"); err != nil {
				t.Fatal(err)
			}
			return e, c, x
		}, "visitors; give it a share of the traffic, or stop the test.",
			"visitors. The team can give it a share of the traffic, or stop the test.", true},
		{"element never found", notFound,
			"so no visitor has seen the test yet: check that the selector matches an element on that page, or, if the page adds the element later, raise the hide timeout in the site’s settings.",
			"so no visitor has seen the test yet. The team can check that the selector matches an element on that page, or, if the page adds the element later, raise the hide timeout in the site’s settings.", true},
		{"element never found, stopped", stopped(notFound),
			"so no visitor saw the test: before running it again, check that the selector matches an element on that page, or, if the page adds the element later, raise the hide timeout in the site’s settings.",
			"so no visitor saw the test. Before running it again, the team can check that the selector matches an element on that page, or, if the page adds the element later, raise the hide timeout in the site’s settings.", true},
		{"element going missing", func(t *testing.T) (*env, *client, experiments.Experiment) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			site := e.site("Shop")
			x := e.transition(e.experimentOn(site.ID, "Hero", "/pricing", "#hero").ID, experiments.ActionStart)
			e.tagSees(site.Key, x.ID, "control", 20, true)
			e.tagSees(site.Key, x.ID, "b", 2, true)
			e.tagSees(site.Key, x.ID, "b", 13, false)
			return e, c, x
		}, "(13 of 15) within the 1,000 ms the tag waits for it (the site’s hide timeout). Visitors who don’t see the copy aren’t in the test. Check that the selector still matches the page, or, if the page adds the element later, raise the hide timeout in the site’s settings.",
			"(13 of 15) within the 1,000 ms the tag waits for it (the site’s hide timeout). Visitors who don’t see the copy aren’t in the test. The team can check that the selector still matches the page, or, if the page adds the element later, raise the hide timeout in the site’s settings.", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, c, x := tt.set(t)
			share := "/r/" + x.ShareToken
			anon := e.client()
			for _, path := range []string{share, share + "/live"} {
				resp, body := anon.get(path)
				wantStatus(t, resp, http.StatusOK, body)
				says(t, path, pageWords(t, body), tt.view, tt.team)
			}
			path := share + "/results.csv"
			if tt.csv {
				says(t, path, csvWords(t, readCSV(t, anon, path)), tt.view, tt.team)
			} else {
				says(t, path, csvWords(t, readCSV(t, anon, path)), "", tt.team)
			}

			path = "/experiments/" + x.ID + "/results"
			resp, body := c.get(path)
			wantStatus(t, resp, http.StatusOK, body)
			says(t, path, pageWords(t, body), tt.team, "The team can")
			if tt.csv {
				path += ".csv"
				says(t, path, csvWords(t, readCSV(t, c, path)), tt.team, "The team can")
			}
		})
	}
}

// pageWords is the text of a page as a reader sees it, its runs of space
// made one.
func pageWords(t *testing.T, body string) string {
	t.Helper()
	return strings.Join(strings.Fields(textOf(parseHTML(t, body))), " ")
}

// csvWords is every cell of a CSV, one after the other.
func csvWords(t *testing.T, body string) string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, r := range rows {
		cells = append(cells, r...)
	}
	return strings.Join(cells, " | ")
}

// says checks that words, read at path, say want ("": anything) and not
// lack.
func says(t *testing.T, path, words, want, lack string) {
	t.Helper()
	if !strings.Contains(words, want) {
		t.Errorf("%s lacks %q", path, want)
	}
	if i := strings.Index(words, lack); i >= 0 {
		t.Errorf("%s says %q: …%s…", path, lack, words[max(0, i-80):min(len(words), i+len(lack)+40)])
	}
}

// readCSV fetches a CSV through c.
func readCSV(t *testing.T, c *client, path string) string {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK, body)
	return body
}

package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestResultsSplitChangeCounts: the notice of a split changed during the
// test says how many visitors the split check counts in words that read
// right for each count. Right after the change nobody has come since
// (the check counts from the day after), so it says the check waits for
// new visitors rather than "the 0 visitors"; one visitor is "the 1
// visitor", not "the 1 visitors".
func TestResultsSplitChangeCounts(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site, x := e.runningExperiment()
	wantStatus(t, e.postEvents(eventBody(site.Key, "v1", x.ID, "control", false)), http.StatusNoContent, "")
	x.Variants[0].WeightBP, x.Variants[1].WeightBP = 7000, 3000
	ctx := experiments.WithActor(context.Background(), "ann@example.com")
	if _, err := e.store.UpdateExperiment(ctx, x); err != nil {
		t.Fatal(err)
	}
	notice := func(t *testing.T) string {
		t.Helper()
		resp, body := c.get("/experiments/" + x.ID + "/results")
		wantStatus(t, resp, http.StatusOK, body)
		for _, b := range findAll(parseHTML(t, body), hasClass("banner")) {
			if s := strings.Join(strings.Fields(textOf(b)), " "); strings.Contains(s, "The split changed during the test") {
				return s
			}
		}
		t.Fatalf("no notice of the split change in %s", body)
		return ""
	}

	t.Run("nobody since", func(t *testing.T) {
		got := notice(t)
		for _, want := range []string{"so the totals below mix both splits.",
			"The split check counts only visitors who first came after that day, and none has yet, so it waits for new visitors."} {
			if !strings.Contains(got, want) {
				t.Errorf("notice %q does not say %q", got, want)
			}
		}
		if strings.Contains(got, " 0 visitors") {
			t.Errorf("notice %q counts 0 visitors", got)
		}
	})

	// The change was yesterday: today's visitor is one the check counts.
	yesterday := time.Now().UTC().AddDate(0, 0, -1)
	if _, err := e.store.Writer().Exec(`update experiments set split_changed_at = ? where id = ?`, yesterday.UnixMilli(), x.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("one since", func(t *testing.T) {
		got := notice(t)
		if want := "the split check counts only the 1 visitor who first came after that day."; !strings.Contains(got, want) {
			t.Errorf("notice %q does not say %q", got, want)
		}
	})
	wantStatus(t, e.postEvents(eventBody(site.Key, "v2", x.ID, "b", false)), http.StatusNoContent, "")
	t.Run("two since", func(t *testing.T) {
		got := notice(t)
		if want := "the split check counts only the 2 visitors who first came after that day."; !strings.Contains(got, want) {
			t.Errorf("notice %q does not say %q", got, want)
		}
	})
}

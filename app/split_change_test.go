package app

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"copylab/experiments"
)

// TestSplitChangeDuringTest: a week at 50/50, then the weights move to
// 90/10. Visitors keep their variant, so the totals are far from 90/10,
// yet nothing is broken: the split check tests only the visitors who came
// after the change, the page says so, and the list and the results
// document agree. A split that really breaks after the change is still
// flagged.
func TestSplitChangeDuringTest(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	token := e.token("ci@example.com")
	site := e.site("Shop")
	ctx := context.Background()

	run := func(name string, after []int) experiments.Experiment {
		x := e.experiment(site.ID, name, "Original", "New")
		x = e.transition(x.ID, "start")
		bulkResults(t, e.store, site, x, bulkSpec{Events: 6_000, Start: time.Now().AddDate(0, 0, -14), Days: 7, Seed: 1,
			Rates: map[string]float64{"control": 0.08, "b": 0.08}})
		x.Variants[0].WeightBP, x.Variants[1].WeightBP = 9000, 1000
		if _, err := e.store.UpdateExperiment(experiments.WithActor(ctx, "ann@example.com"), x); err != nil {
			t.Fatal(err)
		}
		// The change happened a week ago: move it there.
		changed := time.Now().AddDate(0, 0, -7).UTC().Truncate(24 * time.Hour).Add(12 * time.Hour)
		if _, err := e.store.Writer().Exec(`update experiments set split_changed_at = ? where id = ?`, changed.UnixMilli(), x.ID); err != nil {
			t.Fatal(err)
		}
		// The week after: split as the new weights say, or not.
		y := x
		y.Variants[0].WeightBP, y.Variants[1].WeightBP = after[0], after[1]
		bulkResults(t, e.store, site, y, bulkSpec{Events: 6_000, Start: time.Now().AddDate(0, 0, -6), Days: 6, Seed: 2,
			Rates: map[string]float64{"control": 0.08, "b": 0.08}})
		got, err := e.store.Experiment(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	srmFlagged := func(x experiments.Experiment) bool {
		t.Helper()
		resp, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", token, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("results: %d %v", resp.StatusCode, out)
		}
		return out["srm"].(map[string]any)["flagged"].(bool)
	}

	fine := run("Rebalanced", []int{9000, 1000})
	if fine.SplitChangedAt.IsZero() {
		t.Fatal("changing the weights of a running test did not record when")
	}
	if srmFlagged(fine) {
		t.Error("a legitimate change of weights was flagged as a broken split")
	}
	_, body := c.get("/experiments/" + fine.ID + "/results")
	wantContains(t, body, "The split changed during the test", "visitors who first came after that day")
	wantNotContains(t, body, "The traffic split is broken")
	_, body = c.get("/experiments?status=running")
	wantNotContains(t, body, "verdict-srm")

	// Without the date of the change, the same counts are flagged: the
	// check above is what tells them apart.
	if _, err := e.store.Writer().Exec(`update experiments set split_changed_at = null where id = ?`, fine.ID); err != nil {
		t.Fatal(err)
	}
	if !srmFlagged(fine) {
		t.Fatal("the mixed totals are not flagged even without the change: the test proves nothing")
	}

	broken := run("Broken after the change", []int{2000, 8000})
	if !srmFlagged(broken) {
		t.Error("a split that broke after the change was not flagged")
	}
	// The verdict quotes the split it tested (about 20/80 since the
	// change), not the mixed totals (about 35/65).
	_, doc := e.api("GET", "/api/v1/experiments/"+broken.ID+"/results", token, "")
	text, _ := doc["verdict"].(map[string]any)["text"].(string)
	m := regexp.MustCompile(`visitors went ([0-9.]+)% / ([0-9.]+)% instead of the planned 90% / 10%`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("verdict %q", text)
	}
	if got, _ := strconv.ParseFloat(m[1], 64); got < 15 || got > 25 {
		t.Errorf("verdict quotes %s%% for the original, want about 20%% (the visitors since the change): %q", m[1], text)
	}
	_, body = c.get("/experiments?status=running")
	wantContains(t, body, "verdict-srm")
	_, body = c.get("/experiments/" + broken.ID + "/results")
	wantContains(t, body, "The traffic split is broken", "Since the split changed on", ", visitors were split")
}

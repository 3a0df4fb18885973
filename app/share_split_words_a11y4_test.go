package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"copylab/experiments"
)

// TestShareSplitChangedWords: the "split changed" banner sends the team
// to the experiment's History, which a share link's reader cannot open:
// on the share page, and its live fragment, it says that the team's
// History tells what changed instead.
func TestShareSplitChangedWords(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	ctx := context.Background()
	x := e.experiment(site.ID, "Rebalanced", "Original", "New")
	x = e.transition(x.ID, "start")
	e.setCounts(x, [2]int64{1000, 50}, [2]int64{1000, 52})
	x.Variants[0].WeightBP, x.Variants[1].WeightBP = 6000, 4000
	if _, err := e.store.UpdateExperiment(experiments.WithActor(ctx, "ann@example.com"), x); err != nil {
		t.Fatal(err)
	}
	changed := time.Now().AddDate(0, 0, -1).UTC()
	if _, err := e.store.Writer().Exec(`update experiments set split_changed_at = ? where id = ?`, changed.UnixMilli(), x.ID); err != nil {
		t.Fatal(err)
	}
	x, err := e.store.Experiment(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	const team, share = "See the experiment’s History for what changed.", "The team’s History of the experiment says what changed."
	for _, tc := range []struct {
		name, path  string
		want, avoid string
	}{
		{"team page", "/experiments/" + x.ID + "/results", team, share},
		{"share page", "/r/" + x.ShareToken, share, team},
		{"share fragment", "/r/" + x.ShareToken + "/live", share, team},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.get(tc.path)
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, "The split changed during the test", ". "+tc.want)
			wantNotContains(t, body, tc.avoid)
		})
	}
}

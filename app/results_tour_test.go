package app

import (
	"testing"
	"time"

	"copylab/experiments"
)

// seedTourResults gives the browser tour's demo experiment two weeks of
// history, so its results page shows what a real test looks like: a
// verdict, charts over days, and segments where the new copy does better in
// the US and India and worse in the UK. The experiment is backdated to the
// first day.
func seedTourResults(t *testing.T, s *experiments.Store, site experiments.Site, e experiments.Experiment) {
	t.Helper()
	start := time.Now().UTC().AddDate(0, 0, -13).Truncate(24 * time.Hour)
	bulkResults(t, s, site, e, bulkSpec{Events: 240_000, Start: start, Days: 13, Seed: 11,
		Rates:  map[string]float64{"control": 0.080, "b": 0.086, "c": 0.081},
		Effect: lovedInUSAndIndia})
	if _, err := s.Writer().Exec(`update experiments set started_at = ? where id = ?`, start.UnixMilli(), e.ID); err != nil {
		t.Fatal(err)
	}
	// Its history too, so that the page agrees with itself.
	if _, err := s.Writer().Exec(`update experiment_history set at = ? where experiment_id = ?`, start.UnixMilli(), e.ID); err != nil {
		t.Fatal(err)
	}
}

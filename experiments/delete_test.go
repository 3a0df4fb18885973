package experiments_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"copylab/experiments"
)

// TestDeleteExperiment: deleting takes the experiment's events (more than
// one chunk of them), visitors and counts, and nothing of another
// experiment; a running one is refused and keeps everything.
func TestDeleteExperiment(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	ctx := context.Background()
	other := evAddExperiment(t, f.s, f.site.ID, experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, true)
	// 2,600 exposures in 52 requests to each experiment, then 2,600 more
	// visitors of the deleted one with an exposure and a conversion: 7,800
	// events to delete (four chunks of 2,000) and 2,652 visitor rows (two).
	const visitors = 2600
	for i := 0; i < visitors; i += 50 {
		for _, x := range []string{f.exp.ID, other.ID} {
			var evs []ev
			for j := i; j < i+50; j++ {
				evs = append(evs, evExposure(x, "b"))
			}
			if _, err := in.Ingest(ctx, evBody(f.site.Key, fmt.Sprintf("v%d", i), false, evs...), evMeta(evBaseTime)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := 0; i < visitors; i++ {
		body := evBody(f.site.Key, fmt.Sprintf("w%d", i), false, evExposure(f.exp.ID, "b"), evConversion(f.exp.ID, "signup"))
		if _, err := in.Ingest(ctx, body, evMeta(evBaseTime)); err != nil {
			t.Fatal(err)
		}
	}
	count := func(table, x string) int {
		t.Helper()
		var n int
		if err := f.s.Reader().QueryRow(`select count(*) from `+table+` where experiment_id = ?`, x).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tables := []string{"events", "experiment_visitors", "variant_counts", "variant_days", "variants", "variant_segments"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = count(tb, other.ID)
		if count(tb, f.exp.ID) == 0 {
			t.Fatalf("no %s rows to delete", tb)
		}
	}
	wantEvents := count("events", f.exp.ID)

	if _, err := f.s.DeleteExperiment(ctx, f.exp.ID); !isState(err, "experiment_running") {
		t.Fatalf("delete a running experiment: %v, want experiment_running", err)
	}
	if n := count("events", f.exp.ID); n != wantEvents {
		t.Fatalf("a refused delete took events: %d of %d left", n, wantEvents)
	}
	if _, err := f.s.Transition(ctx, f.exp.ID, experiments.ActionStop); err != nil {
		t.Fatal(err)
	}
	n, err := f.s.DeleteExperiment(ctx, f.exp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(wantEvents) {
		t.Errorf("deleted %d events, want %d", n, wantEvents)
	}
	for _, tb := range tables {
		if got := count(tb, f.exp.ID); got != 0 {
			t.Errorf("%s: %d rows of the deleted experiment left", tb, got)
		}
		if got := count(tb, other.ID); got != before[tb] {
			t.Errorf("%s: the other experiment has %d rows, had %d", tb, got, before[tb])
		}
	}
	if _, err := f.s.Experiment(ctx, f.exp.ID); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the experiment after delete: %v, want not found", err)
	}
	if _, err := f.s.DeleteExperiment(ctx, f.exp.ID); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("delete twice: %v, want not found", err)
	}
	var ok string
	if err := f.s.Reader().QueryRow(`pragma integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check %q %v", ok, err)
	}
}

func isState(err error, code string) bool {
	var se *experiments.StateError
	return errors.As(err, &se) && se.Code == code
}

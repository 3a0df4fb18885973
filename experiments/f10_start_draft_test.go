package experiments_test

import (
	"context"
	"errors"
	"testing"

	"copylab/experiments"
)

// TestF10StartDraft: StartDraft starts a draft as Transition's start
// does, but refuses a paused test (experiment_paused) and leaves it
// paused, with no history line, where Transition's start resumes it. A
// running or stopped test is refused as Transition refuses its start.
func TestF10StartDraft(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before []string // actions done first, with Transition
		code   string   // the refusal's code, "" for a start
		want   experiments.Status
	}{
		{"draft", nil, "", experiments.StatusRunning},
		{"paused", []string{experiments.ActionStart, experiments.ActionPause}, "experiment_paused", experiments.StatusPaused},
		{"running", []string{experiments.ActionStart}, "invalid_transition", experiments.StatusRunning},
		{"stopped", []string{experiments.ActionStart, experiments.ActionStop}, "experiment_stopped", experiments.StatusStopped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t)
			ctx := context.Background()
			x, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range tc.before {
				if _, err := s.Transition(ctx, x.ID, a); err != nil {
					t.Fatalf("%s: %v", a, err)
				}
			}
			before, err := s.History(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}

			got, refused := s.StartDraft(ctx, x.ID)
			var se *experiments.StateError
			switch {
			case tc.code == "" && refused != nil:
				t.Fatalf("StartDraft: %v", refused)
			case tc.code == "" && got.Status != tc.want:
				t.Fatalf("StartDraft: status %q, want %q", got.Status, tc.want)
			case tc.code != "" && (!errors.As(refused, &se) || se.Code != tc.code):
				t.Fatalf("StartDraft: %v, want a StateError %s", refused, tc.code)
			}
			cur, err := s.Experiment(ctx, x.ID)
			if err != nil || cur.Status != tc.want {
				t.Fatalf("status %q (%v), want %q", cur.Status, err, tc.want)
			}
			after, err := s.History(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.code == "" && (len(after) != len(before)+1 || after[0].Action != experiments.ChangeStarted):
				t.Errorf("history %+v, want a new started line", after)
			case tc.code != "" && len(after) != len(before):
				t.Errorf("history %+v, want no new line", after)
			}
			if tc.code == "" || tc.code == "experiment_paused" {
				return
			}
			// Any other refusal is Transition's own, word for word.
			_, terr := s.Transition(ctx, x.ID, experiments.ActionStart)
			if terr == nil || terr.Error() != refused.Error() {
				t.Errorf("StartDraft refused %q, Transition %v", refused, terr)
			}
		})
	}
}

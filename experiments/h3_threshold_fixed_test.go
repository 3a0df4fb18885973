package experiments_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"copylab/experiments"
)

// TestThresholdFixedInStore: the store itself keeps a started test's
// practical threshold, whoever calls it: UpdateExperiment, UpdateDraft
// and PatchExperiment refuse another one on a running or paused test
// with experiment_started (ErrThresholdFixed), and save nothing of the
// change; a stopped test refuses every change (experiment_stopped). The
// same threshold is taken with the change it comes with, and a draft
// still changes it.
func TestThresholdFixedInStore(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site := mustSite(t, s)
	n := 0
	started := func(t *testing.T, actions ...string) experiments.Experiment {
		t.Helper()
		n++ // an element of its own: two running tests of one element spoil each other
		d := draft(site.ID)
		d.Selector = fmt.Sprintf(`[data-copylab="hero-%d"]`, n)
		x, err := s.CreateExperiment(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			if x, err = s.Transition(ctx, x.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		return x
	}
	updates := []struct {
		name   string
		update func(x experiments.Experiment, threshold float64) error
	}{
		{"UpdateExperiment", func(x experiments.Experiment, th float64) error {
			x.Name, x.Threshold = "Renamed", th
			_, err := s.UpdateExperiment(ctx, x)
			return err
		}},
		{"UpdateDraft", func(x experiments.Experiment, th float64) error {
			x.Name, x.Threshold = "Renamed", th
			_, err := s.UpdateDraft(ctx, x)
			return err
		}},
		{"PatchExperiment", func(x experiments.Experiment, th float64) error {
			_, err := s.PatchExperiment(ctx, x.ID, func(e *experiments.Experiment) error {
				e.Name, e.Threshold = "Renamed", th
				return nil
			})
			return err
		}},
	}
	for _, u := range updates {
		for _, tc := range []struct {
			name    string
			actions []string
			code    string
		}{
			{"running", []string{experiments.ActionStart}, "experiment_started"},
			{"paused", []string{experiments.ActionStart, experiments.ActionPause}, "experiment_started"},
			{"stopped", []string{experiments.ActionStart, experiments.ActionStop}, "experiment_stopped"},
		} {
			t.Run(u.name+"/"+tc.name, func(t *testing.T) {
				x := started(t, tc.actions...)
				err := u.update(x, 0.25)
				var se *experiments.StateError
				if !errors.As(err, &se) || se.Code != tc.code {
					t.Fatalf("another threshold: %v, want %s", err, tc.code)
				}
				if tc.code == "experiment_started" && !errors.Is(err, experiments.ErrThresholdFixed) {
					t.Errorf("%v is not ErrThresholdFixed", err)
				}
				got, err := s.Experiment(ctx, x.ID)
				if err != nil || got.Threshold != x.Threshold || got.Name != x.Name {
					t.Errorf("stored %v %q (%v), want %v %q", got.Threshold, got.Name, err, x.Threshold, x.Name)
				}
				if tc.code == "experiment_stopped" {
					return
				}
				if err := u.update(x, x.Threshold); err != nil {
					t.Fatalf("the same threshold: %v", err)
				}
				if got, _ := s.Experiment(ctx, x.ID); got.Name != "Renamed" || got.Threshold != x.Threshold {
					t.Errorf("with the same threshold: stored %v %q", got.Threshold, got.Name)
				}
			})
		}
		t.Run(u.name+"/draft", func(t *testing.T) {
			x := started(t)
			if err := u.update(x, 0.25); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Experiment(ctx, x.ID); got.Threshold != 0.25 {
				t.Errorf("a draft's threshold: %v", got.Threshold)
			}
		})
	}
}

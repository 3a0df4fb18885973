package experiments_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestStartDueStopPassed: a draft whose planned start and planned stop
// have both passed by the time StartDue looks (the server was down
// across both) is not started, which would have made StopDue stop it
// at once, an empty test: it stays a draft, both plans are cleared in
// the same transaction, and its history says why, as for Start's own
// refusals. A draft whose stop is still ahead starts as planned.
func TestStartDueStopPassed(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 3)
	in := draft(site.ID)
	in.StartsAt, in.StopsAt = day, day.AddDate(0, 0, 2)
	e, err := s.CreateExperiment(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	ahead := draft(site.ID)
	ahead.Name, ahead.Selector = "Still ahead", `[data-copylab="other"]`
	ahead.StartsAt, ahead.StopsAt = day, day.AddDate(0, 0, 30)
	a, err := s.CreateExperiment(ctx, ahead)
	if err != nil {
		t.Fatal(err)
	}

	now := in.StopsAt.Add(time.Hour)
	started, refused, err := s.StartDue(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(started) != 1 || started[0].ID != a.ID || started[0].Status != experiments.StatusRunning || !started[0].StopsAt.Equal(ahead.StopsAt) {
		t.Fatalf("started %s, want only %q running with its stop", h1Names(started), ahead.Name)
	}
	if len(refused) != 1 || refused[0].ID != e.ID {
		t.Fatalf("refused %s, want %q", h1Names(refused), in.Name)
	}
	got, err := s.Experiment(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != experiments.StatusDraft || !got.StartsAt.IsZero() || !got.StopsAt.IsZero() || !got.StartedAt.IsZero() {
		t.Fatalf("after StartDue: %s, starts at %v, stops at %v, started at %v", got.Status, got.StartsAt, got.StopsAt, got.StartedAt)
	}
	h, err := s.History(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := experiments.NotStartedPrefix + "Its planned stop, 00:00 UTC on " + in.StopsAt.Format("2 Jan 2006") + ", had already passed"
	if h[0].Action != experiments.ChangeNotStarted || !strings.HasPrefix(h[0].Detail, want) || h[0].Actor != "" {
		t.Fatalf("history line %+v, want %q…", h[0], want)
	}
	for _, c := range h {
		if c.Action == experiments.ChangeStarted || c.Action == experiments.ChangeStopped {
			t.Fatalf("history has %+v", c)
		}
	}

	// Nothing is left for either job, and the draft still starts by hand.
	if stopped, err := s.StopDue(ctx, now); err != nil || len(stopped) != 0 {
		t.Fatalf("StopDue stopped %d: %v", len(stopped), err)
	}
	if started, refused, err := s.StartDue(ctx, now.Add(time.Minute)); err != nil || len(started)+len(refused) != 0 {
		t.Fatalf("second StartDue: %+v %+v %v", started, refused, err)
	}
	if x, err := s.Transition(ctx, e.ID, experiments.ActionStart); err != nil || x.Status != experiments.StatusRunning {
		t.Fatalf("start by hand: %v %v", x.Status, err)
	}
}

// h1Names lists experiments by name, status and plans, for a failure.
func h1Names(xs []experiments.Experiment) string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Name+" ("+string(x.Status)+", starts "+x.StartsAt.String()+", stops "+x.StopsAt.String()+")")
	}
	return "[" + strings.Join(out, "; ") + "]"
}

package experiments_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"copylab/experiments"
)

// historyOf returns an experiment's history, oldest first, as
// "action|actor|detail" lines.
func historyOf(t *testing.T, s *experiments.Store, id string) []string {
	t.Helper()
	changes, err := s.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(changes))
	for i, ch := range changes {
		out[len(changes)-1-i] = ch.Action + "|" + ch.Actor + "|" + ch.Detail
	}
	return out
}

func wantHistory(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestHistory follows an experiment through its life: each change leaves
// one line, written with the change, naming who made it and what changed;
// a refused change and a save that changes nothing leave none.
func TestHistory(t *testing.T) {
	s := openStore(t)
	ana := experiments.WithActor(context.Background(), "ana@example.com")
	bot := experiments.WithActor(context.Background(), "ana@example.com (API)")
	site := mustSite(t, s)

	e, err := s.CreateExperiment(ana, draft(site.ID))
	if err != nil {
		t.Fatal(err)
	}
	// A draft can change anything.
	if _, err := s.UpdateVariant(bot, e.ID, "b", experiments.VariantPatch{Text: ptr("Pricing that scales")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteVariant(ana, e.ID, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateExperiment(ana, mustGet(t, s, e.ID)); err != nil { // nothing changes
		t.Fatal(err)
	}
	if _, err := s.Transition(ana, e.ID, experiments.ActionStop); err == nil {
		t.Fatal("stopping a draft worked")
	}
	if _, err := s.Transition(ana, e.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	// Started: the split and the traffic share can still change.
	cur := mustGet(t, s, e.ID)
	cur.CoverageBP = 5000
	cur.Name = "Pricing headline, half"
	experiments.Reweight(cur.Variants, 1, 3000)
	if _, err := s.UpdateExperiment(bot, cur); err != nil {
		t.Fatal(err)
	}
	cur.Variants[1].Text = "Another headline"
	if _, err := s.UpdateExperiment(ana, cur); err == nil {
		t.Fatal("a started experiment's copy changed")
	}
	for _, a := range []string{experiments.ActionPause, experiments.ActionStart} {
		if _, err := s.Transition(ana, e.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Ship(ana, e.ID, "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unship(context.Background(), e.ID); err != nil {
		t.Fatal(err)
	}
	// A second unship changes nothing, and records nothing.
	if _, err := s.Unship(ana, e.ID); err != nil {
		t.Fatal(err)
	}

	wantHistory(t, historyOf(t, s, e.ID),
		"created|ana@example.com|",
		"edited|ana@example.com (API)|Copy of Variant B changed to “Pricing that scales”.",
		"edited|ana@example.com|Removed Variant C. Split (original/B) now 50/50%.",
		"started|ana@example.com|",
		"edited|ana@example.com (API)|Renamed from “Pricing headline” to “Pricing headline, half”. Traffic share changed from 100% to 50%. Split (original/B) changed from 50/50% to 70/30%.",
		"paused|ana@example.com|",
		"resumed|ana@example.com|",
		"shipped|ana@example.com|Stopped the test; Variant B shown to every visitor: “Pricing that scales”.",
		"unshipped||Variant B no longer shown; the page shows its own copy.",
	)

	dup, err := s.DuplicateExperiment(ana, e.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantHistory(t, historyOf(t, s, dup.ID), "created|ana@example.com|Duplicated from “Pricing headline, half”.")

	if _, err := s.DeleteExperiment(ana, e.ID); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := s.Reader().QueryRow(`select count(*) from experiment_history where experiment_id = ?`, e.ID).Scan(&left); err != nil || left != 0 {
		t.Fatalf("a deleted experiment left %d history lines (%v)", left, err)
	}
}

// TestHistoryBackfill runs the backfill of migration 0009 on a database
// with experiments from before it: each gets the lines their timestamps
// tell, in order, and says so.
func TestHistoryBackfill(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	site := mustSite(t, s)
	u, err := s.CreateUser(ctx, "lea@example.com", "Lea", "x")
	if err != nil {
		t.Fatal(err)
	}
	in := draft(site.ID)
	in.CreatedBy = u.ID
	shipped, _ := s.CreateExperiment(ctx, in)
	s.Transition(ctx, shipped.ID, experiments.ActionStart)
	if _, err := s.Ship(ctx, shipped.ID, "c"); err != nil {
		t.Fatal(err)
	}
	drafted, _ := s.CreateExperiment(ctx, draft(site.ID))

	body, err := os.ReadFile("../data/migrations/0009_history.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, backfill, ok := strings.Cut(string(body), "-- Backfill")
	if !ok {
		t.Fatal("no backfill section in 0009")
	}
	if _, err := s.Writer().Exec(`delete from experiment_history; -- ` + backfill); err != nil {
		t.Fatal(err)
	}
	wantHistory(t, historyOf(t, s, shipped.ID),
		"created|lea@example.com|",
		"started||First started (recorded before copylab kept a history).",
		"stopped||Recorded before copylab kept a history.",
		"shipped||Variant C shown to every visitor (recorded before copylab kept a history).",
	)
	wantHistory(t, historyOf(t, s, drafted.ID), "created||")
}

func ptr[T any](v T) *T { return &v }

func mustGet(t *testing.T, s *experiments.Store, id string) experiments.Experiment {
	t.Helper()
	e, err := s.Experiment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRunChangesPastTheHistoryCap: the running-time count sees a test's
// start, pauses and resumes however many edits came after them, where the
// History card keeps only the newest MaxHistory lines.
func TestRunChangesPastTheHistoryCap(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	e, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{experiments.ActionStart, experiments.ActionPause, experiments.ActionResume} {
		if _, err := s.Transition(ctx, e.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	for i := range experiments.MaxHistory + 20 {
		x := mustGet(t, s, e.ID)
		x.CoverageBP = 5000 + i%2*1000
		if _, err := s.UpdateExperiment(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(historyOf(t, s, e.ID)); got != experiments.MaxHistory {
		t.Fatalf("History gave %d lines, want the newest %d", got, experiments.MaxHistory)
	}
	runs, err := s.RunChanges(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range runs {
		got = append(got, c.Action)
	}
	wantHistory(t, got, experiments.ChangeResumed, experiments.ChangePaused, experiments.ChangeStarted)
}

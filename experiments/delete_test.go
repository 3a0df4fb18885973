package experiments_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"copylab/experiments"
)

// deVariants are the variants of a deSetup experiment: four, so that its
// segments outgrow one chunk of the delete.
var deVariants = []string{"control", "b", "c", "d"}

// deSetup makes a site with a running experiment of four variants (goal:
// the event "signup") seen by visitors visitors (deSeed), plus sdExtras'
// rows, and a second running experiment on the same site.
func deSetup(t testing.TB, s *experiments.Store, in *experiments.Ingester, visitors int) (site experiments.Site, doomed, kept string) {
	t.Helper()
	ctx := context.Background()
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.CreateExperiment(ctx, experiments.Experiment{
		SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}, {Text: "Try it free"}, {Text: "Get going"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	deSeed(t, in, site.Key, x.ID, deVariants, visitors)
	sdExtras(t, s, in, site, x.ID)
	k := evAddExperiment(t, s, site.ID, experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, true)
	// The other experiment follows this one, as a follow-up test does
	// (Store.FollowUpExperiment, which would need x shipped): deleting x
	// leaves it, following none.
	if _, err := s.Writer().Exec(`update experiments set follows_id = ? where id = ?`, x.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	return site, x.ID, k.ID
}

// deSeed writes visitors visitors of experiment x straight through the
// writer (BulkIngest, so hundreds of thousands take seconds): each sees a
// variant, in turn, with a swap time, comes from one of 600 referrers and
// campaigns, converts and is recorded. So every table that grows with visitors grows with
// them: events (two each), experiment_visitors, recordings (one each) and
// variant_segments (MaxSegmentValues referrers and campaigns, and the
// overflow, per variant, once there are 2,400 visitors).
func deSeed(t testing.TB, in *experiments.Ingester, siteKey, x string, variants []string, visitors int) {
	t.Helper()
	const group = 20_000 // bodies built and written at once
	for from := 0; from < visitors; from += group {
		var bodies [][]byte
		for v := from; v < min(from+group, visitors); v++ {
			exp := evExposure(x, variants[v%len(variants)])
			src := v / len(variants) % 600
			exp.Ref, exp.UTM = fmt.Sprintf("https://r%d.example/", src), fmt.Sprintf("u%d", src)
			exp.MS = evPtr(float64(40 + v%200))
			rec := map[string]any{"id": evID(), "type": experiments.EventRecording, "experiment": x, "variant": exp.Variant,
				"recorder": "custom", "session": fmt.Sprintf("s%d", v), "url": "https://shop.example/"}
			body, err := json.Marshal(map[string]any{"site": siteKey, "visitor": fmt.Sprintf("d%d", v),
				"events": []map[string]any{exp.json(), evConversion(x, "signup").json(), rec}})
			if err != nil {
				t.Fatal(err)
			}
			bodies = append(bodies, body)
		}
		if err := in.BulkIngest(context.Background(), bodies, evMeta(evBaseTime), 5000); err != nil {
			t.Fatal(err)
		}
	}
}

// deExpRefs returns the references of sdRefs that point at experiments.
func deExpRefs(t testing.TB, s *experiments.Store) []sdRef {
	t.Helper()
	var out []sdRef
	for _, r := range sdRefs(t, s) {
		if r.to == "experiments" {
			out = append(out, r)
		}
	}
	return out
}

// TestDeleteExperiment: deleting an experiment of 6,000 visitors, each
// with two events, a visitor row, a recording, and 4,000 segment rows
// (each more than one chunk) leaves no row in any table that points at it,
// found from sqlite_master (sdRefs, as for DeleteSite), and takes nothing
// of another experiment; a running one is refused and keeps everything.
func TestDeleteExperiment(t *testing.T) {
	s := openStore(t)
	in := evNewIngester(t, s, experiments.IngestOptions{})
	ctx := context.Background()
	site, doomed, kept := deSetup(t, s, in, 6000)
	deSeed(t, in, site.Key, kept, []string{"control", "b"}, 300)
	sdExtras(t, s, in, site, kept)
	blog := sdSeed(t, s, in, "Blog", 1, 20, 1, true)
	refs := deExpRefs(t, s)
	counts := func(x ...string) map[sdRef]int { return sdCounts(t, s, refs, sdSite{exps: x}) }
	before := counts(doomed)
	keptBefore, blogBefore := counts(kept), counts(blog.exps...)
	for _, r := range refs {
		if before[r] == 0 {
			t.Errorf("%s.%s: no row of the experiment to delete; seed some, or the test proves nothing there", r.table, r.column)
		}
	}
	for _, tb := range []string{"events", "experiment_visitors", "recordings", "variant_segments"} {
		if n := before[sdRef{tb, "experiment_id", "experiments"}]; n <= 2000 {
			t.Errorf("%s: %d rows, not more than one chunk", tb, n)
		}
	}
	wantEvents := before[sdRef{"events", "experiment_id", "experiments"}]

	if _, err := s.DeleteExperiment(ctx, doomed); !isState(err, "experiment_running") {
		t.Fatalf("delete a running experiment: %v, want experiment_running", err)
	}
	for r, n := range counts(doomed) {
		if n != before[r] {
			t.Errorf("%s.%s: a refused delete left %d of %d rows", r.table, r.column, n, before[r])
		}
	}
	if _, err := s.Transition(ctx, doomed, experiments.ActionStop); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteExperiment(ctx, doomed)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(wantEvents) {
		t.Errorf("deleted %d events, want %d", n, wantEvents)
	}
	for r, n := range counts(doomed) {
		if n != 0 {
			t.Errorf("%s.%s: %d rows of the deleted experiment left", r.table, r.column, n)
		}
	}
	for _, o := range []struct {
		name   string
		before map[sdRef]int
		after  map[sdRef]int
	}{{"the other experiment", keptBefore, counts(kept)}, {"the other site's experiment", blogBefore, counts(blog.exps...)}} {
		for _, r := range refs {
			if o.after[r] != o.before[r] {
				t.Errorf("%s.%s: %s has %d rows, had %d", r.table, r.column, o.name, o.after[r], o.before[r])
			}
		}
	}
	if _, err := s.Experiment(ctx, doomed); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the experiment after delete: %v, want not found", err)
	}
	if _, err := s.DeleteExperiment(ctx, doomed); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("delete twice: %v, want not found", err)
	}
	sdDatabaseSound(t, s)
}

// deTraffic are the tables of an experiment that grow with its traffic.
var deTraffic = []string{"events", "experiment_visitors", "recordings", "variant_segments"}

// deState is what a batch of the events writer saw of the experiment being
// deleted: whether its row was there, and its rows in each deTraffic table.
type deState struct {
	there bool
	rows  []int
}

// deWatch makes every batch of in note, just before its commit, the
// committed state of experiment x: since the batch holds the writer, the
// state between two statements of a delete. It returns the notes so far.
func deWatch(t testing.TB, s *experiments.Store, in *experiments.Ingester, x string) func() []deState {
	t.Helper()
	var mu sync.Mutex
	var seen []deState
	q := `select exists (select 1 from experiments where id = ?1)`
	for _, tb := range deTraffic {
		q += fmt.Sprintf(`, (select count(*) from %s where experiment_id = ?1)`, tb)
	}
	in.SetTestFail(func() error {
		st := deState{rows: make([]int, len(deTraffic))}
		dst := []any{&st.there}
		for i := range st.rows {
			dst = append(dst, &st.rows[i])
		}
		if err := s.Reader().QueryRow(q, x).Scan(dst...); err != nil {
			return err
		}
		mu.Lock()
		seen = append(seen, st)
		mu.Unlock()
		return nil
	})
	t.Cleanup(func() { in.SetTestFail(nil) })
	return func() []deState {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// TestDeleteExperimentLetsIngestIn: while an experiment of 10,000 visitors
// is deleted, events for another experiment keep being written between
// the delete's statements, also between those that delete the per-visitor
// rows: the events writer's batches see each of experiment_visitors,
// recordings and variant_segments part deleted while the experiment's row
// is still there, which one cascading delete of them with the row would
// never show. None of the other events is refused or lost.
func TestDeleteExperimentLetsIngestIn(t *testing.T) {
	s := openStore(t)
	in := evNewIngester(t, s, experiments.IngestOptions{})
	ctx := context.Background()
	// Five chunks a table, four gaps between them for a batch to land in:
	// with three (6,000), a race run on a busy machine once saw none.
	site, doomed, kept := deSetup(t, s, in, 10000)
	if _, err := s.Transition(ctx, doomed, experiments.ActionStop); err != nil {
		t.Fatal(err)
	}
	keptEvents := func() int {
		var n int
		if err := s.Reader().QueryRow(`select count(*) from events where experiment_id = ?`, kept).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	keptBefore := keptEvents()
	seen := deWatch(t, s, in, doomed)
	stop := make(chan struct{})
	started, done := sdSend(t, in, site.Key, kept, 2, stop)
	<-started
	full := seen()[0]
	from := time.Now()
	events, err := s.DeleteExperiment(ctx, doomed)
	to := time.Now()
	close(stop)
	calls := done()
	if err != nil {
		t.Fatal(err)
	}
	if events != int64(full.rows[0]) {
		t.Errorf("deleted %d events, want %d", events, full.rows[0])
	}
	inside, worst := sdDuring(calls, from, to)
	t.Logf("delete %v; %d events of the other experiment written during it, the slowest in %v", to.Sub(from), inside, worst)
	for i, tb := range deTraffic {
		if full.rows[i] <= 2000 {
			t.Fatalf("%s: %d rows before the delete, not more than one chunk", tb, full.rows[i])
		}
		between := 0
		for _, st := range seen() {
			if st.there && st.rows[i] > 0 && st.rows[i] < full.rows[i] {
				between++
			}
		}
		if between == 0 {
			t.Errorf("%s: no batch of the events writer committed while part of the experiment's %d rows were deleted: they went in one statement", tb, full.rows[i])
		}
	}
	if n := keptEvents(); n != keptBefore+len(calls) {
		t.Errorf("the other experiment has %d events, want %d", n, keptBefore+len(calls))
	}
}

// TestDeleteExperimentStopsPausedTestFirst: deleting a paused experiment
// stops it before it takes any of its rows, so resuming it while it is
// being deleted is refused (experiment_stopped) and the delete finishes:
// nothing of it is left, and a paused test never runs again with part of
// its visitors gone.
func TestDeleteExperimentStopsPausedTestFirst(t *testing.T) {
	s := openStore(t)
	in := evNewIngester(t, s, experiments.IngestOptions{})
	ctx := context.Background()
	_, doomed, _ := deSetup(t, s, in, 6000)
	if _, err := s.Transition(ctx, doomed, experiments.ActionPause); err != nil {
		t.Fatal(err)
	}
	resumed := sdActOnceDeleting(t, s, `select count(*) from events where experiment_id = ?`, doomed, doomed, experiments.ActionResume)
	events, err := s.DeleteExperiment(ctx, doomed)
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if err := <-resumed; !isState(err, "experiment_stopped") && !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("resume during the delete: %v, want experiment_stopped (or not found, once gone)", err)
	}
	if events == 0 {
		t.Error("the delete took no events")
	}
	if _, err := s.Experiment(ctx, doomed); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the experiment after the delete: %v, want not found", err)
	}
}

// TestDeleteExperimentRefusedStopsNothing: a running experiment refuses
// the delete and stays running; a refusal changes nothing.
func TestDeleteExperimentRefusedStopsNothing(t *testing.T) {
	s := openStore(t)
	in := evNewIngester(t, s, experiments.IngestOptions{})
	ctx := context.Background()
	_, doomed, _ := deSetup(t, s, in, 10) // running
	if _, err := s.DeleteExperiment(ctx, doomed); !isState(err, "experiment_running") {
		t.Fatalf("delete: %v, want experiment_running", err)
	}
	if e, err := s.Experiment(ctx, doomed); err != nil || e.Status != experiments.StatusRunning {
		t.Errorf("after the refusal: %v %v, want running", e.Status, err)
	}
}

// BenchmarkDeleteExperiment deletes a stopped experiment of 200,000
// visitors (400,000 events, 200,000 recordings, 4,000 segment rows) while
// four senders keep sending events for another experiment, and reports
// the slowest of those events (max-ingest-ms): how long the delete held
// the writer at most.
//
//	go test ./experiments -run '^$' -bench DeleteExperiment -benchtime 1x -timeout 30m
func BenchmarkDeleteExperiment(b *testing.B) {
	for range b.N {
		b.StopTimer()
		s := openStore(b)
		in := experiments.NewIngester(s, experiments.IngestOptions{})
		ctx := context.Background()
		site, doomed, kept := deSetup(b, s, in, 200_000)
		if _, err := s.Transition(ctx, doomed, experiments.ActionStop); err != nil {
			b.Fatal(err)
		}
		stop := make(chan struct{})
		started, done := sdSend(b, in, site.Key, kept, 4, stop)
		<-started
		time.Sleep(100 * time.Millisecond)
		b.StartTimer()
		from := time.Now()
		if _, err := s.DeleteExperiment(ctx, doomed); err != nil {
			b.Fatal(err)
		}
		to := time.Now()
		b.StopTimer()
		close(stop)
		inside, worst := sdDuring(done(), from, to)
		b.ReportMetric(float64(worst)/float64(time.Millisecond), "max-ingest-ms")
		b.ReportMetric(float64(inside), "events-meanwhile")
		if err := in.Close(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func isState(err error, code string) bool {
	var se *experiments.StateError
	return errors.As(err, &se) && se.Code == code
}

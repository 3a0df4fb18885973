package experiments_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"copylab/experiments"
)

// inBatches queues calls in order while the writer is held, then lets it
// write them: it takes them in batches of at most the ingester's MaxBatch
// events, whole requests each. The writer is held by a batch of a copy of
// the first call, which then fails, leaving nothing behind. It returns how
// many requests each batch took.
func inBatches(t *testing.T, in *experiments.Ingester, calls []evCall) []int {
	t.Helper()
	var mu sync.Mutex
	var sizes []int
	in.SetBatchObserver(func(b experiments.BatchInfo) {
		mu.Lock()
		defer mu.Unlock()
		if b.Err == nil {
			sizes = append(sizes, b.Requests)
		}
	})
	defer in.SetBatchObserver(nil)
	var held atomic.Bool
	entered, release := make(chan struct{}), make(chan struct{})
	in.InjectFault(func() error {
		if held.CompareAndSwap(false, true) {
			entered <- struct{}{}
			<-release
			return errors.New("held, then dropped")
		}
		return nil
	})
	defer in.InjectFault(nil)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := in.Ingest(context.Background(), calls[0].body, calls[0].meta); err == nil {
			t.Error("the holding batch was committed")
		}
	}()
	<-entered
	for _, c := range calls {
		queued := in.QueuedEvents()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := in.Ingest(context.Background(), c.body, c.meta); err != nil {
				t.Errorf("ingest: %v", err)
			}
		}()
		waitFor(t, "the request to queue", func() bool { return in.QueuedEvents() > queued })
	}
	release <- struct{}{}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return sizes
}

// splitReq is one request of a scenario: its server time (milliseconds
// after evBaseTime), visitor, "bot" flag, user agent ("" for a person's
// browser) and events, for the experiment x.
type splitReq struct {
	ms      int
	visitor string
	bot     bool
	ua      string
	events  func(x string) []ev
}

// normalDump is derivedDump with the experiment's id replaced by "X", so
// that the dumps of two stores compare.
func normalDump(t *testing.T, s *experiments.Store, x string) map[string][]string {
	t.Helper()
	d := derivedDump(t, s.Reader())
	for table, rows := range d {
		for i, row := range rows {
			rows[i] = strings.ReplaceAll(row, x, "X")
		}
		d[table] = rows
	}
	return d
}

// splitRun ingests reqs into a new store, queued at once and written in
// batches of at most maxBatch events, and returns the store, its
// experiment and the batches' sizes in requests.
func splitRun(t *testing.T, reqs []splitReq, maxBatch int) (*experiments.Store, experiments.Experiment, []int) {
	t.Helper()
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{MaxBatch: maxBatch, Logger: slog.New(slog.DiscardHandler)})
	calls := make([]evCall, len(reqs))
	for i, r := range reqs {
		m := evAt(evBaseTime.Add(time.Duration(r.ms) * time.Millisecond))
		m.Country = "de"
		if r.ua != "" {
			m.UserAgent = r.ua
		}
		calls[i] = evCall{evBody(f.site.Key, r.visitor, r.bot, r.events(f.exp.ID)...), m}
	}
	sizes := inBatches(t, in, calls)
	return f.s, f.exp, sizes
}

// eventReasons returns each visitor's events as "type:reason" ("" counted),
// in the order stored.
func eventReasons(t *testing.T, s *experiments.Store) map[string][]string {
	t.Helper()
	rows, err := s.Reader().Query(`select visitor, type, ignored from events order by seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var visitor, typ, reason string
		if err := rows.Scan(&visitor, &typ, &reason); err != nil {
			t.Fatal(err)
		}
		out[visitor] = append(out[visitor], typ+":"+reason)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The writer counts events as if they had all come in one batch, however
// they were split into batches: events of one millisecond that come in
// several batches are counted as they are in one. (Exposures and bots'
// marks of a millisecond come before its other conversions, so a
// conversion that arrives before its visitor's exposure, second variant or
// bot's mark of the same millisecond is counted, or not, as if it had come
// after them.) Every split of the scenario, at every boundary between its
// requests, gives the same tables and stored reasons as one batch, and a
// recount of any of them changes nothing.
func TestIngestSameCountsHoweverBatched(t *testing.T) {
	conv := func(x string) []ev { return []ev{evConversion(x, "signup")} }
	expose := func(variants ...string) func(x string) []ev {
		return func(x string) []ev {
			var out []ev
			for _, v := range variants {
				out = append(out, evExposure(x, v))
			}
			return out
		}
	}
	unmatched := func(x string) []ev {
		e := evExposure(x, "b")
		e.Matched = evPtr(false)
		return []ev{e}
	}
	reqs := []splitReq{
		// Counted a millisecond before the one that matters.
		{ms: 0, visitor: "counted", events: expose("control")},
		{ms: 0, visitor: "flagged", events: expose("control")},
		{ms: 0, visitor: "crawled", events: expose("b")},
		// Millisecond 1: conversions first, then what decides them.
		{ms: 1, visitor: "two", events: conv},
		{ms: 1, visitor: "crawler", events: conv},
		{ms: 1, visitor: "marked", bot: true, events: conv},
		{ms: 1, visitor: "counted", events: conv},
		{ms: 1, visitor: "flagged", events: conv},
		{ms: 1, visitor: "twice", events: func(x string) []ev { return append(conv(x), conv(x)...) }},
		{ms: 1, visitor: "tie", events: conv},
		{ms: 1, visitor: "crawled", events: conv},
		{ms: 1, visitor: "two", events: expose("control", "b")},
		{ms: 1, visitor: "crawler", ua: evGooglebot, events: expose("control")},
		{ms: 1, visitor: "marked", events: expose("b")},
		{ms: 1, visitor: "counted", events: expose("b")},
		{ms: 1, visitor: "flagged", bot: true, events: conv},
		{ms: 1, visitor: "twice", events: expose("control")},
		{ms: 1, visitor: "tie", events: expose("b")},
		{ms: 1, visitor: "crawled", ua: evGooglebot, events: unmatched},
		{ms: 1, visitor: "two", events: conv},
		// Millisecond 2: a repeat, and a tie in another millisecond.
		{ms: 2, visitor: "tie", events: conv},
		{ms: 2, visitor: "late", events: conv},
		{ms: 2, visitor: "late", events: expose("control")},
	}
	events := 0
	prefix := make([]int, len(reqs)+1) // events in reqs[:i]
	for i, r := range reqs {
		events += len(r.events("x"))
		prefix[i+1] = events
	}

	s, x, sizes := splitRun(t, reqs, events)
	if !reflect.DeepEqual(sizes, []int{len(reqs)}) {
		t.Fatalf("one batch took batches of %v requests", sizes)
	}
	want := normalDump(t, s, x.ID)
	// What one batch makes of it, the rules at work.
	for visitor, reasons := range map[string][]string{
		"two":     {"conversion:multiple_variants", "exposure:", "exposure:multiple_variants", "conversion:multiple_variants"},
		"crawler": {"conversion:bot", "exposure:bot"},
		"marked":  {"conversion:bot", "exposure:bot"},
		"counted": {"exposure:", "conversion:multiple_variants", "exposure:multiple_variants"},
		"flagged": {"exposure:", "conversion:bot", "conversion:bot"},
		"twice":   {"conversion:", "conversion:already_converted", "exposure:"},
		"tie":     {"conversion:", "exposure:", "conversion:already_converted"},
		"crawled": {"exposure:", "conversion:bot", "exposure:bot"},
		"late":    {"conversion:", "exposure:"},
	} {
		if got := eventReasons(t, s)[visitor]; !reflect.DeepEqual(got, reasons) {
			t.Errorf("one batch: %s's events %q, want %q", visitor, got, reasons)
		}
	}
	if got := evPairs(evCounts(t, s, x)); !reflect.DeepEqual(got, map[string]evPair{"control": {2, 2}, "b": {1, 1}}) {
		t.Errorf("one batch: counts %v", got)
	}
	unchanged := func(t *testing.T, s *experiments.Store) {
		t.Helper()
		for _, r := range recount(t, s, experiments.RecountOptions{DryRun: true}) {
			if r.Changed() {
				t.Errorf("a recount would change it: %s", r)
			}
		}
	}
	unchanged(t, s)

	runs := []struct {
		name     string
		maxBatch int
		first    int // requests in the first batch
	}{{"a batch per request", 1, 1}}
	for k := 1; k < len(reqs); k++ {
		runs = append(runs, struct {
			name     string
			maxBatch int
			first    int
		}{fmt.Sprintf("split after request %d", k), prefix[k], k})
	}
	for _, run := range runs {
		t.Run(run.name, func(t *testing.T) {
			s, x, sizes := splitRun(t, reqs, run.maxBatch)
			if len(sizes) < 2 || sizes[0] != run.first {
				t.Fatalf("batches of %v requests, want %d first", sizes, run.first)
			}
			sameDump(t, normalDump(t, s, x.ID), want)
			unchanged(t, s)
		})
	}
}

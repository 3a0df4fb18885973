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

// segmentValues returns the values of a dimension that have a row of their
// own in variant_segments, counted or not (the overflow aside).
func segmentValues(t *testing.T, s *experiments.Store, dim string) []string {
	t.Helper()
	rows, err := s.Reader().Query(`select distinct value from variant_segments where dimension = ? and value != char(31)
		order by value`, dim)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Past MaxSegmentValues values of a dimension, the values that get a row of
// their own are those of the first visitors counted, in the order they were
// counted, whether or not they are still counted: the same however the
// events were split into batches, and a recount of the events gives them
// the same rows.
func TestSegmentValuesSameHoweverBatched(t *testing.T) {
	n := experiments.MaxSegmentValues + 40
	var reqs []splitReq
	for i := range n {
		visitor := fmt.Sprintf("s%03d", i)
		ref := fmt.Sprintf("https://r%03d.example/", i)
		reqs = append(reqs, splitReq{ms: i / 3, visitor: visitor, events: func(x string) []ev {
			e := evExposure(x, "control")
			e.Ref = ref
			return []ev{e}
		}})
		if i%7 == 0 {
			// Taken out again at once: their value keeps its row.
			reqs = append(reqs, splitReq{ms: i / 3, visitor: visitor, events: func(x string) []ev { return []ev{evExposure(x, "b")} }})
		}
	}

	s, x, sizes := splitRun(t, reqs, len(reqs))
	if len(sizes) != 1 {
		t.Fatalf("one batch took %d", len(sizes))
	}
	want := normalDump(t, s, x.ID)
	wantValues := segmentValues(t, s, experiments.DimReferrer)
	var first []string
	for i := range experiments.MaxSegmentValues {
		first = append(first, fmt.Sprintf("r%03d.example", i))
	}
	if !reflect.DeepEqual(wantValues, first) {
		t.Fatalf("one batch gave rows to %d values, %q…; want the first %d", len(wantValues), wantValues[:3], len(first))
	}

	for _, maxBatch := range []int{1, 50} {
		t.Run(fmt.Sprintf("batches of %d", maxBatch), func(t *testing.T) {
			s, x, _ := splitRun(t, reqs, maxBatch)
			sameDump(t, normalDump(t, s, x.ID), want)
			if got := segmentValues(t, s, experiments.DimReferrer); !reflect.DeepEqual(got, wantValues) {
				t.Errorf("values with a row differ from one batch's")
			}
		})
	}

	// A recount from the events alone gives the same rows.
	c := copyStore(t, s)
	wipeDerived(t, c)
	recount(t, c, experiments.RecountOptions{})
	sameDump(t, normalDump(t, c, x.ID), want)
	if got := segmentValues(t, c, experiments.DimReferrer); !reflect.DeepEqual(got, wantValues) {
		t.Errorf("recounted: values with a row differ from the writer's")
	}
}

// A recount keeps the values that have a row of their own, wherever they
// came from (an older copylab chose them by another order): it moves none
// in or out of the overflow.
func TestRecountKeepsSegmentValues(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	snd := sender{t: t, in: in, site: f.site.Key}
	n := experiments.MaxSegmentValues + 5
	for i := range n {
		e := evExposure(f.exp.ID, "control")
		e.UTM = fmt.Sprintf("u%03d", i)
		snd.send(evBaseTime.Add(time.Duration(i)*time.Millisecond), fmt.Sprintf("v%03d", i), false, "", e)
	}
	// As an older writer might have chosen: u500 has the row, u000 is in
	// the overflow.
	exec(t, f.s, `update variant_segments set value = 'u500' where dimension = 'utm_source' and value = 'u000'`)
	want := derivedDump(t, f.s.Reader())
	wantValues := segmentValues(t, f.s, experiments.DimUTMSource)

	for _, r := range recount(t, f.s, experiments.RecountOptions{}) {
		if r.Changed() {
			t.Errorf("the recount changed it: %s", r)
		}
	}
	sameDump(t, derivedDump(t, f.s.Reader()), want)
	if got := segmentValues(t, f.s, experiments.DimUTMSource); !reflect.DeepEqual(got, wantValues) {
		t.Errorf("values with a row: %d, want the %d that had one", len(got), len(wantValues))
	}
}

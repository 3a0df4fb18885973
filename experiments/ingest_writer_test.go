package experiments_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"copylab/experiments"
)

// TestIngestConcurrent sends many visitors' events from many goroutines,
// with resends, through small batches, and checks the exact counts. Each
// visitor's requests are sent in order by one goroutine, so the expected
// counts do not depend on how requests interleave.
func TestIngestConcurrent(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{MaxBatch: 50, MaxDelay: time.Millisecond})
	const visitors, workers = 600, 24
	x := f.exp.ID
	keys := []string{"control", "b"}
	var mu sync.Mutex
	var stored, duplicates int
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			send := func(b []byte) {
				res, err := in.Ingest(context.Background(), b, evMeta(evBaseTime))
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				stored += res.Stored
				duplicates += res.Duplicates
				mu.Unlock()
			}
			for i := w; i < visitors; i += workers {
				v, variant, other := fmt.Sprintf("visitor-%d", i), keys[i%2], keys[(i+1)%2]
				first := []ev{evExposure(x, variant), evExposure(x, variant)}
				if i%3 == 0 {
					first = append(first, evConversion(x, "signup"))
				}
				b := evBody(f.site.Key, v, false, first...)
				send(b)
				send(b) // a resend: all duplicates
				if i%10 == 0 {
					send(evBody(f.site.Key, v, false, evExposure(x, other)))
				} else if i%7 == 0 {
					send(evBody(f.site.Key, v, true, evConversion(x, "signup")))
				}
				if i%11 == 0 {
					send(evBody(f.site.Key, v, false, evConversion(x, "newsletter")))
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := map[string]evPair{"control": {}, "b": {}}
	var wantMultiple, wantBots int64
	wantEvents := 0
	for i := 0; i < visitors; i++ {
		wantEvents += 2
		if i%3 == 0 {
			wantEvents++
		}
		if i%10 == 0 || i%7 == 0 {
			wantEvents++
		}
		if i%11 == 0 {
			wantEvents++
		}
		switch {
		case i%10 == 0:
			wantMultiple++
		case i%7 == 0:
			wantBots++
		default:
			p := want[keys[i%2]]
			p.Exposures++
			if i%3 == 0 {
				p.Conversions++
			}
			want[keys[i%2]] = p
		}
	}
	if stored != wantEvents || duplicates != countFirst(visitors) {
		t.Errorf("stored %d, duplicates %d; want %d, %d", stored, duplicates, wantEvents, countFirst(visitors))
	}
	if n := evRows(t, f.s, "events"); n != wantEvents {
		t.Errorf("events rows = %d, want %d", n, wantEvents)
	}
	c := evCounts(t, f.s, f.exp)
	if got := evPairs(c); !reflect.DeepEqual(got, want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	if c.MultipleVariants != wantMultiple || c.Bots != wantBots {
		t.Errorf("excluded = %d, %d; want %d, %d", c.MultipleVariants, c.Bots, wantMultiple, wantBots)
	}
	var dayExposures, dayConversions int64
	for _, d := range c.Days {
		dayExposures += d.Exposures
		dayConversions += d.Conversions
	}
	if dayExposures != want["control"].Exposures+want["b"].Exposures || dayConversions != want["control"].Conversions+want["b"].Conversions {
		t.Errorf("days add up to %d/%d", dayExposures, dayConversions)
	}
}

// countFirst is the number of events in the visitors' first requests, which
// are each resent once.
func countFirst(visitors int) int {
	n := 0
	for i := 0; i < visitors; i++ {
		n += 2
		if i%3 == 0 {
			n++
		}
	}
	return n
}

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestIngestQueueFull(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{QueueSize: 10, MaxBatch: 10})
	x := f.exp.ID
	ten := func(visitor string) []byte {
		list := make([]ev, 10)
		for i := range list {
			list[i] = evExposure(x, "b")
		}
		return evBody(f.site.Key, visitor, false, list...)
	}
	// Warm the validation cache so the later requests need no reads.
	if _, err := in.Ingest(context.Background(), evBody(f.site.Key, "v0", false, evExposure(x, "b")), evMeta(evBaseTime)); err != nil {
		t.Fatal(err)
	}
	// The writer takes the first request and is held inside its batch
	// (SetTestFail runs there) … Its taking must be seen, not guessed:
	// the queue is just as empty before the request is queued, and a
	// second request sent while the first still waits is refused.
	entered, hold := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	in.SetTestFail(func() error {
		if first.CompareAndSwap(false, true) {
			close(entered)
			<-hold
		}
		return nil
	})
	var once sync.Once
	release := func() { once.Do(func() { close(hold) }) }
	t.Cleanup(release) // before the ingester's Close, which waits for the writer
	results := make(chan error, 2)
	go func() { _, err := in.Ingest(context.Background(), ten("v1"), evMeta(evBaseTime)); results <- err }()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the writer did not take the first request")
	}
	// … the second fills the queue …
	go func() { _, err := in.Ingest(context.Background(), ten("v2"), evMeta(evBaseTime)); results <- err }()
	waitFor(t, "the queue to fill", func() bool { return in.QueuedEvents() == 10 })
	// … and the third is turned away at once.
	_, err := in.Ingest(context.Background(), evBody(f.site.Key, "v3", false, evExposure(x, "b")), evMeta(evBaseTime))
	var ie *experiments.IngestError
	if !errors.As(err, &ie) || ie.Status != 503 || ie.Code != "queue_full" || ie.RetryAfter <= 0 {
		t.Fatalf("err = %v, want 503 queue_full with Retry-After", err)
	}
	release()
	for i := 0; i < 2; i++ {
		if err := <-results; err != nil {
			t.Fatalf("queued request: %v", err)
		}
	}
	if n := evRows(t, f.s, "events"); n != 21 {
		t.Fatalf("events = %d, want 21", n)
	}
}

func TestIngestWriterFailure(t *testing.T) {
	for _, mode := range []string{"error", "panic"} {
		t.Run(mode, func(t *testing.T) {
			f := evNewFixture(t)
			// The five requests of two events fill one batch exactly; the
			// writer waits for all of them, however slow the machine.
			in := evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: 10 * time.Second, MaxBatch: 10,
				Logger: slog.New(slog.DiscardHandler)})
			x := f.exp.ID
			var calls int
			in.SetTestFail(func() error {
				calls++
				if mode == "panic" {
					panic("disk on fire")
				}
				return errors.New("disk on fire")
			})
			const n = 5
			bodies := make([][]byte, n)
			for i := range bodies {
				bodies[i] = evBody(f.site.Key, fmt.Sprintf("v%d", i), false, evExposure(x, "b"), evConversion(x, "signup"))
			}
			sendAll := func() []error {
				errs := make(chan error, n)
				for _, b := range bodies {
					go func() {
						res, err := in.Ingest(context.Background(), b, evMeta(evBaseTime))
						if err == nil && res.Stored != 2 {
							err = fmt.Errorf("result %+v, want 2 stored", res)
						}
						errs <- err
					}()
				}
				out := make([]error, n)
				for i := range out {
					out[i] = <-errs
				}
				return out
			}
			for _, err := range sendAll() {
				var ie *experiments.IngestError
				if !errors.As(err, &ie) || ie.Status != 503 || ie.Code != "write_failed" || ie.RetryAfter <= 0 {
					t.Fatalf("err = %v, want 503 write_failed", err)
				}
			}
			if calls != 1 {
				t.Errorf("the requests went through %d batches, want 1", calls)
			}
			for _, table := range []string{"events", "experiment_visitors", "variant_counts", "variant_days"} {
				if m := evRows(t, f.s, table); m != 0 {
					t.Errorf("%s has %d rows after a failed batch", table, m)
				}
			}
			// The writer goes on, and the failed events can be sent again.
			in.SetTestFail(nil)
			for _, err := range sendAll() {
				if err != nil {
					t.Fatalf("resend after the failure: %v", err)
				}
			}
			if got := evPairs(evCounts(t, f.s, f.exp))["b"]; got != (evPair{n, n}) {
				t.Fatalf("counts after the failure = %+v", got)
			}
		})
	}
}

func TestIngestClose(t *testing.T) {
	f := evNewFixture(t)
	// The writer would wait 10 s for a fuller batch; Close must not.
	in := experiments.NewIngester(f.s, experiments.IngestOptions{MaxDelay: 10 * time.Second})
	x := f.exp.ID
	const n = 20
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			_, err := in.Ingest(context.Background(), evBody(f.site.Key, fmt.Sprintf("v%d", i), false, evExposure(x, "b")), evMeta(evBaseTime))
			errs <- err
		}(i)
	}
	waitFor(t, "the requests to queue", func() bool { return in.QueuedEvents() == n })
	start := time.Now()
	if err := in.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Close took %v", d)
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("request queued before Close: %v", err)
		}
	}
	if got := evPairs(evCounts(t, f.s, f.exp))["b"]; got.Exposures != n {
		t.Fatalf("exposures after Close = %d, want %d", got.Exposures, n)
	}
	_, err := in.Ingest(context.Background(), evBody(f.site.Key, "late", false, evExposure(x, "b")), evMeta(evBaseTime))
	var ie *experiments.IngestError
	if !errors.As(err, &ie) || ie.Status != 503 || ie.Code != "shutting_down" {
		t.Fatalf("after Close: %v, want 503 shutting_down", err)
	}
	if err := in.Close(context.Background()); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

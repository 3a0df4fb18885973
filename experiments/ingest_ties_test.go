package experiments_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"copylab/experiments"
)

// evCall is one request to send: its body and what the HTTP layer says.
type evCall struct {
	body []byte
	meta experiments.RequestMeta
}

// inOneBatch sends hold, then the other requests so that the writer takes
// them in one batch, in order: hold's batch waits inside its transaction
// until they are all queued. It returns the results of the others.
func inOneBatch(t *testing.T, in *experiments.Ingester, hold evCall, reqs ...evCall) []experiments.IngestResult {
	t.Helper()
	var armed atomic.Bool
	armed.Store(true)
	entered, release := make(chan struct{}), make(chan struct{})
	in.InjectFault(func() error {
		if armed.CompareAndSwap(true, false) {
			entered <- struct{}{}
			<-release
		}
		return nil
	})
	defer in.InjectFault(nil)
	var wg sync.WaitGroup
	send := func(c evCall, res *experiments.IngestResult) {
		defer wg.Done()
		r, err := in.Ingest(context.Background(), c.body, c.meta)
		if err != nil {
			t.Errorf("ingest: %v", err)
		}
		*res = r
	}
	var held experiments.IngestResult
	wg.Add(1)
	go send(hold, &held)
	<-entered
	before := in.Stats().Batches
	results := make([]experiments.IngestResult, len(reqs))
	for i, r := range reqs {
		queued := in.QueuedEvents()
		wg.Add(1)
		go send(r, &results[i])
		waitFor(t, "the request to queue", func() bool { return in.QueuedEvents() > queued })
	}
	release <- struct{}{}
	wg.Wait()
	// The holder's batch was not over when before was read.
	if n := in.Stats().Batches - before - 1; n != 1 {
		t.Fatalf("the requests took %d batches, want 1", n)
	}
	return results
}

// evIgnored returns the stored reason of each event ("" counted), in the
// order stored.
func evIgnored(t *testing.T, s *experiments.Store) []string {
	t.Helper()
	rows, err := s.Reader().Query(`select ignored from events order by seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A conversion counts at or after the visitor's first exposure in server
// time (statistics.md): one in the same millisecond as the exposure counts
// though it came first, whether the two came in one request, in two
// requests of one batch, or in two batches; one a millisecond earlier does
// not.
func TestIngestConversionInTheExposuresMillisecond(t *testing.T) {
	noExposure := experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{"no_exposure"}, ReasonCounts: []int{1}}
	counted := experiments.IngestResult{Stored: 1}
	tests := []struct {
		name      string
		oneBatch  bool
		gap       time.Duration // from the conversion to the exposure
		convs     int           // conversions before the exposure
		want      evPair        // b's counts
		wantConv  experiments.IngestResult
		wantStore []string // stored reasons: the conversions, then the exposure
	}{
		{"one batch, same millisecond", true, 0, 1, evPair{1, 1}, counted, []string{"", ""}},
		{"one batch, two conversions", true, 0, 2, evPair{1, 1},
			experiments.IngestResult{Stored: 1}, []string{"", "already_converted", ""}},
		{"one batch, a millisecond earlier", true, time.Millisecond, 1, evPair{1, 0}, noExposure, []string{"no_exposure", ""}},
		// The conversion's batch commits, and its request is answered,
		// before the exposure comes: the answer cannot know, the counts do.
		{"two batches, same millisecond", false, 0, 1, evPair{1, 1}, noExposure, []string{"", ""}},
		{"two batches, two conversions", false, 0, 2, evPair{1, 1}, noExposure, []string{"", "already_converted", ""}},
		{"two batches, a millisecond earlier", false, time.Millisecond, 1, evPair{1, 0}, noExposure, []string{"no_exposure", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{})
			x := f.exp.ID
			convAt := evBaseTime.Add(time.Hour)
			var bodies [][]byte
			for range tt.convs {
				bodies = append(bodies, evBody(f.site.Key, "v1", false, evConversion(x, "signup")))
			}
			exposure := evBody(f.site.Key, "v1", false, evExposure(x, "b"))
			var results []experiments.IngestResult
			if tt.oneBatch {
				// Another visitor, a minute earlier, holds the writer.
				hold := evCall{evBody(f.site.Key, "holder", false, evExposure(x, "control")), evAt(convAt.Add(-time.Minute))}
				var reqs []evCall
				for _, b := range bodies {
					reqs = append(reqs, evCall{b, evAt(convAt)})
				}
				results = inOneBatch(t, in, hold, append(reqs, evCall{exposure, evAt(convAt.Add(tt.gap))})...)
			} else {
				for _, b := range bodies {
					results = append(results, evSend(t, in, b, convAt, ""))
				}
				results = append(results, evSend(t, in, exposure, convAt.Add(tt.gap), ""))
			}
			if !reflect.DeepEqual(results[0], tt.wantConv) {
				t.Errorf("first conversion's result %+v, want %+v", results[0], tt.wantConv)
			}
			if last := results[len(results)-1]; !reflect.DeepEqual(last, counted) {
				t.Errorf("exposure's result %+v, want %+v", last, counted)
			}
			c := evCounts(t, f.s, f.exp)
			if got := evPairs(c)["b"]; got != tt.want {
				t.Errorf("b counts %v, want %v", got, tt.want)
			}
			stored := evIgnored(t, f.s)
			if tt.oneBatch {
				stored = stored[1:] // the holder's exposure
			}
			if !reflect.DeepEqual(stored, tt.wantStore) {
				t.Errorf("stored reasons %q, want %q", stored, tt.wantStore)
			}
			if tt.want.Conversions == 1 {
				wantDays := []experiments.DayCounts{{Day: "2025-03-10", Key: "control", Exposures: btoi(tt.oneBatch)},
					{Day: "2025-03-10", Key: "b", Exposures: 1, Conversions: 1}}
				if !reflect.DeepEqual(c.Days, wantDays) {
					t.Errorf("days = %+v, want %+v", c.Days, wantDays)
				}
				var segConv int64
				dims, err := f.s.Segments(context.Background(), f.exp, 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range dims[0].Values {
					for _, a := range v.Arms {
						if a.Key == "b" {
							segConv += a.Conversions
						}
					}
				}
				if segConv != 1 {
					t.Errorf("segments count %d conversions in b, want 1", segConv)
				}
			}
		})
	}
}

func btoi(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// A batch that fails keeps what earlier, committed batches carried: a
// conversion answered no_exposure still counts when its exposure comes in
// the same millisecond after the failure (requests of one millisecond can
// span several batches), whether the batch that failed was another
// visitor's or held that very exposure, which had counted the conversion
// before it was rolled back.
func TestIngestTiesOutliveAFailedBatch(t *testing.T) {
	for _, failing := range []string{"other", "v1"} {
		t.Run("the failed batch is "+failing+"'s", func(t *testing.T) {
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
			x := f.exp.ID
			at := evBaseTime.Add(time.Hour)
			evSend(t, in, evBody(f.site.Key, "v1", false, evConversion(x, "signup")), at, "")

			var failed atomic.Bool
			in.InjectFault(func() error {
				if failed.CompareAndSwap(false, true) {
					return errors.New("disk trouble")
				}
				return nil
			})
			exposure := evBody(f.site.Key, failing, false, evExposure(x, "b"))
			if _, err := in.Ingest(context.Background(), exposure, evAt(at)); err == nil {
				t.Fatal("the faulty batch was acknowledged")
			}
			in.InjectFault(nil)

			evSend(t, in, evBody(f.site.Key, "v1", false, evExposure(x, "b")), at, "")
			if got := evPairs(evCounts(t, f.s, f.exp))["b"]; got != (evPair{1, 1}) {
				t.Errorf("b counts %v, want the exposure and its conversion of the same millisecond", got)
			}
			if got := evIgnored(t, f.s); !reflect.DeepEqual(got, []string{"", ""}) {
				t.Errorf("stored reasons %q, want the conversion and the exposure counted", got)
			}
		})
	}
}

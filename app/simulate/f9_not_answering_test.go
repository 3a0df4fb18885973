package simulate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// goneAfter serves, on 127.0.0.1, a site's config and the events
// endpoint, which accepts n requests and then goes away, as a copylab
// stopped mid-run: every later request fails to connect.
func goneAfter(t *testing.T, n int64) string {
	t.Helper()
	var posts atomic.Int64
	var once sync.Once
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /s/k.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"site":"k","experiments":[{"id":"x","seed":"s","coverage_bp":10000,"goal":{"type":"click"},` +
			`"variants":[{"key":"control","weight_bp":5000},{"key":"b","weight_bp":5000}]}]}`))
	})
	mux.HandleFunc("POST /e", func(w http.ResponseWriter, r *http.Request) {
		if posts.Add(1) > n {
			once.Do(func() { go srv.Close() })
			http.Error(w, "gone", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRunStopsWhenCopylabStopsAnswering: when copylab goes away mid-run
// and every request fails to connect for Options.GiveUp, Run stops the
// run early with a *NotAnsweringError and the report of what it sent.
// It used to go on failing until its context ended (--timeout, 10
// minutes by default): 75,390 "connection refused" and no word till then.
// Requests the stop itself interrupts are named so, not as network
// errors. GiveUp < 0 never stops.
func TestRunStopsWhenCopylabStopsAnswering(t *testing.T) {
	for _, tt := range []struct {
		name   string
		client *http.Client
	}{
		{"fasthttp", nil},
		{"net/http", &http.Client{Timeout: 5 * time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := goneAfter(t, 30)
			ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
			defer cancel()
			t0 := time.Now()
			rep, err := Run(ctx, Options{URL: base, Site: "k", Experiment: "x", Visitors: 100000, Concurrency: 4,
				Rates: map[string]float64{"control": 0.1, "b": 0.1}, Seed: 1, GiveUp: 300 * time.Millisecond, Client: tt.client})
			took := time.Since(t0)
			var down *NotAnsweringError
			if !errors.As(err, &down) {
				t.Fatalf("Run after %s: %v, want a *NotAnsweringError", took, err)
			}
			if took > 5*time.Second {
				t.Errorf("stopped after %s, want soon after 300ms without an answer", took)
			}
			if down.For != 300*time.Millisecond || down.Failures < 1 {
				t.Errorf("error %+v, want For 300ms and its failures", down)
			}
			if rep.Requests < 20 || rep.Started == 0 || rep.Started >= rep.Visitors || rep.Visitors != 100000 {
				t.Errorf("report: %d requests acknowledged, %d of %d visitors started; want the run's part before it stopped",
					rep.Requests, rep.Started, rep.Visitors)
			}
			if rep.Failures["network error"] > 0 || rep.Failed() == 0 {
				t.Errorf("failures %v, want them named by cause, interrupted ones as such", rep.Failures)
			}
			if s := rep.String(); !strings.HasPrefix(s, "visitors "+strconv.Itoa(rep.Started)+" of 100000 (") {
				t.Errorf("report does not say how many visitors of those asked were sent:\n%s", s)
			}
		})
	}

	t.Run("never", func(t *testing.T) {
		base := goneAfter(t, 10)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		rep, err := Run(ctx, Options{URL: base, Site: "k", Experiment: "x", Visitors: 100000, Concurrency: 2,
			Rates: map[string]float64{"control": 0.1}, Seed: 1, GiveUp: -1})
		if !errors.Is(err, context.DeadlineExceeded) || rep.Failed() == 0 {
			t.Fatalf("Run: %v with %d failures, want it to go on failing until the context ends", err, rep.Failed())
		}
	})
}

// TestRunGoesOnWhileCopylabAnswers: answers of any kind, refusals
// included, show that copylab is there, so a run whose requests are
// refused is not stopped as if it did not answer.
func TestRunGoesOnWhileCopylabAnswers(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /s/k.json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"site":"k","experiments":[{"id":"x","seed":"s","coverage_bp":10000,"goal":{"type":"click"},` +
			`"variants":[{"key":"control","weight_bp":5000},{"key":"b","weight_bp":5000}]}]}`))
	})
	mux.HandleFunc("POST /e", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.Header().Set("X-Copylab", "rejected: bad_request: no")
		w.WriteHeader(http.StatusBadRequest)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	rep, err := Run(context.Background(), Options{URL: srv.URL, Site: "k", Experiment: "x", Visitors: 40, Concurrency: 2,
		Rates: map[string]float64{"control": 0.1, "b": 0.1}, Seed: 1, GiveUp: 10 * time.Millisecond})
	if err != nil || rep.Failures["400 bad_request"] != 40 || rep.Started != 40 {
		t.Fatalf("Run: %v, failures %v, started %d; want all 40 sent and refused", err, rep.Failures, rep.Started)
	}
	if s := rep.String(); !strings.HasPrefix(s, "visitors 40 (") {
		t.Errorf("a whole run's report names the visitors alone:\n%s", s)
	}
}

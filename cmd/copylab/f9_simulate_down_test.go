package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// stoppableCopylab serves, on 127.0.0.1 until the test ends, a site's config
// (key k, running experiment x) and an events endpoint that events
// answers. It returns the base URL and a function that stops the server
// for good, as a copylab killed mid-run: every later request fails to
// connect.
func stoppableCopylab(t *testing.T, events http.HandlerFunc) (string, func()) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /s/k.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"site":"k","experiments":[{"id":"x","seed":"s","coverage_bp":10000,"goal":{"type":"click"},` +
			`"variants":[{"key":"control","weight_bp":5000},{"key":"b","weight_bp":5000}]}]}`))
	})
	mux.HandleFunc("POST /e", events)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	var once sync.Once
	return srv.URL, func() { once.Do(func() { go srv.Close() }) }
}

// goneAfterEvents is a stoppableCopylab whose events endpoint accepts n
// requests, then goes away.
func goneAfterEvents(t *testing.T, n int64) string {
	t.Helper()
	var posts atomic.Int64
	var stop func()
	base, stop := stoppableCopylab(t, func(w http.ResponseWriter, r *http.Request) {
		if posts.Add(1) > n {
			stop()
			http.Error(w, "gone", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return base
}

// TestSimulateSaysCopylabStoppedAnswering: copylab killed and left down
// mid-run. simulate used to go on failing every visitor until --timeout
// (10 minutes by default), then blame the timeout ("Give it more time
// with --timeout"). Now, once copylab has answered nothing for
// --give-up, it stops, prints the report of what was sent, and says that
// copylab stopped answering (exit 1); and a run that --timeout (or a
// signal) ends while its requests fail to connect says that too, not to
// give it more time.
func TestSimulateSaysCopylabStoppedAnswering(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want []string // in the error, in this order
	}{
		{"given up", []string{"--give-up", "300ms", "--timeout", "30s"},
			[]string{"simulate: copylab at BASE stopped answering: it answered none of the requests for 300ms",
				"so the run stopped early (the report above counts what was sent). Check that it still runs, and what its log says; " +
					"--give-up (COPYLAB_GIVE_UP) sets how long to wait for an answer."}},
		{"the timeout ends it first", []string{"--give-up", "0", "--timeout", "1500ms"},
			[]string{"simulate: --timeout 1.5s ended the run before all its traffic was sent, and ", " requests failed after retries",
				"copylab at BASE stopped answering. Check that it still runs, and what its log says."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := goneAfterEvents(t, 40)
			t0 := time.Now()
			stdout, _, err := runCmd(t, env(nil), "", append([]string{"simulate", "--url", base, "--site", "k", "--experiment", "x",
				"--rates", "control=0.1,b=0.1", "--visitors", "100000", "--concurrency", "4"}, tt.args...)...)
			if took := time.Since(t0); took > 10*time.Second {
				t.Errorf("took %s", took)
			}
			if err == nil {
				t.Fatalf("no error; printed\n%s", stdout)
			}
			var code bytes.Buffer
			if exitMessage(&code, err) != 1 {
				t.Errorf("exit status not 1: %v", err)
			}
			msg := err.Error()
			at := 0
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "BASE", base)
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("error\n%s\nlacks, in order,\n%s", msg, w)
				}
				at += i + len(w)
			}
			if strings.Contains(msg, "Give it more time") {
				t.Errorf("the error blames the timeout:\n%s", msg)
			}
			if !strings.HasPrefix(stdout, "visitors ") || !strings.Contains(stdout, " of 100000 (outside the test") ||
				!strings.Contains(stdout, "connection refused") {
				t.Errorf("report does not say how far it got and why requests failed:\n%s", stdout)
			}
		})
	}
}

// TestSimulateInterruptedPrintsItsReport: a run stopped by a signal (here
// in a crawl against a copylab whose disk is full, answering 503 with
// Retry-After) prints the report of what it sent, acknowledged and
// failed, then says what stopped it and why the requests failed. It used
// to end with Go's "context canceled" alone.
func TestSimulateInterruptedPrintsItsReport(t *testing.T) {
	var posts atomic.Int64
	base, _ := stoppableCopylab(t, func(w http.ResponseWriter, r *http.Request) {
		if posts.Add(1) <= 10 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-Copylab", "rejected: storage_full: copylab has no space left to store events")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	time.AfterFunc(1500*time.Millisecond, func() { cancel(errors.New("interrupt signal received")) })
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"simulate", "--url", base, "--site", "k", "--experiment", "x", "--rates", "control=0.1,b=0.1",
		"--visitors", "100000", "--concurrency", "4"}, strings.NewReader(""), &stdout, &stderr, env(nil))
	if err == nil {
		t.Fatalf("no error; printed\n%s", stdout.String())
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "visitors ") || !strings.Contains(out, " of 100000 (outside the test") ||
		!strings.Contains(out, "503 storage_full") {
		t.Errorf("no report of what was sent and why it failed:\n%s", out)
	}
	msg := err.Error()
	for _, w := range []string{"simulate: the run was stopped (interrupt signal received) before all its traffic was sent",
		"copylab has no space left to store them (storage_full)"} {
		if !strings.Contains(msg, w) {
			t.Errorf("error\n%s\nlacks\n%s", msg, w)
		}
	}
	if strings.Contains(msg, "context canceled") {
		t.Errorf("error names Go's context:\n%s", msg)
	}
}

// TestSimulateGiveUpFlag: --give-up is in the help, with its twin and
// default, and refuses a negative wait.
func TestSimulateGiveUpFlag(t *testing.T) {
	help, _, err := runCmd(t, env(nil), "", "simulate", "--help")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(help, "--give-up") || !strings.Contains(help, "COPYLAB_GIVE_UP") || !strings.Contains(help, "10s") {
		t.Errorf("simulate --help does not describe --give-up:\n%s", help)
	}
	_, _, err = runCmd(t, env(nil), "", "simulate", "--site", "k", "--experiment", "x", "--rates", "control=0.1", "--give-up", "-1s")
	if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "--give-up (COPYLAB_GIVE_UP) -1s: use 0 (never) or more, such as 10s") {
		t.Errorf("a negative --give-up: %v", err)
	}
}

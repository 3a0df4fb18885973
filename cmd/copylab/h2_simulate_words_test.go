package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeCopylab serves, until the test ends, what simulate reads of a
// copylab: the site "k"'s config, with one running experiment "x" of the
// variants control and b; events answered by events; and results that
// never grow. It returns its base URL.
func fakeCopylab(t *testing.T, config time.Duration, events http.HandlerFunc) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /s/k.json", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(config):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"site":"k","experiments":[{"id":"x","seed":"s","coverage_bp":10000,"goal":{"type":"click"},` +
			`"variants":[{"key":"control","weight_bp":5000},{"key":"b","weight_bp":5000}]}]}`))
	})
	if events != nil {
		mux.HandleFunc("POST /e", events)
	}
	mux.HandleFunc("GET /api/v1/experiments/x/results", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"variants":[{"key":"control","exposures":0,"conversions":0},{"key":"b","exposures":0,"conversions":0}]}`))
	})
	srv := httptest.NewServer(mux) // on 127.0.0.1
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestSimulateRuntimeWords: what goes wrong while simulate runs (not a
// mistake on its command line) is said in one line that says what
// happened and what to do, naming each flag with its variable, as serve
// words its mistakes: never a bare count of failed requests, nor a flag
// alone. A load test of the tag that got no answer at all prints no
// report of zeros, as a visitors' run that sent nothing does not.
func TestSimulateRuntimeWords(t *testing.T) {
	real, _ := simulateServer(t, func(d simulateDB) { d.site("Shop", "shop.example") })
	ok := fakeCopylab(t, 0, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	limited := fakeCopylab(t, 0, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	broken := fakeCopylab(t, 0, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	slowConfig := fakeCopylab(t, 5*time.Second, nil)
	slowEvents := fakeCopylab(t, 0, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		w.WriteHeader(http.StatusAccepted)
	})
	visitors := func(base string, more ...string) []string {
		return append([]string{"simulate", "--url", base, "--site", "k", "--experiment", "x", "--rates", "control=0.5,b=0.5",
			"--concurrency", "2"}, more...)
	}

	for _, tt := range []struct {
		name   string
		args   []string
		report bool     // a report is printed before the error
		want   []string // the line starts with the first, holds the others
	}{
		{"the tag, nothing listening", []string{"simulate", "--url", "http://127.0.0.1:1", "--site", "k", "--snippet", "3"}, false,
			[]string{"simulate: cannot reach copylab at http://127.0.0.1:1: none of the 3 requests for the tag got an answer.",
				"is --url (COPYLAB_URL) its address?"}},
		{"the tag, a wrong site key", []string{"simulate", "--url", real, "--site", "nosuchkey12345", "--snippet", "3"}, false,
			[]string{`simulate: no site has the key "nosuchkey12345" at ` + real, "after /s/"}},
		{"events rate limited", visitors(limited, "--visitors", "2"), true,
			[]string{"simulate: 2 of the 2 requests failed after retries (the report above counts them by cause): copylab's rate limits refused them.",
				"--rate-ip 0", "--concurrency (COPYLAB_CONCURRENCY)"}},
		{"events failing", visitors(broken, "--visitors", "2"), true,
			[]string{"simulate: 2 of the 2 requests failed after retries", "copylab failed on them (HTTP 500). Its log says why."}},
		{"counts that do not grow", visitors(ok, "--visitors", "4", "--token", "cl_faketokenfaketokenfaketoken0123"), true,
			[]string{"simulate: the stored counts of experiment x did not grow by what copylab acknowledged (", "lost", "see copylab's log."}},
		{"time out before traffic", visitors(slowConfig, "--visitors", "2", "--timeout", "300ms"), false,
			[]string{"simulate: --timeout 300ms ran out before any traffic was sent: copylab at " + slowConfig + " did not answer in that time.",
				"--timeout (COPYLAB_TIMEOUT), such as 10m."}},
		{"time out during traffic", visitors(slowEvents, "--visitors", "200", "--timeout", "400ms"), true,
			[]string{"simulate: --timeout 400ms ended the run before all its traffic was sent (the report above counts what was).",
				"Give it more time with --timeout (COPYLAB_TIMEOUT), or send less with fewer --visitors (COPYLAB_VISITORS)."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, env(nil), "", tt.args...)
			if err == nil {
				t.Fatalf("no error; printed %q", stdout)
			}
			if _, usage := err.(usageError); usage {
				t.Errorf("a usage error (exit 2), want a failure (exit 1): %v", err)
			}
			if (stdout != "") != tt.report {
				t.Errorf("printed (want a report: %v):\n%s", tt.report, stdout)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.want[0]) || strings.Contains(msg, "\n") {
				t.Errorf("error\n%q\nwant one line starting\n%q", msg, tt.want[0])
			}
			for _, w := range tt.want[1:] {
				if !strings.Contains(msg, w) {
					t.Errorf("error\n%q\nlacks %q", msg, w)
				}
			}
		})
	}
}

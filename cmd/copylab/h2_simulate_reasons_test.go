package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestSimulateAdviceFollowsReason: when copylab answers 503, what
// simulate advises depends on the reason copylab gave (the code in its
// X-Copylab header): sending fewer at once helps a full queue, not a
// database that cannot be written. On a full disk every 503 was
// write_failed, yet simulate said copylab "was too busy" and advised
// --concurrency.
func TestSimulateAdviceFollowsReason(t *testing.T) {
	answer := func(header string) string {
		return fakeCopylab(t, 0, func(w http.ResponseWriter, r *http.Request) {
			if header != "" {
				w.Header().Set("X-Copylab", header)
			}
			w.WriteHeader(http.StatusServiceUnavailable)
		})
	}
	for _, tt := range []struct {
		name, header string
		report       string   // in the failures line of the report
		want         []string // in the error
		busy         bool     // the error advises --concurrency
	}{
		{"write failed", "rejected: write_failed: The events could not be saved; try again.", "503 write_failed 2",
			[]string{"could not write them to its database (write_failed)", "copylab's log"}, false},
		{"storage full", "rejected: storage_full: The disk is full.", "503 storage_full 2",
			[]string{"no space left to store them (storage_full)", "Free space"}, false},
		{"lookup failed", "rejected: lookup_failed: The site could not be read.", "503 lookup_failed 2",
			[]string{"could not read the site or the experiment from its database (lookup_failed)"}, false},
		{"shutting down", "rejected: shutting_down: copylab is stopping.", "503 shutting_down 2",
			[]string{"was shutting down (shutting_down)"}, false},
		{"queue full", "rejected: queue_full: Too many events are waiting; try again.", "503 queue_full 2",
			[]string{"too busy to take them (queue_full)"}, true},
		{"no reason", "", "503 2",
			[]string{"answered 503 without saying why", "a proxy in front of it"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := answer(tt.header)
			stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", "k", "--experiment", "x",
				"--rates", "control=0.5,b=0.5", "--concurrency", "2", "--visitors", "2", "--pageviews", "1")
			if err == nil {
				t.Fatalf("no error; printed %q", stdout)
			}
			if !strings.Contains(stdout, "failures 2 ("+tt.report+")") {
				t.Errorf("report lacks %q:\n%s", tt.report, stdout)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "simulate: 2 of the 2 requests failed after retries") {
				t.Errorf("error %q", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error\n%q\nlacks %q", msg, w)
				}
			}
			if busy := strings.Contains(msg, "--concurrency"); busy != tt.busy {
				t.Errorf("advises --concurrency: %v, want %v:\n%s", busy, tt.busy, msg)
			}
		})
	}
}

package views

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestFailedWaitFreeSentence: a failure whose sentence names the wait the
// model service asked for gives generate.js the sentence without it
// (data-wait-free), to show while it counts the wait down beside Try
// again and after, and marks a note that repeats the wait
// (data-said-wait), to hide; the page as served still says the wait, for
// a browser without the script. A failure with no wait of its own gives
// nothing.
func TestFailedWaitFreeSentence(t *testing.T) {
	tests := []struct {
		name     string
		job      GenerateJob
		free     string // data-wait-free, "" for none
		saidWait bool   // a note marked data-said-wait
	}{
		{
			name: "rate limited, wait named",
			job: GenerateJob{State: JobFailed, ErrorCode: "llm_rate_limited", RetryAfter: 90, TryAgainLeft: 85 * time.Second,
				Error: "The model service is rate limiting requests; wait 2 minutes and try again."},
			free: "The model service is rate limiting requests.",
		},
		{
			name: "rate limited after tries",
			job: GenerateJob{State: JobFailed, ErrorCode: "llm_rate_limited", RetryAfter: 120,
				Error: "The model service is rate limiting requests, and copylab tried 3 times; wait 2 minutes and try again."},
			free: "The model service is rate limiting requests, and copylab tried 3 times.",
		},
		{
			name: "a moment, and a note with the wait",
			job: GenerateJob{State: JobFailed, ErrorCode: "llm_rate_limited", RetryAfter: 7, TryAgainLeft: 5 * time.Second,
				Error: "The model service is rate limiting requests; wait a moment and try again."},
			free:     "The model service is rate limiting requests.",
			saidWait: true,
		},
		{
			name: "no wait",
			job:  GenerateJob{State: JobFailed, ErrorCode: "llm_unavailable", Error: "The model service is failing right now (HTTP 500); try again later."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := renderDoc(t, GenerationStatus(tt.job))
			flash := find(doc, byClass("flash-error"))
			if len(flash) != 1 {
				t.Fatalf("%d failure sentences", len(flash))
			}
			if got := text(flash[0]); got != tt.job.Error {
				t.Errorf("the page as served says %q, want %q", got, tt.job.Error)
			}
			free, ok := attr(flash[0], "data-wait-free")
			if free != tt.free || ok != (tt.free != "") {
				t.Errorf("data-wait-free = %q (%v), want %q", free, ok, tt.free)
			}
			said := find(doc, func(n *html.Node) bool { _, ok := attr(n, "data-said-wait"); return ok })
			if (len(said) > 0) != tt.saidWait {
				t.Errorf("%d notes marked data-said-wait, want %v", len(said), tt.saidWait)
			}
			for _, n := range said {
				if !strings.Contains(text(n), "wait") {
					t.Errorf("a note marked data-said-wait says no wait: %q", text(n))
				}
			}
		})
	}
}

package views

import (
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestFailureWaitOnlyWhileItLasts: a failure drawn while the wait the
// model service asked for lasts names it (for a page without
// JavaScript), and gives generate.js the sentence without it; drawn once
// the wait is over (or after a restart, which keeps no wait), it names
// none, and no note repeats it.
func TestFailureWaitOnlyWhileItLasts(t *testing.T) {
	const named = "The model service is rate limiting requests; wait 18 seconds and try again."
	const free = "The model service is rate limiting requests."
	tests := []struct {
		name     string
		left     time.Duration
		over     bool
		want     string
		waitFree bool
	}{
		{name: "while it lasts", left: 12 * time.Second, want: named, waitFree: true},
		{name: "once it is over", over: true, want: free},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := GenerateJob{State: JobFailed, ErrorCode: "llm_rate_limited", Error: named, RetryAfter: 18, TryAgainLeft: tt.left, WaitOver: tt.over}
			doc, _ := renderDoc(t, GenerationStatus(j))
			flash := find(doc, byClass("flash-error"))
			if len(flash) != 1 {
				t.Fatalf("%d failure sentences", len(flash))
			}
			if got := text(flash[0]); got != tt.want {
				t.Errorf("the failure says %q, want %q", got, tt.want)
			}
			if _, ok := attr(flash[0], "data-wait-free"); ok != tt.waitFree {
				t.Errorf("data-wait-free given: %v, want %v", ok, tt.waitFree)
			}
			said := find(doc, func(n *html.Node) bool { _, ok := attr(n, "data-said-wait"); return ok })
			if !tt.waitFree && len(said) > 0 {
				t.Errorf("a note repeats the wait after it is over: %q", text(said[0]))
			}
		})
	}
}

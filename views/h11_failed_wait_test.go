package views

import (
	"strings"
	"testing"
)

// TestFailedWaitSaidOnce: a failure whose sentence already names the
// wait the model service asked for ("wait 2 minutes and try again") is
// not followed by the same wait again; one that does not name it ("wait
// a moment") still is.
func TestFailedWaitSaidOnce(t *testing.T) {
	tests := []struct {
		name    string
		err     string
		wait    int
		want    string
		wantNot string
	}{
		{
			name:    "the sentence names the wait",
			err:     "The model service is rate limiting requests; wait 2 minutes and try again.",
			wait:    120,
			want:    "wait 2 minutes and try again.",
			wantNot: "before the next try",
		},
		{
			name: "the sentence does not name it",
			err:  "The model service is rate limiting requests; wait a moment and try again.",
			wait: 7,
			want: "The model service asked to wait 7 seconds before the next try.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, raw := renderDoc(t, GenerationStatus(GenerateJob{State: JobFailed, Error: tt.err, ErrorCode: "llm_rate_limited", RetryAfter: tt.wait}))
			raw = strings.ReplaceAll(raw, "&#39;", "'")
			if !strings.Contains(raw, tt.want) {
				t.Errorf("the failure lacks %q:\n%s", tt.want, raw)
			}
			if tt.wantNot != "" && strings.Contains(raw, tt.wantNot) {
				t.Errorf("the failure says %q:\n%s", tt.wantNot, raw)
			}
		})
	}
}

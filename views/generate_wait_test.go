package views

import "testing"

// The drafting page words a wait the same way wherever it says one: a
// failed set of drafts, a failed rewrite (worded by app with
// RetryAfterText), the progress's limits and the settings.
func TestWaitText(t *testing.T) {
	tests := []struct {
		name    string
		seconds int
		want    string
	}{
		{"none", 0, "a second"},
		{"one", 1, "a second"},
		{"seconds", 20, "20 seconds"},
		{"just under a minute and a half", 89, "89 seconds"},
		{"minutes, rounded up", 91, "2 minutes"},
		{"whole minutes", 180, "3 minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WaitText(tt.seconds); got != tt.want {
				t.Errorf("WaitText(%d) = %q, want %q", tt.seconds, got, tt.want)
			}
			want := "The model service asked to wait " + tt.want + " before the next try."
			if got := RetryAfterText(tt.seconds); got != want {
				t.Errorf("RetryAfterText(%d) = %q, want %q", tt.seconds, got, want)
			}
		})
	}
}

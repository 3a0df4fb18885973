package app

import (
	"math"
	"testing"
)

// A plan's duration in words, up to absurd traffic figures, which give no
// number at all rather than a negative one.
func TestAboutDuration(t *testing.T) {
	for days, want := range map[float64]string{
		0.5: "less than a day", 9: "about 9 days", 20: "about 3 weeks", 400: "about 14 months",
		3000: "about 9 years", 1e9: "more than 1,000 years", math.Inf(1): "more than 1,000 years",
	} {
		if got := aboutDuration(days); got != want {
			t.Errorf("aboutDuration(%v) = %q, want %q", days, got, want)
		}
	}
}

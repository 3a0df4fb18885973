package stats

import (
	"math"
	"strings"
	"testing"
)

func TestSampleSize(t *testing.T) {
	tests := []struct {
		name     string
		base     float64
		mde      float64
		want     int64
		tolerant bool
	}{
		// R: power.prop.test(p1 = 0.10, p2 = 0.11, power = 0.8) gives
		// n = 14750.79; the same formula by hand with p2 = 0.055 gives
		// 31233.44.
		{"10% from 10%", 0.10, 0.10, 14751, false},
		{"10% from 5%", 0.05, 0.10, 31234, false},
		{"negative mde is the same size", 0.10, -0.10, 14751, false},
		{"a lift past 100% plans for the drop", 0.95, 0.10, SampleSize(0.95, -0.10), false},
		{"no base rate", 0, 0.1, 0, false},
		{"no effect", 0.1, 0, 0, false},
		{"certain conversion", 1, 0.1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SampleSize(tt.base, tt.mde); got != tt.want {
				t.Errorf("SampleSize(%g, %g) = %d, want %d", tt.base, tt.mde, got, tt.want)
			}
		})
	}
	// Smaller effects and rarer conversions need more visitors.
	if !(SampleSize(0.1, 0.05) > SampleSize(0.1, 0.1) && SampleSize(0.01, 0.1) > SampleSize(0.1, 0.1)) {
		t.Error("sample size not monotone")
	}
}

func TestRunTime(t *testing.T) {
	near(t, "days", RunTime(14751, 2, 3000), 14751*2/3000.0, 1e-12)
	if d := RunTime(100, 2, 0); !math.IsInf(d, 1) {
		t.Errorf("no traffic: %v days", d)
	}
	tests := []struct {
		days float64
		want string
	}{
		{8.3, "at current traffic, about 9 days to detect a 10% lift"},
		{0.4, "at current traffic, less than a day to detect a 10% lift"},
		{1, "at current traffic, about 1 day to detect a 10% lift"},
		{20, "at current traffic, about 3 weeks to detect a 10% lift"},
		{100, "at current traffic, about 4 months to detect a 10% lift"},
		{3000, "at current traffic, about 9 years to detect a 10% lift"},
		{math.Inf(1), "no traffic yet, so no estimate of the time to detect a 10% lift"},
	}
	for _, tt := range tests {
		if got := DescribeRunTime(tt.days, 0.10); got != tt.want {
			t.Errorf("DescribeRunTime(%g) = %q, want %q", tt.days, got, tt.want)
		}
	}
	if got := DescribeRunTime(3, 0.05); !strings.Contains(got, "5% lift") {
		t.Errorf("mde not in %q", got)
	}
}

package experiments

import "testing"

func TestSwapBuckets(t *testing.T) {
	tests := []struct {
		ms     int64
		bucket int
		value  float64
	}{
		{0, 0, 0}, {99, 99, 99}, {100, 100, 104.5}, {109, 100, 104.5}, {999, 189, 994.5},
		{1000, 190, 1049.5}, {9999, 279, 9949.5}, {10_000, 280, 10_499.5}, {59_999, 329, 59_499.5},
		{60_000, 330, 60_000}, {3_600_000, 330, 60_000},
	}
	for _, tt := range tests {
		b := swapBucket(tt.ms)
		if b != tt.bucket || swapBucketValue(b) != tt.value {
			t.Errorf("swapBucket(%d) = %d (value %g), want %d (%g)", tt.ms, b, swapBucketValue(b), tt.bucket, tt.value)
		}
		if b < 0 || b >= swapBuckets {
			t.Errorf("swapBucket(%d) = %d, out of the table", tt.ms, b)
		}
	}
	// Every value stands within half its bucket's width, as VariantCounts
	// documents: exact below 100 ms, 5 ms below 1 s, 50 ms below 10 s,
	// 500 ms below 60 s.
	for ms := int64(0); ms < 60_000; ms++ {
		half := 0.0
		switch {
		case ms >= 10_000:
			half = 500
		case ms >= 1000:
			half = 50
		case ms >= 100:
			half = 5
		}
		v := swapBucketValue(swapBucket(ms))
		if d := v - float64(ms); d < -half || d > half {
			t.Fatalf("ms %d stands as %g", ms, v)
		}
	}
}

func TestHistMedian(t *testing.T) {
	hist := func(values ...int64) []int64 {
		h := make([]int64, swapBuckets)
		for _, v := range values {
			h[swapBucket(v)]++
		}
		return h
	}
	tests := []struct {
		name   string
		values []int64
		want   float64
	}{
		{"empty", nil, 0},
		{"one", []int64{42}, 42},
		{"odd", []int64{5, 1, 9}, 5},
		{"even", []int64{10, 20, 30, 40}, 25},
		{"wide buckets", []int64{150, 150, 150}, 154.5},
		{"outlier", []int64{12, 14, 16, 90_000}, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := histMedian(hist(tt.values...)); got != tt.want {
				t.Errorf("median = %g, want %g", got, tt.want)
			}
		})
	}
}

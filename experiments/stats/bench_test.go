package stats

import (
	"fmt"
	"testing"
)

// BenchmarkAnalyze measures the results page's statistics at 10^7 visitors
// per arm, the size the page must still answer quickly for.
func BenchmarkAnalyze(b *testing.B) {
	for _, k := range []int{2, 5, 10} {
		arms := make([]Arm, k)
		for i := range arms {
			arms[i] = Arm{
				Key:         fmt.Sprint(i),
				Exposures:   10000000 + int64(1000*i),
				Conversions: 500000 + int64(700*i),
				WeightBP:    10000 / k,
			}
		}
		b.Run(fmt.Sprintf("arms=%d", k), func(b *testing.B) {
			for b.Loop() {
				Analyze(arms, Options{})
			}
		})
	}
	// A harder layout: ten arms of very different sizes (none to 10^7),
	// so the merged panels must resolve several scales at once.
	sizes := []int64{10, 1000, 100000, 10000000, 0}
	mixed := make([]Arm, 10)
	for i := range mixed {
		n := sizes[i%len(sizes)]
		mixed[i] = Arm{Key: fmt.Sprint(i), Exposures: n, Conversions: n / int64(10+i), WeightBP: 1000}
	}
	b.Run("arms=10,mixed-sizes", func(b *testing.B) {
		for b.Loop() {
			Analyze(mixed, Options{})
		}
	})
}

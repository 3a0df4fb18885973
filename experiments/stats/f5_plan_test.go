package stats

import (
	"math"
	"testing"
)

// TestSampleSizeForComparisons: the plan splits its 5% significance
// between the comparisons with the original (Bonferroni), as the verdict
// adjusts its p-values for them (Holm), so a test of three variants plans
// for more visitors per variant than a test of one. Reference: Fleiss's
// formula (as in TestReferenceSampleSize) at α = 0.05/k, computed by hand
// in 60-digit decimals (mpmath): z₁₋₀.₀₅/₆ = 2.3939798, and for 10% from
// 10% with k = 3, n = (2.3939798·√(2·0.105·0.895) + 0.8416212·√(0.09 +
// 0.0979))² / 0.01² = 19675.3382096.
func TestSampleSizeForComparisons(t *testing.T) {
	for _, tt := range []struct {
		name        string
		base, mde   float64
		comparisons int
		exact       float64
	}{
		{"one comparison is SampleSize", 0.10, 0.10, 1, 14750.7904690},
		{"two comparisons", 0.10, 0.10, 2, 17863.4191306},
		{"three comparisons", 0.10, 0.10, 3, 19675.3382096},
		{"three comparisons from 5%", 0.05, 0.10, 3, 41660.4777443},
		{"ten comparisons", 0.02, 0.20, 10, 35802.9263496},
		{"no comparison is read as one", 0.10, 0.10, 0, 14750.7904690},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := SampleSizeFor(tt.base, tt.mde, tt.comparisons), int64(math.Ceil(tt.exact)); got != want {
				t.Errorf("SampleSizeFor(%g, %g, %d) = %d, want %d (⌈%.7f⌉)", tt.base, tt.mde, tt.comparisons, got, want, tt.exact)
			}
		})
	}
	if got, want := SampleSize(0.1, 0.1), SampleSizeFor(0.1, 0.1, 1); got != want {
		t.Errorf("SampleSize %d, SampleSizeFor one comparison %d", got, want)
	}
}

// TestDescribePlanBasis: the plan line says what the plan assumes, and,
// with several comparisons, the significance each is planned at.
func TestDescribePlanBasis(t *testing.T) {
	for _, tt := range []struct {
		comparisons int
		want        string
	}{
		{1, "The plan assumes 5% significance and 80% power."},
		{0, "The plan assumes 5% significance and 80% power."},
		{2, "The plan assumes 80% power and 5% significance split between the 2 comparisons with the original (2.5% each), as the verdict corrects for several comparisons."},
		{3, "The plan assumes 80% power and 5% significance split between the 3 comparisons with the original (1.67% each), as the verdict corrects for several comparisons."},
	} {
		if got := DescribePlanBasis(tt.comparisons); got != tt.want {
			t.Errorf("DescribePlanBasis(%d)\n %q\nwant\n %q", tt.comparisons, got, tt.want)
		}
	}
	near(t, "significance of 3", PlanSignificance(3), 0.05/3, 1e-15)
	near(t, "significance of 0", PlanSignificance(0), 0.05, 0)
}

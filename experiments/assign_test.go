package experiments_test

import (
	"encoding/json"
	"os"
	"testing"

	"copylab/experiments"
)

type assignmentVectors struct {
	Bucket []struct {
		Seed, Visitor string
		Bucket        int
	} `json:"bucket"`
	Assign []struct {
		Seed         string `json:"seed"`
		Visitor      string `json:"visitor"`
		WeightsBP    []int  `json:"weights_bp"`
		CoverageBP   int    `json:"coverage_bp"`
		VariantIndex int    `json:"variant_index"`
	} `json:"assign"`
}

// loadVectors reads the shared test vectors that the snippet passes too,
// from the repository's copy of the spec (docs/spec; spec_copy_test.go
// checks it against the shared one).
func loadVectors(t *testing.T) assignmentVectors {
	t.Helper()
	raw, err := os.ReadFile("../docs/spec/assignment_vectors.json")
	if err != nil {
		t.Fatalf("shared vectors: %v", err)
	}
	var v assignmentVectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("shared vectors: %v", err)
	}
	if len(v.Bucket) == 0 || len(v.Assign) == 0 {
		t.Fatal("shared vectors: empty")
	}
	return v
}

func TestBucketVectors(t *testing.T) {
	for _, c := range loadVectors(t).Bucket {
		if got := experiments.Bucket(c.Seed, c.Visitor); got != c.Bucket {
			t.Errorf("Bucket(%q, %q) = %d, want %d", c.Seed, c.Visitor, got, c.Bucket)
		}
	}
}

func TestAssignVectors(t *testing.T) {
	for _, c := range loadVectors(t).Assign {
		if got := experiments.Assign(c.Seed, c.Visitor, c.WeightsBP, c.CoverageBP); got != c.VariantIndex {
			t.Errorf("Assign(%q, %q, %v, %d) = %d, want %d", c.Seed, c.Visitor, c.WeightsBP, c.CoverageBP, got, c.VariantIndex)
		}
	}
}

func TestAssignCoverageIsSticky(t *testing.T) {
	weights := []int{3400, 3300, 3300}
	for i := 0; i < 2000; i++ {
		v := "visitor-" + string(rune('a'+i%26)) + string(rune('0'+i%10)) + string(rune(i))
		low := experiments.Assign("seed", v, weights, 2000)
		high := experiments.Assign("seed", v, weights, 10000)
		if low != -1 && low != high {
			t.Fatalf("visitor %q moved from %d to %d when coverage rose", v, low, high)
		}
		if high == -1 {
			t.Fatalf("visitor %q outside a full-coverage experiment", v)
		}
	}
}

package experiments_test

import (
	"encoding/json"
	"os"
	"testing"

	"copylab/experiments"
)

// pageMatchVector is one line of testdata/page_match_vectors.json. Want is
// what the tag does in Chromium (static/snippet's TestPageMatchVectors
// checks every vector there); path and query are written as the browser
// keeps them (location.pathname, and location.search without its "?").
type pageMatchVector struct {
	Pattern string `json:"pattern"`
	Path    string `json:"path"`
	Query   string `json:"query"`
	Want    bool   `json:"want"`
	Note    string `json:"note"`
}

func readPageMatchVectors(t testing.TB) []pageMatchVector {
	t.Helper()
	raw, err := os.ReadFile("testdata/page_match_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []pageMatchVector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	return vs
}

// TestMatchPageVectors: MatchPage answers every shared vector as the tag
// does.
func TestMatchPageVectors(t *testing.T) {
	for _, v := range readPageMatchVectors(t) {
		if got := experiments.MatchPage(v.Pattern, v.Path, v.Query); got != v.Want {
			t.Errorf("MatchPage(%q, %q, %q) = %v, want %v (%s)", v.Pattern, v.Path, v.Query, got, v.Want, v.Note)
		}
	}
}

// TestMatchPageVectorsAreStorable: every vector's pattern is one an
// experiment can hold as saved (valid, and as NormalizePage leaves it), so
// the vectors test the patterns the tag really gets. "" stands for a
// page-view goal's empty URL.
func TestMatchPageVectorsAreStorable(t *testing.T) {
	for _, v := range readPageMatchVectors(t) {
		if v.Pattern == "" {
			continue
		}
		if msg := experiments.PageError(v.Pattern); msg != "" {
			t.Errorf("pattern %q: %s", v.Pattern, msg)
		}
		if why := experiments.TextProblem(v.Pattern); why != "" {
			t.Errorf("pattern %q %s", v.Pattern, why)
		}
		if n := experiments.NormalizePage(v.Pattern); n != v.Pattern {
			t.Errorf("pattern %q is saved as %q", v.Pattern, n)
		}
	}
}

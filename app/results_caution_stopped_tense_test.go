package app

import (
	"strings"
	"testing"

	"copylab/experiments"
)

// TestResultsCautionStoppedTense: a clear-looking result of a test
// stopped early is cautioned in the past tense throughout. It said "the
// test ran for only 3 days and the smallest variant has 9,908 of …",
// then, in the plan, "the smallest variant had".
func TestResultsCautionStoppedTense(t *testing.T) {
	e, _, tok, x := startedWithCounts(t, [2]int64{10000, 500}, [2]int64{9908, 650})
	backdate(e, x, 3)
	e.transition(x.ID, experiments.ActionStop)

	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	caution, _ := out["caution"].(string)
	if !strings.Contains(caution, "the test ran for only 3 days") {
		t.Fatalf("caution %q: want the stopped test's early caution", caution)
	}
	if !strings.Contains(caution, "and the smallest variant had 9,908 of the roughly ") {
		t.Errorf("caution %q mixes tenses", caution)
	}
}

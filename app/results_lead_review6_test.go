package app

import (
	"strings"
	"testing"
)

// TestResultsLeadSaysWhoIsLeftOut: the line under the title says what
// the numbers do: a visitor who saw more than one variant is left out,
// not counted "in the variant they saw first".
func TestResultsLeadSaysWhoIsLeftOut(t *testing.T) {
	_, c, _, x := startedWithCounts(t, [2]int64{500, 50}, [2]int64{500, 60})
	_, body := c.get("/experiments/" + x.ID + "/results")
	lead := findAll(parseHTML(t, body), hasClass("lead"))
	if len(lead) == 0 {
		t.Fatal("no lead")
	}
	got := strings.Join(strings.Fields(textOf(lead[0])), " ")
	for _, want := range []string{"Each visitor counts once, in the one variant they saw", "visitors who saw more than one variant are left out, and so are bots"} {
		if !strings.Contains(got, want) {
			t.Errorf("lead %q does not say %q", got, want)
		}
	}
	if strings.Contains(got, "saw first") {
		t.Errorf("lead %q says visitors count in the variant they saw first", got)
	}
	wantNotContains(t, body, "in the variant they saw first")
}

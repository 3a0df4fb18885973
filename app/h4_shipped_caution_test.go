package app

import (
	"encoding/csv"
	"strings"
	"testing"
)

// TestShippedCautionGivesNoAdvice: a test shipped before it was old
// enough to call keeps its caution (the lead came early), but a shipped
// test is over for good with its copy showing to everyone, so neither the
// team's page nor the share page, the document or either results.csv
// tells anyone to run it again or that the team can.
func TestShippedCautionGivesNoAdvice(t *testing.T) {
	e, c, tok, x := startedWithCounts(t, [2]int64{100000, 5000}, [2]int64{100000, 6500})
	backdate(e, x, 2)
	shipTest(e, x)

	const want = "This looks clear, but the test ran for only 2 days. Results this early often shrink or flip, and weekday visitors differ from weekend ones: read this one with care."
	cautions := map[string]string{}
	anon := e.client()
	for _, p := range []struct {
		c    *client
		path string
	}{{c, "/experiments/" + x.ID + "/results"}, {anon, "/r/" + x.ShareToken}} {
		_, body := p.c.get(p.path)
		for _, b := range findAll(parseHTML(t, body), hasClass("banner-warn")) {
			if s := strings.Join(strings.Fields(textOf(b)), " "); strings.Contains(s, "Results this early") {
				cautions[p.path] = s
			}
		}
	}
	_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	cautions["document"], _ = doc["caution"].(string)
	for _, p := range []struct {
		c    *client
		path string
	}{{c, "/experiments/" + x.ID + "/results.csv"}, {anon, "/r/" + x.ShareToken + "/results.csv"}} {
		rows, err := csv.NewReader(strings.NewReader(readCSV(t, p.c, p.path))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		cautions[p.path] = rows[1][csvColumn(t, rows[0], "verdict_caution")]
	}
	if len(cautions) != 5 {
		t.Fatalf("cautions found: %q", cautions)
	}
	for path, got := range cautions {
		if !strings.HasSuffix(got, want) {
			t.Errorf("%s: caution %q, want it to end %q", path, got, want)
		}
		for _, advice := range []string{"run it again", "run the test again", "Duplicate", "The team can"} {
			if strings.Contains(got, advice) {
				t.Errorf("%s: caution %q says %q", path, got, advice)
			}
		}
	}
}

package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestBriefCurrentCopyHelp: the brief's Current copy help says what the
// box does (the drafts are written to beat it) and that the test's
// original is the experiment's own, which the box does not change.
func TestBriefCurrentCopyHelp(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	resp, body := c.get("/experiments/" + x.ID + "/generate")
	wantStatus(t, resp, http.StatusOK, body)
	page := strings.Join(strings.Fields(textOf(parseHTML(t, body))), " ")
	if strings.Contains(page, "the control every variant is measured against") {
		t.Errorf("the help still calls the box the control")
	}
	if want := "The text on the page today, exactly as visitors see it: the drafts are written to beat it. " +
		"The test compares them with the experiment’s Original, which changing this box does not change."; !strings.Contains(page, want) {
		t.Errorf("the page lacks %q", want)
	}
}

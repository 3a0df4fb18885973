package app

import (
	"strings"
	"testing"
)

// TestPageHelpPastedAddress: the Page field's help said a pasted URL
// keeps its path and query, from before the save left the tracking part
// of a pasted address out. It now says what a save does: the tracking
// part goes, any other query stays and limits the test.
func TestPageHelpPastedAddress(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	e.site("Shop")
	_, body := c.get("/experiments/new")
	wantContains(t, body, "A pasted URL keeps its path and leaves out its tracking part (utm_…, gclid and the like); any other query stays, and the test then runs only on pages that have it.")
	if strings.Contains(body, "delete the query unless") {
		t.Errorf("the help still asks to delete the query by hand")
	}
}

package app

import (
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestDraftingPageOfStartedTest: the drafting page of a test that has
// started said "This experiment is Running, so …", the status's badge
// label in the middle of a sentence, and sent the person to "Create a new
// experiment" from scratch, when Duplicate gives them a draft with the
// same page, element and goal in one press. Found by a browser review.
func TestDraftingPageOfStartedTest(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := e.experiment(site.ID, "Hero", "Old", "New")
	for _, tt := range []struct{ action, status string }{
		{experiments.ActionStart, "running"},
		{experiments.ActionPause, "paused"},
		{experiments.ActionStop, "stopped"},
	} {
		e.transition(x.ID, tt.action)
		resp, body := c.get("/experiments/" + x.ID + "/generate")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "This experiment is "+tt.status+", so its copy is fixed",
			`<form method="post" action="/experiments/`+x.ID+`/duplicate"`)
		wantNotContains(t, body, "Create a new experiment")
	}
}

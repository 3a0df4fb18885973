package app

import (
	"net/http"
	"testing"
)

// TestExperimentPageShowsID: copylab simulate --experiment and the API take
// an experiment's id, which the page showed nowhere but in the address bar
// (the site's page shows the site's key beside its name). Its Setup card
// now gives it, for drafts and started tests alike.
func TestExperimentPageShowsID(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	draft := e.experiment(site.ID, "Hero", "Buy now", "Start today")
	running := e.experimentOn(site.ID, "Pricing", "/pricing", "#title", "Plans", "Pick a plan")
	e.transition(running.ID, "start")
	for _, x := range []string{draft.ID, running.ID} {
		resp, body := c.get("/experiments/" + x)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `<dt>Id</dt><dd><code>`+x+`</code> <span class="muted small">for the API and copylab simulate</span></dd>`)
	}
}

package app

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"copylab/experiments"
)

// TestStartedEditNote: the page of a started test says what its edit
// form can still change, the planned stop included, and the form does
// change it: a stop set, moved and removed while the test runs.
func TestStartedEditNote(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.transition(e.experiment(site.ID, "Hero").ID, experiments.ActionStart)
	_, page := c.get("/experiments/" + x.ID)
	wantContains(t, page, "Started experiments can change their name, traffic share and split, and set, move or remove their planned stop")
	for _, day := range []string{h1Day(20).Format(time.DateOnly), h1Day(25).Format(time.DateOnly), ""} {
		resp, body := c.post("/experiments/"+x.ID+"/edit", h1Resend(t, c, x, url.Values{"stops_at": {day}}))
		wantStatus(t, resp, http.StatusSeeOther, body)
		if got := h1Stored(t, e, x.ID); formDay(got.StopsAt) != day {
			t.Fatalf("saved %q: stops at %v", day, got.StopsAt)
		}
	}
}

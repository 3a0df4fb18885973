package app

import (
	"context"
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestDraftFormPressedAgain: Back from the drafting page shows the New
// experiment form as it was filled in, and "Draft copy with AI" pressed
// there again saved a second experiment of the same name without a word.
// The second press now opens the draft the first one saved and says so,
// also when the form was changed meanwhile (the changes are not in it:
// Edit is the way). Another name is another experiment, and so is the
// same form in another browser (or after an hour).
func TestDraftFormPressedAgain(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	count := func() int {
		t.Helper()
		xs, err := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(xs)
	}
	x := saveDraftFirst(t, e, c, site.ID, "")

	// Back, and the same press again.
	c.get("/experiments/new")
	resp, body := c.post("/experiments", draftFirstForm(site.ID, "generate", "Project management for busy teams", ""))
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); loc != generateURL(x.ID) {
		t.Errorf("the second press went to %q, want the first draft's %q", loc, generateURL(x.ID))
	}
	if n := count(); n != 1 {
		t.Fatalf("%d experiments after the second press, want 1", n)
	}
	_, body = c.get(resp.Header.Get("Location"))
	if got, want := flashText(body), "“Hero” was saved from this form already, so no second experiment was made."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}

	// Changed on the way back: still the same draft, and the page says
	// the changes are not in it.
	c.get("/experiments/new")
	v := draftFirstForm(site.ID, "generate", "Project management for busy teams!", "")
	v.Set("page", "/pricing")
	resp, body = c.post("/experiments", v)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if n := count(); n != 1 {
		t.Fatalf("%d experiments after a changed form, want 1", n)
	}
	_, body = c.get(resp.Header.Get("Location"))
	if got, want := flashText(body), "“Hero” was saved from this form already, so no second experiment was made, and what you changed on the form since is not in it: change it with Edit on the experiment’s page. To make another experiment, give it another name."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}

	// Another name is another experiment.
	c.get("/experiments/new")
	v = draftFirstForm(site.ID, "generate", "Project management for busy teams", "")
	v.Set("name", "Hero, take two")
	resp, body = c.post("/experiments", v)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if n := count(); n != 2 {
		t.Errorf("%d experiments after a form with another name, want 2", n)
	}

	// A teammate's form, in another browser, saves their own.
	b := e.signIn("bob@example.com")
	b.get("/experiments/new")
	resp, body = b.post("/experiments", draftFirstForm(site.ID, "generate", "Project management for busy teams", ""))
	wantStatus(t, resp, http.StatusSeeOther, body)
	if n := count(); n != 3 {
		t.Errorf("%d experiments after another browser's form, want 3", n)
	}
}

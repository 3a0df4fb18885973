package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// saveDraftForm is the New experiment form filled in for "Save draft":
// everything a test needs to start.
func saveDraftForm(siteID string) url.Values {
	v := draftFirstForm(siteID, "save", "Project management for busy teams", "Ship projects on time, without the meetings")
	v.Set("page", "/")
	v.Set("selector", `[data-copylab="hero"]`)
	v.Set("goal_selector", "#signup")
	return v
}

// TestSaveDraftPressedAgain: "Save draft" on the New experiment form,
// then Back in the browser (which shows the form as it was filled in),
// then "Save draft" again made a second experiment of the same name. The
// second press now opens the draft the first one saved and says so, as
// "Draft copy with AI" pressed again does; either button pressed after
// the other does too. A form the save would refuse still shows why, and
// another name is another experiment.
func TestSaveDraftPressedAgain(t *testing.T) {
	tests := []struct {
		name        string
		first, then string // the ops pressed
		wantPath    func(id string) string
	}{
		{"save, then save", "save", "save", func(id string) string { return "/experiments/" + id }},
		{"draft with AI, then save", "generate", "save", func(id string) string { return "/experiments/" + id }},
		{"save, then draft with AI", "save", "generate", generateURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			site := e.site("Marketing")
			all := func() []experiments.Experiment {
				t.Helper()
				xs, err := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
				if err != nil {
					t.Fatal(err)
				}
				return xs
			}
			press := func(op string) *http.Response {
				t.Helper()
				c.get("/experiments/new")
				v := saveDraftForm(site.ID)
				v.Set("op", op)
				resp, body := c.post("/experiments", v)
				wantStatus(t, resp, http.StatusSeeOther, body)
				return resp
			}
			press(tt.first)
			first := all()
			if len(first) != 1 {
				t.Fatalf("%d experiments after the first press", len(first))
			}

			resp := press(tt.then)
			if n := len(all()); n != 1 {
				t.Fatalf("%d experiments after the second press, want 1", n)
			}
			if got, want := resp.Header.Get("Location"), tt.wantPath(first[0].ID); got != want {
				t.Errorf("the second press went to %q, want %q", got, want)
			}
			_, body := c.get(resp.Header.Get("Location"))
			if got, want := flashText(body), "“Hero” was saved from this form already, so no second experiment was made."; got != want {
				t.Errorf("flash %q, want %q", got, want)
			}

			// A form the save would refuse still says why, rather than
			// opening the draft saved already.
			c.get("/experiments/new")
			v := saveDraftForm(site.ID)
			v.Set("op", tt.then)
			v.Set("threshold", "0.1")
			resp, body = c.post("/experiments", v)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, body, "between 0.5% and 100%")

			// Another name is another experiment.
			c.get("/experiments/new")
			v = saveDraftForm(site.ID)
			v.Set("op", tt.then)
			v.Set("name", "Hero, take two")
			resp, body = c.post("/experiments", v)
			wantStatus(t, resp, http.StatusSeeOther, body)
			if n := len(all()); n != 2 {
				t.Errorf("%d experiments after a form with another name, want 2", n)
			}
		})
	}
}

package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestEditFormStraySpacesAreNoEdit: a model-written variant sent back with
// spaces around its copy, which the store trims, is not marked edited by
// hand; a real change still is.
func TestEditFormStraySpacesAreNoEdit(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		edited bool
	}{
		{"spaces and a line break around it", "  Plan less, ship more \r\n", false},
		{"a real change", "Plan less, ship much more", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			site := e.site("Marketing")
			x, err := e.store.CreateExperiment(context.Background(), experiments.Experiment{
				SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1", CoverageBP: 10000,
				Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
				Variants: []experiments.Variant{{Text: "Old"},
					{Text: "Plan less, ship more", Source: experiments.SourceModel, Model: "gpt-x", Angle: "speed", Rationale: "Short."}},
			})
			if err != nil {
				t.Fatal(err)
			}
			form := editFormOf(x)
			form.Set(variantKey(1, "text"), tt.text)
			c.get("/experiments/" + x.ID + "/edit")
			resp, body := c.post("/experiments/"+x.ID+"/edit", form)
			wantStatus(t, resp, http.StatusSeeOther, body)
			got, err := e.store.Experiment(context.Background(), x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v := got.Variants[1]; v.Edited != tt.edited || v.Source != experiments.SourceModel || v.Text != strings.TrimSpace(tt.text) {
				t.Errorf("stored %+v: want edited %v", v, tt.edited)
			}
			_, page := c.get("/experiments/" + x.ID)
			if strings.Contains(page, "drafted by AI, edited by hand") != tt.edited {
				t.Errorf("the page says edited by hand: %v, want %v", !tt.edited, tt.edited)
			}
		})
	}
}

package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPlanThresholdErrorDescribed: a refused practical threshold is marked
// invalid and its message is part of the field's description, its own
// error first and the help after, as every other field of the form does,
// so a screen reader reads why when the focus lands there. On a new
// experiment's form and on an edit.
func TestPlanThresholdErrorDescribed(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Old", "New")
	form := url.Values{"site_id": {site.ID}, "name": {"Pricing"}, "page": {"/pricing"}, "selector": {"h1"}, "goal_type": {"click"},
		"goal_selector": {"#buy"}, "coverage": {"100"},
		"variants[0].key": {"control"}, "variants[0].text": {"Old"}, "variants[0].weight": {"50"},
		"variants[1].key": {"b"}, "variants[1].text": {"New"}, "variants[1].weight": {"50"}}
	c.get("/experiments/new")
	for _, tt := range []struct {
		name, path, threshold, want string
	}{
		{"new, not a number", "/experiments", "abc", "Enter a percentage such as 10."},
		{"edit, out of range", "/experiments/" + x.ID + "/edit", "0", "between 0.5% and 100%"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form.Set("threshold", tt.threshold)
			resp, body := c.post(tt.path, form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			doc := parseHTML(t, body)
			field := find1(t, doc, "f-threshold")
			if got := attrOf(field, "aria-invalid"); got != "true" {
				t.Errorf("aria-invalid %q, want true", got)
			}
			ids := strings.Fields(attrOf(field, "aria-describedby"))
			if len(ids) != 2 || ids[0] != "f-threshold-error" || ids[1] != "f-threshold-help" {
				t.Fatalf("aria-describedby %q, want the error then the help", attrOf(field, "aria-describedby"))
			}
			if got := textOf(find1(t, doc, ids[0])); !strings.Contains(got, tt.want) {
				t.Errorf("the described error says %q, want %q", got, tt.want)
			}
		})
	}
}

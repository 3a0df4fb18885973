package app

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"copylab/experiments"
)

// briefRulesJSON is a saved brief for a headline with a must-say item,
// two must-not-say items and a max length, as the drafting page saves it.
const briefRulesJSON = `{"current_copy":"Project management for busy teams","element_kind":"headline",` +
	`"must_say":["teams"],"must_not_say":["best","guaranteed"],"max_length":60}`

// briefExperiment is a draft with the original and Variant B, both within
// the brief's rules, and brief saved with it ("" for none).
func briefExperiment(t *testing.T, e *env, siteID, brief string, texts ...string) experiments.Experiment {
	t.Helper()
	if len(texts) == 0 {
		texts = []string{"Project management for busy teams", "Plan every sprint with your teams"}
	}
	x := e.experiment(siteID, "Hero", texts...)
	if brief != "" {
		if err := e.store.SaveBrief(context.Background(), x.ID, brief); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.store.Experiment(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestEditFormHoldsTypedCopyToTheBrief: copy typed in the edit form of a
// draft drafted from a brief is held to the brief's rules, as the drafts
// the marketer edits on the drafting page are: a must-not-say word, a
// must-say item left out, the original again, a line break in a headline
// and copy over the brief's length are each refused beside the variant's
// box, in the drafting page's words with the variant's name, the typed
// text kept and nothing saved.
func TestEditFormHoldsTypedCopyToTheBrief(t *testing.T) {
	tests := []struct {
		name string
		row  int // 1 changes Variant B; 2 adds Variant C
		text string
		want string
	}{
		{"a banned word", 1, "The best kanban tool for teams",
			"Variant B uses “best”, which is on the brief's must-not-say list."},
		{"a must-say left out", 1, "Faster sprints, no matter what",
			"Variant B leaves out “teams”, which the brief's must-say list asks every draft to include."},
		{"the original and a period", 1, "Project management for busy teams.",
			"Variant B is the same as the original copy (“Project management for busy teams”) but for case, spacing or punctuation; change its words to test something new."},
		{"a line break in a headline", 1, "Plan every sprint\r\nwith your teams",
			"Variant B has a line break, which a headline cannot show: keep it on one line."},
		{"over the brief's length", 1, "Plan every single sprint and every release with all of your teams",
			"Variant B is 65 characters; the brief asks for at most 60. Shorten it."},
		{"a new row with a banned word", 2, "Guaranteed faster sprints for teams",
			"Variant C uses “guaranteed”, which is on the brief's must-not-say list."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			x := briefExperiment(t, e, e.site("Shop").ID, briefRulesJSON)
			form := editFormOf(x)
			form.Set(variantKey(tt.row, "text"), tt.text)
			if tt.row == 2 {
				form.Set(variantKey(2, "key"), "")
				form.Set(variantKey(2, "weight"), "")
			}
			c.get("/experiments/" + x.ID + "/edit")
			resp, body := c.post("/experiments/"+x.ID+"/edit", form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, html.UnescapeString(body), tt.want)
			area := regexp.MustCompile(`<textarea id="f-variants-` + itoa(tt.row) + `-text"[^>]*>`).FindString(body)
			if !strings.Contains(area, `aria-invalid="true"`) {
				t.Errorf("the variant's box is not marked: %s", area)
			}
			kept := strings.ReplaceAll(tt.text, "\r\n", "\n")
			if !strings.Contains(body, ">"+html.EscapeString(kept)+"</textarea>") {
				t.Errorf("the typed copy %q is lost", kept)
			}
			got, _ := e.store.Experiment(context.Background(), x.ID)
			if len(got.Variants) != 2 || got.Variants[1].Text != x.Variants[1].Text {
				t.Errorf("refused copy was saved: %+v", got.Variants)
			}
		})
	}
}

// TestEditFormBriefHoldsOnlyTypedCopy: the brief holds copy a person types,
// not what the draft already had. Copy saved before the brief (or added
// over its length with the drafting page's box) does not stop a save that
// leaves it as it is; the original is the page's copy, whatever the brief
// says; and a draft with no brief is held only to the rules for all copy.
func TestEditFormBriefHoldsOnlyTypedCopy(t *testing.T) {
	tests := []struct {
		name  string
		brief string
		texts []string
		edit  func(form map[string][]string)
	}{
		{"stored copy that breaks the brief, left as it is", briefRulesJSON,
			[]string{"Project management for busy teams", "The best tool, guaranteed"},
			func(form map[string][]string) { form["name"] = []string{"Hero, renamed"} }},
		{"the original, edited", briefRulesJSON, nil,
			func(form map[string][]string) {
				form[variantKey(0, "text")] = []string{"The best project management, guaranteed"}
			}},
		{"no brief", "", nil,
			func(form map[string][]string) {
				form[variantKey(1, "text")] = []string{"The best kanban tool, guaranteed"}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			x := briefExperiment(t, e, e.site("Shop").ID, tt.brief, tt.texts...)
			form := editFormOf(x)
			tt.edit(form)
			c.get("/experiments/" + x.ID + "/edit")
			resp, body := c.post("/experiments/"+x.ID+"/edit", form)
			wantStatus(t, resp, http.StatusSeeOther, body)
		})
	}
}

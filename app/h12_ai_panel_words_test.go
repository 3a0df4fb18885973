package app

import (
	"strings"
	"testing"
)

// TestDraftPanelWordsOnEdit: "Draft copy with AI" says it saves the
// experiment as a draft first, needing only its name and original copy,
// on the New experiment form only: on a saved draft's edit form it is a
// draft already, and the panel says it saves the changes first. Found by
// a review: the edit form of a saved draft still promised to save it as
// a draft.
func TestDraftPanelWordsOnEdit(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	const first = "This saves the experiment as a draft first, with only its name and original copy needed"
	panel := func(path string) string {
		t.Helper()
		_, body := c.get(path)
		ps := findAll(parseHTML(t, body), hasClass("ai-panel"))
		if len(ps) != 1 {
			t.Fatalf("%s: %d AI panels", path, len(ps))
		}
		return strings.Join(strings.Fields(textOf(ps[0])), " ")
	}
	if got := panel("/experiments/new?site=" + site.ID); !strings.Contains(got, first) {
		t.Errorf("the new experiment's panel %q does not say %q", got, first)
	}
	got := panel("/experiments/" + x.ID + "/edit")
	if strings.Contains(got, "as a draft first") {
		t.Errorf("a saved draft's panel says %q", got)
	}
	if want := "This saves your changes first; variants you typed above are kept."; !strings.Contains(got, want) {
		t.Errorf("a saved draft's panel %q does not say %q", got, want)
	}
}

package app

import (
	"net/http"
	"testing"
)

// TestExperimentEditQuotedWordsTakeNoKey: the history quotes a draft's
// name and copy; words in them that read like a removal ("Removed
// Variant V900.") do not count as a key the draft gave, so the next row
// added on the edit page is still named after the draft's own keys.
func TestExperimentEditQuotedWordsTakeNoKey(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	for _, tt := range []struct {
		name, title, copy string
	}{
		{"in copy", "Quoted copy", "Save now. Removed Variant V900. Today"},
		{"in a name", "Launch. Removed Variant Y. Soon", "B"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := e.experiment(site.ID, "Test", "Old", "Before")
			// Rename it and change Variant B's copy on the page.
			_, body := c.get("/experiments/" + x.ID + "/edit")
			rows := formRows(t, body)
			rows[1].text = tt.copy
			x.Name = tt.title
			resp, body := c.post("/experiments/"+x.ID+"/edit", editForm(x, "save", rows))
			wantStatus(t, resp, http.StatusSeeOther, body)
			// Add a row: it is named Variant C, and saved as c.
			_, body = c.get("/experiments/" + x.ID + "/edit")
			_, body = c.post("/experiments/"+x.ID+"/edit", editForm(x, "add", formRows(t, body)))
			rows = formRows(t, body)
			if got := rows[len(rows)-1].label; got != "Variant C" {
				t.Errorf("the added row is named %q, want Variant C", got)
			}
			rows[len(rows)-1].text = "New copy"
			resp, body = c.post("/experiments/"+x.ID+"/edit", editForm(x, "save", rows))
			wantStatus(t, resp, http.StatusSeeOther, body)
			y, err := e.store.Experiment(t.Context(), x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if k := y.Variants[len(y.Variants)-1].Key; k != "c" {
				t.Errorf("the new copy's key is %q, want c", k)
			}
		})
	}
}

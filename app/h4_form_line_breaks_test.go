package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestEditFormKeepsLineBreaks: a browser sends a textarea's line breaks
// as CR LF. The form refused copy with a line break ("Remove the control
// characters") though the store and the API take one, so a draft whose
// copy holds a paragraph (added from the drafting page for a paragraph
// element) could not be saved from its edit form at all, not even to
// rename it. The form now reads CR LF as the line break it is: copy left
// as it was saves, and stays as it was.
func TestEditFormKeepsLineBreaks(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	para := "Plan every sprint.\nYour teams will thank you."
	x := e.experiment(e.site("Shop").ID, "Hero", "Project management for busy teams.\nAll in one place.", para)
	if err := e.store.SaveBrief(context.Background(), x.ID, `{"element_kind":"paragraph","must_say":["teams"]}`); err != nil {
		t.Fatal(err)
	}
	form := editFormOf(x)
	form.Set("name", "Hero, renamed")
	for i, v := range x.Variants {
		form.Set(variantKey(i, "text"), strings.ReplaceAll(v.Text, "\n", "\r\n"))
	}
	c.get("/experiments/" + x.ID + "/edit")
	resp, body := c.post("/experiments/"+x.ID+"/edit", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	got, _ := e.store.Experiment(context.Background(), x.ID)
	if got.Name != "Hero, renamed" || got.Variants[1].Text != para {
		t.Errorf("saved %q with %+v", got.Name, got.Variants)
	}
}

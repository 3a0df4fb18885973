package app

import (
	"net/http"
	"testing"
)

// TestStartUnfinishedLandsOnEdit: Start on a draft without its page,
// element and goal drew the edit form at /experiments/{id}/start (422),
// whose buttons are Save and Cancel: once the fields were filled the
// marketer had to find Start again, and a reload sent the form anew. It
// now goes to the edit page's own address, which marks what is missing,
// and the Save that completes the draft says it can start now, back on
// the experiment page with its Start button.
func TestStartUnfinishedLandsOnEdit(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := saveDraftFirst(t, e, c, site.ID, "Projects, under control")

	c.get("/experiments/" + x.ID)
	resp, body := c.post("/experiments/"+x.ID+"/start", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	edit := "/experiments/" + x.ID + "/edit?start=1"
	if loc := resp.Header.Get("Location"); loc != edit {
		t.Fatalf("went to %q, want %q", loc, edit)
	}
	resp, body = c.get(edit)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Edit experiment", `id="f-page-error"`, `id="f-selector-error"`, `id="f-goal-error"`,
		"Enter the page to test on", "This draft cannot start yet: it needs its page, element and goal.")

	// The plain edit page marks nothing.
	_, body = c.get("/experiments/" + x.ID + "/edit")
	wantNotContains(t, body, `id="f-page-error"`, "cannot start yet")

	v := draftFirstForm(site.ID, "save", "Project management for busy teams", "Projects, under control")
	v.Set("page", "/pricing")
	v.Set("selector", "h1")
	v.Set("goal_selector", "#signup")
	v.Set("variants[0].key", "control")
	v.Set("variants[1].key", "b")
	body = flashAfter(t, c, "/experiments/"+x.ID+"/edit", v)
	if got, want := flashText(body), "Changes saved. It can start now."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}
	wantContains(t, body, `action="/experiments/`+x.ID+`/start"`)

	// A later save of the complete draft does not say it again.
	c.get("/experiments/" + x.ID + "/edit")
	body = flashAfter(t, c, "/experiments/"+x.ID+"/edit", v)
	if got := flashText(body); got != "Changes saved." {
		t.Errorf("second save: flash %q", got)
	}
}

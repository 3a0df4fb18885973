package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// editFormOf is the edit form of x as the browser posts it back with
// nothing changed: op=save, and only the rows the page shows (a draft
// with only the original shows one).
func editFormOf(x experiments.Experiment) url.Values {
	v := url.Values{"op": {"save"}, "name": {x.Name}, "page": {x.Page}, "selector": {x.Selector},
		"goal_type": {x.Goal.Type}, "goal_selector": {x.Goal.Selector}, "goal_url": {x.Goal.URL}, "goal_event": {x.Goal.Name},
		"coverage": {experiments.PercentOfBP(x.CoverageBP)}, "threshold": {""}}
	for i, vr := range x.Variants {
		v.Set(variantKey(i, "key"), vr.Key)
		v.Set(variantKey(i, "text"), vr.Text)
		v.Set(variantKey(i, "weight"), "")
	}
	return v
}

// TestDraftFirstSavesFromEdit: a draft saved by "Draft copy with AI" with
// only its name, site and original copy could not be saved from its edit
// form: the form came back 422 with a new, empty Variant B box marked
// "Enter the copy.", whether the page, element and goal were filled in or
// nothing was changed. The guide says Save on such a draft leaves what it
// lacked empty and says what Start still needs. An empty row the person
// added, or the one the form adds itself, no longer blocks the save of a
// draft, and the message (and Start's refusal) names the missing variant
// beside the page, element and goal.
func TestDraftFirstSavesFromEdit(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := saveDraftFirst(t, e, c, site.ID, "")
	if len(x.Variants) != 1 {
		t.Fatalf("%d variants, want the original only", len(x.Variants))
	}
	edit := "/experiments/" + x.ID + "/edit"
	stored := func() experiments.Experiment {
		t.Helper()
		got, err := e.store.Experiment(context.Background(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	// Start names everything it still needs, the variant too.
	c.get("/experiments/" + x.ID)
	resp, body := c.post("/experiments/"+x.ID+"/start", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get(resp.Header.Get("Location"))
	wantContains(t, body, "This draft cannot start yet: it needs its page, element and goal, and a variant of the copy.",
		`id="f-variants-error"`, `id="f-page-error"`)

	// Edit, then Save with nothing changed.
	c.get(edit)
	body = flashAfter(t, c, edit, editFormOf(x))
	if got, want := flashText(body), "Changes saved. It still needs its page, element and goal, and a variant of the copy before it can start."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}

	// The page, element and goal filled in.
	v := editFormOf(x)
	v.Set("page", "/pricing")
	v.Set("selector", "h1")
	v.Set("goal_selector", "#signup")
	c.get(edit)
	body = flashAfter(t, c, edit, v)
	if got, want := flashText(body), "Changes saved. It still needs a variant of the copy before it can start."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}
	if got := stored(); got.Page != "/pricing" || got.Selector != "h1" || got.Goal.Selector != "#signup" || len(got.Variants) != 1 {
		t.Errorf("saved %+v", got)
	}

	// A row added with "+ Add a variant" and left empty is not saved
	// either, nor does it block the save.
	v.Set("name", "Hero headline")
	v.Set(variantKey(1, "key"), "")
	v.Set(variantKey(1, "text"), "")
	v.Set(variantKey(1, "weight"), "")
	c.get(edit)
	flashAfter(t, c, edit, v)
	if got := stored(); got.Name != "Hero headline" || len(got.Variants) != 1 {
		t.Errorf("saved %q with %d variants, want the name and the original only", got.Name, len(got.Variants))
	}

	// Typed, the variant is saved and the draft can start.
	v.Set(variantKey(1, "text"), "Projects, under control")
	c.get(edit)
	body = flashAfter(t, c, edit, v)
	if got, want := flashText(body), "Changes saved. It can start now."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}
	x = stored()
	if len(x.Variants) != 2 {
		t.Fatalf("%d variants, want 2", len(x.Variants))
	}

	// A saved variant's copy emptied is a mistake to point at, not a
	// row to drop: Remove is the way to take it out.
	v = editFormOf(x)
	v.Set(variantKey(1, "text"), "")
	c.get(edit)
	resp, body = c.post(edit, v)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-variants-1-text-error"`)
}

package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// visibleOnlyBox returns the form's "Count visitors only when the element
// is on screen" checkbox, failing when the page has not exactly one.
func visibleOnlyBox(t *testing.T, body string) *xhtml.Node {
	t.Helper()
	boxes := findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
		return n.Data == "input" && attrOf(n, "name") == "visible_only"
	})
	if len(boxes) != 1 {
		t.Fatalf("%d visible_only boxes on the form, want 1", len(boxes))
	}
	return boxes[0]
}

func hasAttr(n *xhtml.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// onScreenNote is what the experiment page says of a visible-only one.
const onScreenNote = "(counts only visitors who see it on screen)"

// TestVisibleOnlyForm: the experiment form's box turns visible-only
// counting on; it stays ticked when the form comes back with errors, is
// stored, said on the experiment page and ticked on the edit form; a
// draft's edit turns it off and its history says so; once the experiment
// has started, the box is disabled and saving the form keeps the setting.
func TestVisibleOnlyForm(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	ctx := context.Background()

	resp, body := c.get("/experiments/new?site=" + site.ID)
	wantStatus(t, resp, http.StatusOK, body)
	box := visibleOnlyBox(t, body)
	if hasAttr(box, "checked") || hasAttr(box, "disabled") || attrOf(box, "type") != "checkbox" {
		t.Errorf("new form's box: %v", box.Attr)
	}
	wantContains(t, body, "Count visitors only when the element is on screen",
		"visitors who never scroll down to it are not counted")

	form := url.Values{"site_id": {site.ID}, "name": {"Pricing FAQ"}, "page": {"/pricing"}, "selector": {`[data-copylab="faq"]`},
		"visible_only": {"1"}, "goal_type": {"click"}, "goal_selector": {"#buy"},
		"variants[0].key": {""}, "variants[0].text": {"Questions?"}, "variants[1].key": {""}, "variants[1].text": {"Still wondering?"}}

	// A mistake elsewhere: the form comes back with the box still ticked.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("name", "")
	resp, body = c.post("/experiments", bad)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	if box := visibleOnlyBox(t, body); !hasAttr(box, "checked") {
		t.Errorf("the box lost its tick when the form came back with errors")
	}

	resp, body = c.post("/experiments", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/")
	x, err := e.store.Experiment(ctx, id)
	if err != nil {
		t.Fatalf("created experiment %q: %v", id, err)
	}
	if !x.VisibleOnly {
		t.Fatalf("the ticked box was not stored")
	}
	resp, body = c.get("/experiments/" + id)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, onScreenNote)
	resp, body = c.get("/experiments/" + id + "/edit")
	wantStatus(t, resp, http.StatusOK, body)
	if box := visibleOnlyBox(t, body); !hasAttr(box, "checked") || hasAttr(box, "disabled") {
		t.Errorf("a draft's edit form: box %v, want ticked and enabled", box.Attr)
	}

	// A draft's edit turns it off (an unticked box is not posted), and on again.
	edit := url.Values{}
	for k, v := range form {
		edit[k] = v
	}
	edit.Del("site_id")
	edit.Del("visible_only")
	resp, body = c.post("/experiments/"+id+"/edit", edit)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if x, _ := e.store.Experiment(ctx, id); x.VisibleOnly {
		t.Errorf("unticking the box on a draft did not turn it off")
	}
	resp, body = c.get("/experiments/" + id)
	wantNotContains(t, body, onScreenNote)
	wantContains(t, body, "Now counts every visitor whose page has the element, on screen or not.")
	edit.Set("visible_only", "1")
	resp, body = c.post("/experiments/"+id+"/edit", edit)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get("/experiments/" + id)
	wantContains(t, body, "Now counts only visitors who see the element on screen.", onScreenNote)

	// Started: the box is shown, disabled; the form's save keeps the setting.
	e.transition(id, experiments.ActionStart)
	resp, body = c.get("/experiments/" + id + "/edit")
	wantStatus(t, resp, http.StatusOK, body)
	if box := visibleOnlyBox(t, body); !hasAttr(box, "checked") || !hasAttr(box, "disabled") {
		t.Errorf("a started experiment's edit form: box %v, want ticked and disabled", box.Attr)
	}
	wantContains(t, body, "as is whether it counts only visitors who see the element on screen")
	edit = url.Values{"name": {"Pricing FAQ, running"}, "coverage": {"100"},
		"variants[0].key": {"control"}, "variants[0].weight": {"50"}, "variants[1].key": {"b"}, "variants[1].weight": {"50"}}
	resp, body = c.post("/experiments/"+id+"/edit", edit)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if x, _ := e.store.Experiment(ctx, id); !x.VisibleOnly || x.Name != "Pricing FAQ, running" {
		t.Errorf("saving a started experiment's form: visible only %v, name %q", x.VisibleOnly, x.Name)
	}

	// The store holds the rule too, for any other caller.
	x, _ = e.store.Experiment(ctx, id)
	x.VisibleOnly = false
	var se *experiments.StateError
	if _, err := e.store.UpdateExperiment(ctx, x); !errors.As(err, &se) || se.Code != "experiment_started" {
		t.Errorf("the store turned a started experiment's visible-only off: %v", err)
	}
}

// TestVisibleOnlyAPI: visible_only is part of the experiment document,
// false unless asked; create and a draft's PATCH set it, GET and the list
// give it back, a duplicate keeps it; a value that is not true or false
// is a 400 like any ill-typed field; a started experiment refuses to
// change it (422 field_not_editable, saying why and what to do instead).
func TestVisibleOnlyAPI(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")

	create := func(extra string) (*http.Response, map[string]any) {
		t.Helper()
		return e.api("POST", "/api/v1/experiments", tok, fmt.Sprintf(`{"site_id":%q,"name":"FAQ","page":"/pricing",
			"selector":"[data-copylab=\"faq\"]","goal":{"type":"click","selector":"#buy"}%s,
			"variants":[{"text":"Questions?"},{"text":"Still wondering?"}]}`, site.ID, extra))
	}
	visible := func(out map[string]any) any { return out["visible_only"] }

	resp, out := create("")
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if visible(out) != false {
		t.Errorf("created without visible_only: %v, want false", visible(out))
	}

	resp, out = create(`,"visible_only":true`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	id := out["id"].(string)
	if visible(out) != true {
		t.Errorf("created with visible_only true: %v", visible(out))
	}
	if x, _ := e.store.Experiment(t.Context(), id); !x.VisibleOnly {
		t.Errorf("visible_only was not stored")
	}
	resp, out = e.api("GET", "/api/v1/experiments/"+id, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if visible(out) != true {
		t.Errorf("GET: visible_only %v", visible(out))
	}
	resp, out = e.api("GET", "/api/v1/experiments?q=FAQ", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	listed := map[string]any{}
	for _, x := range out["experiments"].([]any) {
		x := x.(map[string]any)
		listed[x["id"].(string)] = x["visible_only"]
	}
	if listed[id] != true {
		t.Errorf("the list gives visible_only %v", listed[id])
	}

	for _, tt := range []struct{ name, body, field string }{
		{"a string", `"yes"`, "visible_only"},
		{"a number", `1`, "visible_only"},
	} {
		t.Run("create with "+tt.name, func(t *testing.T) {
			resp, out := create(`,"visible_only":` + tt.body)
			wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(out))
			if code, field := errorShape(t, out); code != "invalid_json" || field != tt.field {
				t.Errorf("code %s field %s", code, field)
			}
			wantContains(t, out["error"].(map[string]any)["message"].(string), `"visible_only" must be true or false`)
		})
		t.Run("patch with "+tt.name, func(t *testing.T) {
			resp, out := e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"visible_only":`+tt.body+`}`)
			wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(out))
			if code, field := errorShape(t, out); code != "invalid_json" || field != tt.field {
				t.Errorf("code %s field %s", code, field)
			}
		})
	}

	// A draft's PATCH turns it off and on; other fields leave it alone.
	for _, tt := range []struct {
		body string
		want bool
	}{{`{"visible_only":false}`, false}, {`{"name":"FAQ 2"}`, false}, {`{"visible_only":true}`, true}, {`{"traffic_bp":5000}`, true}} {
		resp, out := e.api("PATCH", "/api/v1/experiments/"+id, tok, tt.body)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if visible(out) != tt.want {
			t.Errorf("PATCH %s: visible_only %v, want %v", tt.body, visible(out), tt.want)
		}
	}
	resp, out = e.api("GET", "/api/v1/experiments/"+id+"/history", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	var details []string
	for _, h := range out["history"].([]any) {
		details = append(details, h.(map[string]any)["detail"].(string))
	}
	wantContains(t, strings.Join(details, "\n"), "Now counts only visitors who see the element on screen.",
		"Now counts every visitor whose page has the element, on screen or not.")

	// A duplicate keeps it.
	resp, out = e.api("POST", "/api/v1/experiments/"+id+"/duplicate", tok, "")
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if visible(out) != true {
		t.Errorf("the duplicate's visible_only: %v", visible(out))
	}

	// Started: refused, whatever the value, and nothing else changes.
	resp, out = e.api("POST", "/api/v1/experiments/"+id+"/start", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	for _, body := range []string{`{"visible_only":false}`, `{"name":"Renamed","visible_only":true}`} {
		resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, body)
		wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
		if code, field := errorShape(t, out); code != "field_not_editable" || field != "visible_only" {
			t.Errorf("PATCH %s of a started one: code %s field %s", body, code, field)
		}
		wantContains(t, out["error"].(map[string]any)["message"].(string), "only while the experiment is a draft",
			"/api/v1/experiments/"+id+"/duplicate")
	}
	if x, _ := e.store.Experiment(t.Context(), id); !x.VisibleOnly || x.Name != "FAQ 2" {
		t.Errorf("after the refused PATCHes: visible only %v, name %q", x.VisibleOnly, x.Name)
	}
	resp, out = e.api("PATCH", "/api/v1/experiments/"+id, tok, `{"name":"Renamed"}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if visible(out) != true {
		t.Errorf("renaming a started one changed visible_only to %v", visible(out))
	}
}

package app

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"testing"
)

// f17InputRefusal is the refusal of a tested <input>, as the API and the
// forms give it.
const f17InputRefusal = `copylab's tag writes the copy as text, and an <input type="submit"> shows its value attribute, ` +
	`which copylab does not change: test the text of a <button> or <a> instead.`

// f17AnyInputRefusal is the refusal of a tested <input> whose type the
// selector does not name.
const f17AnyInputRefusal = "copylab's tag writes the copy as text, and an <input> shows no text of its own (a button input shows " +
	"its value attribute, a text field its placeholder or what the visitor types, and the words by a check box or radio button " +
	"are its <label>): test the text of a <button>, <a> or <label> instead."

// TestF17APIRefusesTestedInput: the API took "input[type=submit]" as the
// tested element and Start ran it; the tag set its textContent, which
// the button does not show, and every exposure counted as seen. Create
// and PATCH now refuse it, while a click goal may still name an input.
func TestF17APIRefusesTestedInput(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	create := func(selector, goal string) (*http.Response, map[string]any) {
		return e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Buy button","page":"/",
			"selector":"`+selector+`","goal":{"type":"click","selector":"`+goal+`"},
			"variants":[{"text":"Buy now"},{"text":"Get it today"}]}`)
	}
	wantRefused := func(t *testing.T, resp *http.Response, out map[string]any, want string) {
		t.Helper()
		wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
		if code, field := errorShape(t, out); code != "invalid_selector" || field != "selector" {
			t.Errorf("code %s field %s", code, field)
		}
		if msg := out["error"].(map[string]any)["message"]; msg != want {
			t.Errorf("message %q", msg)
		}
	}

	resp, out := create("input[type=submit]", "#buy")
	wantRefused(t, resp, out, f17InputRefusal)

	// The goal clicks the submit input: that is what goals are for.
	resp, out = create("h1", "input[type=submit]")
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	api := "/api/v1/experiments/" + out["id"].(string)

	resp, out = e.api("PATCH", api, tok, `{"selector":"form input.buy"}`)
	wantRefused(t, resp, out, f17AnyInputRefusal)

	resp, out = e.api("PATCH", api, tok, `{"goal":{"type":"click","selector":"form input.buy"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))

	// A class may match an input or not: only the page knows.
	resp, out = e.api("PATCH", api, tok, `{"selector":".buy"}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	resp, out = e.api("POST", api+"/start", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
}

// TestF17FormsRefuseTestedInput: the New and Edit forms show the same
// sentence beside the element box, and save nothing.
func TestF17FormsRefuseTestedInput(t *testing.T) {
	e := newEnv(t)
	ann := e.signIn("ann@example.com")
	site := e.site("Shop")
	ann.get("/experiments/new")
	form := url.Values{
		"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {"input[type=submit]"},
		"goal_type": {"click"}, "goal_selector": {"input[type=submit]"}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Buy now"}, "variants[1].key": {""}, "variants[1].text": {"Get it today"},
	}
	resp, body := ann.post("/experiments", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, html.EscapeString(f17InputRefusal))

	x := e.experimentOn(site.ID, "Hero", "/", "h1", "Buy now", "Get it today")
	edit := h7OpenEdit(t, ann, x.ID)
	edit.Set("selector", "input.buy")
	resp, body = ann.post("/experiments/"+x.ID+"/edit", edit)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, html.EscapeString(f17AnyInputRefusal))
}

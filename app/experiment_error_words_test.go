package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestExperimentFormErrorWords: an empty click goal asks for the button
// or link whose click counts, with an example of one (not the tested
// element's [data-copylab="hero"]), on the form beside the goal's field
// and in the API; and every empty copy box, the original's too, says
// "Enter the copy." beside the box its label names.
func TestExperimentFormErrorWords(t *testing.T) {
	const goalMsg = `Enter the CSS selector of the button or link whose click counts, such as #signup or [data-copylab="signup"].`
	e := newEnv(t)
	token := e.token("api@example.com")
	c := e.signIn("owner@example.com")
	site := e.site("Shop")

	c.get("/experiments/new")
	resp, body := c.post("/experiments", url.Values{
		"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {heroSelector},
		"goal_type": {"click"}, "goal_selector": {"  "}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {""}, "variants[1].key": {""}, "variants[1].text": {""},
	})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	doc := parseHTML(t, body)
	msg := func(id string) string {
		for _, n := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id }) {
			return strings.Join(strings.Fields(textOf(n)), " ")
		}
		return ""
	}
	for id, want := range map[string]string{
		"f-goal-error":            goalMsg,
		"f-variants-0-text-error": "Enter the copy.",
		"f-variants-1-text-error": "Enter the copy.",
	} {
		if got := msg(id); got != want {
			t.Errorf("#%s says %q, want %q", id, got, want)
		}
	}
	// The goal's message is the click field's: it says what to type there.
	for _, in := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "name") == "goal_selector" }) {
		if !strings.Contains(attrOf(in, "aria-describedby"), "f-goal-error") {
			t.Errorf("the clicked element's field is not described by the goal's message")
		}
	}

	resp, out := e.api("POST", "/api/v1/experiments", token, `{"site_id":"`+site.ID+`","name":"Hero","page":"/","selector":"h1",`+
		`"goal":{"type":"click","selector":""},"variants":[{"key":"control","text":"Old"},{"key":"b","text":"New"}]}`)
	errBody, _ := out["error"].(map[string]any)
	if resp.StatusCode != http.StatusUnprocessableEntity || errBody["code"] != "invalid_goal" || errBody["message"] != goalMsg {
		t.Errorf("API: %d %v, want 422 invalid_goal %q", resp.StatusCode, out, goalMsg)
	}
}

package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// h7EditForm is what a browser sends for the experiment form of page as
// rendered, saved with its Save button: its inputs, text areas and
// selects, a checkbox or radio only when checked, and nothing disabled
// (itself or in a disabled fieldset), each text area's line break as CRLF.
func h7EditForm(t *testing.T, page string) url.Values {
	t.Helper()
	forms := findAll(parseHTML(t, page), func(n *xhtml.Node) bool {
		return n.Data == "form" && strings.HasSuffix(attrOf(n, "action"), "/edit")
	})
	if len(forms) != 1 {
		t.Fatalf("%d edit forms in the page", len(forms))
	}
	disabled := func(n *xhtml.Node) bool {
		for p := n; p != nil; p = p.Parent {
			if _, ok := h11Attr(p, "disabled"); ok && (p == n || p.Data == "fieldset") {
				return true
			}
		}
		return false
	}
	v := url.Values{"op": {"save"}}
	for _, n := range findAll(forms[0], func(n *xhtml.Node) bool {
		return n.Data == "input" || n.Data == "textarea" || n.Data == "select"
	}) {
		name := attrOf(n, "name")
		if name == "" || disabled(n) {
			continue
		}
		switch n.Data {
		case "textarea":
			v.Add(name, strings.ReplaceAll(textOf(n), "\n", "\r\n"))
		case "select":
			for _, o := range findAll(n, func(o *xhtml.Node) bool { return o.Data == "option" }) {
				if _, ok := h11Attr(o, "selected"); ok {
					v.Add(name, attrOf(o, "value"))
				}
			}
		default:
			if typ := attrOf(n, "type"); typ == "checkbox" || typ == "radio" {
				if _, checked := h11Attr(n, "checked"); !checked {
					continue
				}
			}
			v.Add(name, attrOf(n, "value"))
		}
	}
	return v
}

// h7OpenEdit opens an experiment's edit form in c and returns what its
// Save would send.
func h7OpenEdit(t *testing.T, c *client, id string) url.Values {
	t.Helper()
	resp, page := c.get("/experiments/" + id + "/edit")
	wantStatus(t, resp, http.StatusOK, page)
	return h7EditForm(t, page)
}

// TestEditShowsEveryMistakeAtOnce: the edit form names every mistake in
// one round, as the New form does: a planned start in the past beside a
// mistake of another field, whether that one is the form's own (copy over
// the brief's length), or the store's (an element it refuses, copy over
// the longest copylab takes).
func TestEditShowsEveryMistakeAtOnce(t *testing.T) {
	const past = "The planned start is in the past: choose a day after today (UTC)."
	for _, tt := range []struct {
		name  string
		typed func(v url.Values)
		want  string
	}{
		{name: "the whole page as the element", typed: func(v url.Values) { v.Set("selector", "body") }, want: "Copy tests cannot target &lt;body&gt;"},
		{name: "copy over 1,000 characters", typed: func(v url.Values) { v.Set("variants[1].text", strings.Repeat("a", 1500)) }, want: "Keep copy to at most 1000 characters (this is 1500)."},
		{name: "copy over the brief's length", typed: func(v url.Values) { v.Set("variants[1].text", longCopy) }, want: "the brief asks for at most 60"},
		{name: "a weight that is not a number", typed: func(v url.Values) { v.Set("variants[1].weight", "half") }, want: "Enter a percentage from 0 to 100"},
		{name: "a planned stop in the past too", typed: func(v url.Values) { v.Set("stops_at", "2020-02-01") }, want: "The planned stop is in the past"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ann := e.signIn("ann@example.com")
			x := briefExperiment(t, e, e.site("Shop").ID, briefRulesJSON)
			form := h7OpenEdit(t, ann, x.ID)
			form.Set("starts_at", "2020-01-01")
			tt.typed(form)
			resp, body := ann.post("/experiments/"+x.ID+"/edit", form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, body, past)
			if !strings.Contains(strings.ReplaceAll(body, ",", ""), strings.ReplaceAll(tt.want, ",", "")) {
				t.Errorf("the other mistake (%q) is not named", tt.want)
			}
			got, err := e.store.Experiment(context.Background(), x.ID)
			if err != nil || !got.UpdatedAt.Equal(x.UpdatedAt) {
				t.Errorf("saved: %v", err)
			}
		})
	}
	// The New form did already, and still does.
	e := newEnv(t)
	ann := e.signIn("ann@example.com")
	site := e.site("Shop")
	ann.get("/experiments/new")
	resp, body := ann.post("/experiments", url.Values{
		"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {"body"},
		"goal_type": {"click"}, "goal_selector": {"#buy"}, "coverage": {"100"}, "starts_at": {"2020-01-01"},
		"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"}, "variants[1].weight": {"half"},
	})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, past, "Enter a percentage from 0 to 100")
}

package app

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// coverageHint reads the traffic-share field of an experiment form: the
// warning beside it ("" when none), whether the input is described by
// it, and whether anything marks the field invalid.
func coverageHint(t *testing.T, body string) (warning string, described, invalid bool) {
	t.Helper()
	doc := parseHTML(t, body)
	inputs := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "input" && attrOf(n, "id") == "f-coverage" })
	if len(inputs) != 1 {
		t.Fatalf("%d traffic-share inputs", len(inputs))
	}
	in := inputs[0]
	invalid = attrOf(in, "aria-invalid") == "true" || strings.Contains(attrOf(in.Parent, "class"), "has-error")
	for _, p := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "f-coverage-warning" }) {
		warning = textOf(p)
		if p.Parent != in.Parent {
			t.Errorf("the warning is not beside the field")
		}
		if strings.Contains(attrOf(p, "class"), "field-error") {
			t.Errorf("the warning is styled as an error: %q", attrOf(p, "class"))
		}
	}
	described = slices.Contains(strings.Fields(attrOf(in, "aria-describedby")), "f-coverage-warning")
	return warning, described, invalid
}

// TestTrafficZeroHintOnForm: the new and the edit form of a draft say,
// beside the traffic share, that at 0% no visitor is in the test and
// Start refuses it, for a share stored or typed as 0 in any form the
// form reads as 0%; it is a hint that describes the field, not an error
// (the draft still saves). A share above 0%, an empty one (100%), and a
// started test's form show none.
func TestTrafficZeroHintOnForm(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	const hint = "At 0%, no visitor is in the test: Start refuses it until the share is above 0%."
	check := func(what, body string, want bool) {
		t.Helper()
		warning, described, invalid := coverageHint(t, body)
		switch {
		case want && (warning != hint || !described):
			t.Errorf("%s: warning %q (described by it: %v), want %q", what, warning, described, hint)
		case !want && warning != "":
			t.Errorf("%s: warning %q, want none", what, warning)
		}
		if invalid {
			t.Errorf("%s: the share is marked invalid", what)
		}
	}
	// added re-renders the new form as typed (Add a variant posts it).
	added := func(path, coverage string) string {
		t.Helper()
		c.get("/experiments/new")
		resp, body := c.post(path, url.Values{"op": {"add"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"},
			"selector": {`[data-copylab="hero"]`}, "goal_type": {"click"}, "goal_selector": {"#signup"}, "coverage": {coverage},
			"variants[0].key": {""}, "variants[0].text": {"Plan your week in minutes"}})
		wantStatus(t, resp, http.StatusOK, body)
		return body
	}

	_, body := c.get("/experiments/new")
	check("the new form", body, false)
	for _, typed := range []string{"0", " 0 %", "0,00", "0.004"} {
		check("the new form with "+typed+" typed", added("/experiments", typed), true)
	}
	for _, typed := range []string{"", "0.01", "100", "abc"} {
		check("the new form with "+typed+" typed", added("/experiments", typed), false)
	}

	x := e.experiment(site.ID, "Hero")
	if _, err := e.store.Writer().Exec(`update experiments set coverage_bp = 0 where id = ?`, x.ID); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/experiments/" + x.ID + "/edit")
	check("the edit form of a draft stored at 0%", body, true)
	check("the edit form of a draft with 50 typed", added("/experiments/"+x.ID+"/edit", "50"), false)

	// A started test is not refused by Start: the draft's hint is not its.
	y := e.transition(e.experiment(site.ID, "Running").ID, experiments.ActionStart)
	if _, err := e.store.Writer().Exec(`update experiments set coverage_bp = 0 where id = ?`, y.ID); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/experiments/" + y.ID + "/edit")
	check("the edit form of a running test", body, false)
}

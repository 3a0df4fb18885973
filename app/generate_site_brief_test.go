package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"
)

// briefValues reads the brief form of a drafting page: each field's
// value by its name, as a browser would post it.
func briefValues(t *testing.T, body string) map[string]string {
	t.Helper()
	form := find1(t, parseHTML(t, body), "brief-form")
	out := map[string]string{}
	for _, n := range findAll(form, func(n *xhtml.Node) bool { return n.Data == "input" || n.Data == "textarea" }) {
		name := attrOf(n, "name")
		if name == "" || name == "_csrf" {
			continue
		}
		if n.Data == "textarea" {
			// The parser drops a textarea's first newline, as browsers do.
			out[name] = textOf(n)
		} else {
			out[name] = attrOf(n, "value")
		}
	}
	return out
}

// siteBrief is a brief a marketer wrote for one experiment, with the
// parts that hold for the whole site filled in.
func siteBrief(current string) url.Values {
	return url.Values{
		"current_copy": {current},
		"goal":         {"Get visitors to start a free trial"},
		"element_kind": {"headline"},
		"product":      {"Acme Boards, a kanban tool"},
		"audience":     {"small agency owners"},
		"tone":         {"friendly and confident"},
		"language":     {"German"},
		"must_say":     {"14-day free trial"},
		"must_not_say": {"revolutionary\nguarantee"},
		"max_length":   {"60"},
		"brand_voice":  {"We say you, never users."},
		"n":            {"1"},
	}
}

// startedFrom is the page's line when a brief starts from another
// experiment's.
func startedFrom(name string) string {
	return "Started from the brief of ‘" + name + "’ on this site; change anything."
}

// TestGenerateBriefFromSite: a site's next experiment starts its brief
// from the one saved most recently with another of its experiments: what
// holds for the site (product, audience, tone, language, banned words,
// length), not what belongs to the experiment (its copy, its goal, its
// element, what must be said in it). Another site's briefs never come in,
// and an experiment with a brief of its own keeps it.
func TestGenerateBriefFromSite(t *testing.T) {
	g := newGenFixture(t, nil)
	e, c := g.e, g.c

	older := e.experiment(g.site.ID, "Old hero", "Old copy")
	v := siteBrief("Old copy")
	v.Set("product", "An old product")
	v.Set("must_not_say", "cheap")
	resp, body := c.hx(http.MethodPost, "/experiments/"+older.ID+"/generate", v)
	wantStatus(t, resp, http.StatusOK, body)
	time.Sleep(5 * time.Millisecond) // the briefs are told apart by when they were saved

	// The fixture's experiment, "Hero", has the site's latest brief.
	status, _ := g.start(t, siteBrief("Project management for busy teams"))
	g.wait(t, status)

	next := e.experiment(g.site.ID, "Signup button", "Start now")
	_, page := c.get("/experiments/" + next.ID + "/generate")
	got := briefValues(t, page)
	want := map[string]string{
		"current_copy": "Start now",
		"goal":         "A click on #buy",
		"product":      "Acme Boards, a kanban tool",
		"audience":     "small agency owners",
		"tone":         "friendly and confident",
		"language":     "German",
		"must_say":     "",
		"must_not_say": "revolutionary\nguarantee",
		"max_length":   "60",
		"brand_voice":  "We say you, never users.",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	wantContains(t, page, startedFrom("Hero"))

	t.Run("another site", func(t *testing.T) {
		other := e.site("Shop")
		x := e.experiment(other.ID, "Shop hero", "Shop copy")
		_, page := c.get("/experiments/" + x.ID + "/generate")
		got := briefValues(t, page)
		for _, k := range []string{"product", "audience", "tone", "language", "must_not_say", "max_length"} {
			if got[k] != "" {
				t.Errorf("%s = %q from another site", k, got[k])
			}
		}
		if got["current_copy"] != "Shop copy" {
			t.Errorf("current copy %q", got["current_copy"])
		}
		wantNotContains(t, page, "Started from the brief")
	})

	t.Run("own brief", func(t *testing.T) {
		// The older experiment's brief is its own, though the site has
		// a newer one. A colleague sees it: without a generation of
		// theirs, the form is the saved brief.
		_, page := e.signIn("bob@example.com").get("/experiments/" + older.ID + "/generate")
		got := briefValues(t, page)
		if got["product"] != "An old product" || got["must_not_say"] != "cheap" {
			t.Errorf("own brief became %q, %q", got["product"], got["must_not_say"])
		}
		wantNotContains(t, page, "Started from the brief")
	})
}

// TestGenerateBriefFromSiteAfterCreate: the experiment form's "Draft copy
// with AI" leads to the drafting page with its saved notice, and the line
// on where the brief started follows it.
func TestGenerateBriefFromSiteAfterCreate(t *testing.T) {
	g := newGenFixture(t, nil)
	c := g.c
	status, _ := g.start(t, siteBrief("Project management for busy teams"))
	g.wait(t, status)

	c.get("/experiments/new")
	resp, body := c.post("/experiments", url.Values{
		"op": {"generate"}, "site_id": {g.site.ID}, "name": {"Footer"}, "page": {"/"}, "selector": {`[data-copylab="footer"]`},
		"goal_type": {"click"}, "goal_selector": {"#signup"}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Try it free"}, "variants[0].weight": {"50"},
		"variants[1].key": {""}, "variants[1].text": {""}, "variants[1].weight": {"50"},
	})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := c.get(resp.Header.Get("Location"))
	wantContains(t, page, "Draft saved. Now describe the copy you want", startedFrom("Hero"))
	if got := briefValues(t, page); got["current_copy"] != "Try it free" || got["product"] != "Acme Boards, a kanban tool" {
		t.Errorf("brief %q, %q", got["current_copy"], got["product"])
	}
}

// TestGenerateBriefFromSiteText: the name of the experiment the brief
// came from, and the brief itself, are shown as text.
func TestGenerateBriefFromSiteText(t *testing.T) {
	g := newGenFixture(t, nil)
	e, c := g.e, g.c
	src := e.experiment(g.site.ID, `<b>Sale</b> & "more"`, "Old copy")
	v := siteBrief("Old copy")
	v.Set("product", `<img src=x onerror=alert(1)>`)
	resp, body := c.hx(http.MethodPost, "/experiments/"+src.ID+"/generate", v)
	wantStatus(t, resp, http.StatusOK, body)

	next := e.experiment(g.site.ID, "Next", "Next copy")
	_, page := c.get("/experiments/" + next.ID + "/generate")
	if strings.Contains(page, "<b>Sale</b>") || strings.Contains(page, "<img src=x") {
		t.Fatal("the brief's text reached the page as HTML")
	}
	wantContains(t, page, "Started from the brief of ‘&lt;b&gt;Sale&lt;/b&gt; &amp; &#34;more&#34;’ on this site")
	if got := briefValues(t, page); got["product"] != `<img src=x onerror=alert(1)>` {
		t.Errorf("product %q", got["product"])
	}
}

package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// siteLayout is what the site page leads with and what it folds: the ids
// and headings of its top-level parts in order, whether the install help
// (the tag to paste) and the JavaScript API sit inside a closed
// disclosure, and whether the tag's status does.
type siteLayout struct {
	order                    []string // "install", "api", "experiments"
	tagFolded, apiFolded     bool
	statusFolded, helpOpened bool
}

func readSiteLayout(t *testing.T, body string) siteLayout {
	t.Helper()
	doc := parseHTML(t, body)
	var l siteLayout
	for _, s := range findAll(doc, func(n *xhtml.Node) bool { return n.Data == "section" }) {
		switch {
		case attrOf(s, "id") == "install":
			l.order = append(l.order, "install")
		case attrOf(s, "id") == "api":
			l.order = append(l.order, "api")
		case strings.HasPrefix(textOf(s), "Experiments on this site"):
			l.order = append(l.order, "experiments")
		}
	}
	// folded tells whether n is inside a <details> that is not open.
	folded := func(id string) bool {
		t.Helper()
		ns := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id })
		if len(ns) != 1 {
			t.Fatalf("%d elements #%s", len(ns), id)
		}
		for p := ns[0].Parent; p != nil; p = p.Parent {
			if p.Data == "details" {
				open := false
				for _, a := range p.Attr {
					open = open || a.Key == "open"
				}
				if !open {
					return true
				}
			}
		}
		return false
	}
	l.tagFolded = folded("tag")
	l.apiFolded = folded("api")
	l.statusFolded = folded("tag-status")
	for _, d := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "install-help" }) {
		for _, a := range d.Attr {
			l.helpOpened = l.helpOpened || a.Key == "open"
		}
	}
	return l
}

// TestSitePageLeadsWithExperimentsOnceInstalled: until copylab has seen
// the tag, the site page leads with how to install it and its JavaScript
// API, open. Once it has (the badge says Installed), the experiments
// lead and the install help and the API fold into one closed disclosure
// under the tag's status, which stays in sight. A warning about the tag
// keeps the tag's card first and in sight: a page on another domain,
// and an out-of-date pinned tag, which also opens the help, where the
// current pinned tag is. Found by a review: with the badge already
// Installed, "Experiments on this site" started 1659 px down on a
// desktop and 3266 px down on a phone, under the developer docs.
func TestSitePageLeadsWithExperimentsOnceInstalled(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, x := e.shopSite()
	layout := func() siteLayout {
		t.Helper()
		_, body := c.get("/sites/" + site.ID)
		return readSiteLayout(t, body)
	}
	check := func(step string, got, want siteLayout) {
		t.Helper()
		if strings.Join(got.order, " ") != strings.Join(want.order, " ") {
			t.Errorf("%s: the page's parts in order %q, want %q", step, got.order, want.order)
		}
		if got.tagFolded != want.tagFolded || got.apiFolded != want.apiFolded || got.statusFolded || got.helpOpened != want.helpOpened {
			t.Errorf("%s: folded: the tag %v, the API %v, the status %v, the help open %v; want %v, %v, false, %v", step,
				got.tagFolded, got.apiFolded, got.statusFolded, got.helpOpened, want.tagFolded, want.apiFolded, want.helpOpened)
		}
	}

	check("not seen yet", layout(), siteLayout{order: []string{"install", "api", "experiments"}})

	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/pricing")
	installed := siteLayout{order: []string{"experiments", "install"}, tagFolded: true, apiFolded: true}
	check("installed", layout(), installed)

	// A page on another domain: the warning stays first, the help folded.
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://elsewhere.example/")
	_, body := c.get("/sites/" + site.ID)
	wantContains(t, tagStatusText(t, body, "tag-status"), "Loaded on https://elsewhere.example, not shop.example")
	check("elsewhere", readSiteLayout(t, body), siteLayout{order: []string{"install", "experiments"}, tagFolded: true, apiFolded: true})

	// An out-of-date pinned tag on a page of another site: the warning
	// first, the help open at the pinned tag.
	e2 := newEnv(t)
	c = e2.signIn("owner@example.com")
	site, x = e2.shopSite()
	old := pinnedOnPage(t, c, site.ID)
	e2.fetchTag(old, http.StatusOK, pinnedFetch...)
	resp, _ := e2.api(http.MethodPatch, "/api/v1/experiments/"+x.ID+"/variants/b", e2.token("api@example.com"), `{"weight_bp":5001}`)
	wantStatus(t, resp, http.StatusOK, "")
	e2.fetchTag(old, http.StatusFound, pinnedFetch...)
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, tagStatusText(t, body, "tag-status"), "A page on https://shop.example uses an out-of-date pinned tag")
	wantContains(t, body, `<details class="details" id="pin" open>`)
	check("an out-of-date pin", readSiteLayout(t, body), siteLayout{order: []string{"install", "experiments"}, helpOpened: true})
}

package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// The tag counts an element as missing when it is not on the page once
// the site's hide timeout has passed: the page view then keeps its
// original copy and sends matched:false, with no time. An element the
// page adds 1.5 s after load, with the default 1,000 ms, is as missing
// as one whose selector is wrong, and the data cannot tell them apart. The
// results said only "Check that the selector still matches the page",
// which is untrue of the first: the words now say the element was not
// found within the site's hide timeout, in ms, and give both fixes, with
// a link to the site's settings on the team's pages (text only in the
// document and on a share link).

// missingLink is the href of the link inside the node n whose text is
// "the site’s settings", or "".
func missingLink(n *xhtml.Node) string {
	for _, a := range findAll(n, func(n *xhtml.Node) bool { return n.Data == "a" }) {
		if strings.TrimSpace(textOf(a)) == "the site’s settings" {
			return attrOf(a, "href")
		}
	}
	return ""
}

// TestResultsMissingNamesHideTimeout: a young test whose element is
// missing from every original page view (12 of 12) and from 9 of
// Variant B's 12; its site's hide timeout is 1,000 ms, then 2,500.
func TestResultsMissingNamesHideTimeout(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experimentOn(site.ID, "Late", "/pricing", `[data-copylab="late"]`)
	x = e.transition(x.ID, experiments.ActionStart)
	e.tagSees(site.Key, x.ID, "control", 12, false)
	e.tagSees(site.Key, x.ID, "b", 3, true)
	e.tagSees(site.Key, x.ID, "b", 9, false)

	for _, tc := range []struct {
		timeout int
		ms      string
	}{{1000, "1,000"}, {2500, "2,500"}} {
		t.Run(tc.ms, func(t *testing.T) {
			if _, err := e.store.UpdateSite(context.Background(), experiments.Site{ID: site.ID, Name: site.Name, Domain: site.Domain, HideTimeoutMS: tc.timeout}); err != nil {
				t.Fatal(err)
			}
			within := "within the " + tc.ms + " ms the tag waits for it (the site’s hide timeout)"
			page := "Since the test started, the element [data-copylab=\"late\"] on /pricing was not found in every variant " + within +
				": on 100% of the original’s page views (12 of 12) and 75% of Variant B’s (9 of 12). Visitors who don’t see the copy aren’t in the test. "
			fix := "check that the selector still matches the page, or, if the page adds the element later, raise the hide timeout in the site’s settings."

			for _, p := range []struct{ path, want, link string }{
				{"/experiments/" + x.ID + "/results", page + strings.ToUpper(fix[:1]) + fix[1:], "/sites/" + site.ID + "#settings"},
				{"/r/" + x.ShareToken, page + "The team can " + fix, ""},
			} {
				resp, body := c.get(p.path)
				wantStatus(t, resp, http.StatusOK, body)
				var banner *xhtml.Node
				for _, b := range findAll(parseHTML(t, body), hasClass("banner-warn")) {
					if attrOf(b, "id") == "element-missing" {
						banner = b
					}
				}
				if banner == nil {
					t.Fatalf("%s: no warning", p.path)
				}
				ps := findAll(banner, func(n *xhtml.Node) bool { return n.Data == "p" })
				if got := strings.Join(strings.Fields(textOf(ps[len(ps)-1])), " "); got != p.want {
					t.Errorf("%s: warning\n %q\nwant\n %q", p.path, got, p.want)
				}
				if got := missingLink(banner); got != p.link {
					t.Errorf("%s: link to the settings %q, want %q", p.path, got, p.link)
				}
			}

			_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			h := doc["variants"].([]any)[0].(map[string]any)["health"].(map[string]any)
			want := "Since the test started the element was not found in 100% of page views (12 of 12) " + within +
				": check that the element’s selector still matches the page, or, if the page adds the element later, raise the hide timeout in the site’s settings. Visitors who don’t see the copy aren’t in the test."
			if h["warning"] != want {
				t.Errorf("the original's warning\n %q\nwant\n %q", h["warning"], want)
			}
		})
	}
}

// TestResultsNeverFoundNamesHideTimeout: an element on none of the 19 page
// views (an element the page adds later is missing from every one): the
// verdict says the hide timeout too, and links the site's settings on the
// team's page only.
func TestResultsNeverFoundNamesHideTimeout(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.transition(e.experimentOn(site.ID, "Late", "/pricing", `[data-copylab="late"]`).ID, experiments.ActionStart)
	e.tagSees(site.Key, x.ID, "control", 6, false)
	e.tagSees(site.Key, x.ID, "b", 13, false)
	e.app.now = func() time.Time { return x.StartedAt.Add(2 * time.Minute) }

	lead := "The tag ran on 19 page views matching /pricing, but the element [data-copylab=\"late\"] was not found there within the 1,000 ms the tag waits for it (the site’s hide timeout), so no visitor has seen the test yet"
	fix := "check that the selector matches an element on that page, or, if the page adds the element later, raise the hide timeout in the site’s settings."
	team := lead + ": " + fix
	for _, p := range []struct{ path, want, link string }{
		{"/experiments/" + x.ID + "/results", team, "/sites/" + site.ID + "#settings"},
		{"/r/" + x.ShareToken, lead + ". The team can " + fix, ""},
	} {
		resp, body := c.get(p.path)
		wantStatus(t, resp, http.StatusOK, body)
		_, text, _, _ := verdictOn(t, body)
		if text != p.want {
			t.Errorf("%s: verdict\n %q\nwant\n %q", p.path, text, p.want)
		}
		if got := missingLink(findAll(parseHTML(t, body), hasClass("verdict"))[0]); got != p.link {
			t.Errorf("%s: link to the settings %q, want %q", p.path, got, p.link)
		}
	}
	_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	if v := doc["verdict"].(map[string]any); v["text"] != team {
		t.Errorf("document verdict %q, want %q", v["text"], team)
	}
}

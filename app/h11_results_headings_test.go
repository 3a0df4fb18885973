package app

import (
	"net/http"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestResultsPanelHeadingLevels: the results panel's headings (the
// verdict's title, and "Results per variant" for screen readers) are
// <h3> on the experiment page, where the panel sits under the card's own
// "Results" <h2>, and in the fragment that page polls; <h2> on the
// results and share pages and their fragments, where the panel is a
// section of the page. The experiment page's panel asks for its level
// when it polls, and its fragment is the panel it replaces, digest and
// all, so a poll with nothing new swaps nothing.
func TestResultsPanelHeadingLevels(t *testing.T) {
	e, c, _, x := startedWithCounts(t, [2]int64{4000, 400}, [2]int64{4000, 480})
	panel := func(t *testing.T, path string, signedIn bool) *xhtml.Node {
		t.Helper()
		var resp *http.Response
		var body string
		if signedIn {
			resp, body = c.get(path)
		} else {
			resp = e.do(newRequest(http.MethodGet, path, nil))
			body = readBody(t, resp)
		}
		wantStatus(t, resp, http.StatusOK, body)
		panels := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "results" })
		if len(panels) != 1 {
			t.Fatalf("%s: %d results panels", path, len(panels))
		}
		return panels[0]
	}
	headings := func(n *xhtml.Node) (out []string) {
		for _, h := range findAll(n, func(n *xhtml.Node) bool {
			return len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6'
		}) {
			out = append(out, h.Data+":"+words(h))
		}
		return out
	}
	panels := map[string]*xhtml.Node{}
	for _, tc := range []struct {
		name, path string
		signedIn   bool
		level      string
	}{
		{"experiment page", "/experiments/" + x.ID, true, "h3"},
		{"experiment page's fragment", "/experiments/" + x.ID + "/results/live?heading=3", true, "h3"},
		{"results page", "/experiments/" + x.ID + "/results", true, "h2"},
		{"results page's fragment", "/experiments/" + x.ID + "/results/live", true, "h2"},
		{"a level that is not one", "/experiments/" + x.ID + "/results/live?heading=7", true, "h2"},
		{"share page", "/r/" + x.ShareToken, false, "h2"},
		{"share page's fragment", "/r/" + x.ShareToken + "/live", false, "h2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := panel(t, tc.path, tc.signedIn)
			panels[tc.name] = p
			got := headings(p)
			if len(got) != 2 || got[0][:2] != tc.level || got[1] != tc.level+":Results per variant" {
				t.Errorf("headings %q, want the verdict's title and Results per variant, each an <%s>", got, tc.level)
			}
			// The verdict's title looks as it did: its class is its look.
			titles := findAll(p, hasClass("verdict-title"))
			if len(titles) != 1 || titles[0].Data != tc.level {
				t.Errorf("%d verdict titles, want one <%s>", len(titles), tc.level)
			}
		})
	}
	page, frag := panels["experiment page"], panels["experiment page's fragment"]
	if page == nil || frag == nil {
		t.FailNow()
	}
	if got := attrOf(page, "hx-vals"); got != `{"heading":"3"}` {
		t.Errorf("the experiment page's panel polls with hx-vals %q", got)
	}
	if attrOf(frag, "hx-vals") != attrOf(page, "hx-vals") || attrOf(frag, "hx-get") != attrOf(page, "hx-get") {
		t.Errorf("its fragment polls %q with %q", attrOf(frag, "hx-get"), attrOf(frag, "hx-vals"))
	}
	if attrOf(frag, "data-poll-quiet") != attrOf(page, "data-poll-quiet") {
		t.Errorf("the fragment's digest differs from the page's")
	}
	if attrOf(panels["results page"], "hx-vals") != "" {
		t.Errorf("the results page's panel polls with hx-vals %q", attrOf(panels["results page"], "hx-vals"))
	}
}

package app

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// pinnedOnPage is the pinned tag's path as the site page offers it.
func pinnedOnPage(t *testing.T, c *client, siteID string) string {
	t.Helper()
	resp, body := c.get("/sites/" + siteID)
	wantStatus(t, resp, http.StatusOK, body)
	m := pinnedTagRe.FindStringSubmatch(html.UnescapeString(body))
	if m == nil {
		t.Fatalf("no pinned tag on the site page")
	}
	return m[1]
}

// pinnedHelp is the words of the site page's "Pin a version instead"
// (its own disclosure, #pin, not the install help it sits in once the
// tag is installed).
func pinnedHelp(t *testing.T, body string) string {
	t.Helper()
	nodes := findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
		return n.Data == "details" && attrOf(n, "id") == "pin" && strings.Contains(textOf(n), "Pin a version instead")
	})
	if len(nodes) != 1 {
		t.Fatalf("%d pinned tag sections on the site page", len(nodes))
	}
	return strings.Join(strings.Fields(textOf(nodes[0])), " ")
}

// TestPinnedTagOutdatedByEveryChange: the pinned tag's hash is that of
// the whole script, so more than an experiment starting, pausing or
// stopping makes an old pin out of date: a running test's split, and the
// site's Global Privacy Control setting, among others. The site page
// says so, and names them. Found by a review: the page named only the
// starts, pauses and stops, and a pin went stale on a split change.
func TestPinnedTagOutdatedByEveryChange(t *testing.T) {
	tests := []struct {
		name   string
		change func(e *env, c *client, siteID, expID string)
		undo   func(e *env, c *client, siteID, expID string) // nil: none
	}{
		{
			name: "split",
			change: func(e *env, _ *client, _, expID string) {
				resp, _ := e.api(http.MethodPatch, "/api/v1/experiments/"+expID+"/variants/b", e.token("api@example.com"), `{"weight_bp":5001}`)
				wantStatus(e.t, resp, http.StatusOK, "")
			},
			undo: func(e *env, _ *client, _, expID string) {
				resp, _ := e.api(http.MethodPatch, "/api/v1/experiments/"+expID+"/variants/b", e.token("api2@example.com"), `{"weight_bp":5000}`)
				wantStatus(e.t, resp, http.StatusOK, "")
			},
		},
		{
			name: "Global Privacy Control",
			change: func(e *env, c *client, siteID, _ string) {
				c.get("/sites/" + siteID)
				resp, body := c.post("/sites/"+siteID+"/settings", url.Values{"name": {"Shop"}, "domain": {"shop.example"},
					"hide_timeout_ms": {"1000"}, "honor_gpc": {"1"}})
				wantStatus(e.t, resp, http.StatusSeeOther, body)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site, x := e.shopSite()
			pinned := pinnedOnPage(t, c, site.ID)
			e.fetchTag(pinned, http.StatusOK)

			_, body := c.get("/sites/" + site.ID)
			help := pinnedHelp(t, body)
			for _, w := range []string{"any change to this site’s tests or tag settings", "a running test’s split",
				"Global Privacy Control", "hide timeout", "session recorders"} {
				if !strings.Contains(help, w) {
					t.Errorf("the pinned tag's help does not say %q: %q", w, help)
				}
			}

			tt.change(e, c, site.ID, x.ID)
			e.fetchTag(pinned, http.StatusFound)
			if pinnedOnPage(t, c, site.ID) == pinned {
				t.Errorf("the site page still offers %s", pinned)
			}
			if tt.undo != nil {
				tt.undo(e, c, site.ID, x.ID)
				e.fetchTag(pinned, http.StatusOK)
			}
		})
	}
}

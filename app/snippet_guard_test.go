package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/static"
)

// guardCode is what only the guard build of the tag carries: it takes the
// guard's class off <html>.
const guardCode = `classList.remove("copylab-wait")`

// TestSnippetGuardServe: GET /s/KEY.js?guard=1 serves the guard build,
// and the plain URL the tag without it, whichever was asked first within
// the cache's life; each has its own ETag, a 304 for one is never
// answered with the other's validator, and an outdated pin of the guard
// build redirects to the current guard build. Any other value of guard is
// refused with a 400 whose body is still JavaScript.
func TestSnippetGuardServe(t *testing.T) {
	e := newEnv(t)
	site := e.site("Marketing")
	x := e.experiment(site.ID, "Hero", "Old headline", "Guarded variant text")
	e.transition(x.ID, "start")

	get := func(path, inm string) (*http.Response, string) {
		t.Helper()
		req := newRequest(http.MethodGet, path, nil)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp := e.do(req)
		return resp, readBody(t, resp)
	}
	plainURL, guardURL := "/s/"+site.Key+".js", "/s/"+site.Key+".js?guard=1"

	// The guard build first, then the plain one, then the guard build
	// again: the cache keeps them apart.
	resp, guarded := get(guardURL, "")
	wantStatus(t, resp, http.StatusOK, guarded)
	publicHeadersOK(t, resp)
	wantContains(t, guarded, guardCode, "Guarded variant text", site.Key)
	guardTag := resp.Header.Get("ETag")

	resp, plain := get(plainURL, "")
	wantStatus(t, resp, http.StatusOK, plain)
	wantContains(t, plain, "Guarded variant text")
	wantNotContains(t, plain, "copylab-wait")
	plainTag := resp.Header.Get("ETag")
	if plainTag == "" || plainTag == guardTag {
		t.Fatalf("ETags: plain %q, guard %q; want two different ones", plainTag, guardTag)
	}
	if _, again := get(guardURL, ""); again != guarded {
		t.Error("the guard build changed after the plain tag was served")
	}

	// A validator of one build is not current for the other.
	resp, body := get(guardURL, plainTag)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, guardCode)
	resp, body = get(plainURL, guardTag)
	wantStatus(t, resp, http.StatusOK, body)
	wantNotContains(t, body, "copylab-wait")
	resp, _ = get(guardURL, guardTag)
	wantStatus(t, resp, http.StatusNotModified, "")

	// The guard build pinned: its own hash, and an outdated pin keeps the
	// guard.
	hash := strings.Trim(strings.TrimPrefix(guardTag, "W/"), `"`)
	resp, body = get("/s/"+site.Key+"."+hash+".js?guard=1", "")
	wantStatus(t, resp, http.StatusOK, body)
	if body != guarded {
		t.Error("the pinned guard build differs from the guard build")
	}
	resp, _ = get("/s/"+site.Key+"."+hash+".js", "")
	wantStatus(t, resp, http.StatusFound, "")
	if loc := resp.Header.Get("Location"); loc != plainURL {
		t.Errorf("the guard build's hash pinned without guard: Location %q, want %q", loc, plainURL)
	}
	resp, _ = get("/s/"+site.Key+".0123456789abcdef.js?guard=1", "")
	wantStatus(t, resp, http.StatusFound, "")
	if loc := resp.Header.Get("Location"); loc != guardURL {
		t.Errorf("outdated pinned guard build: Location %q, want %q", loc, guardURL)
	}

	// A QA link's build has no guard, whatever the URL says.
	resp, body = get("/s/"+site.Key+".js?guard=1&p="+x.ID+":b", "")
	wantStatus(t, resp, http.StatusOK, body)
	wantNotContains(t, body, "copylab-wait")

	// Any other value of guard is refused, for a known site or not.
	for _, q := range []string{"guard=0", "guard=true", "guard=", "guard", "guard=1&guard=2"} {
		for _, key := range []string{site.Key, "aaaaaaaaaaaaaaaa"} {
			path := "/s/" + key + ".js?" + q
			resp, body := get(path, "")
			wantStatus(t, resp, http.StatusBadRequest, body)
			publicHeadersOK(t, resp)
			if want := "/* copylab: guard takes only 1: /s/SITE_KEY.js?guard=1 */\n"; body != want {
				t.Errorf("%s: body %q, want %q", path, body, want)
			}
			if got := resp.Header.Get("X-Copylab"); got != "guard takes only 1" {
				t.Errorf("%s: X-Copylab %q", path, got)
			}
		}
	}
	// An unknown site with guard=1 is the usual 404.
	resp, body = get("/s/aaaaaaaaaaaaaaaa.js?guard=1", "")
	wantStatus(t, resp, http.StatusNotFound, body)
}

// TestSitePageGuardedTag: the site page offers the guarded async install,
// escaped like the other tags (it is text to copy, never markup of the
// page), with what a Content-Security-Policy needs for it: copylab's
// origin in script-src and connect-src, and the hashes of its inline lines.
func TestSitePageGuardedTag(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	c := e.signIn("owner@example.com")
	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, http.StatusOK, body)

	src := testPublicURL + "/s/" + site.Key + ".js"
	want := strings.NewReplacer("<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(static.GuardedTag(src))
	script, style := static.GuardCSP()
	wantContains(t, body, "Load it asynchronously instead (tag managers)", `id="guarded"`, want,
		"script-src "+testPublicURL+" "+strings.ReplaceAll(script, "'", "&#39;"), "style-src "+strings.ReplaceAll(style, "'", "&#39;"),
		"connect-src "+testPublicURL)
	wantNotContains(t, body, "<style>.copylab-wait", `<script async src="`+src)
}

package app

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestPinnedTagRevalidates: the pinned tag is cached as the plain tag is,
// for a minute with an ETag, not for a year as immutable: a browser that
// kept it asks again within a minute, so that a test stopped or paused
// reaches returning visitors then (the URL redirects, the integrity hash
// refuses the current script, and the page keeps its original copy). A
// revalidation of the current version is a cheap 304; one of an outdated
// version gets the redirect. The site page says within how long. Found by
// a review: a browser kept running a stopped test's variant for a year.
func TestPinnedTagRevalidates(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Headline")
	e.transition(x.ID, experiments.ActionStart)
	c := e.signIn("owner@example.com")

	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, strings.Join(strings.Fields(html.UnescapeString(body)), " "),
		"so browsers run exactly these bytes; they keep it for a minute, then ask for it again, as they do for the tag above",
		"so within a minute visitors see your original copy until you paste the new tag from here")
	m := pinnedTagRe.FindStringSubmatch(html.UnescapeString(body))
	if m == nil {
		t.Fatalf("no pinned tag on the site page")
	}
	pinned := m[1]

	plain := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js", nil))
	readBody(t, plain)
	resp = e.do(newRequest(http.MethodGet, pinned, nil))
	wantStatus(t, resp, http.StatusOK, readBody(t, resp))
	if got, want := resp.Header.Get("Cache-Control"), plain.Header.Get("Cache-Control"); got != want || want != snippetMaxAge {
		t.Errorf("pinned Cache-Control %q, want the plain tag's %q (snippetMaxAge)", got, want)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" || etag != plain.Header.Get("ETag") {
		t.Fatalf("pinned ETag %q, plain %q", etag, plain.Header.Get("ETag"))
	}

	// The browser asks again after the minute: nothing changed, a 304.
	req := newRequest(http.MethodGet, pinned, nil)
	req.Header.Set("If-None-Match", etag)
	resp = e.do(req)
	wantStatus(t, resp, http.StatusNotModified, readBody(t, resp))

	// The test stops: the same question gets the redirect, which the
	// integrity hash refuses.
	resp, _ = c.post("/experiments/"+x.ID+"/stop", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	req = newRequest(http.MethodGet, pinned, nil)
	req.Header.Set("If-None-Match", etag)
	resp = e.do(req)
	wantStatus(t, resp, http.StatusFound, readBody(t, resp))
	if got := resp.Header.Get("X-Copylab"); got != "pinned version is outdated" {
		t.Errorf("X-Copylab %q", got)
	}
	if got := resp.Header.Get("Location"); got != "/s/"+site.Key+".js" {
		t.Errorf("Location %q", got)
	}
}

package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// pinnedFetch is what a browser sends for the pinned tag as the site page
// offers it (crossorigin="anonymous", so a CORS request) on a page of
// shop.example, and again when it follows the redirect of an out-of-date
// one to the plain URL.
var pinnedFetch = []string{"Origin", "https://shop.example", "Referer", "https://shop.example/",
	"Sec-Fetch-Mode", "cors", "Sec-Fetch-Dest", "script", "Sec-Fetch-Site", "cross-site"}

// TestPinnedTagOutdatedLoadWarns: a page that asks for an out-of-date
// pinned tag is not a load of the tag: the browser refuses the script the
// URL redirects to (its integrity hash no longer matches), so no test runs
// there. The site page says so beside the install card's title and in the
// tag's status, with what to do, and the request, nor the browser's
// following of its redirect, counts as the tag loading. A current pinned
// tag still counts. Found by a review: the redirect counted as "Tag
// loaded", and the site page kept saying "Installed · Tag loaded just
// now" while every test was off on the pages with the old pin.
func TestPinnedTagOutdatedLoadWarns(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, x := e.shopSite()
	now := time.Now().Add(-48 * time.Hour)
	e.app.now = func() time.Time { return now }
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now.Unix() }
	const warning = "A page on https://shop.example uses an out-of-date pinned tag"
	const badge = `<span class="badge badge-paused">Pinned tag out of date</span>`
	check := func(step string, want, not []string, warned bool) {
		t.Helper()
		_, body := c.get("/sites/" + site.ID)
		status := tagStatusText(t, body, "tag-status")
		for _, w := range want {
			if !strings.Contains(status, w) {
				t.Errorf("%s: no %q in the tag status %q", step, w, status)
			}
		}
		for _, w := range not {
			if strings.Contains(status, w) {
				t.Errorf("%s: %q in the tag status %q", step, w, status)
			}
		}
		if got := strings.Contains(body, badge); got != warned {
			t.Errorf("%s: the badge Pinned tag out of date shown: %v, want %v", step, got, warned)
		}
		if got := strings.Contains(body, `<span class="badge badge-running">Installed</span>`); got == warned {
			t.Errorf("%s: the badge Installed shown: %v, want %v", step, got, !warned)
		}
		_, list := c.get("/sites")
		if got := strings.Contains(sitesRowText(t, list, site.ID), "Pinned tag out of date"); got != warned {
			t.Errorf("%s: the sites list's row says Pinned tag out of date: %v, want %v", step, got, warned)
		}
	}

	old := pinnedOnPage(t, c, site.ID)
	e.fetchTag(old, http.StatusOK, pinnedFetch...)
	check("a current pin", []string{"Tag loaded just now on https://shop.example."}, []string{"out-of-date"}, false)

	// The split changes: the pin is out of date. The page asks for it,
	// gets the redirect, and follows it to the plain URL.
	now = now.Add(10 * time.Minute)
	resp, _ := e.api(http.MethodPatch, "/api/v1/experiments/"+x.ID+"/variants/b", e.token("api@example.com"), `{"weight_bp":5001}`)
	wantStatus(t, resp, http.StatusOK, "")
	e.fetchTag(old, http.StatusFound, pinnedFetch...)
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, pinnedFetch...)
	now = now.Add(time.Minute)
	check("an out-of-date pin", []string{
		"Tag loaded 11 minutes ago on https://shop.example.",
		warning + " · 1 minute ago",
		"Browsers refuse it, so on that page no test runs and visitors see your original copy.",
		"Replace it with the plain tag below, which stays current by itself, or with the current pinned tag under Pin a version instead.",
	}, []string{"just now"}, true)
	_, body := c.get("/sites/" + site.ID)
	if !strings.Contains(body, `<details class="details" id="pin" open>`) {
		t.Errorf("the pinned tag's section is not open while a page uses an out-of-date one")
	}

	// The page gets the current pinned tag: it loads, and counts.
	current := pinnedOnPage(t, c, site.ID)
	e.fetchTag(current, http.StatusOK, pinnedFetch...)
	check("the current pin again", []string{"Tag loaded just now on https://shop.example.", warning + " · 1 minute ago"}, nil, true)

	// A day on, with no request for the old pin, the warning is gone.
	now = now.Add(25 * time.Hour)
	e.fetchTag(current, http.StatusOK, pinnedFetch...)
	check("a day on", []string{"Tag loaded just now on https://shop.example."}, []string{"out-of-date"}, false)
}

// TestPinnedTagOutdatedOnly: a site whose only page has an out-of-date
// pinned tag has no load of the tag: the site page warns of the old pin
// instead of saying "Installed", and does not ask for the tag to be
// pasted as if none were there.
func TestPinnedTagOutdatedOnly(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, x := e.shopSite()
	old := pinnedOnPage(t, c, site.ID)
	resp, _ := c.post("/experiments/"+x.ID+"/pause", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	e.fetchTag(old, http.StatusFound, pinnedFetch...)
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, pinnedFetch...)
	_, body := c.get("/sites/" + site.ID)
	status := tagStatusText(t, body, "tag-status")
	if !strings.Contains(status, "A page on https://shop.example uses an out-of-date pinned tag · just now") {
		t.Errorf("no warning of the old pin in %q", status)
	}
	for _, not := range []string{"Tag loaded", "Not seen yet"} {
		if strings.Contains(status, not) {
			t.Errorf("%q in %q", not, status)
		}
	}
	if !strings.Contains(body, `<span class="badge badge-paused">Pinned tag out of date</span>`) {
		t.Errorf("no badge Pinned tag out of date")
	}
}

// TestPinnedTagOutdatedWithoutCORS: an out-of-date pinned URL requested
// without CORS (a script without crossorigin, which cannot check an
// integrity hash, or curl) gets the same redirect; its script runs, so it
// is no warning, and the load it redirects to counts as any other.
func TestPinnedTagOutdatedWithoutCORS(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, x := e.shopSite()
	old := pinnedOnPage(t, c, site.ID)
	resp, _ := c.post("/experiments/"+x.ID+"/pause", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	e.fetchTag(old, http.StatusFound, "Referer", "https://shop.example/", "Sec-Fetch-Mode", "no-cors")
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/", "Sec-Fetch-Mode", "no-cors")
	_, body := c.get("/sites/" + site.ID)
	status := tagStatusText(t, body, "tag-status")
	if !strings.Contains(status, "Tag loaded just now on https://shop.example.") || strings.Contains(status, "out-of-date") {
		t.Errorf("tag status %q", status)
	}
}

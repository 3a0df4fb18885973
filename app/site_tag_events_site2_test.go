package app

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// tagBadge is the badge beside the install card's title.
func tagBadge(t *testing.T, body string) string {
	t.Helper()
	_, head, _ := strings.Cut(body, "<h2>Install the tag</h2>")
	head, _, _ = strings.Cut(head, `<div id="tag-status">`)
	return strings.Join(strings.Fields(stripTags(head)), " ")
}

// stripTags is an element's words without its markup.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestSiteTagEventsOnly: when a site's events arrive but no browser has
// fetched its tag from copylab (copylab simulate, a CDN serving a cached
// copy), the badge no longer says "Installed" above "Tag not loaded yet" (now
// "Tag not fetched from copylab yet"):
// it says "Events only", and the box says why that happens. Once a page
// loads the tag from copylab the badge says Installed. After an upgrade
// that began recording loads, an event since then reads the same way,
// and an event from before it still says the tag worked then. Found by a
// fresh-eyes review: the badge and the line under it contradicted each
// other.
func TestSiteTagEventsOnly(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, x := e.shopSite()
	if resp := e.postEvents(eventBody(site.Key, "visitor-1", x.ID, "b", false)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /e: %d", resp.StatusCode)
	}
	_, body := c.get("/sites/" + site.ID)
	if got := tagBadge(t, body); got != "Events only" {
		t.Errorf("badge %q, want Events only", got)
	}
	status := tagStatusText(t, body, "tag-status")
	for _, want := range []string{
		"Tag not fetched from copylab yet. Last event just now.",
		"Events arrive, but no browser has fetched the tag from copylab itself: a copy of the tag served from elsewhere (a CDN’s or a proxy’s cache) or a server that sends events on its own (such as copylab simulate) explains that.",
	} {
		if !strings.Contains(status, want) {
			t.Errorf("no %q in %q", want, status)
		}
	}

	// A page loads the tag from copylab: installed, and nothing to explain.
	req := newRequest(http.MethodGet, "/s/"+site.Key+".js", nil)
	req.Header.Set("Referer", "https://shop.example/pricing")
	if resp := e.do(req); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET tag: %d", resp.StatusCode)
	}
	_, body = c.get("/sites/" + site.ID)
	if got := tagBadge(t, body); got != "Installed" {
		t.Errorf("after a load, badge %q, want Installed", got)
	}
	if status := tagStatusText(t, body, "tag-status"); strings.Contains(status, "Events arrive") {
		t.Errorf("after a load the box still explains events without loads: %q", status)
	}

	// An upgrade began recording loads an hour ago, after the site was
	// added: an event since then has no load to show for it either.
	now := time.Now()
	w := e.store.Writer()
	if _, err := w.Exec(`update schema_migrations set applied_at = ? where version = 20`, now.Add(-time.Hour).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Exec(`update sites set created_at = ? where id = ?`, now.Add(-2*time.Hour).UnixMilli(), site.ID); err != nil {
		t.Fatal(err)
	}
	e.app = e.restarted()
	_, body = c.get("/sites/" + site.ID)
	status = tagStatusText(t, body, "tag-status")
	if got := tagBadge(t, body); got != "Events only" {
		t.Errorf("after the upgrade, badge %q, want Events only (%q)", got, status)
	}
	for _, want := range []string{"Tag not loaded since copylab began recording loads at its upgrade, 1 hour ago. Last event",
		"Events arrive, but no browser has fetched the tag from copylab itself"} {
		if !strings.Contains(status, want) {
			t.Errorf("after the upgrade: no %q in %q", want, status)
		}
	}
	if strings.Contains(status, "worked before") {
		t.Errorf("an event after the upgrade read as one from before it: %q", status)
	}

	// An event from before the upgrade: the tag worked then.
	if _, err := w.Exec(`update schema_migrations set applied_at = ? where version = 20`, now.Add(time.Hour).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	e.app = e.restarted()
	e.app.now = func() time.Time { return now.Add(2 * time.Hour) }
	_, body = c.get("/sites/" + site.ID)
	status = tagStatusText(t, body, "tag-status")
	if got := tagBadge(t, body); got != "Installed" || !strings.Contains(status, "The last event shows the tag worked before.") {
		t.Errorf("an event before the upgrade: badge %q, status %q", got, status)
	}
}

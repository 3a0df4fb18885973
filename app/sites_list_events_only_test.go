package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// sitesTagCell is the words of the Tag cell of a site's row on the sites
// list, a " / " between its lines (the cell's elements).
func sitesTagCell(t *testing.T, body, siteID string) string {
	t.Helper()
	rows := findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
		return n.Data == "tr" && len(findAll(n, func(a *xhtml.Node) bool { return attrOf(a, "href") == "/sites/"+siteID })) > 0
	})
	if len(rows) != 1 {
		t.Fatalf("%d rows for site %s in %.3000s", len(rows), siteID, body)
	}
	cells := findAll(rows[0], func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == "Tag" })
	if len(cells) != 1 {
		t.Fatalf("%d Tag cells in the row of site %s", len(cells), siteID)
	}
	var lines []string
	for n := cells[0].FirstChild; n != nil; n = n.NextSibling {
		if line := strings.Join(strings.Fields(textOf(n)), " "); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, " / ")
}

// TestSitesListEventsOnly: the sites list's Tag cell says "Events only"
// exactly when the site's page does: events arrive but no browser has
// fetched the tag from copylab (since copylab began recording loads).
// Before, the list said only "Last event …", which reads as a working tag.
func TestSitesListEventsOnly(t *testing.T) {
	event := func(e *env, site experiments.Site, x experiments.Experiment) {
		t.Helper()
		if resp := e.postEvents(eventBody(site.Key, "visitor-1", x.ID, "b", false)); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("POST /e: %d", resp.StatusCode)
		}
	}
	// upgraded restarts the app as after the upgrade that began recording
	// loads, an hour ago (or in an hour, when ago is negative), on a site
	// added before it.
	upgraded := func(e *env, site experiments.Site, now time.Time, ago time.Duration) {
		t.Helper()
		w := e.store.Writer()
		if _, err := w.Exec(`update schema_migrations set applied_at = ? where version = 20`, now.Add(-ago).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Exec(`update sites set created_at = ? where id = ?`, now.Add(-2*time.Hour).UnixMilli(), site.ID); err != nil {
			t.Fatal(err)
		}
		e.app = e.restarted()
	}
	tests := []struct {
		name  string
		setup func(e *env, site experiments.Site, x experiments.Experiment)
		badge string // the site page's
		cell  string // the list's
	}{
		{
			name:  "nothing yet",
			setup: func(*env, experiments.Site, experiments.Experiment) {},
			badge: "Not seen yet", cell: "Not seen yet",
		},
		{
			name:  "events, no load from copylab",
			setup: event,
			badge: "Events only", cell: "Last event just now / Events only",
		},
		{
			name: "a load from copylab, and events",
			setup: func(e *env, site experiments.Site, x experiments.Experiment) {
				e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/pricing")
				event(e, site, x)
			},
			badge: "Installed", cell: "Loaded just now / on https://shop.example",
		},
		{
			name: "events since the upgrade that began recording loads",
			setup: func(e *env, site experiments.Site, x experiments.Experiment) {
				event(e, site, x)
				upgraded(e, site, time.Now(), time.Hour)
			},
			badge: "Events only", cell: "Last event just now / Events only",
		},
		{
			name: "events before the upgrade: the tag worked then",
			setup: func(e *env, site experiments.Site, x experiments.Experiment) {
				event(e, site, x)
				now := time.Now()
				upgraded(e, site, now, -time.Hour)
				e.app.now = func() time.Time { return now.Add(2 * time.Hour) }
			},
			badge: "Installed", cell: "Last event 2 hours ago",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site, x := e.shopSite()
			tt.setup(e, site, x)

			_, body := c.get("/sites/" + site.ID)
			if got := tagBadge(t, body); got != tt.badge {
				t.Errorf("site page badge %q, want %q", got, tt.badge)
			}
			resp, body := c.get("/sites")
			wantStatus(t, resp, http.StatusOK, body)
			if got := sitesTagCell(t, body, site.ID); got != tt.cell {
				t.Errorf("sites list Tag cell %q, want %q", got, tt.cell)
			}
		})
	}
}

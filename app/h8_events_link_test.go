package app

import (
	"net/http"
	"testing"
)

// TestH8EventsLinkMembersOnly: the results page offers the events
// download beside its other CSVs; the share page, which anyone with the
// link reads, does not (the events hold visitor ids and URLs), and its
// address is not one of the share link's.
func TestH8EventsLinkMembersOnly(t *testing.T) {
	e, _, site, x := exportEnv(t)
	c := e.signIn("ann@example.com")
	wantStatus(t, e.postEvents(eventBody(site.Key, "v1", x.ID, "b", true)), http.StatusNoContent, "")
	_, results := c.get("/experiments/" + x.ID + "/results")
	wantContains(t, results, `href="/experiments/`+x.ID+`/events.csv" download>Download events (CSV)</a>`, "Results as CSV")
	resp, share := e.client().get("/r/" + x.ShareToken)
	wantStatus(t, resp, http.StatusOK, share)
	wantContains(t, share, "Results as CSV")
	wantNotContains(t, share, "events.csv", "Download events")
	resp, body := e.client().get("/r/" + x.ShareToken + "/events.csv")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the share link's events.csv: status %d: %.200s", resp.StatusCode, body)
	}
}

package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments/recorders"
)

// TestRecordingsCountVisitors: with two recorders set up (PostHog and a
// custom template), each visitor is recorded twice, once by each. The
// recordings card counts people, not recordings: 3 visitors per variant
// read "3 visitors recorded", on the team's results, the share page and
// the recordings page, never "6 sessions".
func TestRecordingsCountVisitors(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
		Custom:  "https://replay.example.com/sessions/{session_id}",
	}); err != nil {
		t.Fatal(err)
	}
	x := e.transition(e.experiment(site.ID, "Hero").ID, "start")
	for _, v := range []string{"control", "b"} {
		for i := range 3 {
			who := v + itoa(i)
			resp, body := e.postEventsAs(evBodyOf(site.Key, who, exposureEv(x.ID, v),
				recEvent(x.ID, v, "posthog", "ph-"+who, ""), recEvent(x.ID, v, "custom", "cs-"+who, "")), recDesktopUA)
			wantStatus(t, resp, http.StatusNoContent, body)
		}
	}
	c := e.signIn("ann@example.com")
	for _, p := range []struct {
		c    *client
		path string
	}{{c, "/experiments/" + x.ID + "/results"}, {e.client(), "/r/" + x.ShareToken}, {c, "/experiments/" + x.ID + "/recordings"}} {
		resp, body := p.c.get(p.path)
		wantStatus(t, resp, http.StatusOK, body)
		var got []string
		for _, n := range findAll(parseHTML(t, body), hasClass("rec-count")) {
			got = append(got, strings.Join(strings.Fields(textOf(n)), " "))
		}
		if strings.Join(got, " | ") != "3 visitors recorded (6 recordings) | 3 visitors recorded (6 recordings)" {
			t.Errorf("%s: counts %q, want 3 visitors recorded (6 recordings) for each variant", p.path, got)
		}
		// The list: each visitor once, with a link for each recorder.
		var rows, links int
		for _, tb := range findAll(parseHTML(t, body), hasClass("rec-table")) {
			for _, tr := range findAll(tb, func(n *xhtml.Node) bool { return n.Data == "tr" }) {
				if w := findAll(tr, hasClass("rec-watch")); len(w) > 0 {
					rows++
					links += len(w)
				}
			}
		}
		if rows != 6 || links != 12 {
			t.Errorf("%s: %d rows with %d links, want 6 visitors with 2 links each", p.path, rows, links)
		}
	}
}

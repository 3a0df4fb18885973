package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"copylab/experiments"
)

// TestExperimentPageReadsLastEventOnlyWhenShown: the experiment page
// reads the site's last event (a query over its newest events) only when
// what it shows may depend on it: a draft or a running test while the
// tag has not loaded since copylab started. Elsewhere the page is served
// with the events table out of reach, which stands in for the query.
func TestExperimentPageReadsLastEventOnlyWhenShown(t *testing.T) {
	for _, tc := range []struct {
		name    string
		actions []string
		loaded  bool // the tag loaded before the page is read
	}{
		{name: "draft, tag loaded", loaded: true},
		{name: "running, tag loaded", actions: []string{experiments.ActionStart}, loaded: true},
		{name: "paused, tag never seen", actions: []string{experiments.ActionStart, experiments.ActionPause}},
		{name: "stopped, tag never seen", actions: []string{experiments.ActionStart, experiments.ActionStop}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site, err := e.store.CreateSite(context.Background(), experiments.Site{Name: "Shop", Domain: "shop.example"})
			if err != nil {
				t.Fatal(err)
			}
			x := e.experiment(site.ID, "Hero", "Original", "Variant copy")
			for _, a := range tc.actions {
				x = e.transition(x.ID, a)
			}
			if tc.loaded {
				e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/")
			}
			if _, err := e.store.Writer().Exec(`alter table events rename to events_away`); err != nil {
				t.Fatal(err)
			}
			if _, _, err := e.store.SiteLastEvent(context.Background(), site.ID, time.Now()); err == nil {
				t.Fatal("SiteLastEvent works without the events table: the test shows nothing")
			}
			resp, body := c.get("/experiments/" + x.ID)
			wantStatus(t, resp, http.StatusOK, body)
		})
	}
}

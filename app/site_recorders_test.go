package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments/recorders"
)

// TestSiteRecordersPostHogPageAddress: the address of a PostHog page,
// pasted from the browser as the app's address, is read as the app's
// address and its project; taken as typed, every variant's link would
// repeat the page's path and open nothing in PostHog.
func TestSiteRecordersPostHogPageAddress(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	ctx := context.Background()
	tests := []struct {
		name, host, id   string
		wantHost, wantID string
	}{
		{"replay page, no id typed", "https://eu.posthog.com/project/12345/replay/home?filters=%7B%7D", "", "https://eu.posthog.com", "12345"},
		{"project page, the id typed", "https://us.posthog.com/project/777/", "777", "https://us.posthog.com", "777"},
		{"self-hosted under a path", "https://tools.example.com/posthog/project/42/web", "", "https://tools.example.com/posthog", "42"},
		{"an address alone is kept", "https://posthog.example.com", "9", "https://posthog.example.com", "9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.post("/sites/"+site.ID+"/recorders", url.Values{"posthog.host": {tt.host}, "posthog.project_id": {tt.id}})
			wantStatus(t, resp, http.StatusSeeOther, body)
			got, err := e.store.SiteRecorders(ctx, site.ID)
			if err != nil || got.PostHog == nil || got.PostHog.Host != tt.wantHost || got.PostHog.ProjectID != tt.wantID {
				t.Fatalf("saved %+v (%v), want %s and project %s", got.PostHog, err, tt.wantHost, tt.wantID)
			}
			links := got.VariantLinks(recorders.Experiment{ID: "x"}, "b")
			if len(links) != 1 || !strings.HasPrefix(links[0].URL, tt.wantHost+"/project/"+tt.wantID+"/replay/home?") {
				t.Errorf("the variant's link: %+v", links)
			}
		})
	}
	// Not an address at all: still refused, as typed.
	resp, body := c.post("/sites/"+site.ID+"/recorders", url.Values{"posthog.host": {"posthog.com/project/12345"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, escHTML(`"posthog.com/project/12345" is not a URL like https://us.posthog.com.`))
}

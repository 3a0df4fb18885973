package app

import (
	"context"
	"net/http"
	"testing"

	"copylab/experiments/recorders"
)

// TestAPIRecordingSessionsKeepEveryField: the results document gives
// absent values as null, never leaving them out, and its recordings'
// sessions did not: text was left out when empty, and dropped when the
// recorder gave both a link and words. Each session now has recorder,
// url, text, converted and at, url or text null when there is none.
func TestAPIRecordingSessionsKeepEveryField(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
		Clarity: &recorders.Clarity{ProjectID: "clar1ty"},
	}); err != nil {
		t.Fatal(err)
	}
	x := e.transition(e.experiment(site.ID, "Hero").ID, "start")
	resp, body := e.postEventsAs(evBodyOf(site.Key, "ann", exposureEv(x.ID, "b"),
		recEvent(x.ID, "b", "posthog", "ph-ann", ""), recEvent(x.ID, "b", "clarity", "no-slash", "")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)

	resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", e.token("api@example.com"), "")
	wantStatus(t, resp, http.StatusOK, "")
	seen := map[string]bool{}
	for _, v := range out["variants"].([]any) {
		for _, s := range v.(map[string]any)["recordings"].(map[string]any)["sessions"].([]any) {
			s := s.(map[string]any)
			wantKeys(t, "session", s, "recorder", "url", "text", "converted", "at")
			switch s["recorder"] {
			case "posthog":
				if s["url"] == nil || s["text"] != nil {
					t.Errorf("the PostHog session: url %v, text %v; want a url and a null text", s["url"], s["text"])
				}
			case "clarity":
				if s["url"] != nil || s["text"] == nil || s["text"] == "" {
					t.Errorf("the Clarity session without an id: url %v, text %v; want a null url and the page's words", s["url"], s["text"])
				}
			}
			seen[s["recorder"].(string)] = true
		}
	}
	if !seen["posthog"] || !seen["clarity"] {
		t.Fatalf("sessions seen %v, want PostHog's and Clarity's", seen)
	}
}

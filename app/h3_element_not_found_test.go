package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"copylab/experiments"
)

// TestNotifyElementNeverFoundAsThePage: when the tag finds the page but
// has never found the tested element on it, the results page heads its
// verdict "The element was not found" and says so; the webhook's message
// says the same, under the same headline, not that the element "is going
// missing", and the site page lists it by that headline.
func TestNotifyElementNeverFoundAsThePage(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	setWebhook(t, e, site.ID, h.URL+"/hook")
	for i := range 12 {
		body := `{"site":"` + site.Key + `","visitor":"gone` + itoa(i) + `","events":[{"id":"` + uuid.Must(uuid.NewV7()).String() +
			`","type":"exposure","experiment":"` + x.ID + `","variant":"b","matched":false,"url":"/pricing"}]}`
		wantStatus(t, e.postEvents(body), http.StatusNoContent, "")
	}
	c := e.signIn("ann@example.com")
	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	title, text, _, _ := verdictOn(t, body)
	if title != "The element was not found" {
		t.Fatalf("the results page heads it %q; the case wants the element never found", title)
	}

	if n := e.app.notifyOnce(context.Background()); n != 1 {
		t.Fatalf("sent %d, want the missing element's message", n)
	}
	got := h.received()
	if len(got) != 1 {
		t.Fatalf("webhook got %v", got)
	}
	v, _ := got[0]["verdict"].(map[string]any)
	if want := title + ": “Hero” on Shop"; got[0]["title"] != want {
		t.Errorf("title %q, want the page's %q", got[0]["title"], want)
	}
	if all, _ := got[0]["text"].(string); v["text"] != text || !strings.Contains(all, "\n"+text+"\n") {
		t.Errorf("text %q, verdict.text %q\nwant the page's %q", got[0]["text"], v["text"], text)
	}
	if v["status"] != "element_missing" {
		t.Errorf("status %q, want element_missing", v["status"])
	}
	wantContains(t, notifyCard(t, c, site.ID), "Latest messages", " · "+title+`: <a href="/experiments/`+x.ID+`/results" dir="auto">Hero</a>`)
}

// TestNotifyElementNeverFoundInChat: a chat tool's message about an
// element never found gives the page's sentence with the selector cut to
// a length that reads well there, as the other messages cut it; the
// generic JSON keeps it whole.
func TestNotifyElementNeverFoundInChat(t *testing.T) {
	for _, tc := range []struct{ name, url string }{
		{"slack", "http://hooks.slack.com/services/T0/B0/XXX"},
		{"generic", "http://chat.example/hooks/abc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			h := newHook(t)
			routeWebhooksTo(t, e, h)
			site := e.site("Shop")
			selector := `[data-copylab="` + strings.Repeat("x", 150) + `"]`
			x := e.experimentOn(site.ID, "Hero", "/pricing", selector)
			x = e.transition(x.ID, experiments.ActionStart)
			setWebhook(t, e, site.ID, tc.url)
			for i := range 12 {
				body := `{"site":"` + site.Key + `","visitor":"gone` + itoa(i) + `","events":[{"id":"` + uuid.Must(uuid.NewV7()).String() +
					`","type":"exposure","experiment":"` + x.ID + `","variant":"b","matched":false,"url":"/pricing"}]}`
				wantStatus(t, e.postEvents(body), http.StatusNoContent, "")
			}
			if n := e.app.notifyOnce(context.Background()); n != 1 {
				t.Fatalf("sent %d, want the missing element's message", n)
			}
			text, _ := h.received()[0]["text"].(string)
			wantContains(t, text, "The element was not found", "The tag ran on 12 page views matching /pricing, but the element ", " was not found there within")
			if whole := strings.Contains(text, selector); whole != (tc.name == "generic") {
				t.Errorf("the selector whole in the message: %v\n%s", whole, text)
			}
		})
	}
}

package app

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestSiteNotificationsFlashInCard: saving a webhook, sending a test
// message and turning it off come back to the Notifications card with
// what happened said inside it, not at the top of the page (a few screens
// above the card the browser scrolls to). Other actions keep the flash at
// the top.
func TestSiteNotificationsFlashInCard(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	c := e.signIn("owner@example.com")
	e.app.testSends = nil
	site := e.site("Shop")
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer hook.Close()

	card := func(body string) string {
		i := strings.Index(body, `id="notifications"`)
		j := strings.Index(body, `id="settings"`)
		if i < 0 || j < i {
			t.Fatal("no Notifications card")
		}
		return body[i:j]
	}
	for _, step := range []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"save", "/notifications", url.Values{"webhook_url": {hook.URL + "/hook"}}, "Notifications on: copylab posts to 127.0.0.1"},
		{"test message", "/notifications/test", nil, "Test message sent to 127.0.0.1"},
		{"turn off", "/notifications", url.Values{"off": {"1"}}, "Notifications off"},
		{"test message with none saved", "/notifications/test", nil, "Save a webhook URL first."},
	} {
		t.Run(step.name, func(t *testing.T) {
			resp, _ := c.post("/sites/"+site.ID+step.path, step.form)
			wantStatus(t, resp, http.StatusSeeOther, "")
			to := resp.Header.Get("Location")
			if want := "/sites/" + site.ID + "?at=notifications#notifications"; to != want {
				t.Fatalf("sent to %q, want %q", to, want)
			}
			_, body := c.get(strings.TrimSuffix(to, "#notifications"))
			if strings.Count(body, escHTML(step.want)) != 1 || !strings.Contains(card(body), escHTML(step.want)) {
				t.Errorf("%q is not said once, in the card", step.want)
			}
		})
	}
	resp, _ := c.post("/sites/"+site.ID+"/settings", url.Values{"name": {"Shop"}, "domain": {"example.com"}, "hide_timeout_ms": {"1000"}})
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body := c.get(resp.Header.Get("Location"))
	if strings.Contains(card(body), "Settings saved.") || !strings.Contains(body, "Settings saved.") {
		t.Error("the settings' flash moved into the Notifications card, or went missing")
	}
}

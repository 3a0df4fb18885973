package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestNotifyFlashFocusableReview4: after Save webhook, Send a test
// message or Turn off, the card the page comes back to shows what
// happened in a message that can take the focus (tabindex="-1") and asks
// for it (data-focus-on-load), so that app.js moves the focus there and a
// screen reader reads it. The browser side is
// TestNotifyCardFocusBrowserReview4.
func TestNotifyFlashFocusableReview4(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	e.app.testSends = nil
	h := newHook(t)
	site := e.site("Shop")
	c := e.signIn("owner@example.com")
	c.get("/sites/" + site.ID)

	for _, tt := range []struct {
		name, path string
		form       url.Values
		says       string
	}{
		{name: "save", path: "/notifications", form: url.Values{"webhook_url": {h.URL + "/hooks/s3cret"}}, says: "Notifications on"},
		{name: "test message", path: "/notifications/test", says: "Test message sent"},
		{name: "turn off", path: "/notifications", form: url.Values{"off": {"1"}}, says: "Notifications off"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.post("/sites/"+site.ID+tt.path, tt.form)
			wantStatus(t, resp, http.StatusSeeOther, body)
			card := notifyCard(t, c, site.ID)
			flash := regexp.MustCompile(`<div [^>]*class="flash flash-ok"[^>]*>`).FindString(card)
			if flash == "" || !strings.Contains(card, tt.says) {
				t.Fatalf("no message in the card saying %q: %s", tt.says, card)
			}
			for _, want := range []string{`tabindex="-1"`, `data-focus-on-load`} {
				if !strings.Contains(flash, want) {
					t.Errorf("the card's message %s has no %s", flash, want)
				}
			}
		})
	}
}

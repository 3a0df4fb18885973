package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// turnOffButton is the Notifications card's Turn off button, as rendered.
var turnOffButton = regexp.MustCompile(`<input type="hidden" name="off" value="1">\s*<button[^>]*>Turn off</button>`)

// TestNotifyTurnOffAsksReview4: Turn off forgets the webhook's secret URL,
// which copylab never shows again, so the button asks first, in the
// page's confirm dialog (data-confirm), and the question says the URL is
// forgotten and must be pasted again to turn notifications back on.
// Turning off still works once asked. Found by a browser review.
func TestNotifyTurnOffAsksReview4(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	setWebhook(t, e, site.ID, "https://hooks.slack.com/services/T0/B0/s3cret")
	c := e.signIn("owner@example.com")

	card := notifyCard(t, c, site.ID)
	btn := turnOffButton.FindString(card)
	if btn == "" {
		t.Fatalf("no Turn off button in the card: %s", card)
	}
	m := regexp.MustCompile(`data-confirm="([^"]*)"`).FindStringSubmatch(btn)
	if m == nil {
		t.Fatalf("Turn off does not ask first: %s", btn)
	}
	question := html.UnescapeString(m[1])
	for _, want := range []string{"forgets the webhook URL", "paste it again"} {
		if !strings.Contains(question, want) {
			t.Errorf("Turn off asks %q; want it to say %q", question, want)
		}
	}

	resp, body := c.post("/sites/"+site.ID+"/notifications", url.Values{"off": {"1"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	got, err := e.store.Site(context.Background(), site.ID)
	if err != nil || got.WebhookURL != "" {
		t.Fatalf("after Turn off the webhook is %q (%v)", got.WebhookURL, err)
	}
}

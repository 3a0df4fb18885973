package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"copylab/experiments"
)

// TestNotifyPausedCardReview4: a webhook copylab paused (it answered 404,
// say) is not posted to, so its card does not say "Posting to" it: it
// says delivery is paused, and what turns it back on. A webhook that is
// not paused still says where copylab posts. Found by a browser review.
func TestNotifyPausedCardReview4(t *testing.T) {
	// Private addresses allowed: the receiver's 404 is the only pause.
	e := newEnvConfig(t, allowPrivateWebhooks)
	site := e.site("Shop")
	const hookURL = "http://127.0.0.1:18142/hooks/s3cret"
	setWebhook(t, e, site.ID, hookURL)
	c := e.signIn("owner@example.com")

	card := notifyCard(t, c, site.ID)
	wantContains(t, card, "Posting to <code")

	if err := e.store.RecordWebhookRefusal(context.Background(), site.ID, hookURL,
		experiments.WebhookRefusal{Status: http.StatusNotFound, Message: "We have a winner", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	card = notifyCard(t, c, site.ID)
	wantNotContains(t, card, "Posting to", "s3cret")
	wantContains(t, card, "Paused: copylab is not posting to <code",
		"Send a test message</strong> once the webhook is fixed, or paste a new URL below.")
}

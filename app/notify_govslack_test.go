package app

import (
	"context"
	"net/http"
	"testing"
)

// TestNotifyGovSlackRefusesWebhook: GovSlack's webhooks answer as
// Slack's do, so its word that a webhook is gone (400 no_service) pauses
// the webhook instead of dropping one message after another, and the
// card says what GovSlack's host answered.
func TestNotifyGovSlackRefusesWebhook(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	h := newHook(t)
	routeWebhooksTo(t, e, h)
	h.status, h.said = []int{http.StatusBadRequest}, []string{"no_service"}
	site := e.site("Shop")
	winnerOn(e, site, "Pricing hero")
	winnerOn(e, site, "Checkout button")
	setWebhook(t, e, site.ID, "http://hooks.slack-gov.com/services/T0/B0/s3cret")
	if n := e.app.notifyOnce(ctx); n != 0 || len(h.received()) != 1 {
		t.Fatalf("sent %d in %d posts; want one post, refused", n, len(h.received()))
	}
	if n := e.app.notifyOnce(ctx); n != 0 || len(h.received()) != 1 {
		t.Fatalf("tried again: sent %d, %d posts in all", n, len(h.received()))
	}
	card := notifyCard(t, e.signIn("owner@example.com"), site.ID)
	wantContains(t, card, `<span class="badge badge-paused">Paused</span>`,
		"hooks.slack-gov.com answered 400 (no_service) on ", ": there is no webhook at that URL any more")
	wantNotContains(t, card, "s3cret", `id="undelivered"`)
	wantContains(t, notifyMetrics(t, e), `copylab_notifications_total{result="paused"} 1`)
}

package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"copylab/views"
)

// slackHookURL is a Slack webhook's URL, which routeWebhooksTo sends to a
// test receiver.
const slackHookURL = "http://hooks.slack.com/services/T0/B0/s3cret"

// TestNotifySlackRefusesWebhook: Slack answers a webhook that is gone or
// closed to copylab (deleted or disabled, its token revoked, its workspace
// disabled, its channel archived, posting restricted) with its own word
// for it, some with 400. Such an answer pauses the webhook as a 404 does:
// that message once, no other message that round, the next minute or
// after a restart, the card Paused with what Slack said and what it
// means; a test message that gets through resumes delivery and sends
// what was held back.
func TestNotifySlackRefusesWebhook(t *testing.T) {
	for _, tc := range []struct {
		status int
		said   string
		reason string
	}{
		{http.StatusBadRequest, "no_service", "there is no webhook at that URL any more"},
		{http.StatusBadRequest, "no_service_id", "there is no webhook at that URL any more"},
		{http.StatusBadRequest, "no_active_hooks", "there is no webhook at that URL any more"},
		{http.StatusBadRequest, "channel_not_found", "there is no webhook at that URL any more"},
		{http.StatusBadRequest, "user_not_found", "there is no webhook at that URL any more"},
		{http.StatusBadRequest, "no_team", "its Slack workspace is no longer active"},
		{http.StatusBadRequest, "team_disabled", "its Slack workspace is no longer active"},
		{http.StatusBadRequest, "channel_is_archived", "its channel was archived"},
		{http.StatusBadRequest, "invalid_token", "it does not let copylab post"},
		{http.StatusBadRequest, "action_prohibited", "it does not let copylab post"},
		{http.StatusBadRequest, "posting_to_general_channel_denied", "it does not let copylab post"},
		// With a status that pauses anyway, the card still says Slack's word.
		{http.StatusForbidden, "invalid_token", "it does not let copylab post"},
		{http.StatusNotFound, "no_service", "there is no webhook at that URL any more"},
		{http.StatusGone, "channel_is_archived", "its channel was archived"},
		{http.StatusBadRequest, "no_service\n", "there is no webhook at that URL any more"},
	} {
		t.Run(itoa(tc.status)+" "+tc.said, func(t *testing.T) {
			e := newEnv(t)
			e.app.testSends = nil
			ctx := context.Background()
			h := newHook(t)
			routeWebhooksTo(t, e, h)
			h.status, h.said = []int{tc.status}, []string{tc.said} // then 200
			site := e.site("Shop")
			winnerOn(e, site, "Pricing hero")
			winnerOn(e, site, "Checkout button")
			setWebhook(t, e, site.ID, slackHookURL)
			if n := e.app.notifyOnce(ctx); n != 0 || len(h.received()) != 1 {
				t.Fatalf("sent %d in %d posts; want one post, refused", n, len(h.received()))
			}
			restarted := e.restarted()
			restarted.webhooks = e.app.webhooks
			for _, a := range []*App{e.app, e.app, restarted} {
				if n := a.notifyOnce(ctx); n != 0 || len(h.received()) != 1 {
					t.Fatalf("tried again: sent %d, %d posts in all", n, len(h.received()))
				}
			}
			wantContains(t, notifyMetrics(t, e), `copylab_notifications_total{result="paused"} 1`)
			wantNotContains(t, notifyMetrics(t, e), `result="dropped"`)

			c := e.signIn("owner@example.com")
			card := notifyCard(t, c, site.ID)
			said := strings.TrimSpace(tc.said)
			wantContains(t, card, `<span class="badge badge-paused">Paused</span>`,
				"hooks.slack.com answered "+itoa(tc.status)+" ("+said+") on ", ": "+tc.reason,
				escHTML("Refused: We have a winner: “"))
			wantNotContains(t, card, "s3cret", "badge-running", `id="undelivered"`)

			resp, _ := c.post("/sites/"+site.ID+"/notifications/test", nil)
			wantStatus(t, resp, http.StatusSeeOther, "")
			card = notifyCard(t, c, site.ID)
			wantContains(t, card, escHTML("Test message sent to hooks.slack.com. Notifications are on again"),
				`<span class="badge badge-running">On</span>`)
			if n := e.app.notifyOnce(ctx); n != 2 || len(h.received()) != 4 {
				t.Fatalf("after the test message: sent %d, %d posts in all; want both held-back messages", n, len(h.received()))
			}
		})
	}
}

// TestNotifySlackRefusesMessage: Slack's 400s about the message itself
// (a payload it cannot read, no text, too many attachments), or a 400
// that names nothing, drop that message as any webhook's 400 does: the
// next ones still go out, and the webhook stays On. A webhook that is not
// Slack's is not read for Slack's words: its 400 "no_service" drops one
// message (TestNotifyMessageRefused's receiver says so to every post).
func TestNotifySlackRefusesMessage(t *testing.T) {
	for _, said := range []string{"invalid_payload", "no_text", "too_many_attachments", "", "no_service, or so"} {
		t.Run(said, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			h := newHook(t)
			routeWebhooksTo(t, e, h)
			h.status, h.said = []int{http.StatusBadRequest}, []string{said}
			site := e.site("Shop")
			winnerOn(e, site, "Pricing hero")
			winnerOn(e, site, "Checkout button")
			setWebhook(t, e, site.ID, slackHookURL)
			if n := e.app.notifyOnce(ctx); n != 1 || len(h.received()) != 2 {
				t.Fatalf("sent %d in %d posts; want the refused message, then the other one through", n, len(h.received()))
			}
			if n := e.app.notifyOnce(ctx); n != 0 || len(h.received()) != 2 {
				t.Fatalf("posted again: sent %d, %d posts in all", n, len(h.received()))
			}
			card := notifyCard(t, e.signIn("owner@example.com"), site.ID)
			wantContains(t, card, `<span class="badge badge-running">On</span>`, `<h3 id="undelivered">Not delivered</h3>`,
				"copylab could not deliver: the webhook refused the message (400 Bad Request).")
			wantNotContains(t, card, "badge-paused")
			wantContains(t, notifyMetrics(t, e), `copylab_notifications_total{result="dropped"} 1`)
		})
	}
}

// TestTestMessageSlackRefusesWebhook: a test message that Slack answers
// with 400 no_service pauses the webhook, and the flash says what Slack
// said and what it means.
func TestTestMessageSlackRefusesWebhook(t *testing.T) {
	e := newEnv(t)
	e.app.testSends = nil
	ctx := context.Background()
	h := newHook(t)
	routeWebhooksTo(t, e, h)
	h.status, h.said = []int{http.StatusBadRequest}, []string{"no_service"}
	site := e.site("Shop")
	winnerOn(e, site, "Pricing hero")
	setWebhook(t, e, site.ID, slackHookURL)
	c := e.signIn("owner@example.com")
	resp, _ := c.post("/sites/"+site.ID+"/notifications/test", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	card := notifyCard(t, c, site.ID)
	wantContains(t, card,
		escHTML("The test message did not get through to hooks.slack.com: the webhook answered 400 (no_service): "+
			views.RefusalReason(400, "no_service")+". copylab has paused notifications to it."),
		`<span class="badge badge-paused">Paused</span>`, "hooks.slack.com answered 400 (no_service) on ")
	if n := e.app.notifyOnce(ctx); n != 0 || len(h.received()) != 1 {
		t.Fatalf("the notifier posted to the refused webhook: sent %d, %d posts", n, len(h.received()))
	}
}

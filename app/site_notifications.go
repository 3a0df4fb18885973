package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/variants/netguard"
	"copylab/views"
)

// siteNotificationsSave answers POST /sites/:id/notifications: the webhook
// the site's verdicts are announced at (empty: none). A URL copylab cannot
// use shows the site page again with the reason beside the field.
func (a *App) siteNotificationsSave(c *fiber.Ctx) error {
	ctx := c.UserContext()
	site, err := a.store.Site(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	off := c.FormValue("off") != ""
	typed := strings.TrimSpace(c.FormValue("webhook_url"))
	if off {
		typed = ""
	}
	var saved experiments.Site
	if typed == "" && !off && site.WebhookURL != "" {
		// The field starts empty once a webhook is saved (the URL is a
		// secret): an empty save is a slip, not a request to turn it off.
		err = experiments.ValidationError{{Field: "webhook_url", Code: "required",
			Message: "Paste the new webhook URL to replace the saved one, or press Turn off to stop notifications."}}
	} else if blocked := refusedHost(a.cfg, typed); blocked != nil && blocked.Private {
		err = experiments.ValidationError{{Field: "webhook_url", Code: "private_address", Message: "That address" + privateAddressWords}}
	} else if blocked != nil {
		err = experiments.ValidationError{{Field: "webhook_url", Code: "blocked_address",
			Message: "That address is link-local or a cloud metadata service, which copylab never connects to."}}
	} else if errs := experiments.CheckWebhookURL(typed, a.cfg.WebhookAllowPrivate); errs != nil {
		// After the address checks: for a private address, their
		// sentence says what to ask for, which allows http:// as well.
		err = errs
	} else {
		saved, err = a.store.SetSiteWebhook(ctx, site.ID, typed)
	}
	var ve experiments.ValidationError
	if errors.As(err, &ve) && len(ve) > 0 {
		p, perr := a.sitePage(c, site)
		if perr != nil {
			return perr
		}
		p.Notify.URL, p.Notify.Error = typed, ve[0].Message
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Site(p))
	}
	if err != nil {
		return err
	}
	// A save is what the page asks for after a refusal (webhookRefusal):
	// a new URL, or the same one pasted again once fixed, is tried anew.
	if err := a.store.ClearWebhookRefusal(ctx, site.ID); err != nil {
		return err
	}
	msg := "Notifications off: copylab will post nowhere."
	if saved.WebhookURL != "" {
		msg = "Notifications on: copylab posts to " + webhookHost(saved.WebhookURL) + " when a test has an answer or its split breaks. Send a test message to check the channel."
	}
	return a.redirectWithFlash(c, notificationsURL(site.ID), "ok", msg)
}

// refusedHost is why webhookGuard refuses rawURL's host as written, or
// nil (for an empty URL, or one that does not parse, too: the store says
// what is wrong with those).
func refusedHost(cfg Config, rawURL string) *netguard.BlockedError {
	u, err := url.Parse(rawURL)
	if err != nil || rawURL == "" {
		return nil
	}
	var blocked *netguard.BlockedError
	if errors.As(webhookGuard(cfg).CheckHost(u.Hostname()), &blocked) {
		return blocked
	}
	return nil
}

// plainWebhook tells whether a saved webhook uses http:// where copylab
// now refuses it (experiments.CheckWebhookURL): saved before https:// was
// required. copylab goes on posting to it, since dropping or pausing it
// would stop a team's messages after an upgrade with nothing to say why;
// the Notifications card asks for its https:// URL instead.
func (a *App) plainWebhook(rawURL string) bool {
	errs := experiments.CheckWebhookURL(rawURL, a.cfg.WebhookAllowPrivate)
	return len(errs) > 0 && errs[0].Code == "https_required"
}

// privateAddressWords end the sentences that refuse a webhook on a
// private address (webhookGuard), after its subject: when it is saved,
// when a test message is sent, and on the card of one saved before they
// were refused. The member cannot change the setting; they can ask.
const privateAddressWords = " is on the computer copylab runs on or on a private network, where copylab does not post. " +
	"If your chat server is on the internal network, ask whoever runs copylab to allow private addresses."

// notificationsURL is where the webhook's actions send the browser back:
// the site page at its Notifications card, which shows what the action did
// (siteShow moves the flash there). At the top of the page, the flash would
// be a few screens above the card the page scrolls to, and a test message
// would seem to do nothing.
func notificationsURL(siteID string) string {
	return "/sites/" + siteID + "?at=notifications#notifications"
}

// testMessageRate is how many test messages a user may send a second: one
// every 6 s. The button posts to any address a user saves, private ones
// included where whoever runs copylab allows them, and what comes back,
// and how soon, says something of what listens there; one message every few seconds is plenty for fixing a
// webhook and slow for mapping a network.
const testMessageRate = 1.0 / 6

// siteNotificationsTest answers POST /sites/:id/notifications/test: one
// message to the saved webhook, and what came of it.
func (a *App) siteNotificationsTest(c *fiber.Ctx) error {
	ctx := c.UserContext()
	site, err := a.store.Site(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	to := notificationsURL(site.ID)
	if site.WebhookURL == "" {
		return a.redirectWithFlash(c, to, "error", "Save a webhook URL first.")
	}
	if ok, wait := a.testSends.allow(sessionOf(c).accountKey()); !ok {
		secs := ceilSeconds(wait)
		return a.redirectWithFlash(c, to, "error", fmt.Sprintf("You sent a test message a moment ago; send the next one in %d s.", secs))
	}
	const text = "Notifications from copylab reach this channel. You will hear here when a test on this site has an answer."
	title := "copylab test message for “" + site.Name + "”"
	// The link leads back to this card, and says so.
	err = a.sendWebhook(ctx, site.WebhookURL, notice{
		Title:     title,
		Text:      text,
		URL:       a.cfg.PublicURL + "/sites/" + site.ID + "#notifications",
		linkLabel: "Open the notification settings",
		short:     &shortNotice{Title: "copylab test message for “" + clip(site.Name, clipName) + "”", Text: text},
	})
	if err != nil {
		a.log.Warn("notify: the test message did not get through", "request_id", requestIDOf(c),
			"site", site.Key, "webhook_host", webhookHost(site.WebhookURL), "error", err)
		if status, f := failureOf(err); f == failWebhook {
			// The test message went where the notifier posts, and the
			// answer is about that URL: every message would get it. So the
			// webhook is paused as delivery would pause it, and the card
			// says why and what to do, instead of showing On until the
			// next verdict is refused.
			r := experiments.WebhookRefusal{Status: status, Answer: webhookAnswer(err), Message: title, At: a.now()}
			if err := a.store.RecordWebhookRefusal(ctx, site.ID, site.WebhookURL, r); err != nil {
				return err
			}
			a.metrics.notifications.WithLabelValues("paused").Inc()
		} else {
			a.metrics.notifications.WithLabelValues("failed").Inc()
		}
		return a.redirectWithFlash(c, to, "error", a.testMessageAnswer(site.WebhookURL, err))
	}
	a.metrics.notifications.WithLabelValues("sent").Inc()
	msg := "Test message sent to " + webhookHost(site.WebhookURL) + "."
	if _, refused, err := a.store.WebhookRefusalOf(ctx, site.ID, site.WebhookURL); err != nil {
		return err
	} else if refused {
		// The webhook takes messages again: the notifier sends what it
		// held back on its next round.
		if err := a.store.ClearWebhookRefusal(ctx, site.ID); err != nil {
			return err
		}
		msg += " Notifications are on again: copylab sends what it held back within a minute."
	}
	return a.redirectWithFlash(c, to, "ok", msg)
}

// fillRefusal puts in the Notifications card what the site's webhook
// answered when it refused a message for good (failWebhook), unless its
// URL was replaced since, and the latest messages it refused by
// themselves (failMessage), which copylab gave up.
func (a *App) fillRefusal(ctx context.Context, site experiments.Site, f *views.NotifyForm) error {
	given, err := a.store.SiteUndelivered(ctx, site.ID, 5)
	if err != nil {
		return err
	}
	for _, u := range given {
		f.Undelivered = append(f.Undelivered, views.UndeliveredNotice{ExperimentID: u.ExperimentID, ExperimentName: u.ExperimentName,
			Title: sentTitle(u.Status, u.Title), Answer: statusWithText(u.HTTPStatus), At: u.At})
	}
	if site.WebhookURL == "" {
		return nil
	}
	r, ok, err := a.store.WebhookRefusalOf(ctx, site.ID, site.WebhookURL)
	if err != nil {
		return err
	}
	host := webhookHost(site.WebhookURL)
	if ok && r.Status == 0 {
		// copylab refused the address itself (webhookAnswer): paused as
		// for a receiver's answer, so the card reads Paused, with
		// copylab's reason in place of an answer.
		if a.refusalHolds(r) {
			f.Refused = &views.NotifyRefusal{Host: host, Message: r.Message, At: r.At, Reason: refusedAddressWords(host, r.Answer)}
		}
		return nil
	}
	if ok {
		f.Refused = &views.NotifyRefusal{Host: host, Status: r.Status, Answer: r.Answer, Message: r.Message, At: r.At}
		return nil
	}
	// Saved before copylab refused its address, and nothing was due since:
	// nothing will go there, so the card says Paused now, not at the
	// first verdict.
	if blocked := refusedHost(a.cfg, site.WebhookURL); blocked != nil {
		answer := refusedBlocked
		if blocked.Private {
			answer = refusedPrivate
		}
		f.Refused = &views.NotifyRefusal{Host: host, Reason: refusedAddressWords(host, answer)}
	}
	return nil
}

// refusedAddressWords say why copylab refused a saved webhook's address
// (answer: refusedPrivate or refusedBlocked) and what to do. The member
// cannot start copylab with another setting, so the card names the flag
// for them to pass on.
func refusedAddressWords(host, answer string) string {
	if answer == refusedPrivate {
		return host + " is on the computer copylab runs on or on a private network, where copylab does not post. " +
			"Paste a webhook URL on the internet below or, if your chat server is on the internal network, " +
			"ask whoever runs copylab to allow private addresses (they start copylab with --webhook-allow-private): copylab then posts again by itself."
	}
	return host + " is a link-local or cloud metadata address, which copylab never connects to. Paste another webhook URL below."
}

// statusWithText is an HTTP status with its name, "400 Bad Request", or
// the number alone when it has none.
func statusWithText(status int) string {
	if t := http.StatusText(status); t != "" {
		return fmt.Sprintf("%d %s", status, t)
	}
	return strconv.Itoa(status)
}

// testMessageFailure says why a test message did not get through, in
// words a person can act on and no more. Anyone who may save a webhook
// sees it, and copylab may post to loopback and private addresses (where
// whoever runs copylab allows them, webhookGuard), so the button must not
// become a probe of copylab's own network: the receiver's
// answer body, a dial error's addresses and ports, and the resolver's
// address are left out, and every failure below HTTP (a refused, reset,
// unreachable or silent connection, or one that answered with something
// other than HTTP) gets one sentence, so that a closed port reads like an
// open one that speaks another protocol. What the page does tell apart is
// what fixing a webhook needs and what only an HTTP(S) server can cause:
// its status, a redirect, its TLS certificate or scheme; and, where
// private addresses are allowed, a name that does not resolve, the
// commonest typo (testMessageAnswer says why not otherwise). Of a body, only one of Slack's
// known errors about a webhook from Slack's host is shown (a fixed word,
// slackWebhookErrors), since it says what to fix. The log keeps the whole
// error.
func testMessageFailure(rawURL string, err error) string {
	return testFailure(rawURL, err, false)
}

// testFailure is testMessageFailure, with a name that does not resolve
// said as any failure to reach a webhook when hideLookups
// (testMessageAnswer).
func testFailure(rawURL string, err error, hideLookups bool) string {
	host := webhookHost(rawURL)
	name := host
	if u, perr := url.Parse(rawURL); perr == nil {
		name = u.Hostname()
	}
	var (
		blocked   *netguard.BlockedError
		unchecked *netguard.UncheckedError
		answered  *errWebhook
		dns       *net.DNSError
		certErr   *tls.CertificateVerificationError
		alert     tls.AlertError
		hidden    *errLookupRefused
	)
	switch {
	case errors.As(err, &hidden):
		return notDeliveredWords(host)
	case errors.As(err, &blocked) && blocked.Private:
		// The host as the member wrote it, refused as written: saying so
		// tells them nothing they did not know. A name refused for the
		// address it resolved to is an errLookupRefused, above.
		return testFailed + host + privateAddressWords + " copylab has paused notifications to it."
	case errors.As(err, &blocked):
		return testFailed + host + " is a link-local or cloud metadata address, which copylab never connects to. copylab has paused notifications to it."
	case errors.As(err, &answered):
		switch status, f := failureOf(err); f {
		case failWebhook:
			// The card's reason (its banner says what to do).
			answer := webhookAnswer(err)
			msg := fmt.Sprintf("The test message did not get through to %s: the webhook answered %s: %s.", host,
				views.RefusalAnswer(status, answer), views.RefusalReason(status, answer))
			if status >= 300 && status < 400 {
				msg += " Paste the address it redirects to."
			}
			return msg + " copylab has paused notifications to it."
		case failMessage:
			return fmt.Sprintf("The test message did not get through to %s: the webhook refused the message (%s); it may want another format than copylab sends. copylab's log has the webhook's answer.",
				host, statusWithText(status))
		}
		return fmt.Sprintf("The test message did not get through to %s: the webhook answered %d.", host, answered.status)
	case errors.As(err, &unchecked):
		return testFailed + "copylab cannot check " + unchecked.Host + " before sending it through the proxy. Write the name in its xn-- form."
	case errors.As(err, &dns) && !hideLookups:
		return testFailed + "copylab could not look up " + name + "."
	case errors.As(err, &certErr) || errors.As(err, &alert) || errors.Is(err, http.ErrSchemeMismatch):
		return testFailed + "copylab could not make a secure (TLS) connection to " + host + "."
	}
	if hideLookups {
		return notDeliveredWords(host)
	}
	// True of each failure it stands for: a refusal at once, silence
	// until notifyTimeout, or an answer that is not a webhook's. Which
	// one is the log's to say.
	return testFailed + "no webhook answered at " + host + ". Check the address and port; copylab's log has the reason."
}

// testFailed starts the sentences of testMessageFailure.
const testFailed = "The test message did not get through: "

// testMessageAnswer is what the card says of a test message that did not
// get through (testMessageFailure), with one more thing left out while
// private addresses are refused: whether the URL's name resolves, and to
// what kind of address. A name that resolves to a private address is
// refused then (errLookupRefused), and were that said, or said apart from
// a name that does not resolve, anyone who may edit a webhook could map
// the internal network's names from the site page. So a name that does
// not resolve, one that resolves to a refused address and one where
// nothing answers get one sentence. Where private addresses are allowed,
// the test message reaches them anyway, and a name that does not resolve,
// the commonest typo, is said as such.
func (a *App) testMessageAnswer(rawURL string, err error) string {
	return testFailure(rawURL, err, !a.cfg.WebhookAllowPrivate)
}

// notDeliveredWords is testMessageAnswer's one sentence for a name that
// does not resolve, resolves to a refused address, or where nothing
// answers: true of each, and saying what to check.
func notDeliveredWords(host string) string {
	return testFailed + "copylab could not deliver to " + host + ": the name may not resolve, nothing may answer there, " +
		"or it may be on a private network, where copylab does not post unless whoever runs copylab allows private addresses. " +
		"Check the address and port; copylab's log has the reason."
}

// errLookupRefused is copylab's refusal (a *netguard.BlockedError) of
// the address a webhook's name resolved to, while private addresses are
// refused (unrevealedLookup). It does not unwrap to the refusal, so that
// it is what a name that does not resolve is: retried each round
// (failureOf's failRetry), the webhook not paused, and the card and the
// test message (testMessageAnswer) silent on what the name resolved to.
// Its text, for the log only, keeps the refusal and the address.
type errLookupRefused struct{ err error }

func (e *errLookupRefused) Error() string {
	return "copylab refused the address the webhook's name resolved to: " + e.err.Error()
}

// unrevealedLookup is err, a webhook client's error, with a
// *netguard.BlockedError made an errLookupRefused while private addresses
// are refused. sendWebhook checks the host as written first, so a refusal
// from the client is one of the address a name resolved to.
func (a *App) unrevealedLookup(err error) error {
	if a.cfg.WebhookAllowPrivate || !errors.As(err, new(*netguard.BlockedError)) {
		return err
	}
	return &errLookupRefused{err: err}
}

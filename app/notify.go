package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"copylab/experiments"
	"copylab/experiments/stats"
	"copylab/variants/netguard"
	"copylab/views"
)

// Notifications: a site with a webhook hears once when one of its running
// experiments has an answer (a winner, the original is best, or no
// meaningful difference), and once per episode when its split breaks
// (SRM) and when the tag stops finding its element: such a warning is
// news again only after checks a full day apart found it gone
// (warningDue). An answer that changes later (another variant wins, or a
// winner after "no meaningful difference") is news once more, and one
// announced before that comes back after another is news once it has
// held a full day (answerDue), so the channel's last word on a test is
// the page's. An answer is
// announced once the results page calls it: not while the test is too
// young to act on (answerTooEarly), when the page heads it "Early lead: not
// called yet", but on the first check after it has run a full week and
// has its planned sample, if it is still the answer then. The checks run
// every notifyEvery from the counts, as the lists' verdicts do; what a
// webhook that fails gets then depends on its answer (failureOf).
const (
	notifyEvery   = time.Minute
	notifyTimeout = 10 * time.Second
)

// answerStatuses are the answers worth a message (answerDue); a broken
// split is a warning (dueWarnings).
var answerStatuses = map[string]bool{
	stats.StatusWinner:                 true,
	stats.StatusControlWins:            true,
	stats.StatusNoMeaningfulDifference: true,
}

// verdictTitle heads a message about a verdict with the results page's
// headline for it (views.VerdictTitle, the results document's
// verdict.headline), so that the message names it as the page it links to
// does: an answer called only as probable (unsure) is "Probably a winner",
// not announced flatly, and a broken split is "Results can’t be trusted
// yet". Only a running test's verdicts are announced, and an answer only
// once the page calls it (answerTooEarly), so the page's title is that of
// a verdict neither ended, paused nor early.
func verdictTitle(status string, unsure bool) string {
	return views.VerdictTitle(views.Verdict{Status: status, Unsure: unsure}, false)
}

// runNotifier checks for news every notifyEvery until ctx ends.
func (a *App) runNotifier(ctx context.Context) {
	t := time.NewTicker(notifyEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.notifyOnce(ctx)
		}
	}
}

// notifyOnce announces every verdict that is due, and returns how many
// messages went out.
func (a *App) notifyOnce(ctx context.Context) int {
	sites, err := a.store.Sites(ctx)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("notify: list sites", "error", err)
		}
		return 0
	}
	if !a.recordUnrecorded(ctx) {
		// The database still refuses writes: what goes out now would not
		// be recorded either.
		return 0
	}
	sent := 0
	for _, site := range sites {
		if ctx.Err() != nil {
			return sent
		}
		if site.WebhookURL == "" {
			a.watchHeld(ctx, site)
			continue
		}
		if paused, err := a.webhookPaused(ctx, site); err != nil {
			a.log.Error("notify: webhook refusal", "site", site.Key, "error", err)
			continue
		} else if paused {
			// Refused for good: nothing goes there until the URL is
			// replaced or a test message gets through (the site page
			// says so).
			a.watchHeld(ctx, site)
			continue
		}
		running, err := a.store.RunningExperiments(ctx, site.ID)
		if err != nil {
			a.log.Error("notify: running experiments", "site", site.Key, "error", err)
			continue
		}
		totals, err := a.store.VariantTotals(ctx, running)
		if err != nil {
			a.log.Error("notify: counts", "site", site.Key, "error", err)
			continue
		}
		for _, e := range running {
			if ctx.Err() != nil {
				return sent
			}
			n, err := a.notifyExperiment(ctx, site, e, experiments.Counts{Variants: totals[e.ID]})
			sent += n
			if err != nil {
				// A record that failed for lack of space shows in /healthz.
				a.noteJobWrite(err, false)
				var unrecorded *errUnrecorded
				if errors.As(err, &unrecorded) {
					// No other site's message either: the database
					// refuses writes (recordUnrecorded).
					a.log.Error("notify: the webhook took the message, but copylab could not record it; it does not send it again while it runs",
						"site", site.Key, "experiment", e.ID, "webhook_host", webhookHost(site.WebhookURL), "error", err)
					return sent
				}
				var notTaken *errNotTaken
				if !errors.As(err, &notTaken) {
					// copylab's own fault, not the webhook's: an operator
					// must look at the disk, not at the chat tool.
					if ctx.Err() == nil {
						a.log.Error("notify: copylab's database failed, so this site's messages wait for the next round; the webhook is not at fault",
							"site", site.Key, "experiment", e.ID, "error", err)
					}
					break
				}
				if errors.As(err, new(*netguard.BlockedError)) {
					a.log.Warn("notify: copylab refused the webhook's address; nothing more goes to it until its URL is replaced (or, for a private address, --webhook-allow-private is set)",
						"site", site.Key, "experiment", e.ID, "webhook_host", webhookHost(site.WebhookURL), "error", err)
					break
				}
				if _, f := failureOf(err); f == failWebhook {
					a.log.Warn("notify: the webhook refused the message for good; nothing more goes to it until its URL is replaced or a test message gets through",
						"site", site.Key, "experiment", e.ID, "webhook_host", webhookHost(site.WebhookURL), "error", err)
					break
				}
				a.log.Warn("notify: the webhook did not take the message; trying again later",
					"site", site.Key, "experiment", e.ID, "webhook_host", webhookHost(site.WebhookURL), "error", err)
				var refused *errWebhook
				if !errors.As(err, &refused) {
					// No answer at all (a timeout, a refused connection):
					// the site's other tests would wait as long each, and
					// hold up every other site's messages. Next round.
					break
				}
			}
		}
	}
	return sent
}

// watchHeld runs the checks of the warnings (warningDue) and of the
// answers (answerDue) on the site's running tests while its webhook is off
// or paused, and sends nothing. Their episodes go on meanwhile: without
// the checks, a warning that was announced, cleared for days and came
// back during the pause would be the same episode to copylab, never
// announced, and one that cleared during the pause would take another day
// of checks after it to end. With them, a warning whose new episode began
// during the pause, and that is still on when the webhook takes messages
// again, is announced then, once (a due episode is not recorded until it
// is sent); one that came and went meanwhile is not. An answer that came
// back during the pause and has held a day is announced at the resume;
// one that has not waits out the rest of its day. Only tests that had a
// message announced need the checks: a first episode, or a first answer,
// is announced if it is on at the resume, as it would be anyway.
func (a *App) watchHeld(ctx context.Context, site experiments.Site) {
	announced, err := a.store.AnnouncedRunning(ctx, site.ID)
	if err != nil || len(announced) == 0 {
		if err != nil {
			a.log.Error("notify: announced tests", "site", site.Key, "error", err)
		}
		return
	}
	running, err := a.store.RunningExperiments(ctx, site.ID)
	if err != nil {
		a.log.Error("notify: running experiments", "site", site.Key, "error", err)
		return
	}
	var watched []experiments.Experiment
	for _, e := range running {
		if announced[e.ID] {
			watched = append(watched, e)
		}
	}
	totals, err := a.store.VariantTotals(ctx, watched)
	if err != nil {
		a.log.Error("notify: counts", "site", site.Key, "error", err)
		return
	}
	for _, e := range watched {
		if ctx.Err() != nil {
			return
		}
		delivered, done, err := a.doneOf(ctx, e.ID)
		if err != nil {
			a.log.Error("notify: watch", "site", site.Key, "experiment", e.ID, "error", err)
			continue
		}
		if lastEpisode(done, stats.StatusSRM) == 0 && lastEpisode(done, noticeElementMissing) == 0 && lastAnswer(done) == "" {
			continue
		}
		counts := experiments.Counts{Variants: totals[e.ID]}
		arms, an := analyzeCounts(e, counts)
		if _, _, err := a.answerDue(ctx, e, counts, arms, an, delivered, done); err != nil {
			a.noteJobWrite(err, false)
			a.log.Error("notify: watch answer", "site", site.Key, "experiment", e.ID, "error", err)
		}
		if _, err := a.dueWarnings(ctx, site, e, e, an, done); err != nil {
			a.noteJobWrite(err, false)
			a.log.Error("notify: watch warnings", "site", site.Key, "experiment", e.ID, "error", err)
		}
	}
}

// doneOf returns what went out about an experiment (delivered), and
// that with what its webhook refused by itself (done), which is not sent
// again either (failMessage), each by the status it is recorded as, with
// when it went out or was refused.
func (a *App) doneOf(ctx context.Context, expID string) (delivered, done map[string]time.Time, err error) {
	delivered, err = a.store.Notified(ctx, expID)
	if err != nil {
		return nil, nil, err
	}
	done, err = a.store.UndeliveredOf(ctx, expID)
	if err != nil {
		return nil, nil, err
	}
	// Sent, though not recorded yet (unrecorded): not sent again.
	maps.Copy(delivered, a.unrecorded.of(expID))
	maps.Copy(done, delivered)
	return delivered, done, nil
}

// dueWarning is a warning whose message is due (dueWarnings): the key it
// is recorded as, its status, and its text whole and for chat tools.
type dueWarning struct {
	key, status, text, shortText string
}

// dueWarnings notes what the warnings' checks find about e (warningDue)
// and returns those whose message is due, once an episode: its split is
// broken (an is its analysis), or the tag stopped finding the tested
// element since yesterday (the results page's health warning). short is
// e with its names as chat messages give them (clip); site is e's site,
// whose hide timeout the element's message names as the page does.
func (a *App) dueWarnings(ctx context.Context, site experiments.Site, e, short experiments.Experiment, an stats.Analysis, done map[string]time.Time) ([]dueWarning, error) {
	clears, err := a.store.NoticeClears(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	var due []dueWarning
	srm := an.Verdict.Status == stats.StatusSRM
	if key, err := a.warningDue(ctx, e.ID, stats.StatusSRM, srm, done, clears); err != nil {
		return nil, err
	} else if key != "" {
		due = append(due, dueWarning{key: key, status: stats.StatusSRM, text: an.Verdict.Text, shortText: an.Verdict.Text})
	}
	recent, err := a.store.HealthSince(ctx, e, a.now().Add(-24*time.Hour))
	if err != nil {
		return nil, err
	}
	young := e.StartedAt.After(a.now().Add(-24 * time.Hour))
	w := elementMissingText(e, recent, young, site.HideTimeoutMS)
	if key, err := a.warningDue(ctx, e.ID, noticeElementMissing, w != "", done, clears); err != nil {
		return nil, err
	} else if key != "" {
		due = append(due, dueWarning{key: key, status: noticeElementMissing, text: w, shortText: elementMissingText(short, recent, young, site.HideTimeoutMS)})
	}
	return due, nil
}

// noticeElementMissing is the status recorded for the health message:
// the tag has stopped finding the tested element on its page. Its
// message is headed as the page's warning (views.ElementMissingTitle),
// or, when the tag never found it there, as the page's verdict then
// (elementNeverFound).
const noticeElementMissing = "element_missing"

// elementNeverFound reports whether the results page finds that the tag
// never found the tested element on its page (elementMissing.never):
// the page then heads its verdict views.ElementNotFoundTitle and says
// so in the verdict's sentence, with no warning that the element is
// going missing, so the message says what the page says. text and
// shortText are the page's sentence about e and about short (e with
// its names clipped for chat tools). It reads the page's own report,
// which is only worth it for a message about to go out.
func (a *App) elementNeverFound(ctx context.Context, e, short experiments.Experiment) (text, shortText string, never bool, err error) {
	r, err := a.buildReport(ctx, e, false, teamReader)
	if err != nil || !r.missing.never {
		return "", "", false, err
	}
	text = r.missing.verdict
	r.exp = short
	return text, r.makeMissing().verdict, true, nil
}

// notifyExperiment sends what is due about e and not announced yet: its
// verdict on counts when it is worth a message and differs from the last
// one announced (answerDue), and a warning when
// its split is broken or the tag stopped finding the tested element since
// yesterday (the results page's health warning), once an episode. sent
// says how many went out.
func (a *App) notifyExperiment(ctx context.Context, site experiments.Site, e experiments.Experiment, counts experiments.Counts) (sent int, err error) {
	delivered, done, err := a.doneOf(ctx, e.ID)
	if err != nil {
		return 0, err
	}
	results := a.cfg.PublicURL + "/experiments/" + e.ID + "/results"
	// short is e as chat messages name it (clip). Its page is clipped as
	// it is shown (experiments.PageShown, which the messages' words
	// write), so that no cut falls inside an escape the words could not
	// read back as a letter.
	short := e
	short.Name, short.Selector, short.Page = clip(e.Name, clipName), clip(e.Selector, clipSelector), clip(experiments.PageShown(e.Page), clipPage)
	msg := func(title, status, text, shortText string) notice {
		return notice{Title: fmt.Sprintf("%s: “%s” on %s", title, e.Name, site.Name), Text: text, URL: results, headline: title,
			Experiment: noticeExperiment{ID: e.ID, Name: e.Name, Site: site.Name, ResultsURL: results},
			Verdict:    noticeVerdict{Status: status, Text: text},
			short:      &shortNotice{Title: fmt.Sprintf("%s: “%s” on %s", title, short.Name, clip(site.Name, clipName)), Text: shortText}}
	}
	var due []notice
	arms, an := analyzeCounts(e, counts)
	if key, title, err := a.answerDue(ctx, e, counts, arms, an, delivered, done); err != nil {
		return 0, err
	} else if key != "" {
		n := msg(title, an.Verdict.Status, an.Verdict.Text, an.Verdict.Text)
		n.key = key
		due = append(due, n)
	}

	// The warnings, once an episode (warningDue).
	warnings, err := a.dueWarnings(ctx, site, e, short, an, done)
	if err != nil {
		return 0, err
	}
	for _, w := range warnings {
		title := noticeTitle(w.key)
		if w.status == noticeElementMissing {
			text, shortText, never, err := a.elementNeverFound(ctx, e, short)
			if err != nil {
				return 0, err
			}
			if never {
				title, w.text, w.shortText = episodeTitle(views.ElementNotFoundTitle, w.key), text, shortText
			}
		}
		n := msg(title, w.status, w.text, w.shortText)
		n.key = w.key
		due = append(due, n)
	}
	for _, n := range due {
		hook, ok, err := a.stillDue(ctx, site.ID, e.ID)
		if err != nil || !ok {
			return sent, err
		}
		err = a.deliver(ctx, hook, e.ID, n)
		var unrecorded *errUnrecorded
		if err == nil || errors.As(err, &unrecorded) {
			a.metrics.notifications.WithLabelValues("sent").Inc()
			sent++
			if err != nil {
				// The database refuses writes: the next messages would
				// fare no better.
				return sent, err
			}
			continue
		}
		// What comes of a refusal is noted even through shutdown, like a
		// message sent. A refusal the database would not record is not
		// given up, nor the webhook paused: the message goes out again
		// next round, so it counts as retried, and the error is the
		// database's (notifyOnce logs it so).
		switch status, f := failureOf(err); f {
		case failMessage:
			if rerr := a.store.RecordUndelivered(context.WithoutCancel(ctx), e.ID, n.status(), n.headline, status, a.now()); rerr != nil {
				a.metrics.notifications.WithLabelValues("retried").Inc()
				return sent, fmt.Errorf("notify: record a message the webhook refused (%v): %w", err, rerr)
			}
			a.metrics.notifications.WithLabelValues("dropped").Inc()
			a.log.Warn("notify: the webhook refused the message; copylab does not send it again, and goes on with the next",
				"site", site.Key, "experiment", e.ID, "message", n.status(), "webhook_host", webhookHost(hook), "error", err)
			continue
		case failWebhook:
			r := experiments.WebhookRefusal{Status: status, Answer: webhookAnswer(err), Message: n.Title, At: a.now()}
			if rerr := a.store.RecordWebhookRefusal(context.WithoutCancel(ctx), site.ID, hook, r); rerr != nil {
				a.metrics.notifications.WithLabelValues("retried").Inc()
				return sent, fmt.Errorf("notify: record the webhook's refusal (%v): %w", err, rerr)
			}
			a.metrics.notifications.WithLabelValues("paused").Inc()
		default:
			a.metrics.notifications.WithLabelValues("retried").Inc()
		}
		return sent, &errNotTaken{err}
	}
	return sent, nil
}

// errNotTaken is a message the webhook did not take (sendWebhook's
// error). notifyExperiment's other errors are copylab's own, its
// database's, and notifyOnce logs them so: an operator sent to the chat
// tool for a full disk would find nothing wrong there.
type errNotTaken struct{ err error }

func (e *errNotTaken) Error() string { return e.err.Error() }
func (e *errNotTaken) Unwrap() error { return e.err }

// failure is what a failed send means for the message and the webhook
// (failureOf).
type failure int

const (
	// failRetry: the webhook did not take the message, but may later: it
	// is sent again on the next round.
	failRetry failure = iota
	// failWebhook: the webhook's URL refused for good; nothing goes there
	// until a person fixes it.
	failWebhook
	// failMessage: the webhook refused this message, and takes others; it
	// is not sent again.
	failMessage
)

// failureOf sorts a failed send by what trying again can change, and
// returns the status the webhook answered (0 for none).
//
// Some answers are about the URL, not the message (failWebhook): they hold
// for every message to it, which are held back until the URL is replaced
// or a test message gets through (the site page says what answered and
// what to do):
//
//   - 404 Not Found and 410 Gone: no webhook there any more. Slack, Discord
//     and Teams answer so for a deleted webhook, and Slack 410 for an
//     archived channel.
//   - 401 Unauthorized and 403 Forbidden: not allowed to post there. Discord
//     answers 401 for a webhook whose token changed, Slack 403 when posting
//     to the channel is restricted, and a Teams workflow refuses when it is
//     not open to anyone. These are fixed on the receiver's side (or with a
//     new URL), after which a test message resumes delivery; a retry every
//     minute until then would change nothing.
//   - 405 Method Not Allowed: the URL takes no posts (a page's address, not
//     its webhook's).
//   - A redirect (3xx): copylab never follows one; the URL to paste is the
//     one it points to.
//   - Slack's errors about the webhook, its channel or its workspace
//     (slackWebhookErrors), with any 4xx that does not say "busy" (408,
//     423, 425, 429): Slack answers most of them with 400. A 5xx is
//     retried whatever its body says.
//   - No answer because copylab refused the address (webhookGuard): a
//     private one or a metadata address. A name refused for the address
//     it resolves to, while private addresses are refused, is retried
//     instead, as a name that does not resolve is (errLookupRefused).
//
// Some say the receiver is busy, down or not reached, which passes
// (failRetry): no answer (a timeout), 5xx, 408 Request Timeout, 429 Too
// Many Requests, 425 Too Early and 423 Locked, and 407, which copylab's
// own proxy answers until its operator fixes its settings.
//
// Every other 4xx refuses the message itself (failMessage): Discord
// answers 400 for content over 2,000 characters, Slack 400 for a payload
// it cannot read (invalid_payload), others 413 or 422. The same message
// would be refused again every minute for ever, while the webhook takes
// the next ones, so copylab gives that message up (the site page lists
// it) and goes on.
func failureOf(err error) (status int, f failure) {
	var answered *errWebhook
	if !errors.As(err, &answered) {
		if errors.As(err, new(*netguard.BlockedError)) {
			// copylab's own refusal of the address (webhookGuard): it
			// holds for every message until the URL is replaced or the
			// operator allows it, so the webhook is paused and the site
			// page says why, as for a webhook that is gone.
			return 0, failWebhook
		}
		return 0, failRetry
	}
	switch s := answered.status; {
	case s >= 300 && s < 400, s == http.StatusUnauthorized, s == http.StatusForbidden,
		s == http.StatusNotFound, s == http.StatusMethodNotAllowed, s == http.StatusGone:
		return s, failWebhook
	case s == http.StatusProxyAuthRequired, s == http.StatusRequestTimeout, s == http.StatusLocked,
		s == http.StatusTooEarly, s == http.StatusTooManyRequests:
		return s, failRetry
	case s >= 400 && s < 500 && answered.answer != "":
		return s, failWebhook
	case s >= 400 && s < 500:
		return s, failMessage
	}
	return answered.status, failRetry
}

// warningRearm is how long a warning's condition must be found gone, on
// checks that never find it back in between, before its return is news
// again (warningDue).
const warningRearm = 24 * time.Hour

// warningDue says which message about a warning (base: stats.StatusSRM
// or noticeElementMissing) is due now that its condition is on or not,
// and notes what the check found (Store.SetNoticeClear): key is "" for
// none. Each episode of a warning is announced once, recorded as base for
// the first, base:2 for the second, and so on (done holds those
// announced, or refused by the webhook). An episode ends when checks
// find the condition gone a full day apart (warningRearm) and never back
// in between: a selector fixed and broken again a week later, or a split
// that healed and broke again, is news, while a condition that comes and
// goes by the hour, near its line, is one episode and one message. Every
// state is stored, so a restart sends nothing twice; time the process was
// down counts as cleared only when checks on both sides find it gone. The
// checks go on while the site's webhook is off or paused (watchWarnings),
// and an episode due then is sent once it takes messages, if still on.
func (a *App) warningDue(ctx context.Context, expID, base string, on bool, done map[string]time.Time, clears map[string]experiments.NoticeClear) (key string, err error) {
	n := lastEpisode(done, base)
	c, cleared := clears[base]
	if cleared && c.Episode < n {
		// Noted before the latest episode was announced: spent.
		cleared = false
		if on {
			return "", a.store.DeleteNoticeClear(ctx, expID, base)
		}
	}
	now := a.now()
	switch {
	case on && n == 0:
		return base, nil
	case on && cleared && c.Rearmed:
		return episodeKey(base, n+1), nil
	case on && cleared:
		// Back within the day: the same episode goes on.
		return "", a.store.DeleteNoticeClear(ctx, expID, base)
	case on, n == 0:
		return "", nil
	case !cleared:
		return "", a.store.SetNoticeClear(ctx, expID, base, experiments.NoticeClear{Episode: n, ClearedAt: now})
	case !c.Rearmed && now.Sub(c.ClearedAt) >= warningRearm:
		c.Rearmed = true
		return "", a.store.SetNoticeClear(ctx, expID, base, c)
	}
	return "", nil
}

// episodeKey is what episode k (from 1) of a warning is recorded as.
func episodeKey(base string, k int) string {
	if k <= 1 {
		return base
	}
	return base + ":" + strconv.Itoa(k)
}

// lastEpisode is the latest episode of a warning in done, 0 for none.
func lastEpisode(done map[string]time.Time, base string) int {
	last := 0
	for key := range done {
		if k := episodeOf(key, base); k > last {
			last = k
		}
	}
	return last
}

// episodeOf is the episode a recorded key stands for, of warning base;
// 0 when it is not one.
func episodeOf(key, base string) int {
	if key == base {
		return 1
	}
	if rest, ok := strings.CutPrefix(key, base+":"); ok {
		if k, err := strconv.Atoi(rest); err == nil && k > 1 {
			return k
		}
	}
	return 0
}

// elementMissingText is the missing element's message on e's page views
// since yesterday (recent, in e.Variants order), or "" while no variant
// has the results page's warning for them. The page warns variant by
// variant, each on its own page views, so the message does too, with the
// page's label and sentence for each: added up, the variants would warn
// where the page does not (a few misses in each) and hide one variant's
// problem in the others' views. Only the page views since yesterday count
// here, as the page puts them first (healthWarning): a selector that broke
// long ago and works again is no news. hideTimeoutMS is the site's hide
// timeout, which the page's words name (hideWait). The page is written as
// the results page writes it, letters and all (experiments.PageShown);
// the message is read by people, in chat tools and mail.
func elementMissingText(e experiments.Experiment, recent []experiments.HealthCounts, young bool, hideTimeoutMS int) string {
	var lines []string
	for i, v := range e.Variants {
		if i >= len(recent) || recent[i].Key != v.Key {
			continue
		}
		w := healthWarning(variantHealth{recentApplied: recent[i].Applied, recentMissed: recent[i].Missed, young: young, hideTimeoutMS: hideTimeoutMS})
		if w != "" {
			lines = append(lines, views.VariantLabel(v.Key, i == 0)+": "+lowerFirst(w))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "The element " + e.Selector + " on " + experiments.PageShown(e.Page) + " is going missing.\n" + strings.Join(lines, "\n")
}

// winnerChangedTitle heads a winner announced after another variant's
// win; unsureWinnerChangedTitle a probable one (verdictTitle's "Probably
// a winner"). The page has no words for a change, so these are the
// webhook's own; a probable one hedges with the page's "probably".
const (
	winnerChangedTitle       = "The winner changed"
	unsureWinnerChangedTitle = "The winner probably changed"
)

// answerRearm is how long an answer that was announced before, and comes
// back after another, must be found on every check before it is news
// again (answerDue).
const answerRearm = 24 * time.Hour

// answerDue says which message about e's answer is due now (key "" for
// none: what it is recorded as, with its title), and notes what the
// check found (Store.SetAnswerHold). an is e's analysis on counts, of
// arms; delivered and done are as doneOf returns them.
//
// The channel's last word on a test should be the results page's answer,
// so an answer is news whenever it differs from the last one announced
// (or given up: lastAnswer). One never announced before goes out on the
// first check that finds it, as the first answer did: such messages are
// bounded by the test's variants. One announced before that comes back
// after another (B wins, then C, then B again) goes out only once checks
// a full day apart (answerRearm) have found it, and no other answer, nor
// none, in between, as a warning is news again only after checks a full
// day apart found it gone: a test that crosses a line every few minutes
// would otherwise post each crossing, while one that holds a day has
// settled where its page says. That is at most one such message a test
// a day, and the channel catches up within a day of the page settling.
// A minimum gap between messages would not do: it would post whichever
// answer the page showed when the gap ran out, and a flapping test would
// still get a message a day, each as likely wrong as right.
//
// A winner recorded before copylab kept the winning variant (a bare
// "winner") is taken, on the first check that finds a winner while it is
// the last answer, for that winner (nothing is sent): copylab cannot tell
// which variant it named, and the one winning still is by far the
// likeliest. From then on a new winner is news.
//
// An early answer (answerTooEarly) is no answer yet: it waits, unnoted,
// so a later check sends it with the words the page has then ("Ship it."
// included).
func (a *App) answerDue(ctx context.Context, e experiments.Experiment, counts experiments.Counts, arms []stats.Arm, an stats.Analysis,
	delivered, done map[string]time.Time) (key, title string, err error) {
	hold, held, err := a.store.AnswerHoldOf(ctx, e.ID)
	if err != nil {
		return "", "", err
	}
	// keep forgets a held answer other than cur ("" for none).
	keep := func(cur string) error {
		if held && hold.Answer != cur {
			return a.store.DeleteAnswerHold(ctx, e.ID)
		}
		return nil
	}
	if !answerStatuses[an.Verdict.Status] {
		return "", "", keep("")
	}
	title = verdictTitle(an.Verdict.Status, an.Verdict.Unsure)
	cur, last := verdictKey(arms, an), lastAnswer(done)
	switch {
	case cur == last:
		return "", "", keep("")
	case last == stats.StatusWinner && isWinnerKey(cur):
		if err := a.store.RenameNotification(ctx, e.ID, last, cur); err != nil {
			return "", "", err
		}
		return "", "", keep("")
	}
	if early, err := a.answerTooEarly(ctx, e, counts, an.Verdict.Status); err != nil || early {
		if err != nil {
			return "", "", err
		}
		return "", "", keep("")
	}
	k := answerEpisodes(done, cur)
	_, bare := done[stats.StatusWinner]
	if k > 0 || (bare && isWinnerKey(cur)) {
		// It came back: due once it has held a full day.
		now := a.now()
		if !held || hold.Answer != cur {
			return "", "", a.store.SetAnswerHold(ctx, e.ID, experiments.AnswerHold{Answer: cur, Since: now})
		}
		if now.Sub(hold.Since) < answerRearm {
			return "", "", nil
		}
	} else if err := keep(cur); err != nil {
		return "", "", err
	}
	// A winner the channel never heard of changed nothing there.
	if w := lastWinner(delivered); isWinnerKey(w) && w != cur && isWinnerKey(cur) {
		title = winnerChangedTitle
		if an.Verdict.Unsure {
			title = unsureWinnerChangedTitle
		}
	}
	if k > 0 {
		return cur + ":" + strconv.Itoa(k+1), title, nil
	}
	return cur, title, nil
}

// verdictKey is what an announced verdict is recorded as (Store.Notified,
// RecordNotification): its status, and for a winner the winning variant
// too ("winner:c"), so that another variant's win is news while the same
// winner is not. The second time an answer is announced (answerDue), it
// is recorded with ":2" after it (winner:c:2, control_wins:2), the third
// with ":3", and so on (answerOf), as a warning's episodes are.
func verdictKey(arms []stats.Arm, an stats.Analysis) string {
	if an.Verdict.Status != stats.StatusWinner {
		return an.Verdict.Status
	}
	// The winner is the variant with the highest chance of being the best:
	// stats calls one only at stats.DecisionProb or more, and the chances
	// add up to 1, so no other variant comes near it.
	best := -1
	for i := 1; i < len(an.Variants) && i < len(arms); i++ {
		if best < 0 || an.Variants[i].ProbBest > an.Variants[best].ProbBest {
			best = i
		}
	}
	if best < 0 {
		return an.Verdict.Status
	}
	return stats.StatusWinner + ":" + arms[best].Key
}

// isWinnerKey reports whether key is a verdictKey of a named winner.
func isWinnerKey(key string) bool { return strings.HasPrefix(key, stats.StatusWinner+":") }

// answerOf is the answer (a verdictKey) a recorded status stands for,
// and which time it was announced (from 1); ok is false for a status that
// is no answer (a warning's). A variant's key holds no ":", so
// "winner:2" is variant 2's win, and "winner:2:3" its third.
func answerOf(status string) (answer string, k int, ok bool) {
	parts := strings.Split(status, ":")
	named := 1 // how many parts name the answer
	switch parts[0] {
	case stats.StatusWinner:
		if len(parts) > 1 {
			named = 2
		}
	case stats.StatusControlWins, stats.StatusNoMeaningfulDifference:
	default:
		return "", 0, false
	}
	switch len(parts) - named {
	case 0:
		return status, 1, true
	case 1:
		if k, err := strconv.Atoi(parts[named]); err == nil && k > 1 {
			return strings.Join(parts[:named], ":"), k, true
		}
	}
	return "", 0, false
}

// lastAnswer is the answer of the latest answer's message in sent (by
// recorded status, when it went), "" for none.
func lastAnswer(sent map[string]time.Time) string {
	last, lastK := "", 0
	var lastAt time.Time
	for status, at := range sent {
		answer, k, ok := answerOf(status)
		// Checks are a minute apart, so two answers are never sent at
		// the same time; the later time for the same answer is its
		// later message anyway.
		if ok && (last == "" || at.After(lastAt) || (at.Equal(lastAt) && k > lastK)) {
			last, lastK, lastAt = answer, k, at
		}
	}
	return last
}

// lastWinner is the answer of the latest winner's message in sent, "" for
// none ("winner" for one recorded before its variant was).
func lastWinner(sent map[string]time.Time) string {
	winners := map[string]time.Time{}
	for status, at := range sent {
		if answer, _, ok := answerOf(status); ok && (answer == stats.StatusWinner || isWinnerKey(answer)) {
			winners[status] = at
		}
	}
	return lastAnswer(winners)
}

// answerEpisodes is how many times answer was announced or given up, as
// done records them.
func answerEpisodes(done map[string]time.Time, answer string) int {
	n := 0
	for status := range done {
		if a, k, ok := answerOf(status); ok && a == answer && k > n {
			n = k
		}
	}
	return n
}

// stillDue reads the site's webhook and the experiment's status again
// just before a message goes: a round reads every site first, and a send
// can take seconds, so a webhook turned off, replaced or paused (a test
// message refused from the site page), or a test stopped, meanwhile must
// not get the message (ok false) or must get it at the new address.
func (a *App) stillDue(ctx context.Context, siteID, expID string) (webhook string, ok bool, err error) {
	site, err := a.store.Site(ctx, siteID)
	if errors.Is(err, experiments.ErrNotFound) {
		return "", false, nil
	}
	if err != nil || site.WebhookURL == "" {
		return "", false, err
	}
	if paused, err := a.webhookPaused(ctx, site); err != nil || paused {
		return "", false, err
	}
	e, err := a.store.Experiment(ctx, expID)
	if errors.Is(err, experiments.ErrNotFound) {
		return "", false, nil
	}
	if err != nil || e.Status != experiments.StatusRunning {
		return "", false, err
	}
	return site.WebhookURL, true, nil
}

// deliver sends one message and records it as sent. Neither is cut short
// by the notifier's own context (a shutdown cancels it): a message the
// receiver took but copylab did not record would go out again after the
// restart. sendWebhook bounds the send (notifyTimeout); shutdown waits for
// the notifier. A record that fails after the receiver took the message
// is kept in memory (unrecorded) and written on a later round, and the
// error is an *errUnrecorded.
func (a *App) deliver(ctx context.Context, webhookURL, expID string, n notice) error {
	ctx = context.WithoutCancel(ctx)
	if err := a.sendWebhook(ctx, webhookURL, n); err != nil {
		return err
	}
	at := a.now()
	if err := a.store.RecordNotification(ctx, expID, n.status(), n.headline, at); err != nil {
		a.unrecorded.add(expID, n.status(), n.headline, at)
		return &errUnrecorded{err}
	}
	return nil
}

// errUnrecorded is a message the receiver took that copylab could not
// record as sent (deliver).
type errUnrecorded struct{ err error }

func (e *errUnrecorded) Error() string { return "sent, but not recorded: " + e.err.Error() }
func (e *errUnrecorded) Unwrap() error { return e.err }

// unrecorded holds the messages a webhook took that copylab could not
// record as sent (a full disk, a database that stays locked), until a
// record gets through (recordUnrecorded). Messages are sent at least
// once: copylab records a message after the receiver takes it, so a
// message is never marked sent that did not go out, and one whose send
// or record a crash cuts short goes out again after the restart. For chat
// messages that is the better side to err on (a warning lost is a broken
// test nobody hears of; a duplicate is one more line in a channel), but
// without this memory a database that refuses writes would have the same
// message posted every minute for as long as it does. With it, the
// process sends each message once however long the database fails, and
// only a restart during the failure can send it once more. The notifier
// sends nothing more until the records get through.
type unrecorded struct {
	mu   sync.Mutex
	sent map[string]map[string]sentMessage // by experiment, then by status
}

// sentMessage is a message sent and not yet recorded: when it went out,
// and its headline (notice.headline).
type sentMessage struct {
	at       time.Time
	headline string
}

func (u *unrecorded) add(expID, status, headline string, at time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.sent == nil {
		u.sent = map[string]map[string]sentMessage{}
	}
	if u.sent[expID] == nil {
		u.sent[expID] = map[string]sentMessage{}
	}
	u.sent[expID][status] = sentMessage{at: at, headline: headline}
}

// of returns the statuses of expID's messages that are sent and not yet
// recorded, with when each went out.
func (u *unrecorded) of(expID string) map[string]time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make(map[string]time.Time, len(u.sent[expID]))
	for status, m := range u.sent[expID] {
		out[status] = m.at
	}
	return out
}

func (u *unrecorded) remove(expID, status string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.sent[expID], status)
	if len(u.sent[expID]) == 0 {
		delete(u.sent, expID)
	}
}

// all returns every message sent and not yet recorded, by experiment.
func (u *unrecorded) all() map[string]map[string]sentMessage {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make(map[string]map[string]sentMessage, len(u.sent))
	for id, m := range u.sent {
		out[id] = maps.Clone(m)
	}
	return out
}

// recordUnrecorded records the messages sent that copylab could not
// record then, and forgets those it now could; ok is false while one
// cannot be recorded yet.
func (a *App) recordUnrecorded(ctx context.Context) (ok bool) {
	for expID, m := range a.unrecorded.all() {
		for status, sent := range m {
			if err := a.store.RecordNotification(context.WithoutCancel(ctx), expID, status, sent.headline, sent.at); err != nil {
				a.noteJobWrite(err, false)
				if _, gerr := a.store.Experiment(ctx, expID); errors.Is(gerr, experiments.ErrNotFound) {
					a.unrecorded.remove(expID, status) // deleted since: nothing to record
					continue
				}
				a.log.Error("notify: could not record a message sent earlier; copylab does not send it again while it runs",
					"experiment", expID, "message", status, "error", err)
				return false
			}
			a.unrecorded.remove(expID, status)
		}
	}
	return true
}

// status is what n is recorded as once sent or given up: its key, or its
// verdict's status.
func (n notice) status() string {
	if n.key != "" {
		return n.key
	}
	return n.Verdict.Status
}

// noticeTitle is the headline of a recorded status (a verdictKey, or a
// warning's episodeKey: its episodes after the first are "again"). It
// heads a warning's message, but for an element never found
// (elementNeverFound); an answer's message is headed by answerDue, which
// alone knows whether it was only probable or another variant's win, so
// the site page lists a message by the headline recorded with it
// (sentTitle) and by this only when none was. The page's words come
// first: the split's "Results can’t be trusted yet" takes its "again"
// after a comma, as "yet again" would say something else.
func noticeTitle(status string) string {
	base, _, _ := strings.Cut(status, ":")
	again := episodeOf(status, base) > 1
	switch {
	case base == noticeElementMissing:
		return episodeTitle(views.ElementMissingTitle, status)
	case base == stats.StatusSRM && again:
		return verdictTitle(base, false) + ", again"
	case base == stats.StatusSRM || answerStatuses[base]:
		return verdictTitle(base, false)
	}
	return status
}

// episodeTitle is title for the missing element's warning recorded as
// key: its episodes after the first are "again".
func episodeTitle(title, key string) string {
	if episodeOf(key, noticeElementMissing) > 1 {
		return title + " again"
	}
	return title
}

// sentTitle is the headline a message recorded as status went out
// under, as the site page lists it: the one recorded with it (title), or,
// for a message recorded before copylab kept headlines, its status's
// (noticeTitle), which names an answer only as probable, or another
// variant's win, as the plain answer.
func sentTitle(status, title string) string {
	if title != "" {
		return title
	}
	return noticeTitle(status)
}

// lowerFirst lower-cases a sentence's first letter, to continue another.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// notice is one message, in the shape of a generic webhook's JSON body.
type notice struct {
	Title      string           `json:"title"`
	Text       string           `json:"text"`
	URL        string           `json:"url"`
	Experiment noticeExperiment `json:"experiment"`
	Verdict    noticeVerdict    `json:"verdict"`
	// key is what the message is recorded as once sent (verdictKey);
	// Verdict.Status when empty.
	key string
	// headline is the title's words before the test's name, recorded
	// with the message (deliver) so that the site page lists it by the
	// words the channel saw: its key does not give them (noticeTitle).
	headline string
	// linkLabel names where URL leads, for the receivers that put it
	// behind words; "" for the experiment's results (link).
	linkLabel string
	// short is the title and text with the names people typed cut to a
	// length that reads well in a chat message (clip), for the receivers
	// that show the message to people only; nil for the same as above.
	// Any other receiver gets the names whole: programs read them.
	short *shortNotice
}

// link is the words n's link shows in Slack and Teams.
func (n notice) link() string {
	if n.linkLabel != "" {
		return n.linkLabel
	}
	return "Open the results"
}

// shortNotice is a notice's title and text for chat tools (notice.short).
type shortNotice struct {
	Title, Text string
}

// forChat is n with the title and text that chat tools show (n.short).
func (n notice) forChat() notice {
	if n.short != nil {
		n.Title, n.Text = n.short.Title, n.short.Text
	}
	return n
}

type noticeExperiment struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Site       string `json:"site"`
	ResultsURL string `json:"results_url"`
}

type noticeVerdict struct {
	Status string `json:"status"`
	Text   string `json:"text"`
}

// webhookBody is the JSON a webhook at u expects (receiverOf). Slack and
// Teams' connectors post {"text"} (Slack reads <url|label> as a link),
// Discord {"content"}, Teams' workflows an Adaptive Card; any other
// receiver gets the whole notice, whose "text" suits
// Mattermost, Rocket.Chat and Zulip's Slack-compatible hooks too, made safe
// for their markdown (markdownText), with the message as typed beside it
// for programs (genericMessage).
//
// Site, experiment and variant names, selectors and pages are typed by
// people, and each chat tool reads markup in a message: the title and
// text are escaped for the receiver, so a site named "<!channel>" or
// "[Reset your password](https://evil.example)" shows as typed: it pings
// no one and hides no link behind a label. Only copylab's own bold title
// and results link are markup.
//
// Each message stays within what its receiver takes (fitMessage): chat
// tools get the names cut to a readable length (notice.short), and a
// message still too long loses its last lines.
func webhookBody(u *url.URL, n notice) any {
	full := n
	n = n.forChat()
	switch receiverOf(u) {
	case receiverSlack:
		slack := func(title, text string) map[string]string {
			return map[string]string{"text": "*" + slackEscaper.Replace(title) + "*\n" + slackEscaper.Replace(text) +
				"\n<" + n.URL + "|" + slackEscaper.Replace(n.link()) + ">"}
		}
		return slack(fitMessage(n.Title, n.Text, slackTextMax, func(title, text string) int {
			return utf16Len(slack(title, text)["text"])
		}))
	case receiverDiscord:
		discord := func(title, text string) discordMessage {
			return discordMessage{
				Content:         "**" + discordEscaper.Replace(title) + "**\n" + discordEscaper.Replace(text) + "\n" + n.URL,
				AllowedMentions: discordMentions{Parse: []string{}},
			}
		}
		return discord(fitMessage(n.Title, n.Text, discordContentMax, func(title, text string) int {
			return utf16Len(discord(title, text).Content)
		}))
	case receiverTeams:
		teams := func(title, text string) map[string]string {
			return map[string]string{"text": "**" + teamsEscaper.Replace(title) + "**\n\n" + teamsEscaper.Replace(text) +
				"\n\n[" + teamsEscaper.Replace(n.link()) + "](" + n.URL + ")"}
		}
		return teams(fitMessage(n.Title, n.Text, teamsBodyMax, func(title, text string) int { return jsonLen(teams(title, text)) }))
	case receiverTeamsWorkflow:
		workflow := func(title, text string) any {
			m := n
			m.Title, m.Text = title, text
			return teamsWorkflowMessage(m)
		}
		return workflow(fitMessage(n.Title, n.Text, teamsBodyMax, func(title, text string) int { return jsonLen(workflow(title, text)) }))
	}
	// Any other receiver may be a program, which reads the names whole;
	// only the text is cut, when it must be, to what chat tools take,
	// and the title and verdict stay whole.
	n = full
	link := ""
	if n.URL != "" {
		link = "\n" + n.URL
	}
	generic := func(title, text string) genericMessage {
		m, plain := n, title+"\n"+text
		m.Text = markdownText(plain) + link
		return genericMessage{notice: m, PlainText: plain + link}
	}
	return generic(fitMessage(n.Title, n.Text, genericTextMax, func(title, text string) int { return utf16Len(generic(title, text).Text) }))
}

// What each receiver takes at most (fitMessage). Discord and Slack count
// characters, measured here in UTF-16 code units, which count no
// character for less than Discord does (it took 2,490 "🔷" of a 4,096
// limit: https://github.com/go-gitea/gitea/pull/34084).
const (
	// discordContentMax: Discord refuses longer content with 400.
	// https://discord.com/developers/docs/resources/webhook#execute-webhook
	discordContentMax = 2000
	// slackTextMax: Slack asks for text under 4,000 characters and cuts
	// longer messages itself.
	// https://api.slack.com/methods/chat.postMessage#truncating
	slackTextMax = 4000
	// teamsBodyMax: bytes of a Teams message's JSON; Teams refuses
	// messages over 28 KB, its own wrapping included.
	// https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
	teamsBodyMax = 24 * 1024
	// genericTextMax: the text of any other receiver's message.
	// Rocket.Chat refuses messages over 5,000 characters unless told
	// otherwise, Zulip over 10,000, Mattermost over 16,383.
	genericTextMax = 4000
)

// fitMessage cuts a message's text, then if need be its title, until
// size says the receiver takes it (size(title, text) <= max): copylab's
// own words and names fit well within every limit, but a test with many
// variants and long names typed in full need not, and a receiver refuses
// a message that is too long (Discord with 400) or cuts it where it
// likes. Whole lines go first, from the end, for a last line "…" (the
// link after it has the rest); then the first line, then the title, are
// cut to fit, with "…".
func fitMessage(title, text string, max int, size func(title, text string) int) (string, string) {
	if size(title, text) <= max {
		return title, text
	}
	lines := strings.Split(text, "\n")
	for k := len(lines) - 1; k >= 1; k-- {
		if t := strings.Join(lines[:k], "\n") + "\n…"; size(title, t) <= max {
			return title, t
		}
	}
	if t, ok := cutToFit(lines[0], func(s string) bool { return size(title, s) <= max }); ok {
		return title, t
	}
	t, _ := cutToFit(title, func(s string) bool { return size(s, "…") <= max })
	return t, "…"
}

// cutToFit is the longest start of s, with "…" after it, that fits (by
// whole characters, see characterEnds), and whether any does.
func cutToFit(s string, fits func(string) bool) (string, bool) {
	ends := characterEnds(s)
	// The size grows with the characters kept: the most that fit, by
	// halving, then checked, as an escape may depend on what follows.
	lo, hi := 0, len(ends)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(s[:ends[mid]] + "…") {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	for ; lo >= 0; lo-- {
		if t := s[:ends[lo]] + "…"; fits(t) {
			return t, true
		}
	}
	return "…", false
}

// characterEnds lists where s may be cut: 0, then the end of each of its
// characters as a person sees them (grapheme clusters, Unicode's UAX
// #29). A cut between code points can leave half a flag (🇩🇪 is two
// regional letters, and 🇩 alone shows as a boxed D), a man of a family
// (👨‍👩‍👧‍👦 is seven code points joined), or a letter without the
// accent typed after it (an "ö" typed as "o" and U+0308, as macOS files
// and some keyboards give it).
func characterEnds(s string) []int {
	ends := []int{0}
	state, at := -1, 0
	for at < len(s) {
		var cluster string
		cluster, _, _, state = uniseg.FirstGraphemeClusterInString(s[at:], state)
		at += len(cluster)
		ends = append(ends, at)
	}
	return ends
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// jsonLen is the length of v in JSON.
func jsonLen(v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return len(b)
}

// clip shortens a name people typed to at most n characters as a person
// sees them, ending with "…" when cut, and cuts none in two (see
// characterEnds): a message names a site, a test, a selector and a page,
// each up to hundreds of characters, and reads better with the start of
// each than with its sentences cut short to fit (fitMessage).
func clip(s string, n int) string {
	ends := characterEnds(s)
	if len(ends)-1 <= n {
		return s
	}
	return s[:ends[n-1]] + "…"
}

// How much of each name a message keeps (clip).
const (
	clipName     = 80
	clipSelector = 100
	clipPage     = 120
)

// The receivers with a format of their own (receiverOf).
const (
	receiverGeneric = iota
	receiverSlack
	receiverDiscord
	receiverTeams         // an Office 365 connector's incoming webhook
	receiverTeamsWorkflow // a Teams workflow (Power Automate) webhook
)

// receiverOf tells which format the webhook at u takes, from its host
// (and, for Power Automate, its path):
//
//   - Slack: hooks.slack.com, and GovSlack's hooks.slack-gov.com (GovSlack,
//     Slack for the U.S. public sector, runs the same API on slack-gov.com
//     instead of slack.com: https://api.slack-gov.com/gov-slack/about; its
//     webhooks are https://hooks.slack-gov.com/services/…, as Apprise's
//     Slack plugin posts them: caronc/apprise apprise/plugins/slack.py).
//   - Discord: discord.com and discordapp.com, with their ptb. and canary.
//     hosts (the test builds of the Discord app make webhooks there too).
//   - Teams' Office 365 connectors: outlook.office.com and
//     *.webhook.office.com.
//   - Teams' workflows, which replace the connectors: a Power Automate
//     flow's trigger URL, on *.logic.azure.com (prod-NN.REGION.logic.azure.com,
//     the older form) or *.api.powerplatform.com
//     (….environment.api.powerplatform.com, the form Microsoft moved them to
//     in 2025), with /workflows/ in its path. Such a flow ("Send webhook
//     alerts to a channel") posts the Adaptive Cards it is sent, and
//     nothing of any other body. The sovereign clouds' flows take their
//     "When an HTTP request is received" trigger on hosts of their own
//     (workflowDomains), with the same path.
//
// A name may end with the root's dot ("discord.com."), which changes no
// host.
func receiverOf(u *url.URL) int {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	under := func(domain string) bool { return host == domain || strings.HasSuffix(host, "."+domain) }
	switch {
	case host == "hooks.slack.com" || host == "hooks.slack-gov.com":
		return receiverSlack
	case under("discord.com") || under("discordapp.com"):
		return receiverDiscord
	case host == "outlook.office.com" || strings.HasSuffix(host, ".webhook.office.com"):
		return receiverTeams
	case strings.Contains(strings.ToLower(u.Path), "/workflows/"):
		for _, d := range workflowDomains {
			if strings.HasSuffix(host, "."+d) {
				return receiverTeamsWorkflow
			}
		}
	}
	return receiverGeneric
}

// workflowDomains are the domains under which Power Automate gives a
// flow's "When an HTTP request is received" trigger its URL, in each of
// Microsoft's clouds, as its firewall guide lists them (MicrosoftDocs/
// power-automate-docs, articles/ip-address-configuration.md, "Allow users
// on your network to use "When an HTTP request is received" trigger"):
// https://learn.microsoft.com/power-automate/ip-address-configuration
var workflowDomains = []string{
	// Public.
	"logic.azure.com",
	"api.powerplatform.com",
	// U.S. Government: GCC, GCC High and DoD share Logic Apps' domain.
	"logic.azure.us",
	"api.gov.powerplatform.microsoft.us",  // GCC
	"api.high.powerplatform.microsoft.us", // GCC High
	"api.appsplatform.us",                 // DoD
	// China, operated by 21Vianet.
	"logic.azure.cn",
	"api.powerplatform.partner.microsoftonline.cn",
}

// teamsWorkflowMessage is n as a Teams workflow takes it: a message with
// one Adaptive Card. The card reads markdown only in a TextBlock; the
// names people typed go in RichTextBlock text runs, which show text as
// typed (no markdown, and no HTML anywhere in a card), so they need no
// escaping, and a mention needs an entity copylab never sends. Each line
// is a block of its own, and the link is the card's button.
// https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features
func teamsWorkflowMessage(n notice) any {
	type textRun struct {
		Type   string `json:"type"`
		Text   string `json:"text"`
		Weight string `json:"weight,omitempty"`
		Size   string `json:"size,omitempty"`
	}
	type block struct {
		Type    string    `json:"type"`
		Inlines []textRun `json:"inlines"`
	}
	type action struct {
		Type  string `json:"type"`
		Title string `json:"title"`
		URL   string `json:"url"`
	}
	type card struct {
		Schema  string   `json:"$schema"`
		Type    string   `json:"type"`
		Version string   `json:"version"`
		Body    []block  `json:"body"`
		Actions []action `json:"actions,omitempty"`
	}
	type attachment struct {
		ContentType string  `json:"contentType"`
		ContentURL  *string `json:"contentUrl"`
		Content     card    `json:"content"`
	}
	c := card{Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard", Version: "1.2",
		Body: []block{{Type: "RichTextBlock", Inlines: []textRun{{Type: "TextRun", Text: n.Title, Weight: "bolder", Size: "medium"}}}}}
	for _, line := range strings.Split(n.Text, "\n") {
		c.Body = append(c.Body, block{Type: "RichTextBlock", Inlines: []textRun{{Type: "TextRun", Text: line}}})
	}
	if n.URL != "" {
		c.Actions = []action{{Type: "Action.OpenUrl", Title: n.link(), URL: n.URL}}
	}
	return struct {
		Type        string       `json:"type"`
		Attachments []attachment `json:"attachments"`
	}{"message", []attachment{{ContentType: "application/vnd.microsoft.card.adaptive", Content: c}}}
}

// genericMessage is the body any other receiver gets: the notice, whose
// "text" is made safe for the chat tools that read it as markdown, and
// "plain_text", the same message as typed, for programs. Programs can also
// read the title, the verdict and the experiment's fields, which are never
// changed.
type genericMessage struct {
	notice
	PlainText string `json:"plain_text"`
}

// markdownText prepares a generic webhook's text for the chat tools that
// take a Slack-style {"text"} as it is and read it as their own markdown:
// Mattermost (marked on the web, CommonMark in its apps, after the server
// rewrites Slack's <!channel>, <@U123> and <url|label>), Rocket.Chat (its
// message parser) and Zulip (its Slack-compatible hook, which rewrites
// <scheme://url|label>, *bold* and _italic_, then reads Python-Markdown
// without backslash escapes). What they must never do with a name people
// typed is ping a channel or put a link behind a label; the text must also
// read as typed and copy as typed, so it gains no backslash and no
// invisible character where none is needed, and changes one character
// only where no other way shows it as typed (the "|" of <target|label>):
//
//   - No backslash escapes of copylab's own: Zulip shows every backslash
//     as typed, and Rocket.Chat shows one before a character it does not
//     escape (a backslash before "\" included).
//   - A zero-width space (U+200B) after "@" unless a letter or digit comes
//     before it. Mattermost finds mentions in words split at anything but
//     letters, digits and ":.-_@" (and again at ".-:"), Rocket.Chat after
//     the start, a space or ">", Zulip (@**all**) after the start, a space
//     or one of '"({[/<. An "@" after a letter or digit, as in an email
//     address, starts no mention in any of them, and is left alone.
//   - A left-to-right mark (U+200E) after every "<". Mattermost turns
//     <!channel>, <!here>, <!all> and <@U123> into mentions; the mark
//     breaks them.
//   - "∣" (U+2223, divides), which looks like "|", in place of each "|"
//     with a "<" somewhere before it and a ">" after it (not right after),
//     so that <target|label> shows as typed: the one visible character
//     copylab changes. Mattermost's server turns <target|label> into
//     [label](target) whatever the target holds, with the regular
//     expression <([^<|]+)\|([^>]+)>, which no added character can fail
//     (it joins the target or the label), and Rocket.Chat links
//     <host/path|label>; without the "|" neither does. A character
//     reference (&#124;) would show as "|" in Mattermost and Zulip, but
//     Rocket.Chat shows references as typed. Should a reader link such
//     text anyway, the mark after "<" starts the link's host name, where
//     host names may not hold it (UTS 46 disallows bidi marks), so the
//     browser refuses the link; a zero-width space would not do, since
//     host names drop it silently.
//   - A zero-width space between "]" and "(": every one of them needs the
//     two together for [label](url) and ![alt](src).
//   - A zero-width space at the start of a line that opens with white
//     space, ASCII punctuation or a list number ("1." or "1)"): headings,
//     quotes, lists, rules, tables, code blocks and link definitions
//     ([x]: url, which would put a link behind every [x]) open only there.
//     copylab's own lines start with a letter; a line break typed into a
//     name is what this is for.
//   - A zero-width space after "&" when a character reference follows
//     (&#64; &lt;): Mattermost and Zulip decode them, so "&#64;channel"
//     would read as a mention.
//   - A zero-width space after a typed "\" before ASCII punctuation or a
//     line's end: Mattermost and Rocket.Chat read it as an escape and drop
//     it; Zulip does not.
//
// Emphasis, strike-through and code marks (* _ ~ `) are left as typed:
// they restyle a name but cannot ping anyone or hide a link, and nothing
// short of changing a visible character stops them in all three. No
// escape does (Zulip shows the backslash), nor does an invisible
// character: Zulip's Slack hook turns *x* into bold, and _x_ into
// italics, when the mark has a non-word character or the line's edge on
// its outer side (replace_formatting in zulip/zulip
// zerver/webhooks/slack_incoming/view.py), and no zero-width character
// is a word character to Python (they are formats, not letters); CommonMark lets "*" open and close inside
// a word, so a zero-width space beside it changes nothing in Mattermost's
// apps either (it would stop "_" there, and only there). A lookalike
// star (∗) would stop it, but a name copied from the message would no
// longer be the name, for a style: unlike the "|" of <target|label>,
// which would hide a link, that is not worth it. A bare URL in a name may
// be linked, as the URL itself.
func markdownText(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 16)
	at := func(i int) rune {
		if i < 0 || i >= len(rs) {
			return -1
		}
		return rs[i]
	}
	// A "|" after the first "<" and before the last ">" could part a
	// <target|label>.
	firstOpen, lastClose := -1, -1
	for i, r := range rs {
		if r == '<' && firstOpen < 0 {
			firstOpen = i
		}
		if r == '>' {
			lastClose = i
		}
	}
	for i, r := range rs {
		if (i == 0 || lineBreak(rs[i-1])) && opensBlock(rs[i:]) {
			b.WriteString(zeroWidthSpace)
		}
		if r == '|' && firstOpen >= 0 && firstOpen < i && i+1 < lastClose && rs[i+1] != '>' {
			b.WriteString(linkBar)
			continue
		}
		b.WriteRune(r)
		switch r {
		case '@':
			if p := at(i - 1); !unicode.IsLetter(p) && !unicode.IsDigit(p) {
				b.WriteString(zeroWidthSpace)
			}
		case '<':
			b.WriteString(leftToRightMark)
		case ']':
			if at(i+1) == '(' {
				b.WriteString(zeroWidthSpace)
			}
		case '&':
			if characterReference.MatchString(string(rs[i:min(i+40, len(rs))])) {
				b.WriteString(zeroWidthSpace)
			}
		case '\\':
			if n := at(i + 1); n == -1 || lineBreak(n) || asciiPunct(n) {
				b.WriteString(zeroWidthSpace)
			}
		}
	}
	return b.String()
}

// opensBlock reports whether a line starting with line could open a
// markdown block: white space, ASCII punctuation, or digits then "." or ")".
func opensBlock(line []rune) bool {
	if len(line) == 0 || lineBreak(line[0]) {
		return false
	}
	c := line[0]
	if c == ' ' || c == '\t' || asciiPunct(c) {
		return true
	}
	d := 0
	for d < len(line) && line[d] >= '0' && line[d] <= '9' {
		d++
	}
	return d > 0 && d < len(line) && (line[d] == '.' || line[d] == ')')
}

// lineBreak reports whether r ends a line for one of the readers: CommonMark
// takes "\r" alone as a line ending, and marked "\u2424" too.
func lineBreak(r rune) bool { return r == '\n' || r == '\r' || r == '\u2424' }

// asciiPunct reports whether r is ASCII punctuation, as CommonMark counts
// it: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
func asciiPunct(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsPunct(r) || unicode.IsSymbol(r))
}

// characterReference matches the start of an HTML character reference:
// &#64; &#x40; &lt; (after the "&").
var characterReference = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// zeroWidthSpace (U+200B) separates two characters without showing.
// leftToRightMark (U+200E) does too, in left-to-right text, and is not
// allowed in a host name. linkBar (U+2223) looks like "|" but parts no
// <target|label> (see markdownText).
const (
	zeroWidthSpace  = "\u200b"
	leftToRightMark = "\u200e"
	linkBar         = "\u2223"
)

// slackEscaper escapes the three characters Slack reads as markup in a
// message's text: every mention (<!channel>, <@U123>) and link (<url|label>)
// starts with "<". https://api.slack.com/reference/surfaces/formatting#escaping
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// discordEscaper backslash-escapes Discord's markdown: emphasis, code,
// spoilers, quotes, headings, lists, masked links ([label](url)) and the
// <@id>, <#id> and @everyone mentions. Discord takes a backslash before
// any punctuation as an escape; it does not decode HTML entities.
var discordEscaper = backslashEscaper(`\*_~` + "`" + `|<>[]()#-+@`)

// teamsEscaper writes Teams' markup characters as numeric character
// references. Teams reads a connector message's text as markdown with
// some HTML; a reference is decoded in both, and markdown never reads
// one as markup (CommonMark, "Entity and numeric character references").
var teamsEscaper = entityEscaper(`&<>\*_~` + "`" + `|[]()#-+!`)

// discordMessage is Discord's execute-webhook body. An empty allowed
// mentions list stops every ping, whatever the content holds.
// https://discord.com/developers/docs/resources/message#allowed-mentions-object
type discordMessage struct {
	Content         string          `json:"content"`
	AllowedMentions discordMentions `json:"allowed_mentions"`
}

type discordMentions struct {
	Parse []string `json:"parse"`
}

func backslashEscaper(chars string) *strings.Replacer {
	var pairs []string
	for _, c := range chars {
		pairs = append(pairs, string(c), `\`+string(c))
	}
	return strings.NewReplacer(pairs...)
}

func entityEscaper(chars string) *strings.Replacer {
	var pairs []string
	for _, c := range chars {
		pairs = append(pairs, string(c), fmt.Sprintf("&#%d;", c))
	}
	return strings.NewReplacer(pairs...)
}

// errWebhook is a webhook's refusal: its status and the start of its
// body, for the log. The site page says only the status (see
// testMessageFailure).
type errWebhook struct {
	status int
	body   string
	// answer is the receiver's own word for a refusal of the webhook
	// itself, such as Slack's "no_service" (slackWebhookErrors), or "".
	answer string
}

// webhookAnswer is the receiver's own word for a refusal (errWebhook's
// answer), or, for copylab's own refusal of the address (a
// *netguard.BlockedError), refusedPrivate or refusedBlocked; else "".
func webhookAnswer(err error) string {
	var answered *errWebhook
	if errors.As(err, &answered) {
		return answered.answer
	}
	var blocked *netguard.BlockedError
	if errors.As(err, &blocked) {
		if blocked.Private {
			return refusedPrivate
		}
		return refusedBlocked
	}
	return ""
}

// The answers a webhook's refusal is recorded with (with status 0, which
// no receiver answers) when copylab refused its address itself: every
// message would be refused the same way, so the webhook is paused as one
// that answered it is gone is, and the site page says why (fillRefusal).
const (
	refusedPrivate = "copylab:private_address" // on copylab's host or network, while they are refused
	refusedBlocked = "copylab:blocked_address" // link-local or a cloud metadata service
)

// refusalHolds says whether a recorded refusal still pauses the webhook:
// one for a private address no longer does once whoever runs copylab
// allows them (the reason is gone; nobody need act for it).
func (a *App) refusalHolds(r experiments.WebhookRefusal) bool {
	return !(r.Status == 0 && r.Answer == refusedPrivate && a.cfg.WebhookAllowPrivate)
}

// webhookPaused says whether the site's webhook is paused by a refusal
// that still holds (refusalHolds).
func (a *App) webhookPaused(ctx context.Context, site experiments.Site) (bool, error) {
	r, refused, err := a.store.WebhookRefusalOf(ctx, site.ID, site.WebhookURL)
	if err != nil || !refused {
		return false, err
	}
	return a.refusalHolds(r), nil
}

func (e *errWebhook) Error() string {
	if e.body == "" {
		return fmt.Sprintf("the webhook answered %d", e.status)
	}
	return fmt.Sprintf("the webhook answered %d %s", e.status, e.body)
}

// webhookGuard is what sites' webhooks may connect to: never link-local
// or metadata addresses, and loopback, private and special-purpose ones,
// and the host's own (its network address too), only when whoever runs
// copylab allows them (Config.WebhookAllowPrivate). Any member may
// set a webhook, and the test message says what answered, so without the
// guard a member could probe the services on copylab's own host and
// network.
func webhookGuard(cfg Config) netguard.Guard {
	return netguard.Guard{AllowPrivate: cfg.WebhookAllowPrivate}
}

// sendWebhook posts n to rawURL through the outbound guard (webhookGuard:
// the address as written, then the one dialled), with no redirects and
// notifyTimeout at most. Only a 2xx answer counts as delivered.
func (a *App) sendWebhook(ctx context.Context, rawURL string, n notice) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	if err := webhookGuard(a.cfg).CheckHost(u.Hostname()); err != nil {
		return err
	}
	body, err := json.Marshal(webhookBody(u, n))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, notifyTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "copylab (notifications)")
	resp, err := a.webhooks.Do(req)
	if err != nil {
		// The URL may carry a secret (Slack's do): say where, not what.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return a.unrevealedLookup(err)
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &errWebhook{status: resp.StatusCode, body: redactWebhook(strings.TrimSpace(string(head)), u)}
		if said := strings.TrimSpace(string(head)); receiverOf(u) == receiverSlack && slackWebhookErrors[said] {
			e.answer = said
		}
		return e
	}
	return nil
}

// slackWebhookErrors are the errors Slack answers about an incoming
// webhook itself rather than the message: every message to it gets the
// same, until a person fixes the webhook, its channel or its workspace
// (failureOf). Slack sends them as the whole plain-text body, with 400
// for some (a deleted webhook's "no_service" among them), so the status
// alone would read as a refusal of one message, and a dead webhook would
// drop the site's messages one by one. Its per-message errors
// (invalid_payload, no_text, too_many_attachments) are not here.
// https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks#handling_errors
// https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks
//
// channel_not_found and user_not_found are about the webhook too: copylab
// never names a channel or a user, so they are the webhook's own.
var slackWebhookErrors = map[string]bool{
	"no_service":                        true, // the webhook is disabled, removed or invalid
	"no_service_id":                     true, // the URL's service id is invalid or missing
	"no_active_hooks":                   true, // the webhook is disabled
	"invalid_token":                     true, // the URL's token expired, is invalid or missing
	"no_team":                           true, // the workspace is missing or invalid
	"team_disabled":                     true, // the workspace is no longer active
	"channel_not_found":                 true,
	"user_not_found":                    true,
	"channel_is_archived":               true,
	"action_prohibited":                 true, // an admin restricted posting this way
	"posting_to_general_channel_denied": true, // #general is restricted, and the webhook's maker may not post there
}

// redactWebhook takes the webhook URL's secret parts (its path and query)
// out of a receiver's answer before it is logged or shown: a server's
// 404 page often quotes the path it was asked for ("Cannot POST
// /hooks/TOKEN"), and may quote only a part of it, escaped its own way
// (JSON's "\/", HTML's "&amp;"), or cut off by the 200 bytes read. So
// each path segment and query value of minSecretPart bytes or more is a
// secret of its own, and an answer that ends in the start of a secret
// loses that end too.
func redactWebhook(body string, u *url.URL) string {
	secrets := []string{u.RawQuery, u.EscapedPath(), u.Path}
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		secrets = append(secrets, seg)
		if dec, err := url.PathUnescape(seg); err == nil {
			secrets = append(secrets, dec)
		}
	}
	for _, vs := range u.Query() {
		secrets = append(secrets, vs...)
		for _, v := range vs {
			secrets = append(secrets, url.QueryEscape(v))
		}
	}
	// The longest first, so that a whole path goes before its segments
	// leave pieces of it.
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, secret := range secrets {
		if len(secret) < minSecretPart {
			continue
		}
		for _, form := range []string{secret, strings.ReplaceAll(secret, "/", `\/`), html.EscapeString(secret)} {
			body = strings.ReplaceAll(body, form, "…")
		}
		for n := len(secret) - 1; n >= minSecretPart; n-- {
			if cut, ok := strings.CutSuffix(body, secret[:n]); ok {
				body = cut + "…"
				break
			}
		}
	}
	return body
}

// minSecretPart is the shortest part of a webhook URL that redactWebhook
// takes for a secret: shorter ones ("v1", "hooks", "api") are words that
// an answer may use for itself.
const minSecretPart = 6

// webhookHost is the host of a webhook URL, for logs: the path of many
// webhook URLs is their secret.
func webhookHost(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return u.Host
	}
	return ""
}

// maskedWebhook is a saved webhook URL as the site page shows it: its scheme,
// host and last four characters. The rest of a chat tool's webhook URL is the
// secret that lets anyone post to the channel, so no page shows it once saved.
func maskedWebhook(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || rawURL == "" {
		return ""
	}
	origin := u.Scheme + "://" + u.Host
	rest := strings.TrimPrefix(rawURL, origin)
	ends := characterEnds(rest)
	if len(ends)-1 <= 8 {
		return origin + "/…"
	}
	return origin + "/…" + rest[ends[len(ends)-5]:]
}

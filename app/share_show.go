package app

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// shareShow answers GET /r/:token, the public read-only results page: the
// same results as the signed-in page, without any action. It needs no
// session; the token is the secret. The page sends no referrer, so the token
// does not leak through links. A draft's page says the test has not
// started: its counts and recordings are not read, since there are none.
func (a *App) shareShow(c *fiber.Ctx) error {
	e, err := a.store.ExperimentByShareToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	a.shareHeaders(c)
	base := "/r/" + e.ShareToken
	p := a.sharePageHead(e)
	p.Started = e.StartedAt
	p.Variants = variantViews(e)
	p.CSVURL, p.DailyCSVURL = base+"/results.csv", base+"/daily.csv"
	if e.Status != experiments.StatusDraft {
		p.Results, p.Trends = a.resultsAndTrends(c, e, base+"/live", base+"/trends")
		p.Trends.ReadOnly = true
		p.Recordings = a.recordingsView(c, e, base+"/recordings", "") // recordings.go: links only, read-only
		p.Recordings.ReadOnly = true
	}
	return render(c, views.Share(p))
}

// sharePageHead is what every share page of e shows, a draft's
// (shareNotStarted) included: its name, status, page and goal, the page
// written as a person reads it (experiments.PageShown), as the
// experiment page writes it.
func (a *App) sharePageHead(e experiments.Experiment) views.SharePage {
	return views.SharePage{
		Page:    views.Page{Title: e.Name, Assets: a.assets.views()},
		Name:    e.Name,
		Status:  badgeStatus(e),
		PageURL: experiments.PageShown(e.Page),
		Goal:    goalSentence(e.Goal),
	}
}

// shareLive answers GET /r/:token/live, the share page's polled fragment.
func (a *App) shareLive(c *fiber.Ctx) error {
	e, err := a.store.ExperimentByShareToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	a.shareHeaders(c)
	return render(c, views.ResultsPanel(a.results(c, e, "/r/"+e.ShareToken+"/live")))
}

// shareTrends answers GET /r/:token/trends, the share page's charts and
// segments.
func (a *App) shareTrends(c *fiber.Ctx) error {
	e, err := a.store.ExperimentByShareToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	a.shareHeaders(c)
	t := a.trends(c, e, "/r/"+e.ShareToken+"/trends", "")
	t.ReadOnly = true
	return render(c, views.ResultsTrends(t))
}

func (a *App) shareHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Set("X-Robots-Tag", "noindex, nofollow")
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// isSharePath tells whether path is under a share link, /r/TOKEN….
func isSharePath(path string) bool { return strings.HasPrefix(path, "/r/") }

// shareGone is the answer to a share link that finds nothing (handleError
// sends every 404 under /r/ here): a public page saying the link no longer
// works, whoever asks. The person holding a share link is usually not a
// copylab user, so the signed-in error page, with its navigation or its
// way to sign in, is the wrong answer. It is a 404 whether the token was
// retired by a new link, its experiment deleted, or it never existed:
// copylab keeps no list of old tokens, and a 410 for some would tell a
// stranger which tokens once worked. The code is in X-Copylab, as the
// share links' 409 and 429 send theirs: the app's code for a 404
// (errNotFound), the same for every case, for the same reason.
func (a *App) shareGone(c *fiber.Ctx) error {
	a.shareHeaders(c)
	c.Set("X-Copylab", errNotFound.Code)
	c.Status(http.StatusNotFound)
	return render(c, views.ShareGone(views.Page{Title: "Link no longer works", Assets: a.assets.views()}))
}

// shareBusy is the page of a share link held back by limitShare, which
// handleError sends here with the status and Retry-After already set: the
// sentence saying how long to wait, on the public page of shareGone, for
// the same reason. The code is in X-Copylab, for a program fetching the
// CSV.
func (a *App) shareBusy(c *fiber.Ctx, code, message string) error {
	a.shareHeaders(c)
	c.Set("X-Copylab", code)
	return render(c, views.ShareBusy(views.Page{Title: "Too many requests", Assets: a.assets.views()}, message))
}

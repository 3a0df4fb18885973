package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// The demo: copylab serves a small fake landing page at /demo whose <head>
// carries the real tag of a "Demo site". Setup creates that site and a
// running experiment on the page's headline, so that a newcomer sees a
// swap and a conversion without a website of their own. The demo site is
// found again by its name.
const (
	DemoSiteName       = "Demo site"
	DemoExperimentName = "Demo: landing headline"
	demoPage           = "/demo"
	demoSelector       = `[data-copylab="hero"]`
	demoGoalSelector   = `[data-copylab="signup"]`
	// DemoHeadline is the page's own headline: the control.
	DemoHeadline = "Notes that keep up with your team"
)

var demoVariants = []string{
	"Write it down once. Find it in a second.",
	"The notebook your whole team actually opens",
}

// createDemo makes the demo site (its domain is the public URL's) and
// starts the demo experiment.
func (a *App) createDemo(ctx context.Context, userID int64) error {
	// The person setting up did not make these changes: copylab did.
	ctx = experiments.WithActor(ctx, "copylab, at set-up")
	site, err := a.store.CreateSite(ctx, experiments.Site{Name: DemoSiteName, Domain: a.public.String()})
	if err != nil {
		return fmt.Errorf("demo site: %w", err)
	}
	vs := []experiments.Variant{{Key: experiments.ControlKey, Text: DemoHeadline}}
	for _, t := range demoVariants {
		vs = append(vs, experiments.Variant{Text: t, Source: experiments.SourceHuman})
	}
	e, err := a.store.CreateExperiment(ctx, experiments.Experiment{
		SiteID:     site.ID,
		Name:       DemoExperimentName,
		Page:       demoPage,
		Selector:   demoSelector,
		Goal:       experiments.Goal{Type: experiments.GoalClick, Selector: demoGoalSelector},
		CoverageBP: 10000,
		CreatedBy:  userID,
		Variants:   vs,
	})
	if err != nil {
		return fmt.Errorf("demo experiment: %w", err)
	}
	if _, err := a.store.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
		return fmt.Errorf("demo experiment: %w", err)
	}
	return nil
}

// demoSite returns the demo site, the oldest site of that name.
func (a *App) demoSite(ctx context.Context) (experiments.Site, bool, error) {
	sites, err := a.store.Sites(ctx)
	if err != nil {
		return experiments.Site{}, false, err
	}
	var found experiments.Site
	ok := false
	for _, s := range sites {
		if s.Name == DemoSiteName && (!ok || s.CreatedAt.Before(found.CreatedAt)) {
			found, ok = s, true
		}
	}
	return found, ok, nil
}

// demoExperiment returns the demo experiment while it runs on the demo
// page: the one the page's tag serves.
func (a *App) demoExperiment(ctx context.Context) (experiments.Experiment, bool, error) {
	site, ok, err := a.demoSite(ctx)
	if err != nil || !ok {
		return experiments.Experiment{}, false, err
	}
	running, err := a.store.RunningExperiments(ctx, site.ID)
	if err != nil && !errors.Is(err, experiments.ErrNotFound) {
		return experiments.Experiment{}, false, err
	}
	for _, e := range running {
		if e.Page == demoPage && e.Selector == demoSelector {
			return e, true, nil
		}
	}
	return experiments.Experiment{}, false, nil
}

// demoIdle returns the demo experiment when it is on the demo site but
// does not run (a draft, paused or stopped): the newest experiment there
// on the demo page's headline. ok is false when there is none: it was
// deleted. The search reads only experiments with "/demo" in their name
// or page (the site's own name has no slash), a few at most.
func (a *App) demoIdle(ctx context.Context, site experiments.Site) (experiments.Experiment, bool, error) {
	q := experiments.PageQuery{Filter: experiments.ExperimentFilter{SiteID: site.ID, Search: demoPage}, Limit: 20}
	shown, _, err := a.store.ExperimentsPage(ctx, q)
	if err != nil {
		return experiments.Experiment{}, false, err
	}
	for _, e := range shown {
		if e.Page == demoPage && e.Selector == demoSelector {
			return e, true, nil
		}
	}
	return experiments.Experiment{}, false, nil
}

// isDemo tells whether an experiment is the demo experiment.
func isDemo(e experiments.Experiment, siteName string) bool {
	return siteName == DemoSiteName && e.Name == DemoExperimentName
}

// demoShow answers GET /demo, the public demo page. Its Content Security
// Policy is as strict as the app's own, plus the public origin for the tag
// and its events (which differ from 'self' when the page is opened under
// another host name than the public URL's).
func (a *App) demoShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := views.DemoPage{
		CSS:      a.assets.url("css/demo.css"),
		JS:       a.assets.url("js/demo.js"),
		Icon:     a.assets.url("img/logo.svg"),
		Headline: DemoHeadline,
	}
	site, ok, err := a.demoSite(ctx)
	if err != nil {
		return err
	}
	// When the page tests nothing, its banner says why: nobody has set
	// copylab up yet (setup makes the demo), or the demo was stopped or
	// deleted since.
	idle := views.DemoIdle{Site: DemoSiteName}
	if ok {
		p.SnippetURL = a.snippetURL(site.Key)
		e, running, err := a.demoExperiment(ctx)
		if err != nil {
			return err
		}
		if running {
			p.ExperimentID = e.ID
			for _, v := range e.Variants {
				p.Variants = append(p.Variants, v.Key)
			}
		} else {
			idle.SetUp = true
			if e, ok, err := a.demoIdle(ctx, site); err != nil {
				return err
			} else if ok {
				idle.Name, idle.Status = e.Name, string(e.Status)
			}
		}
	} else {
		n, err := a.store.UserCount(ctx)
		if err != nil {
			return err
		}
		idle.SetUp = n > 0
	}
	// The page tells a visitor when copylab will not count their click:
	// for a user agent, by the same judge as POST /e's.
	v := views.DemoVisit{Bot: experiments.IsBot(c.Get(fiber.HeaderUserAgent)), Idle: idle}
	origin := a.public.String()
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; script-src 'self' "+origin+"; connect-src 'self' "+origin+
		"; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderVary, fiber.HeaderUserAgent) // DemoVisit.Bot
	return render(c, views.Demo(p, v))
}

// snippetURL is the short-cache URL of a site's tag.
func (a *App) snippetURL(key string) string {
	return a.cfg.PublicURL + "/s/" + key + ".js"
}

// snippetTag is the line to paste into a site's <head>.
func (a *App) snippetTag(key string) string {
	return `<script src="` + a.snippetURL(key) + `"></script>`
}

package app

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/static"
	"copylab/views"
)

// siteShow answers GET /sites/:id: the tag, how to install it, and the
// site's experiments.
func (a *App) siteShow(c *fiber.Ctx) error {
	site, err := a.store.Site(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	p, err := a.sitePage(c, site)
	if err != nil {
		return err
	}
	if c.Query("at") == "notifications" {
		// The webhook's actions come back to its card (notificationsURL):
		// what they did is said there, in view, not at the page's top.
		p.Notify.Flash, p.Flash = p.Flash, views.Flash{}
	}
	return render(c, views.Site(p))
}

// sitePage builds the site page with its forms filled from the site as
// stored; the forms' handlers put back what was typed, with its errors.
func (a *App) sitePage(c *fiber.Ctx, site experiments.Site) (views.SitePage, error) {
	ctx := c.UserContext()
	pinned, err := a.pinnedSnippetTag(ctx, site.Key)
	if err != nil {
		return views.SitePage{}, err
	}
	rec, err := a.store.SiteRecorders(ctx, site.ID)
	if err != nil {
		return views.SitePage{}, err
	}
	p := views.SitePage{
		Page:       a.page(c, views.NavSites),
		ID:         site.ID,
		Name:       site.Name,
		Domain:     shownDomain(site.Domain), // site_update.go
		Key:        site.Key,
		Tag:        a.snippetTag(site.Key),
		PinnedTag:  pinned,
		GuardedTag: static.GuardedTag(a.snippetURL(site.Key)),
		GuardCSP:   guardCSP(),
		SnippetURL: a.snippetURL(site.Key),
		Settings:   siteSettingsForm(site),        // site_update.go
		Recorders:  a.recordersForm(site.ID, rec), // site_recorders.go
		Notify:     views.NotifyForm{Saved: maskedWebhook(site.WebhookURL), Plain: a.plainWebhook(site.WebhookURL)},
	}
	if err := a.fillRefusal(ctx, site, &p.Notify); err != nil {
		return views.SitePage{}, err
	}
	sent, err := a.store.SiteNotifications(ctx, site.ID, 5)
	if err != nil {
		return views.SitePage{}, err
	}
	for _, n := range sent {
		p.Notify.Recent = append(p.Notify.Recent, views.SentNotice{ExperimentID: n.ExperimentID, ExperimentName: n.ExperimentName,
			Title: sentTitle(n.Status, n.Title), SentAt: n.SentAt})
	}
	p.Title = site.Name
	if err := a.siteExperiments(ctx, &p, site); err != nil {
		return views.SitePage{}, err
	}
	now := a.now()
	last, _, err := a.store.SiteLastEvent(ctx, site.ID, now)
	if err != nil {
		return views.SitePage{}, err
	}
	p.Seen = a.tagStatus(site, now, last, p.RunningAll > 0)
	return p, nil
}

// tagStatus is what the site page and the sites list say of a site's
// tag: its loads as the tag's handler saw them (tagSightings, kept
// across restarts) with each page's origin checked against the site's
// domain, when its newest event arrived (lastEvent, zero for none), and
// when a page last asked for an out-of-date pinned tag that its
// browser refuses (tagSeen.sawOutdated).
// A site added before copylab began keeping loads (an upgrade) may have
// loaded its tag unseen: Since says when that was. Unreachable says that
// visitors cannot load the tag at all, from copylab's public URL
// (tagReach).
func (a *App) tagStatus(site experiments.Site, now, lastEvent time.Time, running bool) views.TagStatus {
	loaded, pages := a.snippets.tags.seen(site.Key)
	s := views.TagStatus{Now: now, Loaded: loaded, LastEvent: lastEvent, Running: running,
		Domain: shownDomain(site.Domain), Unreachable: tagReach(a.cfg.PublicURL, site.Domain)}
	if since := a.snippets.tags.since; site.CreatedAt.Before(since) {
		s.Since = since
	}
	s.Outdated, s.OutdatedOn = a.snippets.tags.outdated(site.Key)
	for _, p := range pages {
		on := pageOnSite(p.origin, site.Domain)
		dev := !on && devOrigin(p.origin)
		s.Pages = append(s.Pages, views.TagPage{Origin: p.origin, At: time.Unix(p.at, 0), Elsewhere: !on && !dev, Dev: dev})
	}
	return s
}

// pageOnSite tells whether a page's origin (pageOrigin) is on a site's
// domain as experiments.SiteDomain stores it: the same host and port,
// the scheme's default port left out, with or without www. in front
// (shop.example and www.shop.example are one site to its visitors).
func pageOnSite(origin, domain string) bool {
	d := experiments.SiteDomain(origin)
	return d == domain || strings.TrimPrefix(d, "www.") == strings.TrimPrefix(domain, "www.")
}

// devOrigin tells whether a page's origin is on a developer's machine:
// localhost, a name under .localhost, or a loopback address, as
// experiments.SiteScheme counts them.
func devOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return loopbackHost(u.Host) // localhost, *.localhost and loopback addresses
}

// guardCSP is the site page's hint for sites with a Content-Security-Policy:
// the hashes that allow the guarded install's inline lines.
func guardCSP() string {
	script, style := static.GuardCSP()
	return "script-src " + script + "; style-src " + style
}

// runningNamed is how many running experiments the site page's delete
// section names; past that it counts the rest and links to the list.
const runningNamed = 5

// siteExperiments fills in what the site's page shows of its experiments,
// reading only that: the newest page of them, counted by one count by
// status (the pager's next link is the experiments list, narrowed to this
// site, from its second page), the names of the running ones, which must
// stop before the site can be deleted, and a preview link of the newest
// experiment with a variant besides the original.
func (a *App) siteExperiments(ctx context.Context, p *views.SitePage, site experiments.Site) error {
	f := experiments.ExperimentFilter{SiteID: site.ID}
	counts, err := a.store.StatusCounts(ctx, f)
	if err != nil {
		return err
	}
	_, p.Pager = pagerOf(counts.Total, 1, func(page int) string { return listURL(site.ID, "", "", page) })
	var shown []experiments.Experiment
	if counts.Total > 0 {
		shown, _, err = a.store.ExperimentsPage(ctx, experiments.PageQuery{Filter: f, Limit: listPageSize})
		if err != nil {
			return err
		}
	}
	// An experiment created or deleted since the count moves the page's
	// end; the pager says what the page shows.
	if len(shown) > 0 {
		p.Pager.To = p.Pager.From + len(shown) - 1
		// Older continues after the last row shown, as the list's own
		// links do, so a test created meanwhile is not listed twice.
		if p.Pager.NextURL != "" {
			p.Pager.NextURL = listURLAt(site.ID, "", "", "after", experiments.PositionOf(shown[len(shown)-1]))
		}
	}
	p.Experiments, err = a.experimentRows(ctx, shown, func(experiments.Experiment) string { return site.Name })
	if err != nil {
		return err
	}
	if n := counts.Matched[experiments.StatusRunning]; n > 0 {
		// A sentence names a few; the list has them all.
		p.Running, err = a.store.SiteExperimentNames(ctx, site.ID, experiments.StatusRunning, runningNamed)
		if err != nil {
			return err
		}
		p.RunningAll = max(n, len(p.Running))
		p.RunningURL = listURL(site.ID, "", experiments.StatusRunning, 1)
	}
	var example experiments.Experiment
	ok := false
	// The example needs an experiment a preview link can show: variants,
	// and its page, element and goal (a draft may be saved without them).
	if i := slices.IndexFunc(shown, func(e experiments.Experiment) bool { return len(e.Variants) > 1 && e.Complete() }); i >= 0 {
		example, ok = shown[i], true
	} else if counts.Total > len(shown) {
		// The newest page holds only drafts with just the original; an
		// older experiment may have variants.
		if example, ok, err = a.store.SiteExperimentWithVariants(ctx, site.ID); err != nil {
			return err
		}
	}
	if links := a.qaLinks(example, site); ok && len(links) > 1 {
		p.QAExample = links[1].URL
		if p.QAExample == "" {
			p.QAExample = links[1].Param
		}
	}
	return nil
}

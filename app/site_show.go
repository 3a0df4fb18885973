package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
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
	return render(c, views.Site(p))
}

// sitePage builds the site page with its forms filled from the site as
// stored; the forms' handlers put back what was typed, with its errors.
func (a *App) sitePage(c *fiber.Ctx, site experiments.Site) (views.SitePage, error) {
	ctx := c.UserContext()
	exps, err := a.store.Experiments(ctx, experiments.ExperimentFilter{SiteID: site.ID})
	if err != nil {
		return views.SitePage{}, err
	}
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
		Domain:     site.Domain,
		Key:        site.Key,
		Tag:        a.snippetTag(site.Key),
		PinnedTag:  pinned,
		SnippetURL: a.snippetURL(site.Key),
		Settings:   siteSettingsForm(site),        // site_update.go
		Recorders:  a.recordersForm(site.ID, rec), // site_recorders.go
		Notify:     views.NotifyForm{Saved: maskedWebhook(site.WebhookURL)},
	}
	sent, err := a.store.SiteNotifications(ctx, site.ID, 5)
	if err != nil {
		return views.SitePage{}, err
	}
	for _, n := range sent {
		p.Notify.Recent = append(p.Notify.Recent, views.SentNotice{ExperimentID: n.ExperimentID, ExperimentName: n.ExperimentName,
			Title: noticeTitle(n.Status), SentAt: n.SentAt})
	}
	p.Title = site.Name
	// The newest page of them; the pager's next link is the whole list,
	// narrowed to this site, from its second page.
	shown, pg := pageOf(exps, 1, func(page int) string { return listURL(site.ID, "", "", page) })
	p.Pager = pg
	p.Experiments, err = a.experimentRows(ctx, shown, func(experiments.Experiment) string { return site.Name })
	for _, e := range exps {
		if e.Status == experiments.StatusRunning {
			p.Running = append(p.Running, e.Name)
		}
	}
	if err != nil {
		return views.SitePage{}, err
	}
	for _, e := range exps {
		if p.QAExample == "" && len(e.Variants) > 1 {
			if links := a.qaLinks(e, site); len(links) > 1 {
				p.QAExample = links[1].URL
				if p.QAExample == "" {
					p.QAExample = links[1].Param
				}
			}
		}
	}
	return p, nil
}

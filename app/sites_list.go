package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// sitesList answers GET /sites: the sites and the form that adds one.
func (a *App) sitesList(c *fiber.Ctx) error {
	p, err := a.sitesPage(c, views.SiteForm{})
	if err != nil {
		return err
	}
	return render(c, views.Sites(p))
}

// sitesPage is the sites list with the add form as given. Each site's
// experiments and running ones come from one count by site, and its
// newest event from one query for all.
func (a *App) sitesPage(c *fiber.Ctx, form views.SiteForm) (views.SitesPage, error) {
	ctx := c.UserContext()
	sites, err := a.store.Sites(ctx)
	if err != nil {
		return views.SitesPage{}, err
	}
	counts, err := a.store.SiteCounts(ctx)
	if err != nil {
		return views.SitesPage{}, err
	}
	now := a.now()
	last, err := a.store.SiteLastEvents(ctx, now)
	if err != nil {
		return views.SitesPage{}, err
	}
	p := views.SitesPage{Page: a.page(c, views.NavSites), Form: form}
	p.Title = "Sites"
	for _, s := range sites {
		n := counts[s.ID]
		row := views.SiteRow{ID: s.ID, Name: s.Name, Domain: shownDomain(s.Domain), Key: s.Key, Total: n.Total, Running: n.Running,
			Seen: a.tagStatus(s, now, last[s.ID], n.Running > 0)} // site_show.go
		p.Sites = append(p.Sites, row)
	}
	return p, nil
}

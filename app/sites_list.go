package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
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

func (a *App) sitesPage(c *fiber.Ctx, form views.SiteForm) (views.SitesPage, error) {
	ctx := c.UserContext()
	sites, err := a.store.Sites(ctx)
	if err != nil {
		return views.SitesPage{}, err
	}
	exps, err := a.store.Experiments(ctx, experiments.ExperimentFilter{})
	if err != nil {
		return views.SitesPage{}, err
	}
	p := views.SitesPage{Page: a.page(c, views.NavSites), Form: form}
	p.Title = "Sites"
	for _, s := range sites {
		row := views.SiteRow{ID: s.ID, Name: s.Name, Domain: s.Domain, Key: s.Key}
		for _, e := range exps {
			if e.SiteID == s.ID {
				row.Total++
				if e.Status == experiments.StatusRunning {
					row.Running++
				}
			}
		}
		p.Sites = append(p.Sites, row)
	}
	return p, nil
}

package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// apiSitesList answers GET /api/v1/sites.
func (a *App) apiSitesList(c *fiber.Ctx) error {
	sites, err := a.store.Sites(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]apiSite, len(sites))
	for i, s := range sites {
		out[i] = a.apiSiteOf(s)
	}
	return c.JSON(fiber.Map{"sites": out})
}

// apiSiteCreate answers POST /api/v1/sites {name, domain} → 201.
func (a *App) apiSiteCreate(c *fiber.Ctx) error {
	var in struct {
		Name   string `json:"name"`
		Domain string `json:"domain"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	site, err := a.store.CreateSite(c.UserContext(), experiments.Site{Name: in.Name, Domain: in.Domain})
	if err != nil {
		return err
	}
	c.Location("/api/v1/sites/" + site.ID)
	return c.Status(http.StatusCreated).JSON(a.apiSiteOf(site))
}

// apiSiteGet answers GET /api/v1/sites/:id.
func (a *App) apiSiteGet(c *fiber.Ctx) error {
	site, err := a.store.Site(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a.apiSiteOf(site))
}

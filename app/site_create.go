package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// siteCreate answers POST /sites. Invalid input shows the form again with
// every error beside its field.
func (a *App) siteCreate(c *fiber.Ctx) error {
	in := experiments.Site{Name: c.FormValue("name"), Domain: c.FormValue("domain")}
	site, err := a.store.CreateSite(c.UserContext(), in)
	if errs, ok := formErrors(err, nil); ok {
		p, err := a.sitesPage(c, views.SiteForm{Name: in.Name, Domain: in.Domain, Errors: errs})
		if err != nil {
			return err
		}
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Sites(p))
	}
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/sites/"+site.ID, "ok", "Site added. Paste its tag into your pages, then create an experiment.")
}

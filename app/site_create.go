package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"

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
	msg, kind := "Site added.", "ok"
	if w := a.domainInUse(c.UserContext(), site, false); w != "" {
		msg, kind = msg+" "+w, "warn"
	}
	return a.redirectWithFlash(c, "/sites/"+site.ID, kind, msg+" Paste its tag into your pages, then create an experiment.")
}

// domainInUse is the warning of a site saved on a domain other sites have
// (experiments.Store.SitesOnDomain), naming them, with their ids for the
// API; "" when none has it. Such sites are made all the same (scripts
// and tests rely on it), but they share the tag's storage in visitors'
// browsers (README, Known limits). The site is saved already, so a
// failure to read the others only leaves the warning unsaid.
func (a *App) domainInUse(ctx context.Context, site experiments.Site, withIDs bool) string {
	others, err := a.store.SitesOnDomain(ctx, site.Domain, site.ID)
	if err != nil || len(others) == 0 {
		return ""
	}
	names := make([]string, len(others))
	for i, o := range others {
		names[i] = "“" + o.Name + "”"
		if withIDs {
			names[i] += " (id " + o.ID + ")"
		}
	}
	who := "Another site, " + names[0] + ", has"
	if len(names) > 1 {
		who = "Other sites, " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + ", have"
	}
	return fmt.Sprintf("%s the domain %s: sites on one domain share the tag's storage in visitors' browsers, "+
		"so events one site's tag holds back while it cannot send them may go out with the other's key and be lost. "+
		"Use one site per domain.", who, shownDomain(site.Domain))
}

package app

import (
	"context"
	"encoding/json"
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

// apiSiteAnswer is a site as POST and PATCH answer it: with warnings
// beside it, as an experiment's create and PATCH carry them.
type apiSiteAnswer struct {
	apiSite
	Warnings []apiWarning `json:"warnings,omitempty"`
}

// apiSiteSaved is the answer of a site just saved: warned domain_in_use
// when other sites have its domain (domainInUse), and tag_unreachable
// when its visitors' browsers cannot load the tag it answers, from
// copylab's public URL (tagReach), in the words of the site page's
// install card.
func (a *App) apiSiteSaved(ctx context.Context, site experiments.Site) apiSiteAnswer {
	out := apiSiteAnswer{apiSite: a.apiSiteOf(site)}
	if w := a.domainInUse(ctx, site, true); w != "" {
		out.Warnings = append(out.Warnings, apiWarning{Code: "domain_in_use", Message: w})
	}
	if u := tagReach(a.cfg.PublicURL, site.Domain); u.Origin != "" {
		out.Warnings = append(out.Warnings, apiWarning{Code: "tag_unreachable", Message: u.Message(site.Domain)})
	}
	return out
}

// apiSiteCreate answers POST /api/v1/sites {name, domain} → 201. A domain
// another site has is saved all the same, with a domain_in_use warning,
// and so is one whose visitors cannot load the tag from copylab's
// address (tag_unreachable, tagReach).
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
	return c.Status(http.StatusCreated).JSON(a.apiSiteSaved(c.UserContext(), site))
}

// apiSiteGet answers GET /api/v1/sites/:id.
func (a *App) apiSiteGet(c *fiber.Ctx) error {
	site, err := a.store.Site(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a.apiSiteOf(site))
}

// apiSiteUpdate answers PATCH /api/v1/sites/:id {name?, domain?} → 200
// with the site as GET answers it: a site renamed, or moved to another
// domain, as its settings form does. What is left out (or null) stays.
// The store checks both as it checks a new site's (Store.PatchSite, as
// CreateSite), so the answer has POST's codes and words, and its
// domain_in_use warning when a domain is sent; a domain sent back as GET
// answered it is kept as stored. The site's other fields
// answer 422 field_not_editable, each saying why (siteNotEditable), and
// names that are not fields of a site 400 unknown_field, as PATCH of an
// experiment answers them.
func (a *App) apiSiteUpdate(c *fiber.Ctx) error {
	var sent map[string]json.RawMessage
	if err := decodeJSON(c, &sent); err != nil {
		return err
	}
	ctx := c.UserContext()
	site, err := a.store.Site(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if errs := siteNotEditable(sent); len(errs) > 0 {
		return errs
	}
	var in struct {
		Name   *string `json:"name"`
		Domain *string `json:"domain"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	// Only what the body sends is changed, on the site as it is when it
	// is written (PatchSite): a brand voice or another field saved
	// meanwhile stays.
	updated, err := a.store.PatchSite(ctx, site.ID, func(s *experiments.Site) error {
		if in.Name != nil {
			s.Name = *in.Name
		}
		if in.Domain != nil {
			s.Domain = *in.Domain
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.snippets.reset() // as the settings form does: a rendered tag keeps the domain it saw (tagSeen)
	if in.Domain != nil {
		return c.JSON(a.apiSiteSaved(ctx, updated))
	}
	return c.JSON(a.apiSiteOf(updated))
}

// siteNotEditable returns a field_not_editable error for each field of
// apiSite other than name and domain that the body sends, in the order
// apiSite lists them.
func siteNotEditable(sent map[string]json.RawMessage) experiments.ValidationError {
	var out experiments.ValidationError
	for _, f := range []string{"id", "key", "snippet", "snippet_url", "created_at"} {
		if _, ok := sent[f]; !ok {
			continue
		}
		how := "copylab sets it."
		switch f {
		case "key":
			how = "copylab sets it, and the tag on the site's pages names it, so it never changes."
		case "snippet", "snippet_url":
			how = "It is the tag of the site's key, which never changes."
		}
		out = append(out, experiments.FieldError{Field: f, Code: "field_not_editable",
			Message: "PATCH changes only name and domain, not " + f + ". " + how})
	}
	return out
}

package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

// siteDelete answers POST /sites/:id/delete: the site goes with its
// experiments and everything recorded for them, and its tag serves nothing
// from then on. A site with a running experiment is refused back on its
// page, naming them.
func (a *App) siteDelete(c *fiber.Ctx) error {
	ctx := c.UserContext()
	site, err := a.store.Site(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	exps, events, err := a.store.DeleteSite(ctx, site.ID)
	// Even refused (an experiment runs), the delete may have taken the
	// stopped ones first, shipped variants among them, which the tag serves.
	a.snippets.reset()
	a.forgetDeletedExperiments(ctx) // drafting jobs of the experiments it took stop writing
	if msg, ok := refusal(err); ok {
		return a.redirectWithFlash(c, "/sites/"+site.ID, "error", msg)
	}
	if err != nil {
		return err
	}
	done := fmt.Sprintf("Deleted the site “%s”. Remove its tag from your pages: it now answers 404 and changes nothing.", site.Name)
	if exps > 0 {
		done = fmt.Sprintf("Deleted the site “%s” with its %s and %s. Remove its tag from your pages: it now answers 404 and changes nothing.",
			site.Name, counted(int64(exps), "experiment", "experiments"), counted(events, "event", "events"))
	}
	return a.redirectWithFlash(c, "/sites", "ok", done)
}

// apiSiteDelete answers DELETE /api/v1/sites/:id: 204 once the site and
// everything of it are gone; 409 site_running while one of its experiments
// runs. It takes no body (noBody).
func (a *App) apiSiteDelete(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	_, _, err := a.store.DeleteSite(c.UserContext(), c.Params("id"))
	a.snippets.reset() // a refused delete may have taken shipped variants first
	a.forgetDeletedExperiments(c.UserContext())
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

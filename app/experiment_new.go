package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// experimentNew answers GET /experiments/new[?site=ID]: an empty form with
// a click goal, on the site given, else on the site added last. The page
// and element are left for the person to choose: the form suggests them
// as placeholders ([data-copylab="hero"], the robust choice), since
// values typed in ahead would test the home page's hero on a hurried
// save.
func (a *App) experimentNew(c *fiber.Ctx) error {
	sites, err := a.store.Sites(c.UserContext())
	if err != nil {
		return err
	}
	if len(sites) == 0 {
		return a.redirectWithFlash(c, "/sites", "error", "Add a site first: experiments run on a site.")
	}
	// The site's id in any case, as the API reads one (apiLowerIDs), so
	// that the form's list finds it as stored.
	site := asciiLower(c.Query("site"))
	if site == "" {
		// Without a site in the link (Experiments → New experiment), the
		// site added last: the one someone new just installed the tag on,
		// rather than the first by name, which is often the Demo site.
		newest := sites[0]
		for _, s := range sites[1:] {
			if s.CreatedAt.After(newest.CreatedAt) || (s.CreatedAt.Equal(newest.CreatedAt) && s.ID > newest.ID) {
				newest = s
			}
		}
		site = newest.ID
	}
	f := views.ExperimentForm{
		SiteID:   site,
		GoalType: experiments.GoalClick,
		Coverage: "100",
		Variants: []views.VariantField{{}, {}},
	}
	return a.renderExperimentForm(c, f, http.StatusOK)
}

package app

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/views"
)

// siteRecordersSave answers POST /sites/:id/recorders: the session
// recorders the site runs. A recorder is in use when any of its fields is
// filled in. Invalid settings (recorders.Settings.Validate) show the site
// page again with every error beside its field, and save nothing.
func (a *App) siteRecordersSave(c *fiber.Ctx) error {
	ctx := c.UserContext()
	site, err := a.store.Site(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	typed := recordersFromForm(c)
	saved, err := a.store.UpdateSiteRecorders(ctx, site.ID, typed)
	if errs, ok := formErrors(err, nil); ok {
		p, err := a.sitePage(c, site)
		if err != nil {
			return err
		}
		for field, msg := range errs {
			errs[field] = capitalise(msg) // some of recorders' messages start in lower case
		}
		f := a.recordersForm(site.ID, typed)
		f.Active, f.Errors = p.Recorders.Active, errs // in use: what is stored
		p.Recorders = f
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Site(p))
	}
	if err != nil {
		return err
	}
	// The site's script carries the code of its recorders.
	a.snippets.reset()
	msg := "No session recorder set up: the tag carries no recorder code."
	if labels := recorderSummary(saved); len(labels) > 0 {
		msg = "Session recordings saved: " + strings.Join(labels, ", ") + ". Each version’s results link to its recordings."
	}
	return a.redirectWithFlash(c, "/sites/"+site.ID, "ok", msg)
}

// recordersFromForm reads the form: a recorder is set up when any of its
// fields has a value.
func recordersFromForm(c *fiber.Ctx) recorders.Settings {
	v := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	var s recorders.Settings
	if host, id := v("posthog.host"), v("posthog.project_id"); host != "" || id != "" {
		s.PostHog = &recorders.PostHog{Host: host, ProjectID: id}
	}
	if id := v("clarity.project_id"); id != "" {
		s.Clarity = &recorders.Clarity{ProjectID: id}
	}
	if id := v("fullstory.org_id"); id != "" {
		s.FullStory = &recorders.FullStory{OrgID: id}
	}
	if id := v("logrocket.app_id"); id != "" {
		s.LogRocket = &recorders.LogRocket{AppID: id}
	}
	if id := v("hotjar.site_id"); id != "" {
		s.Hotjar = &recorders.Hotjar{SiteID: id}
	}
	s.Custom = v("custom")
	return s
}

// recordersForm is the form filled from settings.
func (a *App) recordersForm(siteID string, s recorders.Settings) views.RecordersForm {
	f := views.RecordersForm{
		// The fragment brings the page back to the form after an error.
		Action:   "/sites/" + siteID + "/recorders#recorders",
		StyleURL: a.assets.url("css/recordings.css"),
		Custom:   s.Custom,
		Active:   recorderSummary(s),
	}
	if p := s.PostHog; p != nil {
		f.PostHogHost, f.PostHogProject = p.Host, p.ProjectID
	}
	if s.Clarity != nil {
		f.ClarityProject = s.Clarity.ProjectID
	}
	if s.FullStory != nil {
		f.FullStoryOrg = s.FullStory.OrgID
	}
	if s.LogRocket != nil {
		f.LogRocketApp = s.LogRocket.AppID
	}
	if s.Hotjar != nil {
		f.HotjarSite = s.Hotjar.SiteID
	}
	if t, err := recorders.ParseTemplate(s.Custom); err == nil {
		f.CustomNeedsCalls = t.Uses(recorders.PlaceholderSession)
	}
	return f
}

// recorderSummary names the recorders of settings for people, in order.
func recorderSummary(s recorders.Settings) []string {
	var out []string
	for _, n := range experiments.RecorderNamesOf(s) {
		out = append(out, recorderTitle(n))
	}
	return out
}

// recorderTitle names a recorder on its own ("Custom link" for a template).
func recorderTitle(name string) string {
	if name == recorders.CustomName {
		return "Custom link"
	}
	return recorders.Labels[name]
}

// recorderInSentence names a recorder after "Open in" or "Watch in".
func recorderInSentence(name string) string {
	if name == recorders.CustomName {
		return "your recorder"
	}
	return recorders.Labels[name]
}

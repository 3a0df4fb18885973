package app

import (
	"net/http"
	"net/url"
	"regexp"
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
		msg = "Session recordings saved: " + strings.Join(labels, ", ") + ". Each variant’s results link to its recordings."
	}
	return a.redirectWithFlash(c, "/sites/"+site.ID, "ok", msg)
}

// recordersFromForm reads the form: a recorder is set up when any of its
// fields has a value.
func recordersFromForm(c *fiber.Ctx) recorders.Settings {
	v := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	var s recorders.Settings
	if host, id := v("posthog.host"), v("posthog.project_id"); host != "" || id != "" {
		host, id = postHogFromPage(host, id)
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

// postHogProjectPath finds the project in the path of a PostHog page:
// /project/12345/replay/home, after the path of a self-hosted instance.
var postHogProjectPath = regexp.MustCompile(`^(.*?)/project/([0-9]+)(?:/.*)?$`)

// postHogFromPage reads the address of a PostHog page pasted as the app's
// address (https://eu.posthog.com/project/12345/replay/home, what the
// browser's address bar holds): the address is what comes before
// /project/, and the project id, when none was typed, the number after
// it. Taken as typed, each variant's link would repeat the path
// (…/replay/home/project/12345/replay…) and open a page PostHog does not
// have. Anything else is left as typed, for Validate to judge.
func postHogFromPage(host, id string) (string, string) {
	u, err := url.Parse(host)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return host, id
	}
	m := postHogProjectPath.FindStringSubmatch(u.Path)
	if m == nil {
		return host, id
	}
	if id == "" {
		id = m[2]
	}
	return u.Scheme + "://" + u.Host + m[1], id
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

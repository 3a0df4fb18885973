package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// siteUpdate answers POST /sites/:id/settings: the site's name, domain,
// hide timeout, Global Privacy Control and brand voice. Invalid input
// shows the site page again with every error beside its field, and saves
// nothing. Only the fields the person changed are written
// (changedSettings).
func (a *App) siteUpdate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	site, err := a.store.Site(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	f := views.SiteSettingsForm{
		Name:          c.FormValue("name"),
		Domain:        c.FormValue("domain"),
		HideTimeoutMS: strings.TrimSpace(c.FormValue("hide_timeout_ms")),
		HonorGPC:      c.FormValue("honor_gpc") != "",
		BrandVoice:    c.FormValue("brand_voice"),
	}
	in := site
	in.Name, in.Domain, in.HonorGPC, in.BrandVoice = f.Name, f.Domain, f.HonorGPC, f.BrandVoice
	// Anything but a positive whole number is out of range: Normalize
	// would read 0 as "the default", which nobody typing 0 means.
	in.HideTimeoutMS = -1
	if n, err := strconv.Atoi(f.HideTimeoutMS); err == nil && n > 0 {
		in.HideTimeoutMS = n
	}
	saved, err := a.store.PatchSite(ctx, site.ID, func(s *experiments.Site) error {
		changedSettings(s, site, in)
		return nil
	})
	if errs, ok := formErrors(err, nil); ok {
		p, err := a.sitePage(c, site)
		if err != nil {
			return err
		}
		f.Action, f.Errors = p.Settings.Action, errs
		p.Settings = f
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Site(p))
	}
	if err != nil {
		return err
	}
	a.snippets.reset() // the timeout and GPC are in the script
	msg := "Settings saved."
	if saved.Domain != site.Domain {
		// Moved onto another site's domain: saved, as a new site there
		// is, with the same warning (site_create.go).
		if w := a.domainInUse(ctx, saved, false); w != "" {
			msg += " " + w
		}
	}
	return a.redirectWithFlash(c, "/sites/"+site.ID, "ok", msg)
}

// changedSettings sets on s, the site as it is when the form is saved,
// the settings of sent (the form's) that differ from those of read, the
// site as this request first read it, once both are trimmed as the store
// trims them: a field the person left as it was keeps what another edit
// saved meanwhile (a rename through the API, the brand voice saved with
// a brief), where writing the whole form would put back what was read.
// A domain sent back as read, as stored or as the form shows it, is left
// as it was.
func changedSettings(s *experiments.Site, read, sent experiments.Site) {
	n, r := sent.Normalize(), read.Normalize()
	if n.Name != r.Name {
		s.Name = sent.Name
	}
	if typed := strings.TrimSpace(sent.Domain); typed != read.Domain && typed != experiments.UnicodeDomain(read.Domain) && n.Domain != r.Domain {
		s.Domain = sent.Domain
	}
	if n.BrandVoice != r.BrandVoice {
		s.BrandVoice = sent.BrandVoice
	}
	if n.HideTimeoutMS != r.HideTimeoutMS {
		s.HideTimeoutMS = sent.HideTimeoutMS
	}
	if n.HonorGPC != r.HonorGPC {
		s.HonorGPC = sent.HonorGPC
	}
}

// siteSettingsForm is the settings form filled from the stored site. The
// domain is as people type it (bücher.example, not its xn-- form); sent
// back so, PatchSite keeps it as stored.
func siteSettingsForm(s experiments.Site) views.SiteSettingsForm {
	return views.SiteSettingsForm{
		// The fragment brings the page back to the form after an error.
		Action:        "/sites/" + s.ID + "/settings#settings",
		Name:          s.Name,
		Domain:        experiments.UnicodeDomain(s.Domain),
		HideTimeoutMS: strconv.Itoa(s.HideTimeoutMS),
		HonorGPC:      s.HonorGPC,
		BrandVoice:    s.BrandVoice,
	}
}

// shownDomain is a stored site domain as the sites list and the site page
// name it: a name in another script as people type it, then as stored,
// the xn-- form the tag sees as location.hostname and the API answers
// ("bücher.example (xn--bcher-kva.example)"); any other as stored.
func shownDomain(domain string) string {
	if u := experiments.UnicodeDomain(domain); u != domain {
		return u + " (" + domain + ")"
	}
	return domain
}

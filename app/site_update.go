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
// (changedSettings), and the flash names those whose change made
// meanwhile theirs replaced.
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
		Orig:          siteSettingsForm(site).Orig,
	}
	// A form opened before it carried the values it was rendered with
	// is compared with the site as read now, as it always was.
	if c.Request().PostArgs().Has("orig_name") {
		f.Orig = views.SiteSettingsValues{
			Name:          c.FormValue("orig_name"),
			Domain:        c.FormValue("orig_domain"),
			HideTimeoutMS: strings.TrimSpace(c.FormValue("orig_hide_timeout_ms")),
			HonorGPC:      c.FormValue("orig_honor_gpc") != "",
			BrandVoice:    c.FormValue("orig_brand_voice"),
		}
	}
	sent := settingsOf(site, views.SiteSettingsValues{Name: f.Name, Domain: f.Domain, HideTimeoutMS: f.HideTimeoutMS, HonorGPC: f.HonorGPC, BrandVoice: f.BrandVoice})
	orig := settingsOf(site, f.Orig)
	var replaced []string
	saved, err := a.store.PatchSite(ctx, site.ID, func(s *experiments.Site) error {
		replaced = changedSettings(s, orig, sent)
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
	msg, kind := "Settings saved.", "ok"
	if len(replaced) > 0 {
		kind = "warn"
		changes := "a change"
		if len(replaced) > 1 {
			changes = "changes"
		}
		msg += " Your " + fieldsPhrase(replaced) + " replaced " + changes + " saved after you opened this page."
	}
	if saved.Domain != site.Domain {
		// Moved onto another site's domain: saved, as a new site there
		// is, with the same warning (site_create.go).
		if w := a.domainInUse(ctx, saved, false); w != "" {
			msg, kind = msg+" "+w, "warn"
		}
	}
	return a.redirectWithFlash(c, "/sites/"+site.ID, kind, msg)
}

// settingsOf is the site with the settings of a form (v) in place of its
// own. A hide timeout that is not a positive whole number is -1, out of
// range: Normalize would read 0 as "the default", which nobody typing 0
// means. The timeout may group its thousands with commas (1,500).
func settingsOf(site experiments.Site, v views.SiteSettingsValues) experiments.Site {
	site.Name, site.Domain, site.HonorGPC, site.BrandVoice = v.Name, v.Domain, v.HonorGPC, v.BrandVoice
	site.HideTimeoutMS = -1
	if n, err := strconv.Atoi(ungroupThousands(formNumber(v.HideTimeoutMS))); err == nil && n > 0 {
		site.HideTimeoutMS = n
	}
	return site
}

// ungroupThousands is s without its commas when they group its digits in
// threes from the right (1,500 and 12,000 but not 1,5 or 15,00, which
// mean something else to whoever typed them), else s as it is.
func ungroupThousands(s string) string {
	groups := strings.Split(s, ",")
	if len(groups) == 1 {
		return s
	}
	for i, g := range groups {
		if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
			return s
		}
	}
	return strings.Join(groups, "")
}

// changedSettings sets on s, the site as it is when the form is saved,
// the settings of sent (the form's) that differ from those of orig (the
// form's as the page was opened with them): a field the person left as
// it was keeps what another edit saved meanwhile (a rename through the
// API, the brand voice saved with a brief), where writing the whole form
// would put back what the page showed. It returns the names of the
// fields the person changed that had also been changed meanwhile, to
// something else: their value replaced that change.
func changedSettings(s *experiments.Site, orig, sent experiments.Site) (replaced []string) {
	for _, f := range []struct {
		label string
		same  func(a, b experiments.Site) bool
		set   func()
	}{
		{"name", func(a, b experiments.Site) bool { return a.Normalize().Name == b.Normalize().Name },
			func() { s.Name = sent.Name }},
		{"domain", sameDomain, func() { s.Domain = sent.Domain }},
		{"hide timeout", func(a, b experiments.Site) bool { return a.Normalize().HideTimeoutMS == b.Normalize().HideTimeoutMS },
			func() { s.HideTimeoutMS = sent.HideTimeoutMS }},
		{"Global Privacy Control setting", func(a, b experiments.Site) bool { return a.HonorGPC == b.HonorGPC },
			func() { s.HonorGPC = sent.HonorGPC }},
		{"brand voice", func(a, b experiments.Site) bool { return sameText(a.Normalize().BrandVoice, b.Normalize().BrandVoice) },
			func() { s.BrandVoice = sent.BrandVoice }},
	} {
		if f.same(sent, orig) {
			continue
		}
		if !f.same(*s, orig) && !f.same(*s, sent) {
			replaced = append(replaced, f.label)
		}
		f.set()
	}
	return replaced
}

// sameDomain tells whether two sites' domains are one, as stored, as the
// form shows it (UnicodeDomain) or as SiteDomain reads it. A domain sent
// back as the page showed it is left as it is (PatchSite keeps it as
// stored).
func sameDomain(a, b experiments.Site) bool {
	x, y := strings.TrimSpace(a.Domain), strings.TrimSpace(b.Domain)
	return x == y || x == experiments.UnicodeDomain(y) || experiments.UnicodeDomain(x) == y ||
		a.Normalize().Domain == b.Normalize().Domain
}

// fieldsPhrase is names in a phrase: "name", "name and domain", "name,
// domain and brand voice".
func fieldsPhrase(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// sameText tells whether two texts are one but for their line breaks:
// browsers send each of a text area's as CRLF, where a brand voice saved
// with a brief has LF.
func sameText(a, b string) bool {
	crlf := strings.NewReplacer("\r\n", "\n", "\r", "\n")
	return crlf.Replace(a) == crlf.Replace(b)
}

// siteSettingsForm is the settings form filled from the stored site. The
// domain is as people type it (bücher.example, not its xn-- form); sent
// back so, PatchSite keeps it as stored.
func siteSettingsForm(s experiments.Site) views.SiteSettingsForm {
	v := views.SiteSettingsValues{
		Name:          s.Name,
		Domain:        experiments.UnicodeDomain(s.Domain),
		HideTimeoutMS: strconv.Itoa(s.HideTimeoutMS),
		HonorGPC:      s.HonorGPC,
		BrandVoice:    s.BrandVoice,
	}
	return views.SiteSettingsForm{
		// The fragment brings the page back to the form after an error.
		Action:        "/sites/" + s.ID + "/settings#settings",
		Name:          v.Name,
		Domain:        v.Domain,
		HideTimeoutMS: v.HideTimeoutMS,
		HonorGPC:      v.HonorGPC,
		BrandVoice:    v.BrandVoice,
		Orig:          v,
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

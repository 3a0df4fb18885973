package experiments_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestSiteDomain: a site's domain is the host and port its visitors reach
// it on, the same whatever was typed or pasted and whether the site is
// created or updated: lower case; scheme, user, path, query and fragment
// left out; a port left out when it is the default of the scheme given
// (80 for http, 443 for https; either without a scheme), any other kept,
// since the experiment pages' QA links open the site on it; a name in
// any script stored in the ASCII form browsers give the tag as
// location.hostname.
func TestSiteDomain(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, tt := range []struct {
		in, want string
	}{
		{"shop.example", "shop.example"},
		{"  Shop.Example  ", "shop.example"},
		{"shop.example:8080", "shop.example:8080"},
		{"https://shop.example:8080/pricing?x=1#top", "shop.example:8080"},
		{"http://Shop.Example:8080", "shop.example:8080"},
		{"shop.example:8080/pricing", "shop.example:8080"},
		{"//shop.example:8080/", "shop.example:8080"},
		{"https://shop.example", "shop.example"},
		{"https://shop.example/pricing", "shop.example"},
		{"shop.example/pricing?x=1", "shop.example"},
		{"https://shop.example:443/", "shop.example"},
		{"shop.example:443", "shop.example"},
		{"http://shop.example:80", "shop.example"},
		{"shop.example:80", "shop.example"},
		{"shop.example:", "shop.example"},
		{"localhost:3000", "localhost:3000"},
		{"http://localhost:3000/", "localhost:3000"},
		{"127.0.0.1:8080", "127.0.0.1:8080"},
		{"http://127.0.0.1:8080/landing", "127.0.0.1:8080"},
		// A fully qualified name's root dot is the same host.
		{"Shop.Example.", "shop.example"},
		{"https://shop.example./pricing", "shop.example"},
		{"shop.example.:8080", "shop.example:8080"},
		// A port is the default only for its own scheme.
		{"https://shop.example:80/", "shop.example:80"},
		{"http://shop.example:443/pricing", "shop.example:443"},
		{"HTTPS://Shop.Example:443", "shop.example"},
		{"//shop.example:443/", "shop.example"},
		{"//shop.example:80", "shop.example"},
		{"https://shop.example:0443/", "shop.example"},
		{"shop.example:08080", "shop.example:8080"},
		// Internationalised names: the xn-- form, mapped as browsers map
		// them (case, full-width letters and dots, the ideographic full stop;
		// ß kept, as browsers keep it since IDNA 2008, but the capital ẞ
		// mapped to ss, as the mapping table has it).
		{"bücher.example", "xn--bcher-kva.example"},
		{"https://Bücher.Example/preise?x=1", "xn--bcher-kva.example"},
		{"BÜCHER.example:8080", "xn--bcher-kva.example:8080"},
		{"https://bücher.example:443/", "xn--bcher-kva.example"},
		{"https://bücher.example:80/", "xn--bcher-kva.example:80"},
		{"ｂücher．example", "xn--bcher-kva.example"},
		{"bücher。example", "xn--bcher-kva.example"},
		{"bücher.example.", "xn--bcher-kva.example"},
		{"bücher.example。", "xn--bcher-kva.example"},
		{"straße.example", "xn--strae-oqa.example"},
		{"STRAẞE.example", "strasse.example"},
		{"пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f"},
		{"例え.テスト", "xn--r8jz45g.xn--zckzah"},
		{"xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example"},
		// Hyphens in third and fourth place, which browsers open.
		{"r3---sn-abc.example", "r3---sn-abc.example"},
		{"ab--cd.example", "ab--cd.example"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: tt.in})
			if err != nil || site.Domain != tt.want {
				t.Fatalf("created with %q: %q (%v), want %q", tt.in, site.Domain, err, tt.want)
			}
			site.Domain = "other.example"
			if site, err = s.UpdateSite(ctx, site); err != nil {
				t.Fatal(err)
			}
			site.Domain = tt.in
			if site, err = s.UpdateSite(ctx, site); err != nil || site.Domain != tt.want {
				t.Errorf("updated to %q: %q (%v), want %q", tt.in, site.Domain, err, tt.want)
			}
		})
	}

	// A port that no server can listen on, or that is not a number, is
	// refused beside the domain; so is a user name before the host, which
	// was dropped without a word (shop.example@evil.example became
	// evil.example).
	for _, in := range []string{"shop.example:0", "shop.example:65536", "https://shop.example:99999/", "shop.example:http", "shop example",
		"https://user:secret@shop.example:8443/"} {
		_, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: in})
		var verr experiments.ValidationError
		if !errors.As(err, &verr) || len(verr) != 1 || verr[0].Field != "domain" || verr[0].Code != "invalid_domain" {
			t.Errorf("%q: %v, want one invalid_domain error", in, err)
		}
	}

	// What IDNA refuses is refused beside the domain, naming the part of
	// it at fault, or the invisible character in it.
	for _, tt := range []struct{ in, message string }{
		{"xn--zz.example", "“xn--zz” cannot be part of a domain; check its spelling."},
		{"https://shop.xn--zz/", "“xn--zz” cannot be part of a domain; check its spelling."},
		{"xn--bcher-kvb.example", "“xn--bcher-kvb” cannot be part of a domain; check its spelling."},
		{"\u0301a.example", "“\u0301a” cannot be part of a domain; check its spelling."},
		{"a\u200db.example:8080", "Remove the invisible character (U+200D) from the domain."},
		{"1a.אב", "Browsers cannot open this domain as written; check its spelling."},
		// An ASCII character no domain has is the usual sentence.
		{"bü cher.example", "Enter a domain such as example.com (no spaces or paths)."},
		{"bücher_shop.example", "Enter a domain such as example.com (no spaces or paths)."},
		// A good name with a bad port is refused for its port.
		{"bücher.example:70000", "Enter a port from 1 to 65535 after the colon, or leave it out."},
		{"bücher.example:http", "Enter a port from 1 to 65535 after the colon, or leave it out."},
	} {
		_, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: tt.in})
		var verr experiments.ValidationError
		if !errors.As(err, &verr) || len(verr) != 1 || verr[0].Field != "domain" || verr[0].Code != "invalid_domain" || verr[0].Message != tt.message {
			t.Errorf("%q: %v, want one invalid_domain error: %s", tt.in, err, tt.message)
		}
	}

	// What is not a host name is refused, and shown back as typed, less
	// its scheme and path: not cut at the scheme's slashes.
	for in, shown := range map[string]string{"http://[::1]:8080/": "[::1]:8080", "https://[2001:db8::1]/x": "[2001:db8::1]"} {
		if got := experiments.SiteDomain(in); got != shown {
			t.Errorf("SiteDomain(%q) = %q, want %q", in, got, shown)
		}
		_, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: in})
		var verr experiments.ValidationError
		if !errors.As(err, &verr) || len(verr) != 1 || verr[0].Code != "invalid_domain" {
			t.Errorf("%q: %v, want one invalid_domain error", in, err)
		}
	}
}

// TestUnicodeDomain: a stored domain is shown to people in the script it
// was typed in; one without xn-- labels, or whose labels do not decode,
// is shown as it is stored.
func TestUnicodeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"xn--bcher-kva.example":         "bücher.example",
		"xn--bcher-kva.example:8080":    "bücher.example:8080",
		"xn--e1afmkfd.xn--80akhbyknj4f": "пример.испытание",
		"shop.example:8080":             "shop.example:8080",
		"ab--cd.example":                "ab--cd.example",
		"xn--zz.example":                "xn--zz.example",
		"localhost:3000":                "localhost:3000",
	} {
		if got := experiments.UnicodeDomain(in); got != want {
			t.Errorf("UnicodeDomain(%q) = %q, want %q", in, got, want)
		}
		if got := experiments.SiteDomain(experiments.UnicodeDomain(in)); in != "xn--zz.example" && got != in {
			t.Errorf("SiteDomain(UnicodeDomain(%q)) = %q: the form would change the domain", in, got)
		}
	}
}

// TestUpdateSiteKeepsItsDomain: saving a site with the domain it has, as
// stored or as UnicodeDomain shows it, keeps it as stored: a port 80 or
// 443 kept because the URL's scheme has the other default survives a
// save of other settings (a bare x.example:80 would lose it), and a
// domain stored before today's rules does not stop the brand voice being
// saved. Another domain is read afresh.
func TestUpdateSiteKeepsItsDomain(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, tt := range []struct{ typed, stored, shown string }{
		{"https://shop.example:80/", "shop.example:80", "shop.example:80"},
		{"http://shop.example:443/", "shop.example:443", "shop.example:443"},
		{"https://bücher.example:80/", "xn--bcher-kva.example:80", "bücher.example:80"},
	} {
		site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: tt.typed})
		if err != nil || site.Domain != tt.stored {
			t.Fatalf("created with %q: %q (%v), want %q", tt.typed, site.Domain, err, tt.stored)
		}
		if got := experiments.UnicodeDomain(site.Domain); got != tt.shown {
			t.Errorf("%q is shown as %q, want %q", site.Domain, got, tt.shown)
		}
		for _, back := range []string{tt.stored, tt.shown, " " + tt.shown + " "} {
			site.Domain, site.BrandVoice = back, "Plain."
			if site, err = s.UpdateSite(ctx, site); err != nil || site.Domain != tt.stored {
				t.Errorf("saved back as %q: %q (%v), want %q", back, site.Domain, err, tt.stored)
			}
		}
	}

	// A domain stored before the port rule was checked is kept when the
	// site is saved with it, and refused when it is typed anew.
	site := mustSite(t, s)
	if _, err := s.Writer().Exec(`update sites set domain = 'shop.example:0' where id = ?`, site.ID); err != nil {
		t.Fatal(err)
	}
	site, _ = s.Site(ctx, site.ID)
	site.BrandVoice = "Warm."
	if site, err := s.UpdateSite(ctx, site); err != nil || site.Domain != "shop.example:0" || site.BrandVoice != "Warm." {
		t.Errorf("saving the brand voice: %+v (%v)", site, err)
	}
	site.Domain = "other.example:0"
	var verr experiments.ValidationError
	if _, err := s.UpdateSite(ctx, site); !errors.As(err, &verr) || verr.For("domain") == "" {
		t.Errorf("a new bad port: %v, want a domain error", err)
	}

	// Another domain is read by today's rules: a bare port 80 goes.
	site.Domain = "shop.example:80"
	if site, err := s.UpdateSite(ctx, site); err != nil || site.Domain != "shop.example" {
		t.Errorf("typed shop.example:80 over another: %q (%v)", site.Domain, err)
	}
}

// TestMigrationSiteDomains: migration 0017 respells the domains stored
// before ports were read with their scheme, when a bare host kept any
// port: a bare port 80 or 443 was stored as typed, and goes, as it does
// from a bare host typed today. Other ports, and hosts, stay. The
// database is put back as it was before 0017 and opened again, so the
// migration runs as it does on an upgrade.
func TestMigrationSiteDomains(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"shop.example:80":           "shop.example",
		"shop.example:443":          "shop.example",
		"localhost:80":              "localhost",
		"shop.example:8080":         "shop.example:8080",
		"shop.example:4430":         "shop.example:4430",
		"shop.example:180":          "shop.example:180",
		"shop.example":              "shop.example",
		"xn--bcher-kva.example:443": "xn--bcher-kva.example",
		// The same ports written with leading zeros.
		"shop.example:080":   "shop.example",
		"shop.example:0443":  "shop.example",
		"shop.example:00080": "shop.example",
	}
	ids := map[string]string{}
	for legacy := range want {
		site := mustSite(t, s)
		if _, err := s.Writer().Exec(`update sites set domain = ? where id = ?`, legacy, site.ID); err != nil {
			t.Fatal(err)
		}
		ids[legacy] = site.ID
	}
	if _, err := s.Writer().Exec(`delete from schema_migrations where version = 17`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = experiments.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for legacy, id := range ids {
		site, err := s.Site(ctx, id)
		if err != nil || site.Domain != want[legacy] {
			t.Errorf("%q became %q (%v), want %q", legacy, site.Domain, err, want[legacy])
		}
		if got := experiments.SiteDomain(legacy); got != want[legacy] {
			t.Errorf("SiteDomain(%q) = %q, not what the migration stores, %q", legacy, got, want[legacy])
		}
	}
}

// TestSiteDomainLength: DNS takes 63 characters between dots and 253 in
// all, counted in the xn-- form a name is stored in, which is longer than
// a name in another script as typed. A part too long is told so, quoted
// as it was typed (its start only, when long), with the length DNS sees;
// not that the domain has spaces or a path. The port is not part of the
// name's 253.
func TestSiteDomainLength(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	a63, a64 := strings.Repeat("a", 63), strings.Repeat("a", 64)
	for _, tt := range []struct{ name, in, code, message string }{
		{"a label of 64", a64 + ".example", "invalid_domain",
			"Each part of a domain between dots has 63 characters at most; “aaaaaaaaaaaaaaaaaaaa…” has 64."},
		{"a last label of 64, in a URL with a port", "https://shop." + a64 + ":8080/x", "invalid_domain",
			"Each part of a domain between dots has 63 characters at most; “aaaaaaaaaaaaaaaaaaaa…” has 64."},
		{"a label of 60 letters in another script", strings.Repeat("ü", 60) + ".example", "invalid_domain",
			"Each part of a domain between dots has 63 characters at most; “üüüüüüüüüüüüüüüüüüüü…” has 66 in its xn-- form."},
		{"a short label that grows past 63", strings.Repeat("bücher", 10) + ".example", "invalid_domain",
			"Each part of a domain between dots has 63 characters at most; “bücherbücherbücherbü…” has 67 in its xn-- form."},
		// A space is still the problem named when a part is also long.
		{"a long label with a space", a64 + " x.example", "invalid_domain",
			"Enter a domain such as example.com (no spaces or paths)."},
		// A name over 253 in all, in its xn-- form.
		{"a name of 254", strings.Repeat(a63+".", 3) + strings.Repeat("a", 62), "too_long",
			"A domain has 253 characters at most; enter the site's own, such as example.com."},
		{"a name in another script over 253 as xn--", strings.Repeat(strings.Repeat("ü", 45)+".", 5) + "example", "too_long",
			"A domain has 253 characters at most; this one has 267 in its xn-- form."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: tt.in})
			var verr experiments.ValidationError
			if !errors.As(err, &verr) || len(verr) != 1 || verr[0].Field != "domain" || verr[0].Code != tt.code || verr[0].Message != tt.message {
				t.Errorf("%v, want one %s error: %s", err, tt.code, tt.message)
			}
		})
	}

	// At the limits, a name is kept, with its port.
	for _, in := range []string{
		a63 + ".example",
		strings.Repeat(a63+".", 3) + strings.Repeat("a", 61) + ":8080",
		strings.Repeat("ü", 55) + ".example",
	} {
		if _, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: in}); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// TestSiteScheme: the QA links' scheme is the one typed wherever the
// stored domain still tells it (a port 80 or 443 kept only because the
// scheme typed has the other default), http on loopback, and https
// elsewhere, since the scheme itself is not stored.
func TestSiteScheme(t *testing.T) {
	for _, tt := range []struct{ typed, want string }{
		{"http://shop.example:443/", "http"},
		{"https://shop.example:80/", "https"},
		{"http://bücher.example:443", "http"},
		{"shop.example", "https"},
		{"https://shop.example:443", "https"},
		{"shop.example:443", "https"},
		{"shop.example:8080", "https"},
		{"10.0.0.1:8080", "https"},
		{"localhost:3000", "http"},
		{"https://app.localhost:5173/", "http"},
		{"127.0.0.1:8000", "http"},
		{"127.1.2.3", "http"},
		{"localhost.example", "https"},
		{"app.notlocalhost", "https"},
	} {
		d := experiments.SiteDomain(tt.typed)
		if err := (experiments.Site{Name: "Shop", Domain: d, HideTimeoutMS: 1000}).Validate(); err != nil {
			t.Errorf("%q is stored as %q, which is refused: %v", tt.typed, d, err)
		}
		if got := experiments.SiteScheme(d); got != tt.want {
			t.Errorf("SiteScheme(%q), typed as %q, = %q, want %q", d, tt.typed, got, tt.want)
		}
	}
}

// TestSetBrandVoiceAlone: the drafting page saves the brand voice alone,
// so that the site's other settings, changed by a teammate since the page
// was read, are kept. The notes are trimmed and held to 2,000 characters;
// an unknown site is ErrNotFound.
func TestSetBrandVoiceAlone(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	edited := site
	edited.Name, edited.HideTimeoutMS = "Shop (EU)", 1200
	if _, err := s.UpdateSite(ctx, edited); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBrandVoice(ctx, site.ID, "  We say you, never users.  "); err != nil {
		t.Fatal(err)
	}
	got, err := s.Site(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.BrandVoice != "We say you, never users." || got.Name != "Shop (EU)" || got.HideTimeoutMS != 1200 {
		t.Errorf("after the voice was saved: %+v", got)
	}
	var ve experiments.ValidationError
	if err := s.SetBrandVoice(ctx, site.ID, strings.Repeat("é", 2001)); !errors.As(err, &ve) || ve[0].Field != "brand_voice" {
		t.Errorf("notes too long: %v", err)
	}
	if err := s.SetBrandVoice(ctx, "nope", "x"); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("an unknown site: %v", err)
	}
}

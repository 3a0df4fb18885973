package experiments_test

import (
	"context"
	"errors"
	"testing"

	"copylab/experiments"
)

// TestSiteDomain: a site's domain is the host and port its visitors reach
// it on, the same whatever was typed or pasted and whether the site is
// created or updated: lower case; scheme, user, path, query and fragment
// left out; the web's default ports (80, 443) left out; any other port
// kept, since the experiment pages' QA links open the site on it.
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
		{"https://user:secret@shop.example:8443/", "shop.example:8443"},
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
	// refused beside the domain.
	for _, in := range []string{"shop.example:0", "shop.example:65536", "https://shop.example:99999/", "shop.example:http", "shop example"} {
		_, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: in})
		var verr experiments.ValidationError
		if !errors.As(err, &verr) || len(verr) != 1 || verr[0].Field != "domain" || verr[0].Code != "invalid_domain" {
			t.Errorf("%q: %v, want one invalid_domain error", in, err)
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

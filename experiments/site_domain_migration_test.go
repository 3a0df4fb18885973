package experiments_test

import (
	"context"
	"path/filepath"
	"testing"

	"copylab/experiments"
)

// TestMigrationSiteDomainsPadded: migration 0017 drops a bare host's
// default port however it was written (:080 and :0443 are 80 and 443),
// as SiteDomain does today, and leaves every other port, padded or not.
func TestMigrationSiteDomainsPadded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"shop.example:080":   "shop.example",
		"shop.example:0443":  "shop.example",
		"shop.example:00080": "shop.example",
		"shop.example:08080": "shop.example:08080", // the same page; left as stored
		"shop.example:0":     "shop.example:0",     // no right value to guess
		"shop.example:4430":  "shop.example:4430",
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
	}
	for _, padded := range []string{"shop.example:080", "shop.example:0443"} {
		if got := experiments.SiteDomain(padded); got != "shop.example" {
			t.Errorf("SiteDomain(%q) = %q, not what the migration stores", padded, got)
		}
	}
}

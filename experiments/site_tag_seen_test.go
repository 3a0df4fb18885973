package experiments_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestSiteTags: what SaveSiteTags stores of a site's tag, SiteTags reads
// back, to the millisecond, for every site, its pages newest first; a save replaces the site's
// record (a page no longer given is gone) and leaves other sites' alone;
// a key no site has is skipped, and a deleted site's record goes with it.
// since is when the database began keeping them: its creation here.
func TestSiteTags(t *testing.T) {
	ctx := context.Background()
	before := time.Now().Add(-time.Millisecond)
	s := openStore(t)
	shop, blog := mustSite(t, s), mustSite(t, s)
	at := time.UnixMilli(1_750_000_000_123)
	page := func(origin string, ago time.Duration) experiments.SiteTagPage {
		return experiments.SiteTagPage{Origin: origin, At: at.Add(-ago)}
	}

	tags, since, err := s.SiteTags(ctx)
	if err != nil || len(tags) != 0 || since.Before(before) || since.After(time.Now()) {
		t.Fatalf("a new database: %v since %v (%v), want none since its creation", tags, since, err)
	}
	first := []experiments.SiteTag{
		{Key: shop.Key, Loaded: at, Pages: []experiments.SiteTagPage{page("https://shop.example", time.Second), page("http://a.localhost:3000", time.Hour)}},
		{Key: blog.Key, Loaded: at.Add(-time.Minute)}, // its requests named no page
		{Key: "aaaaaaaaaaaaaaaa", Loaded: at},
	}
	if err := s.SaveSiteTags(ctx, first); err != nil {
		t.Fatal(err)
	}
	wantTags(t, s, first[:2])

	// The next save of the shop: a new page in, the old one out.
	next := experiments.SiteTag{Key: shop.Key, Loaded: at.Add(time.Minute),
		Pages: []experiments.SiteTagPage{page("https://staging.example", -time.Minute), page("https://shop.example", time.Second)}}
	if err := s.SaveSiteTags(ctx, []experiments.SiteTag{next}); err != nil {
		t.Fatal(err)
	}
	wantTags(t, s, []experiments.SiteTag{next, first[1]})

	if _, _, err := s.DeleteSite(ctx, shop.ID); err != nil {
		t.Fatal(err)
	}
	wantTags(t, s, first[1:2])
	if err := s.SaveSiteTags(ctx, []experiments.SiteTag{next}); err != nil {
		t.Errorf("saving a deleted site's tag: %v", err)
	}
	wantTags(t, s, first[1:2])
}

// wantTags checks what SiteTags reads, in any order of sites.
func wantTags(t *testing.T, s *experiments.Store, want []experiments.SiteTag) {
	t.Helper()
	want = slices.Clone(want)
	slices.SortFunc(want, func(a, b experiments.SiteTag) int { return strings.Compare(a.Key, b.Key) })
	got, _, err := s.SiteTags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	norm := func(tags []experiments.SiteTag) []experiments.SiteTag {
		for i := range tags {
			tags[i].Loaded = tags[i].Loaded.UTC()
			for j := range tags[i].Pages {
				tags[i].Pages[j].At = tags[i].Pages[j].At.UTC()
			}
		}
		return tags
	}
	if !reflect.DeepEqual(norm(got), norm(want)) {
		t.Errorf("SiteTags:\n got %+v\nwant %+v", got, want)
	}
}

// TestMigrationSiteTagSeen: migration 0020 applies to a database made
// before it, with sites: none has a stored load, and copylab keeps loads
// from the upgrade on, which SiteTags says (the site page tells a site
// added before it that it may have loaded unseen).
func TestMigrationSiteTagSeen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	site := mustSite(t, s)
	if _, err := s.Writer().Exec(`drop table site_tag_seen; delete from schema_migrations where version = 20`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	upgrade := time.Now().Add(-time.Millisecond)
	if s, err = experiments.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tags, since, err := s.SiteTags(ctx)
	if err != nil || len(tags) != 0 || since.Before(upgrade) || !site.CreatedAt.Before(since) {
		t.Fatalf("after the upgrade: %v since %v (%v), want none since %v, after the site's %v", tags, since, err, upgrade, site.CreatedAt)
	}
	st := experiments.SiteTag{Key: site.Key, Loaded: time.UnixMilli(1_750_000_000_000)}
	if err := s.SaveSiteTags(ctx, []experiments.SiteTag{st}); err != nil {
		t.Fatal(err)
	}
	wantTags(t, s, []experiments.SiteTag{st})
}

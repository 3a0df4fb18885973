package experiments

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestSiteLastEventQueryPlans: the latest event of a site, and of every
// site, is read from the end of the site's part of events_site_event,
// with no scan of its events and no sort.
func TestSiteLastEventQueryPlans(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bound := lastEventBound(time.Now())
	for _, tt := range []struct {
		name, stmt string
		args       []any
	}{
		{"one site", siteLastEventStmt, []any{"s", bound, lastEventScan}},
		{"every site", siteLastEventsStmt, []any{bound, lastEventScan}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := queryPlan(t, s, tt.stmt, tt.args)
			if strings.Contains(plan, "TEMP B-TREE") || !strings.Contains(plan, "SEARCH events USING INDEX events_site_event (site_id=? AND id<?)") {
				t.Errorf("want a search of events_site_event by site and id, without a temporary B-tree:\n%s", plan)
			}
		})
	}
}

// TestSiteLastEvent: when a site's newest event arrived, by the server's
// clock: the events of other sites do not count, nor a backend's random
// (v4) id that sorts above every time-ordered one, and a browser whose
// clock is slow does not hide the events that came after its own.
func TestSiteLastEvent(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	shop, err := s.CreateSite(ctx, Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	blog, err := s.CreateSite(ctx, Site{Name: "Blog", Domain: "blog.example"})
	if err != nil {
		t.Fatal(err)
	}
	quiet, err := s.CreateSite(ctx, Site{Name: "Quiet", Domain: "quiet.example"})
	if err != nil {
		t.Fatal(err)
	}
	exp := func(site Site) Experiment {
		t.Helper()
		x, err := s.CreateExperiment(ctx, Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1", CoverageBP: 10000,
			Goal: Goal{Type: GoalEvent, Name: "signup"}, Variants: []Variant{{Text: "Original"}, {Text: "New"}}})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	shopX, blogX := exp(shop), exp(blog)
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	// v7 is an event id whose clock says at.
	v7 := func(at time.Time) []byte {
		id := uuid.New()
		var ms [8]byte
		binary.BigEndian.PutUint64(ms[:], uint64(at.UnixMilli()))
		copy(id[:6], ms[2:])
		id[6] = 0x70 | id[6]&0x0f
		return id[:]
	}
	add := func(x Experiment, id []byte, received time.Time) {
		t.Helper()
		if _, err := s.w.ExecContext(ctx, `insert into events (site_id, id, experiment_id, type, visitor, received_at) values (?, ?, ?, 'exposure', 'v', ?)`,
			x.SiteID, id, x.ID, received.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	check := func(name string, want map[string]time.Time) {
		t.Helper()
		all, err := s.SiteLastEvents(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(want) {
			t.Errorf("%s: SiteLastEvents %v, want %v", name, all, want)
		}
		for _, site := range []Site{shop, blog, quiet} {
			at, ok, err := s.SiteLastEvent(ctx, site.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			w, wok := want[site.ID]
			if ok != wok || !at.Equal(w) {
				t.Errorf("%s: %s's last event %v (%v), want %v (%v)", name, site.Name, at, ok, w, wok)
			}
			if got := all[site.ID]; !got.Equal(w) {
				t.Errorf("%s: SiteLastEvents says %s's is %v, want %v", name, site.Name, got, w)
			}
		}
	}
	check("no events", map[string]time.Time{})

	add(shopX, v7(now.Add(-time.Hour)), now.Add(-time.Hour))
	add(shopX, v7(now.Add(-5*time.Minute)), now.Add(-5*time.Minute))
	add(blogX, v7(now.Add(-time.Minute)), now.Add(-time.Minute))
	check("time-ordered ids", map[string]time.Time{shop.ID: now.Add(-5 * time.Minute), blog.ID: now.Add(-time.Minute)})

	// A backend's random ids, received two days ago, sort above them all,
	// as most random ids do.
	for range lastEventScan {
		v4 := uuid.New()
		v4[0] |= 0x80
		add(shopX, v4[:], now.Add(-48*time.Hour))
	}
	// A browser whose clock is ten minutes fast sent an event an hour
	// ago; one whose clock is ten minutes slow, a minute ago.
	add(shopX, v7(now.Add(-50*time.Minute)), now.Add(-time.Hour))
	add(shopX, v7(now.Add(-11*time.Minute)), now.Add(-time.Minute))
	check("random and skewed ids", map[string]time.Time{shop.ID: now.Add(-time.Minute), blog.ID: now.Add(-time.Minute)})
}

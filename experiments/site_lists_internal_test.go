package experiments

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSiteListQueryPlans: what the sites list and a site's page read of
// the experiments, as SQLite plans it on the migrated schema: the sites
// list's counts come from an index alone (no experiment's row), the running
// names of a site from its status's part of an index, and the example's
// experiment from the site's newest first; none builds a temporary B-tree.
func TestSiteListQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tt := range []struct {
		name, stmt string
		args       []any
		index      string // what the plan must use
	}{
		{"counts by site", siteCountsStmt, []any{StatusRunning}, "COVERING INDEX experiments_site_status"},
		{"running names", siteExperimentNamesStmt, []any{"s", StatusRunning, 5}, "INDEX experiments_site_status"},
		{"experiment with variants", siteExperimentWithVariantsStmt, []any{"s"}, "INDEX experiments_site_created"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := queryPlan(t, s, tt.stmt, tt.args)
			if strings.Contains(plan, "TEMP B-TREE") || !regexp.MustCompile(tt.index+`\b`).MatchString(plan) {
				t.Errorf("want %s without a temporary B-tree:\n%s", tt.index, plan)
			}
		})
	}
}

// TestSiteCounts: each site's experiments and running ones, counted
// apart; a site without experiments is left out.
func TestSiteCounts(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var sites []Site
	for _, name := range []string{"Shop", "Blog", "Empty"} {
		site, err := s.CreateSite(ctx, Site{Name: name, Domain: "example.com"})
		if err != nil {
			t.Fatal(err)
		}
		sites = append(sites, site)
	}
	// add makes an experiment on site and takes it through actions.
	add := func(site Site, actions ...string) {
		t.Helper()
		x, err := s.CreateExperiment(ctx, Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: OwnElement(), CoverageBP: 10000,
			Goal: Goal{Type: GoalEvent, Name: "signup"}, Variants: []Variant{{Text: "Original"}, {Text: "New"}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range actions {
			if _, err := s.Transition(ctx, x.ID, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	add(sites[0])
	add(sites[0], ActionStart)
	add(sites[0], ActionStart)
	add(sites[0], ActionStart, ActionPause)
	add(sites[0], ActionStart, ActionStop)
	add(sites[1])
	add(sites[1], ActionStart)
	got, err := s.SiteCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]SiteCounts{sites[0].ID: {Total: 5, Running: 2}, sites[1].ID: {Total: 2, Running: 1}}
	if len(got) != len(want) || got[sites[0].ID] != want[sites[0].ID] || got[sites[1].ID] != want[sites[1].ID] {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}

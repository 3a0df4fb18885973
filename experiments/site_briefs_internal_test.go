package experiments

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"
)

// TestLatestSiteBriefPlan: the drafting page asks for the site's latest
// brief each time it opens on an experiment without one, so the query
// reads the site's experiments from a site index, never every experiment.
func TestLatestSiteBriefPlan(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	plan := queryPlan(t, s, latestSiteBriefSQL, []any{"s", "x"})
	if !regexp.MustCompile(`SEARCH experiments USING INDEX experiments_site_\w+ \(site_id=\?`).MatchString(plan) {
		t.Errorf("want a search of a site index:\n%s", plan)
	}
}

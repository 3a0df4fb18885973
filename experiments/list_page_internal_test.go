package experiments

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestListQueryPlans: the experiment lists' queries, as SQLite plans them
// on the migrated schema, read a page newest first from an index (a
// status across all sites walks the newest-first index and skips the
// others), and count the tabs from an index: none builds a temporary
// B-tree, the sort of every experiment of the site that each page of
// GET /api/v1/experiments?site_id= cost before migration 0011. A page
// back, and the count of experiments before a page, read a range of the
// index from the page's position.
func TestListQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	after := PagePosition{CreatedMS: 1, ID: "x"}
	site, running := ExperimentFilter{SiteID: "s"}, ExperimentFilter{SiteID: "s", Status: StatusRunning}
	for _, tt := range []struct {
		name  string
		query func() (string, []any)
		index string // the index the plan must use
	}{
		{"page", PageQuery{Limit: 50}.stmt, "experiments_created"},
		{"page after", PageQuery{Limit: 50, After: after}.stmt, "experiments_created"},
		{"page of a status", PageQuery{Filter: ExperimentFilter{Status: StatusRunning}, Limit: 50}.stmt, "experiments_created"},
		{"page of a site", PageQuery{Filter: site, Limit: 50}.stmt, "experiments_site_created"},
		{"page of a site after", PageQuery{Filter: site, Limit: 50, After: after}.stmt, "experiments_site_created"},
		{"page of a site, searched", PageQuery{Filter: ExperimentFilter{SiteID: "s", Search: "hero"}, Limit: 50, Offset: 100}.stmt,
			"experiments_site_created"},
		{"page of a site's status", PageQuery{Filter: running, Limit: 50}.stmt, "experiments_site_status"},
		{"page of a site's status after", PageQuery{Filter: running, Limit: 50, After: after}.stmt, "experiments_site_status"},
		{"page before", PageQuery{Limit: 50, Before: after}.stmt, "experiments_created"},
		{"page of a site before", PageQuery{Filter: site, Limit: 50, Before: after}.stmt, "experiments_site_created"},
		{"page of a site's status before", PageQuery{Filter: running, Limit: 50, Before: after}.stmt, "experiments_site_status"},
		{"newer count", func() (string, []any) { return newerCountStmt(ExperimentFilter{}, after) }, "experiments_created"},
		{"newer count of a site", func() (string, []any) { return newerCountStmt(site, after) }, "experiments_site_created"},
		{"newer count of a site's status", func() (string, []any) { return newerCountStmt(running, after) }, "experiments_site_status"},
		{"counts of a site", site.countStmt, "experiments_site_status"},
		{"counts of a site, searched", ExperimentFilter{SiteID: "s", Search: "hero"}.countStmt, "experiments_site_status"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stmt, args := tt.query()
			plan := queryPlan(t, s, stmt, args)
			if strings.Contains(plan, "TEMP B-TREE") || !regexp.MustCompile(`INDEX `+tt.index+`\b`).MatchString(plan) {
				t.Errorf("want %s without a temporary B-tree:\n%s", tt.index, plan)
			}
			// A page back and a place count read a range of the index
			// from the position, not every row of the site.
			if strings.Contains(tt.name, "before") || strings.Contains(tt.name, "newer") {
				if !strings.Contains(plan, "(created_at,id)>(?,?)") {
					t.Errorf("want a range from the position:\n%s", plan)
				}
			}
		})
	}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of stmt on the read pool, one
// step a line.
func queryPlan(t *testing.T, s *Store, stmt string, args []any) string {
	t.Helper()
	rows, err := s.r.QueryContext(context.Background(), "explain query plan "+stmt, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stmt)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestMigrationSiteIndexes: migration 0011 applies to a database made
// before it (its experiments kept, the old index replaced) and again to
// one that already has its indexes, as after an interrupted upgrade; the
// site's pages then come from the new indexes.
func TestMigrationSiteIndexes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	site, err := s.CreateSite(ctx, Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.CreateExperiment(ctx, Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1", CoverageBP: 10000,
			Goal: Goal{Type: GoalEvent, Name: "signup"}, Variants: []Variant{{Text: "Original"}, {Text: "New"}}}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	for _, tt := range []struct {
		name   string
		before string // what makes the database as it was before 0011 applied
	}{
		{"from 0010", `drop index experiments_site_created; drop index experiments_site_status;
			create index experiments_site on experiments(site_id, status)`},
		{"again", ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sql.Open("sqlite3", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tt.before + `; delete from schema_migrations where version = 11`); err != nil {
				t.Fatal(err)
			}
			db.Close()
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var n int
			if err := s.r.QueryRow(`select count(*) from schema_migrations where version = 11`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("0011 applied %d times (%v)", n, err)
			}
			var indexes string
			if err := s.r.QueryRow(`select group_concat(name, ' ') from (select name from sqlite_master
				where type = 'index' and tbl_name = 'experiments' and name like 'experiments_site%' order by name)`).Scan(&indexes); err != nil {
				t.Fatal(err)
			}
			if indexes != "experiments_site_created experiments_site_status" {
				t.Errorf("indexes %q", indexes)
			}
			page, _, err := s.ExperimentsPage(ctx, PageQuery{Filter: ExperimentFilter{SiteID: site.ID}, Limit: 10})
			if err != nil || len(page) != 3 {
				t.Errorf("%d experiments on the site's page (%v)", len(page), err)
			}
			stmt, args := PageQuery{Filter: ExperimentFilter{SiteID: site.ID}, Limit: 10}.stmt()
			if plan := queryPlan(t, s, stmt, args); strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("the site's page sorts:\n%s", plan)
			}
		})
	}
}

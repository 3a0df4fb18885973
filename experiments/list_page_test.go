package experiments_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentsPage: walking the pages, by position or by offset, with
// or without a filter and a match, lists exactly what Experiments lists,
// in its order, each once, with variants; and says when no page follows.
func TestExperimentsPage(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	a := mustSite(t, s)
	b, err := s.CreateSite(ctx, experiments.Site{Name: "Blog", Domain: "blog.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 11 { // created within a few ms: many share a creation time
		site := a.ID
		if i%3 == 0 {
			site = b.ID
		}
		d := draft(site)
		d.Name = "Test " + strconv.Itoa(i)
		if i%2 == 0 {
			d.Name += " even"
		}
		e, err := s.CreateExperiment(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if i%4 == 1 {
			if _, err := s.Transition(ctx, e.ID, experiments.ActionStart); err != nil {
				t.Fatal(err)
			}
		}
	}
	even := func(e experiments.Experiment) bool { return strings.HasSuffix(e.Name, " even") }

	for _, tt := range []struct {
		name  string
		f     experiments.ExperimentFilter
		match func(experiments.Experiment) bool
	}{
		{"all", experiments.ExperimentFilter{}, nil},
		{"one site", experiments.ExperimentFilter{SiteID: a.ID}, nil},
		{"running on one site", experiments.ExperimentFilter{SiteID: a.ID, Status: experiments.StatusRunning}, nil},
		{"a match", experiments.ExperimentFilter{}, even},
		{"a match on one site", experiments.ExperimentFilter{SiteID: b.ID}, even},
		{"nothing", experiments.ExperimentFilter{SiteID: "nope"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, err := s.Experiments(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if tt.match != nil {
				want = slices.DeleteFunc(want, func(e experiments.Experiment) bool { return !tt.match(e) })
			}
			for _, limit := range []int{1, 3, 20} {
				for _, byOffset := range []bool{false, true} {
					var got []experiments.Experiment
					q := experiments.PageQuery{Filter: tt.f, Match: tt.match, Limit: limit}
					for pages := 0; ; pages++ {
						if pages > len(want)+1 {
							t.Fatalf("limit %d: pages never end", limit)
						}
						page, more, err := s.ExperimentsPage(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						if len(page) > limit || (more && len(page) < limit) {
							t.Fatalf("limit %d: a page of %d, more %v", limit, len(page), more)
						}
						got = append(got, page...)
						if !more {
							break
						}
						if byOffset {
							q.Offset += limit
						} else {
							q.After = experiments.PositionOf(page[len(page)-1])
						}
					}
					if ids(got) != ids(want) {
						t.Errorf("limit %d, by offset %v:\n got %s\nwant %s", limit, byOffset, ids(got), ids(want))
					}
					for _, e := range got {
						if len(e.Variants) != 3 {
							t.Errorf("%s has %d variants", e.Name, len(e.Variants))
						}
					}
				}
			}
		})
	}

	if _, _, err := s.ExperimentsPage(ctx, experiments.PageQuery{}); err == nil {
		t.Error("a page of 0 experiments")
	}
	if page, more, err := s.ExperimentsPage(ctx, experiments.PageQuery{Limit: 5, Offset: 100}); err != nil || len(page) != 0 || more {
		t.Errorf("past the end: %d, %v, %v", len(page), more, err)
	}
}

func ids(es []experiments.Experiment) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Name + "|")
	}
	return b.String()
}

package experiments_test

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentsPage: walking the pages, by position or by offset, with
// or without a filter and a search, lists exactly what Experiments lists,
// in its order, each once, with variants; and says when no page follows.
// Walking back, by the position of each page's first, does too, and
// NewerCount is each experiment's place in the list.
// The search keeps the experiments with every word in their name, page or
// site name, ignoring case in any language.
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
		d.Name, d.Selector = "Test "+strconv.Itoa(i), experiments.OwnElement()
		if i%2 == 0 {
			d.Name += " even"
		}
		if i%5 == 2 {
			d.Name += " Überschrift"
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
	has := func(word string) func(experiments.Experiment) bool {
		return func(e experiments.Experiment) bool { return strings.Contains(e.Name, word) }
	}
	onBlog := func(e experiments.Experiment) bool { return e.SiteID == b.ID }

	for _, tt := range []struct {
		name string
		f    experiments.ExperimentFilter
		keep func(experiments.Experiment) bool // what the search keeps
	}{
		{"all", experiments.ExperimentFilter{}, nil},
		{"one site", experiments.ExperimentFilter{SiteID: a.ID}, nil},
		{"running on one site", experiments.ExperimentFilter{SiteID: a.ID, Status: experiments.StatusRunning}, nil},
		{"a search", experiments.ExperimentFilter{Search: "EVEN"}, has(" even")},
		{"a search on one site", experiments.ExperimentFilter{SiteID: b.ID, Search: " even  TEST "}, has(" even")},
		{"a site's name", experiments.ExperimentFilter{Search: "blog"}, onBlog},
		{"a page and a name", experiments.ExperimentFilter{Search: "plan=pro even /pricing"}, has(" even")},
		{"any language's case", experiments.ExperimentFilter{Search: "überSCHRIFT"}, has("Überschrift")},
		{"a search of spaces", experiments.ExperimentFilter{Search: "  "}, nil},
		{"words in no one experiment", experiments.ExperimentFilter{Search: "even blog shop"}, func(experiments.Experiment) bool { return false }},
		{"SQL", experiments.ExperimentFilter{Search: "' or 1=1 --"}, func(experiments.Experiment) bool { return false }},
		{"nothing", experiments.ExperimentFilter{SiteID: "nope"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			unsearched := tt.f
			unsearched.Search = ""
			want, err := s.Experiments(ctx, unsearched)
			if err != nil {
				t.Fatal(err)
			}
			if tt.keep != nil {
				want = slices.DeleteFunc(want, func(e experiments.Experiment) bool { return !tt.keep(e) })
			}
			if got, err := s.Experiments(ctx, tt.f); err != nil || ids(got) != ids(want) {
				t.Errorf("Experiments:\n got %s\nwant %s (%v)", ids(got), ids(want), err)
			}
			for _, limit := range []int{1, 3, 20} {
				for _, byOffset := range []bool{false, true} {
					var got []experiments.Experiment
					q := experiments.PageQuery{Filter: tt.f, Limit: limit}
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

			// Back from the oldest, a page at a time, by the position of
			// each page's first: the same experiments, each once.
			for _, limit := range []int{1, 3, 20} {
				if len(want) == 0 {
					break
				}
				got := want[len(want)-1:]
				q := experiments.PageQuery{Filter: tt.f, Limit: limit, Before: experiments.PositionOf(want[len(want)-1])}
				for pages := 0; ; pages++ {
					if pages > len(want)+1 {
						t.Fatalf("limit %d: pages back never end", limit)
					}
					page, more, err := s.ExperimentsPage(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					if len(page) > limit || (more && len(page) < limit) {
						t.Fatalf("limit %d: a page back of %d, more %v", limit, len(page), more)
					}
					got = append(slices.Clone(page), got...)
					if !more {
						break
					}
					q.Before = experiments.PositionOf(page[0])
				}
				if ids(got) != ids(want) {
					t.Errorf("limit %d, back:\n got %s\nwant %s", limit, ids(got), ids(want))
				}
			}
			// Each experiment's place is the count of those before it.
			for i, e := range want {
				if n, err := s.NewerCount(ctx, tt.f, experiments.PositionOf(e)); err != nil || n != i {
					t.Errorf("NewerCount of %s = %d (%v), want %d", e.Name, n, err, i)
				}
			}

			// The counts by status are those of the same experiments.
			counts, err := s.StatusCounts(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			all, err := s.Experiments(ctx, unsearched)
			if err != nil {
				t.Fatal(err)
			}
			byStatus := map[experiments.Status]int{}
			for _, e := range want {
				byStatus[e.Status]++
			}
			for st, n := range counts.Matched {
				if n == 0 {
					delete(counts.Matched, st)
				}
			}
			if counts.Total != len(all) || !maps.Equal(counts.Matched, byStatus) {
				t.Errorf("StatusCounts = %+v, want a total of %d and %v", counts, len(all), byStatus)
			}
		})
	}

	if _, _, err := s.ExperimentsPage(ctx, experiments.PageQuery{}); err == nil {
		t.Error("a page of 0 experiments")
	}
	if page, more, err := s.ExperimentsPage(ctx, experiments.PageQuery{Limit: 5, Offset: 100}); err != nil || len(page) != 0 || more {
		t.Errorf("past the end: %d, %v, %v", len(page), more, err)
	}
	pos := experiments.PagePosition{CreatedMS: 1, ID: "x"}
	for _, q := range []experiments.PageQuery{{Limit: 5, Before: pos, After: pos}, {Limit: 5, Before: pos, Offset: 5}} {
		if _, _, err := s.ExperimentsPage(ctx, q); err == nil {
			t.Errorf("%+v: a page both before and after a place", q)
		}
	}
	if page, more, err := s.ExperimentsPage(ctx, experiments.PageQuery{Limit: 5, Before: pos}); err != nil || len(page) != 5 || !more {
		t.Errorf("before the oldest: %d, %v, %v", len(page), more, err)
	}
}

func ids(es []experiments.Experiment) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(e.Name + "|")
	}
	return b.String()
}

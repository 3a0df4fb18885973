package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// BenchmarkExperimentsListMany measures the experiments list and the
// experiments API with many experiments (5,000 on two sites, every tenth
// started, without events): what the lists cost to count their tabs and
// find a page (by page number, or by position as the list's links go),
// rather than the verdicts BenchmarkExperimentsList measures:
//
//	go test ./app -run '^$' -bench BenchmarkExperimentsListMany -benchtime 20x
func BenchmarkExperimentsListMany(b *testing.B) {
	ctx := context.Background()
	a, store, _ := benchApp(b)
	sites := seedManyExperiments(b, store)
	tok, err := CreateToken(ctx, store, benchSignUp(b, store), "bench")
	if err != nil {
		b.Fatal(err)
	}
	cookies := benchSignIn(b, a)
	// The positions the list's Older and Newer links carry on the site's
	// tenth page: after the ninth page's last, before the eleventh's first.
	page10, _, err := store.ExperimentsPage(ctx, experiments.PageQuery{Filter: experiments.ExperimentFilter{SiteID: sites[1].ID},
		Offset: 9 * listPageSize, Limit: listPageSize + 1})
	if err != nil {
		b.Fatal(err)
	}
	ninthsLast, _, err := store.ExperimentsPage(ctx, experiments.PageQuery{Filter: experiments.ExperimentFilter{SiteID: sites[1].ID},
		Offset: 9*listPageSize - 1, Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	searched, _, err := store.ExperimentsPage(ctx, experiments.PageQuery{Filter: experiments.ExperimentFilter{Search: "hero pricing/3"},
		Offset: 9 * listPageSize, Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	after := cursorOf(experiments.PositionOf(ninthsLast[0]))
	before := cursorOf(experiments.PositionOf(page10[listPageSize]))
	for _, tt := range []struct {
		name, path string
		token      bool
		rows       int // experiments on the page
	}{
		{"list", "/experiments", false, listPageSize},
		{"list-site-page-10", "/experiments?site=" + sites[1].ID + "&page=10", false, listPageSize},
		{"list-site-after", "/experiments?site=" + sites[1].ID + "&after=" + after, false, listPageSize},
		{"list-site-before", "/experiments?site=" + sites[1].ID + "&before=" + before, false, listPageSize},
		{"list-running", "/experiments?status=running", false, listPageSize},
		{"list-search", "/experiments?q=hero+pricing/3", false, listPageSize},
		{"list-search-page-10", "/experiments?q=hero+pricing/3&page=10", false, listPageSize},
		{"list-search-after", "/experiments?q=hero+pricing/3&after=" + cursorOf(experiments.PositionOf(searched[0])), false, listPageSize},
		{"api", "/api/v1/experiments", true, apiPageSize},
		{"api-site", "/api/v1/experiments?site_id=" + sites[1].ID, true, apiPageSize},
		{"api-site-page-10", "/api/v1/experiments?site_id=" + sites[1].ID + "&page=10", true, apiPageSize},
		{"api-site-running", "/api/v1/experiments?status=running&site_id=" + sites[0].ID, true, apiPageSize},
		{"api-search", "/api/v1/experiments?q=hero+pricing/3", true, apiPageSize},
	} {
		b.Run(tt.name, func(b *testing.B) {
			token, jar := "", cookies
			if tt.token {
				token, jar = tok, nil
			}
			for b.Loop() {
				status, body := benchGet(b, a, tt.path, token, jar)
				rows := strings.Count(string(body), `class="list-name"><a href="/experiments/`)
				if tt.token {
					rows = strings.Count(string(body), `"share_url"`)
				}
				if status != http.StatusOK || rows != tt.rows {
					b.Fatalf("status %d, %d experiments: %.300s", status, rows, body)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
}

// seedManyExperiments makes the lists' benchmark data: 5,000 experiments
// without events on two sites ("Shop" and "Blog", alternating), named
// "Hero test N", every tenth started (so all 500 running ones are Shop's).
// Each tests the hero on a page of its own: a start is refused while
// another running test holds the same element on the same pages.
func seedManyExperiments(b *testing.B, store *experiments.Store) [2]experiments.Site {
	b.Helper()
	const n = 5000
	ctx := context.Background()
	var sites [2]experiments.Site
	for i, name := range []string{"Shop", "Blog"} {
		s, err := store.CreateSite(ctx, experiments.Site{Name: name, Domain: strings.ToLower(name) + ".example"})
		if err != nil {
			b.Fatal(err)
		}
		sites[i] = s
	}
	for i := range n {
		x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: sites[i%2].ID, Name: "Hero test " + strconv.Itoa(i),
			Page: "/pricing/" + strconv.Itoa(i), Selector: `[data-copylab="hero"]`, CoverageBP: 10000,
			Goal:     experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
			Variants: []experiments.Variant{{Text: "Original headline"}, {Text: "New headline"}, {Text: "Third headline"}}})
		if err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			if _, err := store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
				b.Fatal(err)
			}
		}
	}
	return sites
}

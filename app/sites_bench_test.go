package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// BenchmarkSitePagesMany measures a site's page and the sites list with
// many experiments (5,000 on two sites, every tenth started, all on the first, without
// events): what they cost to count a site's experiments and show its
// newest fifty, as BenchmarkExperimentsListMany does for the lists:
//
//	go test ./app -run '^$' -bench BenchmarkSitePagesMany -benchtime 20x
func BenchmarkSitePagesMany(b *testing.B) {
	const n = 5000
	ctx := context.Background()
	a, store, _ := benchApp(b)
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
			Page: "/pricing/" + strconv.Itoa(i%7), Selector: `[data-copylab="hero"]`, CoverageBP: 10000,
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
	benchSignUp(b, store)
	cookies := benchSignIn(b, a)
	for _, tt := range []struct {
		name, path string
		want       []string // what the page must say
		rows       int      // experiments listed on it
	}{
		{"site", "/sites/" + sites[0].ID, []string{"1–50 of 2,500 experiments", "Stop its running experiments first: “Hero test 4990”"}, listPageSize},
		{"sites", "/sites", []string{"<td>2500 </td>", `2500 <span class="badge badge-running">500 running</span>`}, 0},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				status, body := benchGet(b, a, tt.path, "", cookies)
				rows := strings.Count(string(body), `<td><a href="/experiments/`)
				if status != http.StatusOK || rows != tt.rows {
					b.Fatalf("status %d, %d experiments: %.300s", status, rows, body)
				}
				for _, w := range tt.want {
					if !strings.Contains(string(body), w) {
						b.Fatalf("no %q in %.3000s", w, body)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
}

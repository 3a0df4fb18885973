package app

import (
	"net/http"
	"strings"
	"testing"
)

// BenchmarkSitePagesMany measures a site's page and the sites list with
// many experiments (5,000 on two sites, every tenth started, all on the first, without
// events): what they cost to count a site's experiments and show its
// newest fifty, as BenchmarkExperimentsListMany does for the lists:
//
//	go test ./app -run '^$' -bench BenchmarkSitePagesMany -benchtime 20x
func BenchmarkSitePagesMany(b *testing.B) {
	a, store, _ := benchApp(b)
	sites := seedManyExperiments(b, store)
	benchSignUp(b, store)
	cookies := benchSignIn(b, a)
	for _, tt := range []struct {
		name, path string
		want       []string // what the page must say
		rows       int      // experiments listed on it
	}{
		{"site", "/sites/" + sites[0].ID, []string{"1–50 of 2,500 experiments", "Stop its 500 running experiments first: “<bdi>Hero test 4990</bdi>”"}, listPageSize},
		{"sites", "/sites", []string{`>2500 </td>`, `2500 <span class="badge badge-running">500 running</span>`}, 0},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				status, body := benchGet(b, a, tt.path, "", cookies)
				rows := strings.Count(string(body), `class="list-name"><a href="/experiments/`)
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

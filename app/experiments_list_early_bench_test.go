package app

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkExperimentsListAnswers measures GET /experiments when every
// experiment it shows has an answer (a winner), the list's worst case for
// asking whether an answer came too early (answerTooEarly reads each
// one's history). Half of them started two days ago, half two weeks ago:
//
//	go test ./app -run '^$' -bench BenchmarkExperimentsListAnswers -benchtime 30x
func BenchmarkExperimentsListAnswers(b *testing.B) {
	a, store, _ := benchApp(b)
	for i := range listPageSize {
		_, exp := resultsFixture(b, store, "Hero "+strconv.Itoa(i), "Original headline", "New headline")
		for j, c := range [][2]int64{{100000, 5000}, {100000, 6500}} {
			if _, err := store.Writer().Exec(`insert into variant_counts (experiment_id, variant, exposures, conversions, applied, missed)
				values (?, ?, ?, ?, ?, 0)`, exp.ID, exp.Variants[j].Key, c[0], c[1], c[0]); err != nil {
				b.Fatal(err)
			}
		}
		days := 2 + 12*(i%2)
		at := time.Now().Add(-time.Duration(days) * 24 * time.Hour).UnixMilli()
		if _, err := store.Writer().Exec(`update experiments set started_at = ? where id = ?`, at, exp.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := store.Writer().Exec(`update experiment_history set at = ? where experiment_id = ?`, at, exp.ID); err != nil {
			b.Fatal(err)
		}
	}
	benchSignUp(b, store)
	cookies := benchSignIn(b, a)
	for _, cold := range []bool{true, false} {
		b.Run(map[bool]string{true: "cold", false: "warm"}[cold], func(b *testing.B) {
			for b.Loop() {
				if cold {
					a.verdicts = verdictCache{}
				}
				status, body := benchGet(b, a, "/experiments", "", cookies)
				if status != http.StatusOK || strings.Count(string(body), "verdict-chip verdict-winner") != listPageSize {
					b.Fatalf("status %d, %d winners: %.300s", status, strings.Count(string(body), "verdict-chip verdict-winner"), body)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
}

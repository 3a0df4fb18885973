package app

import (
	"bytes"
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// BenchmarkEventsExport measures the raw events export end to end,
// through the Fiber app (token, query check, paging through the read
// pool, encoding, the chunked body read back by the client), for an
// experiment of about 100,000 events:
//
//	go test ./app -run '^$' -bench BenchmarkEventsExport -benchtime 5x
//
// It reports events/s and the allocations per event, the client's
// reading of the answer included: the export's budget is what it costs
// per event, since its size has no bound.
func BenchmarkEventsExport(b *testing.B) {
	ctx := context.Background()
	a, store, _ := benchApp(b)
	site, exp := resultsFixture(b, store, "Hero", "Original headline", "New headline")
	bulkResults(b, store, site, exp, bulkSpec{Events: 100_000, Start: time.Now().AddDate(0, 0, -14), Days: 14, Seed: 1,
		Rates: map[string]float64{"control": 0.05, "b": 0.055}})
	var events int64
	if err := store.Reader().QueryRow(`select count(*) from events where experiment_id = ?`, exp.ID).Scan(&events); err != nil {
		b.Fatal(err)
	}
	token, err := CreateToken(ctx, store, benchSignUp(b, store), "bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, path string }{
		{"ndjson", "/api/v1/experiments/" + exp.ID + "/events"},
		{"csv", "/api/v1/experiments/" + exp.ID + "/events.csv"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var size int
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				status, body := benchGet(b, a, tc.path, token, nil)
				if status != http.StatusOK {
					b.Fatalf("%s: status %d: %.300s", tc.path, status, body)
				}
				if lines := int64(bytes.Count(body, []byte{'\n'})); lines < events {
					b.Fatalf("%s: %d lines for %d events", tc.path, lines, events)
				}
				size = len(body)
			}
			runtime.ReadMemStats(&after)
			n := float64(events) * float64(b.N)
			b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/event")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/n, "B/event")
			b.ReportMetric(float64(size)/float64(events), "bytes/event")
		})
	}
}

package experiments_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"copylab/experiments"
)

// benchSite is a site running two experiments, as a shop testing its hero
// and its pricing copy at once.
type benchSite struct {
	s    *experiments.Store
	site experiments.Site
	exps []experiments.Experiment
}

func newBenchSite(b *testing.B) benchSite {
	b.Helper()
	s := openStore(b)
	site, e1 := evAddSiteAndExperiment(b, s, experiments.Goal{Type: experiments.GoalEvent, Name: "signup"})
	e2 := evAddExperiment(b, s, site.ID, experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, true)
	return benchSite{s: s, site: site, exps: []experiments.Experiment{e1, e2}}
}

// visitorBody is one realistic request of a new visitor: seven exposures
// (page views over both experiments, in the variant the assignment spec
// gives them) and three conversions, with UUIDv7 ids.
func (bs benchSite) visitorBody(rng *rand.Rand) []byte {
	visitor := experiments.RandomToken(22)
	type wire map[string]any
	events := make([]wire, 0, 10)
	variants := make([]string, len(bs.exps))
	for i, e := range bs.exps {
		variants[i] = e.Variants[experiments.Assign(e.Seed, visitor, e.Weights(), e.CoverageBP)].Key
	}
	for i := 0; i < 7; i++ {
		k := i % len(bs.exps)
		events = append(events, wire{"id": evID(), "type": "exposure", "experiment": bs.exps[k].ID, "variant": variants[k],
			"url": "https://shop.example/pricing?plan=pro", "ts": time.Now().UnixMilli(), "ms": 20 + rng.IntN(200),
			"ref": "https://www.google.com/", "utm": "spring-sale"})
	}
	for i, goal := range []string{"signup", "click", "newsletter"} {
		k := i % len(bs.exps)
		events = append(events, wire{"id": evID(), "type": "conversion", "experiment": bs.exps[k].ID, "goal": goal,
			"url": "https://shop.example/thanks", "ts": time.Now().UnixMilli()})
	}
	body, err := json.Marshal(wire{"site": bs.site.Key, "visitor": visitor, "events": events})
	if err != nil {
		panic(err)
	}
	return body
}

// BenchmarkIngest pushes realistic bodies (10 events each) through Ingest
// from many goroutines into a real database file, and reports events/s.
// One op is one request.
func BenchmarkIngest(b *testing.B) {
	bs := newBenchSite(b)
	rng := rand.New(rand.NewPCG(1, 2))
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i] = bs.visitorBody(rng)
	}
	runIngestBench(b, bs.s, bodies, b.N*10, 32, "DE")
}

// runIngestBench sends bodies (one request each, events in all) through a
// new Ingester from parallelism goroutines per GOMAXPROCS and reports
// events/s, the CPU the whole process spent per event (parse, validate,
// write, commit: steadier than events/s on a machine shared with other
// work), events per batch and the writer's time per batch.
func runIngestBench(b *testing.B, s *experiments.Store, bodies [][]byte, events, parallelism int, country string) {
	in := experiments.NewIngester(s, experiments.IngestOptions{})
	defer in.Close(context.Background())
	var took atomic.Int64 // ns the writer spent in transactions
	in.SetBatchObserver(func(bi experiments.BatchInfo) { took.Add(int64(bi.Took)) })
	var next atomic.Int64
	b.SetParallelism(parallelism)
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := bodies[next.Add(1)-1]
			m := experiments.RequestMeta{UserAgent: evChromeUA, Country: country, ReceivedAt: time.Now()}
			if _, err := in.Ingest(context.Background(), body, m); err != nil {
				b.Error(err)
				return
			}
		}
	})
	elapsed, cpu := time.Since(start), processCPU()-cpu
	b.StopTimer()
	st := in.Stats()
	b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(events), "cpu-µs/event")
	}
	if st.Batches > 0 {
		b.ReportMetric(float64(st.Events)/float64(st.Batches), "events/batch")
		b.ReportMetric(float64(took.Load())/1e6/float64(st.Batches), "ms/batch")
	}
}

// benchEvents is the size of BenchmarkCounts's database: 1M events, or
// COPYLAB_BENCH_EVENTS (10000000 to check the 10M budget).
func benchEvents(b *testing.B) int {
	if v := os.Getenv("COPYLAB_BENCH_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 {
			b.Fatalf("COPYLAB_BENCH_EVENTS=%q: want a number of events", v)
		}
		return n
	}
	return 1_000_000
}

// BenchmarkCounts reads the counts of an experiment whose database holds a
// million events (see benchEvents) spread over 30 days.
func BenchmarkCounts(b *testing.B) {
	bs := newBenchSite(b)
	buildBenchEvents(b, bs, benchEvents(b))
	var c experiments.Counts
	// b.Loop runs the setup above once, however many rounds it takes.
	for b.Loop() {
		var err error
		if c, err = bs.s.Counts(context.Background(), bs.exps[0]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("counts: %s, %d days", fmt.Sprint(evPairs(c)), len(c.Days)/len(bs.exps[0].Variants))
}

// buildBenchEvents fills bs's database with total events of realistic
// visitors (visitorBody) spread over 30 days, through BulkIngest, and logs
// how long that took and the file's size.
func buildBenchEvents(b *testing.B, bs benchSite, total int) {
	b.Helper()
	in := experiments.NewIngester(bs.s, experiments.IngestOptions{MaxBody: 1 << 20})
	defer in.Close(context.Background())
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Now()
	const chunk = 10_000 // bodies per bulk call
	day := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for done := 0; done < total; {
		n := min(chunk, (total-done)/10)
		if n == 0 {
			break
		}
		bodies := make([][]byte, n)
		for i := range bodies {
			bodies[i] = bs.visitorBody(rng)
		}
		at := day.Add(time.Duration(done/10*30/(total/10)) * 24 * time.Hour)
		if err := in.BulkIngest(context.Background(), bodies, experiments.RequestMeta{UserAgent: evChromeUA, ReceivedAt: at}, 5000); err != nil {
			b.Fatal(err)
		}
		done += n * 10
	}
	build := time.Since(start)
	events := evRows(b, bs.s, "events")
	info, _ := os.Stat(bs.s.Path())
	b.Logf("built %d events in %v (%.0f events/s), file %d MB", events, build.Round(time.Millisecond),
		float64(events)/build.Seconds(), info.Size()>>20)
}

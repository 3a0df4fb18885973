package experiments_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"

	"copylab/experiments"
)

// pageViewBody is what the snippet sends for one new visitor's page view:
// an exposure, and in a third of them the conversion that happened within
// the same second (a click on the tested page).
func (bs benchSite) pageViewBody(rng *rand.Rand, i int) []byte {
	// A new visitor's id as the snippet makes it: a UUIDv7, so new
	// visitors' rows append as they do on a real site.
	visitor := uuid.Must(uuid.NewV7()).String()
	e := bs.exps[1] // the click goal
	variant := e.Variants[experiments.Assign(e.Seed, visitor, e.Weights(), e.CoverageBP)].Key
	evs := []ev{{ID: evID(), Type: experiments.EventExposure, Experiment: e.ID, Variant: variant,
		URL: "https://shop.example/pricing", MS: evPtr(float64(20 + rng.IntN(200))), Matched: evPtr(true)}}
	if i%3 == 0 {
		evs = append(evs, ev{ID: evID(), Type: experiments.EventConversion, Experiment: e.ID, Variant: variant, Goal: "click",
			URL: "https://shop.example/pricing"})
	}
	return evBody(bs.site.Key, visitor, false, evs...)
}

// BenchmarkIngestPageViews is the load of `copylab simulate` without HTTP:
// one new visitor per request, one or two events each, from as many
// goroutines as a busy server has requests in flight. It reports the CPU the
// whole process spends per event (parse, validate, write, commit): the
// figure to compare before and after a change of the hot path, as it
// depends little on what else the machine is doing.
func BenchmarkIngestPageViews(b *testing.B) {
	for _, inflight := range []int{64, 256} {
		b.Run(fmt.Sprintf("inflight=%d", inflight), func(b *testing.B) {
			bs := newBenchSite(b)
			rng := rand.New(rand.NewPCG(5, 6))
			bodies := make([][]byte, b.N)
			events := 0
			for i := range bodies {
				bodies[i] = bs.pageViewBody(rng, i)
				events += 1 + min(1, 1-min(1, i%3))
			}
			runIngestBench(b, bs.s, bodies, events, (inflight+1)/2, "") // per GOMAXPROCS
		})
	}
}

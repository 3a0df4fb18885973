package experiments_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"copylab/experiments"
)

// TestBulkBatch writes batches bigger than one bulk statement (64 rows),
// with an event id repeated inside a batch and across batches, visitors
// that already have rows and swap times in many buckets, and checks the
// stored events and the counts: the multi-row statements must give the
// same answers as one statement per event would.
func TestBulkBatch(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	ctx := context.Background()
	meta := evMeta(evBaseTime)

	// Batch 1: 150 visitors, each one exposure with its own swap time
	// (110 buckets), every third with a conversion; visitor 7's request
	// is sent twice within the batch.
	var bodies [][]byte
	for i := 0; i < 150; i++ {
		e := evExposure(x, []string{"control", "b"}[i%2])
		e.MS = evPtr(float64(i))
		evs := []ev{e}
		if i%3 == 0 {
			evs = append(evs, evConversion(x, "signup"))
		}
		bodies = append(bodies, evBody(f.site.Key, fmt.Sprintf("v%03d", i), false, evs...))
	}
	bodies = append(bodies, bodies[7])
	if err := in.BulkIngest(ctx, bodies, meta, 10_000); err != nil {
		t.Fatal(err)
	}
	if n := evRows(t, f.s, "events"); n != 200 {
		t.Fatalf("%d events after batch 1, want 200", n)
	}
	want := map[string]evPair{"control": {75, 25}, "b": {75, 25}}
	if got := evPairs(evCounts(t, f.s, f.exp)); !reflect.DeepEqual(got, want) {
		t.Errorf("counts after batch 1 = %v, want %v", got, want)
	}
	var buckets, swaps int
	if err := f.s.Reader().QueryRow(`select count(*), sum(n) from variant_swap_ms`).Scan(&buckets, &swaps); err != nil {
		t.Fatal(err)
	}
	// ms 0..99 have a bucket each, 100..149 share five (per variant).
	if buckets != 110 || swaps != 150 {
		t.Errorf("swap histogram: %d buckets, %d exposures; want 110, 150", buckets, swaps)
	}

	// Batch 2: the same 150 visitors again. The first 100 see the other
	// variant (moved out into multiple variants, read from their rows),
	// the rest convert (counted once: those already converted are not),
	// and all of batch 1 is resent (duplicates, stored once).
	bodies = bodies[:150]
	for i := 0; i < 150; i++ {
		var e ev
		if i < 100 {
			e = evExposure(x, []string{"b", "control"}[i%2])
		} else {
			e = evConversion(x, "signup")
		}
		bodies = append(bodies, evBody(f.site.Key, fmt.Sprintf("v%03d", i), false, e))
	}
	if err := in.BulkIngest(ctx, bodies, meta, 10_000); err != nil {
		t.Fatal(err)
	}
	if n := evRows(t, f.s, "events"); n != 350 {
		t.Errorf("%d events after batch 2, want 350", n)
	}
	// Visitors 100..149 stay, 25 in each variant, and all of them have
	// converted now: 16 in batch 1, the other 34 in batch 2.
	c := evCounts(t, f.s, f.exp)
	want = map[string]evPair{"control": {25, 25}, "b": {25, 25}}
	if got := evPairs(c); !reflect.DeepEqual(got, want) || c.MultipleVariants != 100 {
		t.Errorf("counts after batch 2 = %v (multiple variants %d), want %v (100)", got, c.MultipleVariants, want)
	}
}

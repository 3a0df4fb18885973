package stats

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestFlagSegmentsScreen checks that the screen in FlagSegments
// (maybeOutside) never changes an answer: on random segments the flags are
// those of computing every judged pair's interval, as the rule says.
func TestFlagSegmentsScreen(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	flagged := 0
	for round := 0; round < 40; round++ {
		k := 2 + rng.IntN(3)
		overall := make([]Arm, k)
		for i := range overall {
			n := int64(2000 + rng.IntN(200000))
			overall[i] = Arm{Key: fmt.Sprint("v", i), Exposures: n, Conversions: int64(float64(n) * (0.03 + 0.04*rng.Float64()))}
		}
		var segs []Segment
		for s := 0; s < 5+rng.IntN(30); s++ {
			seg := Segment{Name: fmt.Sprint("s", s)}
			for i := range overall {
				n := int64(100 + rng.IntN(20000))
				rate := float64(overall[i].Conversions) / float64(overall[i].Exposures) * (0.6 + 0.8*rng.Float64())
				seg.Arms = append(seg.Arms, Arm{Key: overall[i].Key, Exposures: n, Conversions: int64(float64(n) * rate)})
			}
			segs = append(segs, seg)
		}
		var got []string
		for _, f := range FlagSegments(overall, segs, SegmentOptions{}) {
			got = append(got, f.Segment+"/"+f.Variant)
		}
		want := flagEveryPair(overall, segs)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: screened flags %v, every pair's intervals give %v", round, got, want)
		}
		flagged += len(want)
	}
	if flagged < 20 {
		t.Errorf("only %d flags in all: the test does not exercise the screen", flagged)
	}
}

// flagEveryPair is FlagSegments's rule without the screen: every judged
// pair's interval, compared with the overall uplift.
func flagEveryPair(overall []Arm, segments []Segment) []string {
	type pair struct {
		seg     string
		c, v, o Arm
	}
	var pairs []pair
	for _, s := range segments {
		byKey := map[string]Arm{}
		for _, a := range s.Arms {
			byKey[a.Key] = a
		}
		for _, o := range overall[1:] {
			c, v := byKey[overall[0].Key], byKey[o.Key]
			if c.Exposures < MinExposures || v.Exposures < MinExposures || c.Conversions+v.Conversions < MinConversions || c.Conversions == 0 {
				continue
			}
			pairs = append(pairs, pair{s.Name, c, v, o})
		}
	}
	level := 1 - 0.05/float64(len(pairs))
	var out []string
	for _, p := range pairs {
		up := rate(p.o)/rate(overall[0]) - 1
		if iv := UpliftInterval(p.c, p.v, level); iv.Low > up || up > iv.High {
			out = append(out, p.seg+"/"+p.v.Key)
		}
	}
	return out
}

package experiments_test

import (
	"context"
	"testing"
	"time"

	"copylab/experiments"
)

// TestHoursAddUpToDays sends a young test's traffic through the writer,
// across a UTC midnight, with every counting rule that takes a visitor or
// a conversion back out (a second variant, a bot seen later, a crawler, a
// conversion before the exposure, a second conversion), and checks that
// the hours of each day add up to its day row and all of them to the
// variants' totals, visitors and conversions alike.
func TestHoursAddUpToDays(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	base := time.Date(2025, 3, 10, 21, 15, 0, 0, time.UTC) // 21:15, so the test runs into 11 Mar
	at := func(hours, minutes int) time.Time {
		return base.Add(time.Duration(hours)*time.Hour + time.Duration(minutes)*time.Minute)
	}
	send := func(visitor string, when time.Time, bot bool, ua string, events ...ev) {
		t.Helper()
		m := evAt(when)
		if ua != "" {
			m.UserAgent = ua
		}
		if _, err := in.Ingest(context.Background(), evBody(f.site.Key, visitor, bot, events...), m); err != nil {
			t.Fatalf("ingest %s: %v", visitor, err)
		}
	}
	exposure := func(v string) ev { return evExposure(x, v) }
	conversion := func() ev { return evConversion(x, "signup") }

	// In the order of server time: the writer never lets time go back
	// (a request is stamped no earlier than the one before it).
	// Counted: ann, bob and cat, dan and eve over five hours and two days,
	// with conversions in later hours and across midnight; a second
	// conversion counts once, one before the exposure not at all. Taken
	// out: fay sees the other variant an hour after converting, gus is
	// shown to be a bot after converting, and a crawler.
	send("ann", at(0, 0), false, "", exposure("control"))
	send("fay", at(0, 5), false, "", exposure("control"), conversion())
	send("bot", at(0, 10), false, evGooglebot, exposure("control"))
	send("ann", at(0, 30), false, "", conversion())
	send("bob", at(0, 40), false, "", exposure("b"))
	send("fay", at(1, 5), false, "", exposure("b"))
	send("cat", at(1, 10), false, "", exposure("b"), conversion())
	send("gus", at(2, 0), false, "", exposure("b"), conversion())
	send("dan", at(2, 50), false, "", exposure("control")) // 00:05 on 11 Mar
	send("bob", at(3, 0), false, "", conversion())         // 00:15 on 11 Mar
	send("bob", at(4, 0), false, "", conversion())         // already converted
	send("gus", at(4, 0), true, "", conversion())
	send("eve", at(5, 0), false, "", conversion()) // before her exposure
	send("eve", at(5, 5), false, "", exposure("b"))

	ctx := context.Background()
	counts, err := f.s.Counts(ctx, f.exp)
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.s.Hours(ctx, f.exp)
	if err != nil {
		t.Fatal(err)
	}
	if counts.MultipleVariants != 1 || counts.Bots != 2 {
		t.Fatalf("excluded: %d multiple, %d bots; want 1 and 2 (the scenario is off)", counts.MultipleVariants, counts.Bots)
	}
	if !h.First.Equal(base) {
		t.Errorf("first exposure %v, want ann's, %v", h.First, base)
	}

	keys := []string{"control", "b"}
	if len(h.Hours)%len(keys) != 0 {
		t.Fatalf("%d hour rows for %d variants", len(h.Hours), len(keys))
	}
	type pair struct{ exposures, conversions int64 }
	byDay := map[string][]pair{}
	total := make([]pair, len(keys))
	var last time.Time
	for i := 0; i < len(h.Hours); i += len(keys) {
		hour := h.Hours[i].Hour
		if hour.Location() != time.UTC || !hour.Equal(hour.Truncate(time.Hour)) || !hour.After(last) {
			t.Fatalf("row %d: hour %v, after %v: want whole UTC hours, ascending", i, hour, last)
		}
		last = hour
		day := hour.Format(time.DateOnly)
		if byDay[day] == nil {
			byDay[day] = make([]pair, len(keys))
		}
		for j, k := range keys {
			r := h.Hours[i+j]
			if r.Key != k || !r.Hour.Equal(hour) {
				t.Fatalf("row %d: %s at %v, want %s at %v", i+j, r.Key, r.Hour, k, hour)
			}
			byDay[day][j].exposures += r.Exposures
			byDay[day][j].conversions += r.Conversions
			total[j].exposures += r.Exposures
			total[j].conversions += r.Conversions
		}
	}
	if len(counts.Days) != 2*len(keys) {
		t.Fatalf("%d day rows, want two days", len(counts.Days))
	}
	for _, d := range counts.Days {
		j := 0
		if d.Key == "b" {
			j = 1
		}
		got := byDay[d.Day][j]
		if got.exposures != d.Exposures || got.conversions != d.Conversions {
			t.Errorf("%s %s: hours add up to %d visitors and %d conversions, the day row has %d and %d",
				d.Day, d.Key, got.exposures, got.conversions, d.Exposures, d.Conversions)
		}
	}
	for j, v := range counts.Variants {
		if total[j].exposures != v.Exposures || total[j].conversions != v.Conversions {
			t.Errorf("%s: hours add up to %d visitors and %d conversions, the totals are %d and %d",
				v.Key, total[j].exposures, total[j].conversions, v.Exposures, v.Conversions)
		}
	}
	// And the numbers themselves: control ann and dan, b bob, cat and eve;
	// ann, bob and cat converted.
	want := []pair{{2, 1}, {3, 2}}
	for j := range keys {
		if total[j] != want[j] {
			t.Errorf("%s: %+v, want %+v", keys[j], total[j], want[j])
		}
	}
	// bob's conversion is in the hour it happened (00:15 on 11 Mar),
	// not in his exposure's.
	for _, r := range h.Hours {
		if r.Key == "b" && r.Hour.Equal(time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)) && r.Conversions != 1 {
			t.Errorf("b at 00:00 on 11 Mar: %d conversions, want bob's", r.Conversions)
		}
	}
}

// TestHoursNobodyCounted: before any counted visitor there are no hours
// and no first exposure, whatever bots sent.
func TestHoursNobodyCounted(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	m := evAt(evBaseTime)
	m.UserAgent = evGooglebot
	if _, err := in.Ingest(context.Background(), evBody(f.site.Key, "crawler", false, evExposure(f.exp.ID, "control")), m); err != nil {
		t.Fatal(err)
	}
	h, err := f.s.Hours(context.Background(), f.exp)
	if err != nil {
		t.Fatal(err)
	}
	if !h.First.IsZero() || len(h.Hours) != 0 {
		t.Errorf("first %v, %d rows; want none", h.First, len(h.Hours))
	}
}

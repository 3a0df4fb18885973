package experiments_test

import (
	"context"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"time"

	"copylab/data"
	"copylab/experiments"
)

const evIPhoneUA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"

// segmentsOf flattens Store.Segments (every value) for comparisons.
func segmentsOf(t *testing.T, s *experiments.Store, e experiments.Experiment) map[[3]string]evPair {
	t.Helper()
	dims, err := s.Segments(context.Background(), e, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[[3]string]evPair{}
	for _, d := range dims {
		for _, v := range d.Values {
			for _, a := range v.Arms {
				if a.Exposures != 0 || a.Conversions != 0 {
					out[[3]string{d.Dimension, v.Value, a.Key}] = evPair{a.Exposures, a.Conversions}
				}
			}
		}
	}
	return out
}

// TestSegmentsFollowVisitors checks the segment aggregates through the paths
// that move a visitor: counted, converting, flagged as a bot later (moved
// out with their conversion), seeing a second variant (moved out), and
// a later exposure from elsewhere (still in the first exposure's segment).
func TestSegmentsFollowVisitors(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: -1})
	x := f.exp.ID
	send := func(visitor, country, ua string, bot bool, events ...ev) {
		t.Helper()
		m := experiments.RequestMeta{UserAgent: ua, Country: country, ReceivedAt: evBaseTime}
		if _, err := in.Ingest(context.Background(), evBody(f.site.Key, visitor, bot, events...), m); err != nil {
			t.Fatal(err)
		}
	}
	withSource := func(e ev, ref, utm string) ev { e.Ref, e.UTM = ref, utm; return e }

	send("ann", "US", evChromeUA, false, withSource(evExposure(x, "control"), "https://www.google.com/", "spring"), evConversion(x, "signup"))
	send("ann", "IN", evIPhoneUA, false, withSource(evExposure(x, "control"), "https://t.co/x", "")) // same visitor, other place
	send("raj", "IN", evIPhoneUA, false, evExposure(x, "b"), evConversion(x, "signup"))
	send("bob", "GB", evChromeUA, false, evExposure(x, "b"), evConversion(x, "signup"))
	send("bob", "", "", true, evConversion(x, "signup")) // a bot after all: out, conversion and all
	send("eve", "US", evChromeUA, false, evExposure(x, "control"))
	send("eve", "US", evChromeUA, false, evExposure(x, "b")) // two variants: out

	want := map[[3]string]evPair{
		{"country", "US", "control"}: {1, 1}, {"country", "IN", "b"}: {1, 1},
		{"device", "desktop", "control"}: {1, 1}, {"device", "mobile", "b"}: {1, 1},
		{"browser", "Chrome", "control"}: {1, 1}, {"browser", "Safari", "b"}: {1, 1},
		{"referrer", "google.com", "control"}: {1, 1}, {"referrer", "", "b"}: {1, 1},
		{"utm_source", "spring", "control"}: {1, 1}, {"utm_source", "", "b"}: {1, 1},
	}
	got := segmentsOf(t, f.s, f.exp)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("segments\n got %v\nwant %v", got, want)
	}
	if sql := sqlSegmentRecount(t, f.s, x); !reflect.DeepEqual(got, sql) {
		t.Errorf("segments = %v\nSQL recount %v", got, sql)
	}
}

// TestSegmentsTopAndOther folds the values beyond the top ones into "other".
func TestSegmentsTopAndOther(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: -1})
	countries := []string{"US", "IN", "GB", "DE", "FR"}
	n := 0
	for i, c := range countries {
		for j := 0; j < len(countries)-i; j++ { // US 5 visitors, IN 4, … FR 1
			n++
			m := experiments.RequestMeta{UserAgent: evChromeUA, Country: c, ReceivedAt: evBaseTime}
			variant := []string{"control", "b"}[n%2]
			if _, err := in.Ingest(context.Background(), evBody(f.site.Key, fmt.Sprint("v", n), false, evExposure(f.exp.ID, variant)), m); err != nil {
				t.Fatal(err)
			}
		}
	}
	dims, err := f.s.Segments(context.Background(), f.exp, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(dims) != len(experiments.SegmentDimensions) || dims[0].Dimension != experiments.DimCountry {
		t.Fatalf("dimensions %v", dims)
	}
	var got []string
	for _, v := range dims[0].Values {
		got = append(got, fmt.Sprintf("%s/%v/%d/%d", v.Value, v.Other, v.Values, v.Exposures))
	}
	if want := []string{"US/false/1/5", "IN/false/1/4", "GB/false/1/3", "/true/2/3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("countries %v, want %v", got, want)
	}
	other := dims[0].Values[3]
	if other.Arms[0].Key != "control" || other.Arms[0].Exposures+other.Arms[1].Exposures != 3 {
		t.Errorf("other arms %+v", other.Arms)
	}
	if v := dims[1].Values; len(v) != 1 || v[0].Value != "desktop" || v[0].Exposures != 15 {
		t.Errorf("devices %+v", v)
	}
}

// TestHealthSince counts page views with and without the element per day.
func TestHealthSince(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: -1})
	for d := 0; d < 3; d++ {
		at := evBaseTime.Add(time.Duration(d) * 24 * time.Hour)
		e := evExposure(f.exp.ID, "b")
		if d == 2 {
			e.Matched = evPtr(false) // the selector broke on the third day
		}
		if _, err := in.Ingest(context.Background(), evBody(f.site.Key, fmt.Sprint("v", d), false, e), evMeta(at)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name              string
		since             time.Time
		bApplied, bMissed int64
	}{
		{"all days", evBaseTime.Add(-time.Hour), 2, 1},
		{"last day", evBaseTime.Add(48 * time.Hour), 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := f.s.HealthSince(context.Background(), f.exp, tc.since)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 2 || h[1].Key != "b" || h[1].Applied != tc.bApplied || h[1].Missed != tc.bMissed || h[0].Applied+h[0].Missed != 0 {
				t.Errorf("health %+v", h)
			}
		})
	}
}

// TestSegmentsBackfill runs the backfill of migration 0003 on a database
// whose aggregates were kept by the writer, and expects the same rows: a
// database upgraded from 0002 starts with the right segments.
func TestSegmentsBackfill(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: -1})
	x := f.exp.ID
	for i := 0; i < 40; i++ {
		m := experiments.RequestMeta{UserAgent: modelAgents[i%3], Country: modelCountries[i%4], ReceivedAt: evBaseTime.Add(time.Duration(i) * time.Hour)}
		e := evExposure(x, []string{"control", "b"}[i%2])
		e.Ref, e.UTM = modelRefs[i%3], modelUTMs[i%2]
		if i%7 == 0 {
			e.Matched = evPtr(false)
		}
		events := []ev{e}
		if i%3 == 0 {
			events = append(events, evConversion(x, "signup"))
		}
		if _, err := in.Ingest(context.Background(), evBody(f.site.Key, fmt.Sprint("v", i%30), i == 39, events...), m); err != nil {
			t.Fatal(err)
		}
	}
	dump := func(table string) []string {
		t.Helper()
		rows, err := f.s.Reader().Query(`select * from ` + table + ` order by 1, 2, 3, 4`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%v", vals))
		}
		return out
	}
	beforeSeg, beforeHealth := dump("variant_segments"), dump("variant_health_days")
	if len(beforeSeg) == 0 || len(beforeHealth) == 0 {
		t.Fatal("no aggregates to compare")
	}
	body, err := fs.ReadFile(data.Migrations, "migrations/0003_segments.sql")
	if err != nil {
		t.Fatal(err)
	}
	_, backfill, ok := strings.Cut(string(body), "-- Backfill")
	if !ok {
		t.Fatal("no backfill section in 0003")
	}
	if _, err := f.s.Writer().Exec(`delete from variant_segments; delete from variant_health_days; -- ` + backfill); err != nil {
		t.Fatal(err)
	}
	// Rows of zero (a visitor counted, then moved out) are kept by the
	// writer but not made by the backfill.
	nonZero := func(rows []string) []string {
		var out []string
		for _, r := range rows {
			if !strings.HasSuffix(r, " 0 0]") {
				out = append(out, r)
			}
		}
		return out
	}
	if after := dump("variant_segments"); !reflect.DeepEqual(nonZero(beforeSeg), after) {
		t.Errorf("segments backfilled\n%v\nwriter kept\n%v", after, nonZero(beforeSeg))
	}
	if after := dump("variant_health_days"); !reflect.DeepEqual(nonZero(beforeHealth), after) {
		t.Errorf("health backfilled\n%v\nwriter kept\n%v", after, nonZero(beforeHealth))
	}
}

// TestSegmentValuesCapped invents more utm_source values than a dimension
// keeps: the first MaxSegmentValues are counted one by one, the rest
// together in Other (marked Overflow), a kept value goes on being counted
// as itself, the cap holds across a restart of the writer, and every
// visitor is still counted once.
func TestSegmentValuesCapped(t *testing.T) {
	f := evNewFixture(t)
	x := f.exp.ID
	const extra = 7
	send := func(in *experiments.Ingester, visitor, utm string) {
		t.Helper()
		e := evExposure(x, "control")
		e.UTM = utm
		m := experiments.RequestMeta{UserAgent: evChromeUA, ReceivedAt: evBaseTime}
		if _, err := in.Ingest(context.Background(), evBody(f.site.Key, visitor, false, e), m); err != nil {
			t.Fatal(err)
		}
	}
	in := evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: -1})
	for i := 0; i < experiments.MaxSegmentValues+extra; i++ {
		send(in, fmt.Sprint("v", i), fmt.Sprint("campaign-", i))
	}
	if err := in.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A new writer learns the kept values from the table.
	in = evNewIngester(t, f.s, experiments.IngestOptions{MaxDelay: -1})
	send(in, "again-kept", "campaign-3")  // kept: counted as itself
	send(in, "again-new", "campaign-new") // past the cap: overflow
	send(in, "no-campaign", "")           // unknown is always kept

	dims, err := f.s.Segments(context.Background(), f.exp, 0)
	if err != nil {
		t.Fatal(err)
	}
	var utm experiments.SegmentDimension
	for _, d := range dims {
		if d.Dimension == experiments.DimUTMSource {
			utm = d
		}
	}
	kept, total := 0, int64(0)
	var other *experiments.SegmentValue
	for i, v := range utm.Values {
		total += v.Exposures
		switch {
		case v.Other:
			other = &utm.Values[i]
		case v.Value == "campaign-3" && v.Exposures != 2:
			t.Errorf("campaign-3 has %d visitors, want 2", v.Exposures)
		}
		if !v.Other && v.Value != "" {
			kept++
		}
	}
	if kept != experiments.MaxSegmentValues {
		t.Errorf("%d values kept, want %d", kept, experiments.MaxSegmentValues)
	}
	if other == nil || !other.Overflow || other.Exposures != extra+1 {
		t.Fatalf("other %+v, want the overflow with %d visitors", other, extra+1)
	}
	counts, err := f.s.Counts(context.Background(), f.exp)
	if err != nil {
		t.Fatal(err)
	}
	if want := counts.Variants[0].Exposures; total != want || want != experiments.MaxSegmentValues+extra+3 {
		t.Errorf("segments add up to %d visitors, counts say %d", total, want)
	}
	// Folding the top values keeps the overflow inside the one Other.
	dims, err = f.s.Segments(context.Background(), f.exp, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dims {
		if d.Dimension != experiments.DimUTMSource {
			continue
		}
		if n := len(d.Values); n != 6 || !d.Values[5].Other || !d.Values[5].Overflow {
			t.Errorf("top 5: %d values, last %+v", n, d.Values[n-1])
		}
	}
}

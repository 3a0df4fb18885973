package experiments_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// req is one POST /e of a scenario.
type evReq struct {
	visitor string
	bot     bool
	ua      string        // "" for a desktop Chrome
	after   time.Duration // server time after evBaseTime
	events  []ev
	want    experiments.IngestResult
}

func TestIngestCounting(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name     string
		steps    func(exp string) []evReq
		want     map[string]evPair
		multiple int64
		bots     int64
		check    func(t *testing.T, c experiments.Counts)
	}{
		{
			name: "exposure then conversion counts",
			steps: func(x string) []evReq {
				return []evReq{
					{visitor: "v1", events: []ev{evExposure(x, "control")}, want: experiments.IngestResult{Stored: 1}},
					{visitor: "v1", after: time.Minute, events: []ev{evConversion(x, "signup")}, want: experiments.IngestResult{Stored: 1}},
					{visitor: "v2", events: []ev{evExposure(x, "b")}, want: experiments.IngestResult{Stored: 1}},
				}
			},
			want: map[string]evPair{"control": {1, 1}, "b": {1, 0}},
		},
		{
			name: "conversion before exposure is stored but ignored",
			steps: func(x string) []evReq {
				return []evReq{
					{visitor: "v1", events: []ev{evConversion(x, "signup")}, want: experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{"no_exposure"}, ReasonCounts: []int{1}}},
					{visitor: "v1", after: time.Minute, events: []ev{evExposure(x, "b")}, want: experiments.IngestResult{Stored: 1}},
				}
			},
			want: map[string]evPair{"control": {0, 0}, "b": {1, 0}},
		},
		{
			name: "conversion listed before the exposure in one request counts",
			steps: func(x string) []evReq {
				return []evReq{{visitor: "v1", events: []ev{evConversion(x, "signup"), evExposure(x, "b")}, want: experiments.IngestResult{Stored: 2}}}
			},
			want: map[string]evPair{"control": {0, 0}, "b": {1, 1}},
		},
		{
			name: "repeated conversions count once",
			steps: func(x string) []evReq {
				return []evReq{
					{visitor: "v1", events: []ev{evExposure(x, "control"), evConversion(x, "signup"), evConversion(x, "signup")},
						want: experiments.IngestResult{Stored: 3, Ignored: 1, Reasons: []string{"already_converted"}, ReasonCounts: []int{1}}},
					{visitor: "v1", after: time.Hour, events: []ev{evExposure(x, "control"), evConversion(x, "signup")},
						want: experiments.IngestResult{Stored: 2, Ignored: 1, Reasons: []string{"already_converted"}, ReasonCounts: []int{1}}},
				}
			},
			want: map[string]evPair{"control": {1, 1}, "b": {0, 0}},
		},
		{
			name: "another goal does not count",
			steps: func(x string) []evReq {
				return []evReq{{visitor: "v1", events: []ev{evExposure(x, "control"), evConversion(x, "newsletter"), evConversion(x, "click")},
					want: experiments.IngestResult{Stored: 3, Ignored: 2, Reasons: []string{"goal_mismatch"}, ReasonCounts: []int{2}}}}
			},
			want: map[string]evPair{"control": {1, 0}, "b": {0, 0}},
		},
		{
			name: "a visitor in two variants is excluded from both, conversion too",
			steps: func(x string) []evReq {
				return []evReq{
					{visitor: "v1", events: []ev{evExposure(x, "control"), evConversion(x, "signup")}, want: experiments.IngestResult{Stored: 2}},
					{visitor: "v2", events: []ev{evExposure(x, "control"), evConversion(x, "signup")}, want: experiments.IngestResult{Stored: 2}},
					{visitor: "v1", after: 2 * day, events: []ev{evExposure(x, "b"), evConversion(x, "signup")},
						want: experiments.IngestResult{Stored: 2, Ignored: 2, Reasons: []string{"multiple_variants"}, ReasonCounts: []int{2}}},
					{visitor: "v1", after: 3 * day, events: []ev{evExposure(x, "control")},
						want: experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{"multiple_variants"}, ReasonCounts: []int{1}}},
				}
			},
			want:     map[string]evPair{"control": {1, 1}, "b": {0, 0}},
			multiple: 1,
			check: func(t *testing.T, c experiments.Counts) {
				// v1's exposure and conversion left day 1; nothing is left on
				// day 3 for them.
				want := []experiments.DayCounts{
					{Day: "2025-03-10", Key: "control", Exposures: 1, Conversions: 1},
					{Day: "2025-03-10", Key: "b"},
				}
				if !reflect.DeepEqual(c.Days, want) {
					t.Errorf("days = %+v, want %+v", c.Days, want)
				}
			},
		},
		{
			name: "bot flag: stored, counted only as a bot",
			steps: func(x string) []evReq {
				return []evReq{{visitor: "v1", bot: true, events: []ev{evExposure(x, "control"), evConversion(x, "signup")},
					want: experiments.IngestResult{Stored: 2, Ignored: 2, Reasons: []string{"bot"}, ReasonCounts: []int{2}}}}
			},
			want: map[string]evPair{"control": {0, 0}, "b": {0, 0}},
			bots: 1,
		},
		{
			name: "bot user agent: stored, counted only as a bot",
			steps: func(x string) []evReq {
				return []evReq{
					{visitor: "v1", ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
						events: []ev{evExposure(x, "control")}, want: experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{"bot"}, ReasonCounts: []int{1}}},
					// A conversion from the site's backend: its user agent is
					// not the visitor's, and is not held against them.
					{visitor: "v2", events: []ev{evExposure(x, "b")}, want: experiments.IngestResult{Stored: 1}},
					{visitor: "v2", ua: "Go-http-client/1.1", after: time.Minute, events: []ev{evConversion(x, "signup")}, want: experiments.IngestResult{Stored: 1}},
				}
			},
			want: map[string]evPair{"control": {0, 0}, "b": {1, 1}},
			bots: 1,
		},
		{
			name: "a counted visitor later flagged as a bot moves out",
			steps: func(x string) []evReq {
				return []evReq{
					{visitor: "v1", events: []ev{evExposure(x, "control"), evConversion(x, "signup")}, want: experiments.IngestResult{Stored: 2}},
					{visitor: "v1", bot: true, after: time.Minute, events: []ev{evExposure(x, "control")},
						want: experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{"bot"}, ReasonCounts: []int{1}}},
					{visitor: "v2", events: []ev{evExposure(x, "control"), evExposure(x, "b")},
						want: experiments.IngestResult{Stored: 2, Ignored: 1, Reasons: []string{"multiple_variants"}, ReasonCounts: []int{1}}},
					{visitor: "v2", bot: true, after: time.Minute, events: []ev{evConversion(x, "signup")},
						want: experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{"bot"}, ReasonCounts: []int{1}}},
				}
			},
			want: map[string]evPair{"control": {0, 0}, "b": {0, 0}},
			bots: 2,
			check: func(t *testing.T, c experiments.Counts) {
				if c.Days[0].Exposures != 0 || c.Days[0].Conversions != 0 {
					t.Errorf("day counts not moved out: %+v", c.Days)
				}
			},
		},
		{
			name: "unmatched exposures are telemetry only",
			steps: func(x string) []evReq {
				miss := evExposure(x, "b")
				miss.Matched = evPtr(false)
				return []evReq{
					{visitor: "v1", events: []ev{miss, evConversion(x, "signup")},
						want: experiments.IngestResult{Stored: 2, Ignored: 2, Reasons: []string{"no_exposure", "not_matched"}, ReasonCounts: []int{1, 1}}},
				}
			},
			want: map[string]evPair{"control": {0, 0}, "b": {0, 0}},
			check: func(t *testing.T, c experiments.Counts) {
				if c.Variants[1].Missed != 1 || c.Variants[1].Applied != 0 {
					t.Errorf("telemetry = %+v, want 1 missed", c.Variants[1])
				}
			},
		},
		{
			name: "page views and swap times",
			steps: func(x string) []evReq {
				var list []ev
				for _, ms := range []float64{30, 10, 20, 250} {
					e := evExposure(x, "control")
					e.MS = evPtr(ms)
					list = append(list, e)
				}
				return []evReq{{visitor: "v1", events: list, want: experiments.IngestResult{Stored: 4}}}
			},
			want: map[string]evPair{"control": {1, 0}, "b": {0, 0}},
			check: func(t *testing.T, c experiments.Counts) {
				if c.Variants[0].Applied != 4 || c.Variants[0].MedianMS != 25 {
					t.Errorf("telemetry = %+v, want 4 applied, median 25", c.Variants[0])
				}
			},
		},
		{
			name: "days: exposures on the first exposure's day, conversions on their own",
			steps: func(x string) []evReq {
				return []evReq{
					{visitor: "v1", events: []ev{evExposure(x, "control")}, want: experiments.IngestResult{Stored: 1}},
					{visitor: "v1", after: day, events: []ev{evExposure(x, "control"), evConversion(x, "signup")}, want: experiments.IngestResult{Stored: 2}},
					{visitor: "v2", after: 2 * day, events: []ev{evExposure(x, "b"), evConversion(x, "signup")}, want: experiments.IngestResult{Stored: 2}},
				}
			},
			want: map[string]evPair{"control": {1, 1}, "b": {1, 1}},
			check: func(t *testing.T, c experiments.Counts) {
				want := []experiments.DayCounts{
					{Day: "2025-03-10", Key: "control", Exposures: 1},
					{Day: "2025-03-10", Key: "b"},
					{Day: "2025-03-11", Key: "control", Conversions: 1},
					{Day: "2025-03-11", Key: "b"},
					{Day: "2025-03-12", Key: "control"},
					{Day: "2025-03-12", Key: "b", Exposures: 1, Conversions: 1},
				}
				if !reflect.DeepEqual(c.Days, want) {
					t.Errorf("days = %+v\nwant %+v", c.Days, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{})
			stored := 0
			for i, r := range tt.steps(f.exp.ID) {
				m := evMeta(evBaseTime.Add(r.after))
				if r.ua != "" {
					m.UserAgent = r.ua
				}
				got, err := in.Ingest(context.Background(), evBody(f.site.Key, r.visitor, r.bot, r.events...), m)
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if !reflect.DeepEqual(got, r.want) {
					t.Errorf("step %d: result %+v, want %+v", i, got, r.want)
				}
				stored += len(r.events)
			}
			if n := evRows(t, f.s, "events"); n != stored {
				t.Errorf("events stored = %d, want %d", n, stored)
			}
			c := evCounts(t, f.s, f.exp)
			if got := evPairs(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("counts = %v, want %v", got, tt.want)
			}
			if c.MultipleVariants != tt.multiple || c.Bots != tt.bots {
				t.Errorf("excluded = %d multiple, %d bots; want %d, %d", c.MultipleVariants, c.Bots, tt.multiple, tt.bots)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestIngestGoalTypes(t *testing.T) {
	tests := []struct {
		name      string
		goal      experiments.Goal
		counts    string
		notCounts string
	}{
		{"click", experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, "click", "pageview"},
		{"pageview", experiments.Goal{Type: experiments.GoalPageview, URL: "/thanks*"}, "pageview", "click"},
		{"event", experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, "signup", "Signup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			site, exp := evAddSiteAndExperiment(t, s, tt.goal)
			in := evNewIngester(t, s, experiments.IngestOptions{})
			ctx := context.Background()
			if _, err := in.Ingest(ctx, evBody(site.Key, "v1", false, evExposure(exp.ID, "control"), evConversion(exp.ID, tt.notCounts)), evMeta(evBaseTime)); err != nil {
				t.Fatal(err)
			}
			if got := evPairs(evCounts(t, s, exp))["control"]; got != (evPair{1, 0}) {
				t.Fatalf("goal %q counted: %+v", tt.notCounts, got)
			}
			if _, err := in.Ingest(ctx, evBody(site.Key, "v1", false, evConversion(exp.ID, tt.counts)), evMeta(evBaseTime)); err != nil {
				t.Fatal(err)
			}
			if got := evPairs(evCounts(t, s, exp))["control"]; got != (evPair{1, 1}) {
				t.Fatalf("goal %q not counted: %+v", tt.counts, got)
			}
		})
	}
}

func TestIngestDuplicates(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	ctx := context.Background()
	x := f.exp.ID
	e1, e2 := evExposure(x, "b"), evConversion(x, "signup")
	b := evBody(f.site.Key, "v1", false, e1, e2)
	first, err := in.Ingest(ctx, b, evMeta(evBaseTime))
	if err != nil {
		t.Fatal(err)
	}
	if want := (experiments.IngestResult{Stored: 2}); !reflect.DeepEqual(first, want) {
		t.Fatalf("first = %+v, want %+v", first, want)
	}
	for i := 0; i < 3; i++ {
		again, err := in.Ingest(ctx, b, evMeta(evBaseTime.Add(time.Minute)))
		if err != nil {
			t.Fatal(err)
		}
		if want := (experiments.IngestResult{Duplicates: 2}); !reflect.DeepEqual(again, want) {
			t.Fatalf("resend = %+v, want %+v", again, want)
		}
	}
	// The same id twice in one request, and an old id beside a new one.
	e3 := evConversion(x, "signup")
	got, err := in.Ingest(ctx, evBody(f.site.Key, "v1", false, e3, e3, e1), evMeta(evBaseTime))
	if err != nil {
		t.Fatal(err)
	}
	if want := (experiments.IngestResult{Stored: 1, Duplicates: 2, Ignored: 1, Reasons: []string{"already_converted"}, ReasonCounts: []int{1}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("mixed = %+v, want %+v", got, want)
	}
	if n := evRows(t, f.s, "events"); n != 3 {
		t.Fatalf("events = %d, want 3", n)
	}
	if got := evPairs(evCounts(t, f.s, f.exp)); got["b"] != (evPair{1, 1}) {
		t.Fatalf("counts = %v", got)
	}
	// Dedupe is per site: another site may use the same id.
	site2, exp2 := evAddSiteAndExperiment(t, f.s, f.exp.Goal)
	e1.Experiment = exp2.ID
	if got, err := in.Ingest(ctx, evBody(site2.Key, "v1", false, e1), evMeta(evBaseTime)); err != nil || got.Stored != 1 {
		t.Fatalf("other site: %+v, %v", got, err)
	}
}

func TestIngestStoresSegments(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	e := evExposure(f.exp.ID, "b")
	e.Ref, e.UTM = "https://www.Google.com/search?q=x", "newsletter"
	e.MS = evPtr(42.0)
	m := evMeta(evBaseTime)
	m.UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
	if _, err := in.Ingest(context.Background(), evBody(f.site.Key, "v1", false, e, evConversion(f.exp.ID, "signup")), m); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Type, Country, Device, Browser, Ref, UTM, Ignored string
		ReceivedAt, ClientTS                              int64
	}
	rs, err := f.s.Reader().Query(`select type, country, device, browser, ref_domain, utm_source, ignored, received_at, client_ts from events order by seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var got []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.Type, &r.Country, &r.Device, &r.Browser, &r.Ref, &r.UTM, &r.Ignored, &r.ReceivedAt, &r.ClientTS); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := []row{
		{"exposure", "DE", "mobile", "Safari", "google.com", "newsletter", "", evBaseTime.UnixMilli(), 1700000000000},
		{"conversion", "", "", "", "", "", "", evBaseTime.UnixMilli(), 1700000000000},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows = %+v\nwant %+v", got, want)
	}
	var firstSeq int64
	if err := f.s.Reader().QueryRow(`select first_seq from experiment_visitors`).Scan(&firstSeq); err != nil || firstSeq != 1 {
		t.Fatalf("first_seq = %d, %v", firstSeq, err)
	}
}

func TestIngestRejects(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	other, otherExp := evAddSiteAndExperiment(t, f.s, f.exp.Goal)
	_ = other
	draftExp := evAddExperiment(t, f.s, f.site.ID, f.exp.Goal, false)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	key, x := f.site.Key, f.exp.ID
	ok := func() ev { return evExposure(x, "b") }
	with := func(mod func(*ev)) ev { e := ok(); mod(&e); return e }
	many := make([]ev, 101)
	for i := range many {
		many[i] = ok()
	}
	tests := []struct {
		name   string
		body   []byte
		status int
		code   string
		field  string
	}{
		{"empty body", nil, 400, "invalid_json", ""},
		{"malformed JSON", []byte(`{"site":`), 400, "invalid_json", ""},
		{"not an object", []byte(`[1,2]`), 400, "invalid_json", ""},
		{"trailing garbage", append(evBody(key, "v1", false, ok()), 'x'), 400, "invalid_json", ""},
		{"wrong type", []byte(`{"site":"` + key + `","visitor":"v1","bot":"yes","events":[]}`), 400, "invalid_json", "bot"},
		{"ts as a string", []byte(`{"site":"` + key + `","visitor":"v1","events":[{"id":"` + evID() + `","type":"exposure","experiment":"` + x + `","variant":"b","ts":"1"}]}`), 400, "invalid_json", "events[0].ts"},
		{"a name given twice", []byte(`{"site":"` + key + `","site":"other","visitor":"v1","events":[]}`), 400, "invalid_json", ""},
		{"invalid UTF-8", []byte("{\"site\":\"" + key + "\",\"visitor\":\"v\xff1\",\"events\":[]}"), 400, "invalid_json", ""},
		{"names match exactly", []byte(`{"Site":"` + key + `","visitor":"v1","events":[]}`), 400, "required", "site"},
		{"a type error deep inside", []byte(`{"site":"` + key + `","visitor":"v1","events":[{},{"matched":1}]}`), 400, "invalid_json", "events[1].matched"},
		{"too large", []byte(`{"site":"` + key + `","visitor":"` + strings.Repeat("v", 70000) + `"}`), 413, experiments.CodeBodyTooLarge, ""},
		{"missing site", evBody("", "v1", false, ok()), 400, "required", "site"},
		{"unknown site", evBody("nosuchsite", "v1", false, ok()), 404, "unknown_site", "site"},
		{"missing visitor", evBody(key, "", false, ok()), 400, "invalid_visitor", "visitor"},
		{"long visitor", evBody(key, strings.Repeat("é", 129), false, ok()), 400, "invalid_visitor", "visitor"},
		{"control character in visitor", evBody(key, "v\n1", false, ok()), 400, "invalid_visitor", "visitor"},
		{"no events", evBody(key, "v1", false), 400, "required", "events"},
		{"too many events", evBody(key, "v1", false, many...), 413, "too_many_events", "events"},
		{"missing id", evBody(key, "v1", false, with(func(e *ev) { e.ID = "" })), 400, "required", "events[0].id"},
		{"bad UUID", evBody(key, "v1", false, ok(), with(func(e *ev) { e.ID = "not-a-uuid" })), 400, "invalid_id", "events[1].id"},
		{"UUID in braces", evBody(key, "v1", false, with(func(e *ev) { e.ID = "{" + evID() + "}" })), 400, "invalid_id", "events[0].id"},
		{"bad type", evBody(key, "v1", false, with(func(e *ev) { e.Type = "click" })), 400, "invalid_type", "events[0].type"},
		{"missing experiment", evBody(key, "v1", false, with(func(e *ev) { e.Experiment = "" })), 400, "required", "events[0].experiment"},
		{"unknown experiment", evBody(key, "v1", false, with(func(e *ev) { e.Experiment = evID() })), 404, "unknown_experiment", "events[0].experiment"},
		{"another site's experiment", evBody(key, "v1", false, with(func(e *ev) { e.Experiment = otherExp.ID })), 404, "unknown_experiment", "events[0].experiment"},
		{"draft experiment", evBody(key, "v1", false, with(func(e *ev) { e.Experiment = draftExp.ID })), 422, "experiment_not_running", "events[0].experiment"},
		{"unknown variant", evBody(key, "v1", false, with(func(e *ev) { e.Variant = "z" })), 422, "unknown_variant", "events[0].variant"},
		{"exposure without variant", evBody(key, "v1", false, with(func(e *ev) { e.Variant = "" })), 400, "required", "events[0].variant"},
		{"conversion with unknown variant", evBody(key, "v1", false, with(func(e *ev) { *e = evConversion(x, "signup"); e.Variant = "z" })), 422, "unknown_variant", "events[0].variant"},
		{"conversion without goal", evBody(key, "v1", false, evConversion(x, "")), 400, "required", "events[0].goal"},
		{"goal too long", evBody(key, "v1", false, evConversion(x, strings.Repeat("g", 65))), 400, "too_long", "events[0].goal"},
		{"goal with spaces", evBody(key, "v1", false, evConversion(x, "sign up")), 400, "invalid_goal", "events[0].goal"},
		{"negative ms", evBody(key, "v1", false, with(func(e *ev) { e.MS = evPtr(-1.0) })), 400, "out_of_range", "events[0].ms"},
		{"last event bad, all rejected", evBody(key, "v1", false, ok(), ok(), evConversion(x, "")), 400, "required", "events[2].goal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := in.Ingest(ctx, tt.body, evMeta(evBaseTime))
			var ie *experiments.IngestError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *IngestError", err)
			}
			if ie.Status != tt.status || ie.Code != tt.code || ie.Field != tt.field {
				t.Errorf("got %d %s %q (%s), want %d %s %q", ie.Status, ie.Code, ie.Field, ie.Message, tt.status, tt.code, tt.field)
			}
			if ie.Message == "" {
				t.Error("no message")
			}
			if n := evRows(t, f.s, "events"); n != 0 {
				t.Fatalf("%d events stored from a rejected body", n)
			}
		})
	}
}

func TestIngestNotRunning(t *testing.T) {
	for _, action := range []string{experiments.ActionPause, experiments.ActionStop} {
		t.Run(action, func(t *testing.T) {
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{})
			ctx := context.Background()
			x := f.exp.ID
			if _, err := in.Ingest(ctx, evBody(f.site.Key, "v1", false, evExposure(x, "b")), evMeta(evBaseTime)); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Transition(ctx, x, action); err != nil {
				t.Fatal(err)
			}
			got, err := in.Ingest(ctx, evBody(f.site.Key, "v1", false, evConversion(x, "signup"), evExposure(x, "control")), evMeta(evBaseTime.Add(time.Minute)))
			if err != nil {
				t.Fatal(err)
			}
			if want := (experiments.IngestResult{Stored: 2, Ignored: 2, Reasons: []string{"experiment_not_running"}, ReasonCounts: []int{2}}); !reflect.DeepEqual(got, want) {
				t.Fatalf("result = %+v, want %+v", got, want)
			}
			if got := evPairs(evCounts(t, f.s, f.exp)); got["b"] != (evPair{1, 0}) || got["control"] != (evPair{0, 0}) {
				t.Fatalf("counts = %v", got)
			}
			if n := evRows(t, f.s, "events"); n != 3 {
				t.Fatalf("events = %d, want 3", n)
			}
		})
	}
}

func TestIngestExperimentDeleted(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	ctx := context.Background()
	// Warm the validation cache, then delete behind its back.
	if _, err := in.Ingest(ctx, evBody(f.site.Key, "v1", false, evExposure(f.exp.ID, "b")), evMeta(evBaseTime)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Transition(ctx, f.exp.ID, experiments.ActionStop); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.DeleteExperiment(ctx, f.exp.ID); err != nil {
		t.Fatal(err)
	}
	got, err := in.Ingest(ctx, evBody(f.site.Key, "v2", false, evExposure(f.exp.ID, "b")), evMeta(evBaseTime))
	if err != nil {
		var ie *experiments.IngestError
		if errors.As(err, &ie) && ie.Code == "unknown_experiment" {
			return // the cache was refreshed first: also right
		}
		t.Fatal(err)
	}
	if want := (experiments.IngestResult{Ignored: 1, Reasons: []string{"experiment_deleted"}, ReasonCounts: []int{1}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("result = %+v, want %+v", got, want)
	}
	for _, table := range []string{"events", "experiment_visitors", "variant_counts", "variant_days"} {
		if n := evRows(t, f.s, table); n != 0 {
			t.Errorf("%s has %d rows after the delete", table, n)
		}
	}
}

func TestCountsEmpty(t *testing.T) {
	f := evNewFixture(t)
	c := evCounts(t, f.s, f.exp)
	want := experiments.Counts{Variants: []experiments.VariantCounts{{Key: "control"}, {Key: "b"}}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("counts = %+v, want %+v", c, want)
	}
}

func TestIngestContextCancelled(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := in.Ingest(ctx, evBody(f.site.Key, "v1", false, evExposure(f.exp.ID, "b")), evMeta(evBaseTime))
	var ie *experiments.IngestError
	if !errors.As(err, &ie) || ie.Status != 503 || ie.RetryAfter <= 0 {
		t.Fatalf("err = %v, want a retryable 503", err)
	}
	if ie.Error() == "" {
		t.Error("empty Error()")
	}
}

// A page URL is stored without its fragment, where sign-in callbacks put
// tokens.
func TestIngestDropsURLFragment(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	body := fmt.Sprintf(`{"site":%q,"visitor":"v-fragment","events":[{"id":%q,"type":"exposure","experiment":%q,"variant":"control","url":"https://shop.example/callback?x=1#access_token=secret"}]}`,
		f.site.Key, evID(), f.exp.ID)
	if _, err := in.Ingest(context.Background(), []byte(body), experiments.RequestMeta{UserAgent: evChromeUA}); err != nil {
		t.Fatal(err)
	}
	var url string
	if err := f.s.Reader().QueryRow(`select url from events`).Scan(&url); err != nil {
		t.Fatal(err)
	}
	if url != "https://shop.example/callback?x=1" {
		t.Errorf("stored url %q, want it without the fragment", url)
	}
}

// With a Clock, a request's server time is read when it joins the
// writer's queue and never goes back: requests are written in queue
// order, so times follow it, and the counts agree with the stored times
// even when a request stamped on arrival would have been overtaken.
func TestIngestClockFollowsQueueOrder(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	e := f.exp
	v := e.Variants[experiments.Assign(e.Seed, "v-clock", e.Weights(), e.CoverageBP)].Key
	body := func(typ string) []byte {
		extra := `,"variant":"` + v + `","matched":true`
		if typ == "conversion" {
			extra = `,"goal":"signup"`
		}
		return []byte(fmt.Sprintf(`{"site":%q,"visitor":"v-clock","events":[{"id":%q,"type":%q,"experiment":%q%s}]}`,
			f.site.Key, evID(), typ, e.ID, extra))
	}
	// The exposure's clock reads later than the conversion's, yet it is
	// queued first: its time is its queueing's, and the conversion's can
	// be no earlier.
	late, early := evBaseTime.Add(time.Minute), evBaseTime
	if _, err := in.Ingest(context.Background(), body("exposure"), experiments.RequestMeta{UserAgent: evChromeUA, Clock: func() time.Time { return late }}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Ingest(context.Background(), body("conversion"), experiments.RequestMeta{UserAgent: evChromeUA, Clock: func() time.Time { return early }}); err != nil {
		t.Fatal(err)
	}
	c, err := f.s.Counts(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	var exposures, conversions int64
	for _, vc := range c.Variants {
		exposures += vc.Exposures
		conversions += vc.Conversions
	}
	if exposures != 1 || conversions != 1 {
		t.Errorf("counted %d exposures and %d conversions, want 1 and 1 (the conversion was queued after the exposure)", exposures, conversions)
	}
	var times []int64
	rows, err := f.s.Reader().Query(`select received_at from events order by seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var at int64
		rows.Scan(&at)
		times = append(times, at)
	}
	if len(times) != 2 || times[1] < times[0] {
		t.Errorf("stored times %v: want them in queue order", times)
	}
}

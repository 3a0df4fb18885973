package experiments_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"copylab/experiments"
)

// evGooglebot is a crawler's user agent: the BotChecker flags its exposures.
const evGooglebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

// evSend ingests one body at server time at (evAt) with the given user
// agent ("" for desktop Chrome).
func evSend(t *testing.T, in *experiments.Ingester, body []byte, at time.Time, ua string) experiments.IngestResult {
	t.Helper()
	m := evAt(at)
	if ua != "" {
		m.UserAgent = ua
	}
	res, err := in.Ingest(context.Background(), body, m)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return res
}

// evAt is the RequestMeta of a desktop Chrome whose request is queued at
// server time at, as the HTTP layer's Clock gives it.
func evAt(at time.Time) experiments.RequestMeta {
	return experiments.RequestMeta{UserAgent: evChromeUA, Clock: func() time.Time { return at }}
}

// A visitor seen as a bot is never counted in the experiment, whichever
// of their events showed it and whether or not they had an exposure yet;
// Bots counts them once they sent a matched exposure.
func TestIngestBotIsBotForGood(t *testing.T) {
	unmatched := func(x, variant string) ev {
		e := evExposure(x, variant)
		e.Matched = evPtr(false)
		return e
	}
	type step struct {
		visitor string
		bot     bool
		ua      string
		events  func(x string) []ev
	}
	human := func(visitor string, events func(x string) []ev) step { return step{visitor: visitor, events: events} }
	humanVisit := human("v1", func(x string) []ev { return []ev{evExposure(x, "b"), evConversion(x, "signup")} })
	tests := []struct {
		name      string
		steps     []step
		want      map[string]evPair
		bots      int64
		multiple  int64
		botsFirst int64 // Bots after the first step
	}{
		{
			name: "bot conversion before any exposure",
			steps: []step{
				{visitor: "v1", bot: true, events: func(x string) []ev { return []ev{evConversion(x, "signup")} }},
				humanVisit,
			},
			want: map[string]evPair{"control": {}, "b": {}},
			bots: 1,
		},
		{
			name: "bot conversion of another goal before any exposure",
			steps: []step{
				{visitor: "v1", bot: true, events: func(x string) []ev { return []ev{evConversion(x, "newsletter")} }},
				humanVisit,
			},
			want: map[string]evPair{"control": {}, "b": {}},
			bots: 1,
		},
		{
			name: "bot's unmatched exposure before any exposure",
			steps: []step{
				{visitor: "v1", bot: true, events: func(x string) []ev { return []ev{unmatched(x, "b")} }},
				humanVisit,
			},
			want: map[string]evPair{"control": {}, "b": {}},
			bots: 1,
		},
		{
			name: "crawler's unmatched exposure before any exposure",
			steps: []step{
				{visitor: "v1", ua: evGooglebot, events: func(x string) []ev { return []ev{unmatched(x, "b")} }},
				humanVisit,
			},
			want: map[string]evPair{"control": {}, "b": {}},
			bots: 1,
		},
		{
			name: "bot conversion, then the bot's own exposure: one bot",
			steps: []step{
				{visitor: "v1", bot: true, events: func(x string) []ev { return []ev{evConversion(x, "signup")} }},
				{visitor: "v1", bot: true, events: func(x string) []ev { return []ev{evConversion(x, "signup"), evExposure(x, "b")} }},
				humanVisit,
			},
			want: map[string]evPair{"control": {}, "b": {}},
			bots: 1,
		},
		{
			name: "other visitors still count",
			steps: []step{
				{visitor: "v1", bot: true, events: func(x string) []ev { return []ev{evConversion(x, "signup")} }},
				human("v2", func(x string) []ev { return []ev{evExposure(x, "control"), evConversion(x, "signup")} }),
				humanVisit,
			},
			want:      map[string]evPair{"control": {1, 1}, "b": {}},
			bots:      1,
			botsFirst: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{})
			x := f.exp.ID
			at := evBaseTime
			for i, st := range tt.steps {
				res := evSend(t, in, evBody(f.site.Key, st.visitor, st.bot, st.events(x)...), at, st.ua)
				if i == 0 {
					// Not yet a bot with an exposure: not in Bots.
					if c := evCounts(t, f.s, f.exp); c.Bots != tt.botsFirst {
						t.Errorf("after step 0: bots = %d, want %d", c.Bots, tt.botsFirst)
					}
				}
				if st.visitor == "v1" && !st.bot && st.ua == "" {
					want := experiments.IngestResult{Stored: 2, Ignored: 2, Reasons: []string{"bot"}, ReasonCounts: []int{2}}
					if !reflect.DeepEqual(res, want) {
						t.Errorf("step %d (the person's visit): result %+v, want %+v", i, res, want)
					}
				}
				at = at.Add(time.Hour)
			}
			c := evCounts(t, f.s, f.exp)
			if got := evPairs(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("counts = %v, want %v", got, tt.want)
			}
			if c.Bots != tt.bots || c.MultipleVariants != tt.multiple {
				t.Errorf("excluded: %d bots, %d multiple; want %d, %d", c.Bots, c.MultipleVariants, tt.bots, tt.multiple)
			}
			for _, d := range c.Days {
				if d.Key == "b" && (d.Exposures != 0 || d.Conversions != 0) {
					t.Errorf("day %s counts the bot: %+v", d.Day, d)
				}
			}
		})
	}
}

// Every kind of bot event flags a visitor who is already counted: a
// matched:false exposure as much as a conversion or a matched exposure, and
// from a "bot": true body as from a crawler's user agent; while the
// experiment runs, and while it is paused (the event itself is not counted
// then, but what it shows of the visitor holds).
func TestIngestBotEventsFlagCountedVisitors(t *testing.T) {
	flags := []struct {
		name   string
		bot    bool
		ua     string
		events func(x string) []ev
	}{
		{"bot conversion", true, "", func(x string) []ev { return []ev{evConversion(x, "signup")} }},
		{"bot exposure", true, "", func(x string) []ev { return []ev{evExposure(x, "b")} }},
		{"bot unmatched exposure", true, "", func(x string) []ev {
			e := evExposure(x, "b")
			e.Matched = evPtr(false)
			return []ev{e}
		}},
		{"crawler's unmatched exposure", false, evGooglebot, func(x string) []ev {
			e := evExposure(x, "b")
			e.Matched = evPtr(false)
			return []ev{e}
		}},
	}
	for _, paused := range []bool{false, true} {
		for _, fl := range flags {
			name, reason := fl.name, "bot"
			if paused {
				name, reason = fl.name+" while paused", "experiment_not_running"
			}
			t.Run(name, func(t *testing.T) {
				testBotFlagsCounted(t, fl.bot, fl.ua, fl.events, paused, reason)
			})
		}
	}
}

// testBotFlagsCounted is one case of TestIngestBotEventsFlagCountedVisitors.
func testBotFlagsCounted(t *testing.T, bot bool, ua string, events func(x string) []ev, paused bool, reason string) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	// v1 is counted in b with a conversion; v2 is excluded for two
	// variants; v3 is counted and stays a person.
	evSend(t, in, evBody(f.site.Key, "v1", false, evExposure(x, "b"), evConversion(x, "signup")), evBaseTime, "")
	evSend(t, in, evBody(f.site.Key, "v2", false, evExposure(x, "b"), evExposure(x, "control")), evBaseTime, "")
	evSend(t, in, evBody(f.site.Key, "v3", false, evExposure(x, "control")), evBaseTime, "")
	if paused {
		if _, err := f.s.Transition(context.Background(), x, experiments.ActionPause); err != nil {
			t.Fatal(err)
		}
	}
	later := evBaseTime.Add(2 * 24 * time.Hour)
	for _, v := range []string{"v1", "v2"} {
		res := evSend(t, in, evBody(f.site.Key, v, bot, events(x)...), later, ua)
		if want := (experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{reason}, ReasonCounts: []int{1}}); !reflect.DeepEqual(res, want) {
			t.Errorf("%s: result %+v, want %+v", v, res, want)
		}
	}
	c := evCounts(t, f.s, f.exp)
	if got, want := evPairs(c), (map[string]evPair{"control": {1, 0}, "b": {}}); !reflect.DeepEqual(got, want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	if c.Bots != 2 || c.MultipleVariants != 0 {
		t.Errorf("excluded: %d bots, %d multiple; want 2, 0", c.Bots, c.MultipleVariants)
	}
	wantDays := []experiments.DayCounts{{Day: "2025-03-10", Key: "control", Exposures: 1}, {Day: "2025-03-10", Key: "b"}}
	if !reflect.DeepEqual(c.Days, wantDays) {
		t.Errorf("days = %+v, want %+v (v1 moved out of the day it was counted on)", c.Days, wantDays)
	}
	// Health telemetry is the people's: a bot's unmatched exposure
	// is not a miss.
	if c.Variants[1].Missed != 0 {
		t.Errorf("b missed = %d, want 0", c.Variants[1].Missed)
	}
}

// A bot seen only while the experiment is paused is a bot for good: its
// events are not counted (experiment_not_running), but they mark the
// visitor as a bot as they would while it runs, so that nothing the same
// visitor sends once it resumes is counted. Every kind of bot event does,
// as while running (TestIngestBotIsBotForGood).
func TestIngestPausedBotIsBotForGood(t *testing.T) {
	unmatched := func(e ev) ev { e.Matched = evPtr(false); return e }
	kinds := []struct {
		name   string
		bot    bool
		ua     string
		events func(x string) []ev
	}{
		{"bot conversion", true, "", func(x string) []ev { return []ev{evConversion(x, "signup")} }},
		{"bot conversion of another goal", true, "", func(x string) []ev { return []ev{evConversion(x, "newsletter")} }},
		{"bot exposure", true, "", func(x string) []ev { return []ev{evExposure(x, "b")} }},
		{"bot's unmatched exposure", true, "", func(x string) []ev { return []ev{unmatched(evExposure(x, "b"))} }},
		{"crawler's exposure", false, evGooglebot, func(x string) []ev { return []ev{evExposure(x, "control")} }},
		{"crawler's unmatched exposure", false, evGooglebot, func(x string) []ev { return []ev{unmatched(evExposure(x, "b"))} }},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			ctx := context.Background()
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{})
			x := f.exp.ID
			if _, err := f.s.Transition(ctx, x, experiments.ActionPause); err != nil {
				t.Fatal(err)
			}
			res := evSend(t, in, evBody(f.site.Key, "v1", k.bot, k.events(x)...), evBaseTime, k.ua)
			if want := (experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{"experiment_not_running"}, ReasonCounts: []int{1}}); !reflect.DeepEqual(res, want) {
				t.Errorf("while paused: result %+v, want %+v", res, want)
			}
			// Paused: nothing counted, and no bot in Bots until a matched
			// exposure of theirs is counted.
			if c := evCounts(t, f.s, f.exp); c.Bots != 0 || !reflect.DeepEqual(evPairs(c), map[string]evPair{"control": {}, "b": {}}) {
				t.Errorf("while paused: counts %v, %d bots", evPairs(c), c.Bots)
			}
			if _, err := f.s.Transition(ctx, x, experiments.ActionResume); err != nil {
				t.Fatal(err)
			}
			res = evSend(t, in, evBody(f.site.Key, "v1", false, evExposure(x, "b"), evConversion(x, "signup")), evBaseTime.Add(time.Hour), "")
			if want := (experiments.IngestResult{Stored: 2, Ignored: 2, Reasons: []string{"bot"}, ReasonCounts: []int{2}}); !reflect.DeepEqual(res, want) {
				t.Errorf("once resumed, the same visitor: result %+v, want %+v", res, want)
			}
			evSend(t, in, evBody(f.site.Key, "v2", false, evExposure(x, "control"), evConversion(x, "signup")), evBaseTime.Add(time.Hour), "")
			c := evCounts(t, f.s, f.exp)
			if got, want := evPairs(c), (map[string]evPair{"control": {1, 1}, "b": {}}); !reflect.DeepEqual(got, want) {
				t.Errorf("counts = %v, want %v", got, want)
			}
			if c.Bots != 1 || c.MultipleVariants != 0 {
				t.Errorf("excluded: %d bots, %d multiple; want 1, 0", c.Bots, c.MultipleVariants)
			}
		})
	}
}

// While paused, a person's events leave no trace: they are not counted and
// make no record of the visitor, so an exposure to one variant during the
// pause (from a page opened before it) does not exclude a visitor who sees
// another once the experiment resumes, nor does it count them.
func TestIngestPausedPersonLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	if _, err := f.s.Transition(ctx, x, experiments.ActionPause); err != nil {
		t.Fatal(err)
	}
	evSend(t, in, evBody(f.site.Key, "v1", false, evExposure(x, "b"), evConversion(x, "signup")), evBaseTime, "")
	evSend(t, in, evBody(f.site.Key, "v2", false, evExposure(x, "b")), evBaseTime, "")
	if n := evRows(t, f.s, "experiment_visitors"); n != 0 {
		t.Errorf("while paused: %d visitor records, want none", n)
	}
	if _, err := f.s.Transition(ctx, x, experiments.ActionResume); err != nil {
		t.Fatal(err)
	}
	later := evBaseTime.Add(time.Hour)
	evSend(t, in, evBody(f.site.Key, "v1", false, evExposure(x, "control")), later, "")
	evSend(t, in, evBody(f.site.Key, "v1", false, evConversion(x, "signup")), later.Add(time.Minute), "")
	c := evCounts(t, f.s, f.exp)
	if got, want := evPairs(c), (map[string]evPair{"control": {1, 1}, "b": {}}); !reflect.DeepEqual(got, want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	if c.Bots != 0 || c.MultipleVariants != 0 {
		t.Errorf("excluded: %d bots, %d multiple; want 0, 0", c.Bots, c.MultipleVariants)
	}
}

// A stop is final: a bot event that comes after it changes nothing (the
// results stay as they were when the test stopped, and no record is made,
// as none could matter). One the server received before the stop but
// wrote after it marks its bot, as it would have a moment earlier.
func TestIngestStoppedBotChangesNothing(t *testing.T) {
	ctx := context.Background()
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	evSend(t, in, evBody(f.site.Key, "v1", false, evExposure(x, "b"), evConversion(x, "signup")), evBaseTime, "")
	evSend(t, in, evBody(f.site.Key, "v2", false, evExposure(x, "control")), evBaseTime, "")
	if _, err := f.s.Transition(ctx, x, experiments.ActionStop); err != nil {
		t.Fatal(err)
	}
	// The stop at a time of the test's clock: an hour in.
	stop := evBaseTime.Add(time.Hour)
	exec(t, f.s, fmt.Sprintf(`update experiments set ended_at = %d where id = '%s'`, stop.UnixMilli(), x))

	// Received a moment before the stop (its server time), written after.
	evSend(t, in, evBody(f.site.Key, "v2", true, evConversion(x, "signup")), stop.Add(-time.Millisecond), "")
	c := evCounts(t, f.s, f.exp)
	if got, want := evPairs(c), (map[string]evPair{"control": {}, "b": {1, 1}}); !reflect.DeepEqual(got, want) || c.Bots != 1 {
		t.Errorf("a bot event from before the stop: counts %v, %d bots; want %v, 1", got, c.Bots, want)
	}

	for _, v := range []string{"v1", "v3"} {
		res := evSend(t, in, evBody(f.site.Key, v, true, evExposure(x, "b"), evConversion(x, "signup")), stop, evGooglebot)
		if want := (experiments.IngestResult{Stored: 2, Ignored: 2, Reasons: []string{"experiment_not_running"}, ReasonCounts: []int{2}}); !reflect.DeepEqual(res, want) {
			t.Errorf("%s after the stop: result %+v, want %+v", v, res, want)
		}
	}
	c = evCounts(t, f.s, f.exp)
	if got, want := evPairs(c), (map[string]evPair{"control": {}, "b": {1, 1}}); !reflect.DeepEqual(got, want) || c.Bots != 1 {
		t.Errorf("after the stop: counts %v, %d bots; want %v, 1", got, c.Bots, want)
	}
	if n := evRows(t, f.s, "experiment_visitors"); n != 2 {
		t.Errorf("after the stop: %d visitor records, want 2", n)
	}
}

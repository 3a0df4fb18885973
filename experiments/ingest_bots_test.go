package experiments_test

import (
	"context"
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
					want := experiments.IngestResult{Stored: 2, Ignored: 2, Reasons: []string{"bot"}}
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
// from a "bot": true body as from a crawler's user agent.
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
	for _, fl := range flags {
		t.Run(fl.name, func(t *testing.T) {
			f := evNewFixture(t)
			in := evNewIngester(t, f.s, experiments.IngestOptions{})
			x := f.exp.ID
			// v1 is counted in b with a conversion; v2 is excluded for two
			// variants; v3 is counted and stays a person.
			evSend(t, in, evBody(f.site.Key, "v1", false, evExposure(x, "b"), evConversion(x, "signup")), evBaseTime, "")
			evSend(t, in, evBody(f.site.Key, "v2", false, evExposure(x, "b"), evExposure(x, "control")), evBaseTime, "")
			evSend(t, in, evBody(f.site.Key, "v3", false, evExposure(x, "control")), evBaseTime, "")
			later := evBaseTime.Add(2 * 24 * time.Hour)
			for _, v := range []string{"v1", "v2"} {
				res := evSend(t, in, evBody(f.site.Key, v, fl.bot, fl.events(x)...), later, fl.ua)
				if want := (experiments.IngestResult{Stored: 1, Ignored: 1, Reasons: []string{"bot"}}); !reflect.DeepEqual(res, want) {
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
		})
	}
}

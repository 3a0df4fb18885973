package experiments_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// mixedBody is a POST /e body of exposures, conversions (ev.json) and
// "recording" events (maps, which may hold any JSON value), in order.
func mixedBody(site, visitor string, bot bool, events ...map[string]any) []byte {
	m := map[string]any{"site": site, "visitor": visitor, "events": events}
	if bot {
		m["bot"] = true
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// recMap is a "recording" event of variant b; a nil session or replay is
// left out, any other value is sent as it is.
func recMap(exp, recorder string, session, replay any) map[string]any {
	m := map[string]any{"id": evID(), "type": experiments.EventRecording, "experiment": exp, "variant": "b",
		"recorder": recorder, "url": "https://shop.example/"}
	if session != nil {
		m["session"] = session
	}
	if replay != nil {
		m["replay"] = replay
	}
	return m
}

// visitorRecordings counts a visitor's stored recordings.
func visitorRecordings(t *testing.T, s *experiments.Store, visitor string) int {
	t.Helper()
	var n int
	if err := s.Reader().QueryRow(`select count(*) from recordings where visitor = ?`, visitor).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRecordingSkipped: a recording whose session or replay URL (which
// the recorder's script on the page chose) cannot be used is left out,
// and the exposure and conversion sent with it are stored and counted.
// Before, the whole batch was refused with a 400 and the tag dropped it.
func TestRecordingSkipped(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	tests := []struct {
		name            string
		recorder        string
		session, replay any
		skip            string // "" when the recording is stored
	}{
		{"session of 200 characters", "posthog", strings.Repeat("s", 200), nil, ""},
		{"session of 200 two-byte characters", "custom", strings.Repeat("é", 200), nil, ""},
		{"session too long", "posthog", strings.Repeat("s", 201), nil, experiments.SkipSessionTooLong},
		{"custom session too long", "custom", strings.Repeat("é", 201), nil, experiments.SkipSessionTooLong},
		{"session with a newline", "custom", "s\n1", nil, experiments.SkipSessionInvalid},
		{"session with a NUL", "hotjar", "s\x001", nil, experiments.SkipSessionInvalid},
		{"session as a number", "hotjar", 12345, nil, experiments.SkipSessionInvalid},
		{"session as an object", "hotjar", map[string]any{"id": "x"}, nil, experiments.SkipSessionInvalid},
		{"session as true", "custom", true, nil, experiments.SkipSessionInvalid},
		{"javascript replay", "fullstory", nil, "javascript:alert(1)", experiments.SkipReplayInvalid},
		{"data replay", "logrocket", nil, "data:text/html,<script>alert(1)</script>", experiments.SkipReplayInvalid},
		{"relative replay", "fullstory", nil, "//evil.example/x", experiments.SkipReplayInvalid},
		{"replay with a space", "logrocket", "s1", "https://app.logrocket.com/a b", experiments.SkipReplayInvalid},
		{"replay with user info", "fullstory", nil, "https://me:pw@app.fullstory.com/ui/1/session/2", experiments.SkipReplayInvalid},
		{"replay as a list", "logrocket", nil, []any{"https://app.logrocket.com/x"}, experiments.SkipReplayInvalid},
		{"replay too long", "fullstory", nil, "https://app.fullstory.com/" + strings.Repeat("a", 2048), experiments.SkipReplayTooLong},
		{"neither session nor replay", "posthog", "", "", experiments.SkipNoSession},
		{"null session, no replay", "logrocket", nil, nil, experiments.SkipNoSession},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visitor := "v" + string(rune('a'+i))
			rec := recMap(x, tt.recorder, tt.session, tt.replay)
			if tt.session == nil && tt.replay == nil {
				rec["session"] = nil // sent as null
			}
			body := mixedBody(f.site.Key, visitor, false, evExposure(x, "b").json(), rec, evConversion(x, "signup").json())
			res, err := in.Ingest(ctx, body, evMeta(evBaseTime.Add(time.Duration(i)*time.Second)))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			wantSkipped, wantStored, wantRecs := []string{tt.skip}, 3, 0
			if tt.skip == "" {
				wantSkipped, wantRecs = nil, 1
			} else {
				wantStored = 2
			}
			if !slices.Equal(res.Skipped, wantSkipped) || res.Stored != wantStored || res.Duplicates != 0 || res.Ignored != 0 {
				t.Errorf("result %+v, want %d stored, skipped %v", res, wantStored, wantSkipped)
			}
			if n := visitorRecordings(t, f.s, visitor); n != wantRecs {
				t.Errorf("%d recordings stored, want %d", n, wantRecs)
			}
		})
	}
	// Every visitor's exposure and conversion counted, skipped or not.
	if got, n := evPairs(evCounts(t, f.s, f.exp))["b"], int64(len(tests)); got != (evPair{n, n}) {
		t.Errorf("b counts %+v, want %d exposures and %d conversions", got, n, n)
	}
	if n := evRows(t, f.s, "events"); n != 2*len(tests) {
		t.Errorf("%d events stored, want %d", n, 2*len(tests))
	}
}

// TestRecordingSkippedInBatch: what is left out of a request does not
// shift or change the events after it, a good and a bad report of the
// same session store the good one whichever comes first, a request of
// skipped recordings only is answered without writing anything, and a
// bot's request loses only its bad recording.
func TestRecordingSkippedInBatch(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	long := strings.Repeat("s", 201)
	ingest := func(t *testing.T, body []byte, at time.Duration) experiments.IngestResult {
		t.Helper()
		res, err := in.Ingest(ctx, body, evMeta(evBaseTime.Add(at)))
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return res
	}

	t.Run("events after a skipped one", func(t *testing.T) {
		// The skipped recording's place is taken by the exposure after
		// it, which must stay an exposure (not a recording).
		res := ingest(t, mixedBody(f.site.Key, "after", false,
			recMap(x, "posthog", long, nil), evExposure(x, "control").json(),
			recMap(x, "posthog", "ph-after", nil), recMap(x, "clarity", "u/s\t", nil), evConversion(x, "signup").json()), 0)
		if res.Stored != 3 || !slices.Equal(res.Skipped, []string{experiments.SkipSessionTooLong, experiments.SkipSessionInvalid}) {
			t.Fatalf("result %+v", res)
		}
		var typ, variant string
		if err := f.s.Reader().QueryRow(`select type, variant from events where visitor = 'after' order by seq limit 1`).Scan(&typ, &variant); err != nil || typ != experiments.EventExposure || variant != "control" {
			t.Errorf("first event %q %q (%v), want the control exposure", typ, variant, err)
		}
		if n := visitorRecordings(t, f.s, "after"); n != 1 {
			t.Errorf("%d recordings, want 1", n)
		}
		if got := evPairs(evCounts(t, f.s, f.exp))["control"]; got != (evPair{1, 1}) {
			t.Errorf("control counts %+v, want 1 and 1", got)
		}
	})

	t.Run("good and bad report of one session", func(t *testing.T) {
		// LogRocket needs its replay URL: the bad report is skipped.
		good := "https://app.logrocket.com/abc123/shop/s/9"
		for i, order := range [][]map[string]any{
			{recMap(x, "logrocket", "lr-9", "javascript:alert(1)"), recMap(x, "logrocket", "lr-9", good)},
			{recMap(x, "logrocket", "lr-9", good), recMap(x, "logrocket", "lr-9", "javascript:alert(1)")},
		} {
			visitor := "twice" + string(rune('0'+i))
			res := ingest(t, mixedBody(f.site.Key, visitor, false, order...), time.Second)
			if res.Stored != 1 || res.Duplicates != 0 || !slices.Equal(res.Skipped, []string{experiments.SkipReplayInvalid}) {
				t.Errorf("%s: result %+v", visitor, res)
			}
			var replay string
			if err := f.s.Reader().QueryRow(`select replay from recordings where visitor = ?`, visitor).Scan(&replay); err != nil || replay != good {
				t.Errorf("%s: stored replay %q (%v), want %q", visitor, replay, err, good)
			}
		}
	})

	t.Run("only skipped recordings", func(t *testing.T) {
		events, recs := evRows(t, f.s, "events"), evRows(t, f.s, "recordings")
		batches := in.Stats().Batches
		res := ingest(t, mixedBody(f.site.Key, "only", false, recMap(x, "posthog", long, nil), recMap(x, "fullstory", nil, "ftp://x")), 2*time.Second)
		if res.Stored != 0 || res.Duplicates != 0 || !slices.Equal(res.Skipped, []string{experiments.SkipSessionTooLong, experiments.SkipReplayInvalid}) {
			t.Errorf("result %+v", res)
		}
		if evRows(t, f.s, "events") != events || evRows(t, f.s, "recordings") != recs || in.Stats().Batches != batches {
			t.Error("a request of skipped recordings wrote something")
		}
	})

	t.Run("bot", func(t *testing.T) {
		before := evCounts(t, f.s, f.exp).Bots
		res := ingest(t, mixedBody(f.site.Key, "robot", true,
			evExposure(x, "b").json(), recMap(x, "posthog", long, nil), recMap(x, "posthog", "ph-bot", nil)), 3*time.Second)
		if res.Stored != 2 || !slices.Equal(res.Skipped, []string{experiments.SkipSessionTooLong}) || !slices.Contains(res.Reasons, experiments.ReasonBot) {
			t.Errorf("result %+v", res)
		}
		var flagged int
		f.s.Reader().QueryRow(`select count(*) from recordings where visitor = 'robot' and bot = 1`).Scan(&flagged)
		if flagged != 1 || visitorRecordings(t, f.s, "robot") != 1 {
			t.Errorf("the bot's good recording: %d flagged of %d, want 1 of 1", flagged, visitorRecordings(t, f.s, "robot"))
		}
		if got := evCounts(t, f.s, f.exp).Bots; got != before+1 {
			t.Errorf("bots %d, want %d", got, before+1)
		}
	})
}

// TestRecordingReplayDropped: a recording whose session id is usable but
// whose replay URL is not is kept, with the session and without the
// replay, when the session alone links to it (PostHog, Clarity, Hotjar,
// custom: recorders.NeedsReplay), and IngestResult.ReplaysDropped says
// why. FullStory's and LogRocket's need the URL, and are skipped as
// before. Before, every one of them was skipped.
func TestRecordingReplayDropped(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	long := "https://us.posthog.com/project/1/replay/ph-2?x=" + strings.Repeat("a", 2048)
	tests := []struct {
		name            string
		recorder        string
		session, replay any
		dropped, skip   string // at most one of them
	}{
		{"PostHog javascript replay", "posthog", "ph-1", "javascript:alert(1)", experiments.SkipReplayInvalid, ""},
		{"PostHog replay too long", "posthog", "ph-2", long, experiments.SkipReplayTooLong, ""},
		{"PostHog replay as a number", "posthog", "ph-3", 7, experiments.SkipReplayInvalid, ""},
		{"Clarity ftp replay", "clarity", "u1/s1", "ftp://clarity.example/x", experiments.SkipReplayInvalid, ""},
		{"Hotjar replay as a list", "hotjar", "7f2c-11", []any{"https://x.example/"}, experiments.SkipReplayInvalid, ""},
		{"custom replay with a space", "custom", "c-1", "https://r.example/a b", experiments.SkipReplayInvalid, ""},
		{"FullStory needs its replay", "fullstory", "fs-1", "javascript:alert(1)", "", experiments.SkipReplayInvalid},
		{"LogRocket needs its replay", "logrocket", "lr-1", long, "", experiments.SkipReplayTooLong},
		{"no session to keep", "posthog", "", "javascript:alert(1)", "", experiments.SkipReplayInvalid},
		{"the session first", "posthog", strings.Repeat("s", 201), "javascript:alert(1)", "", experiments.SkipSessionTooLong},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visitor := "d" + string(rune('a'+i))
			body := mixedBody(f.site.Key, visitor, false, evExposure(x, "b").json(), recMap(x, tt.recorder, tt.session, tt.replay))
			res, err := in.Ingest(ctx, body, evMeta(evBaseTime.Add(time.Duration(i)*time.Second)))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			var wantSkipped, wantDropped []string
			wantStored, wantRecs := 2, 1
			if tt.skip != "" {
				wantSkipped, wantStored, wantRecs = []string{tt.skip}, 1, 0
			} else {
				wantDropped = []string{tt.dropped}
			}
			if res.Stored != wantStored || res.Duplicates != 0 || !slices.Equal(res.Skipped, wantSkipped) || !slices.Equal(res.ReplaysDropped, wantDropped) {
				t.Errorf("result %+v, want %d stored, skipped %v, replays dropped %v", res, wantStored, wantSkipped, wantDropped)
			}
			if n := visitorRecordings(t, f.s, visitor); n != wantRecs {
				t.Fatalf("%d recordings stored, want %d", n, wantRecs)
			}
			if wantRecs == 0 {
				return
			}
			var session, replay string
			if err := f.s.Reader().QueryRow(`select session, replay from recordings where visitor = ?`, visitor).Scan(&session, &replay); err != nil {
				t.Fatal(err)
			}
			if session != tt.session || replay != "" {
				t.Errorf("stored session %q replay %q, want %q and no replay", session, replay, tt.session)
			}
		})
	}
}

// TestRecordingReplayFilledIn: a recording kept without its replay URL
// (TestRecordingReplayDropped) gets the URL of a later report of the same
// session, in the same request or a later one; that report is still a
// duplicate, and a replay already stored is never replaced. Before, the
// first stored row won whole, and the session kept no replay.
func TestRecordingReplayFilledIn(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	good := "https://us.posthog.com/project/1/replay/ph-9?t=5"
	later := "https://us.posthog.com/project/1/replay/ph-9?t=60"
	bad := "javascript:alert(1)"
	replayOf := func(t *testing.T, visitor string) string {
		t.Helper()
		var replay string
		if err := f.s.Reader().QueryRow(`select replay from recordings where visitor = ?`, visitor).Scan(&replay); err != nil {
			t.Fatal(err)
		}
		return replay
	}
	tests := []struct {
		name     string
		requests [][]any // replays of "ph-9", per request; nil: none sent
		want     string
		stored   int // recordings stored; the others are duplicates
	}{
		{"bad, then good in the same request", [][]any{{bad, good}}, good, 1},
		{"good, then bad in the same request", [][]any{{good, bad}}, good, 1},
		{"bad, then good later", [][]any{{bad}, {good}}, good, 1},
		{"none, then good later", [][]any{{nil}, {good}}, good, 1},
		{"bad, then none, then good", [][]any{{bad}, {nil}, {good}}, good, 1},
		{"good, then another good", [][]any{{good}, {later}}, good, 1},
		{"good, then bad later", [][]any{{good}, {bad}}, good, 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visitor := "f" + string(rune('a'+i))
			stored, dups := 0, 0
			for k, replays := range tt.requests {
				var recs []map[string]any
				for _, r := range replays {
					recs = append(recs, recMap(x, "posthog", "ph-9", r))
				}
				res, err := in.Ingest(ctx, mixedBody(f.site.Key, visitor, false, recs...), evMeta(evBaseTime.Add(time.Duration(10*i+k)*time.Second)))
				if err != nil {
					t.Fatalf("request %d refused: %v", k, err)
				}
				stored, dups = stored+res.Stored, dups+res.Duplicates
			}
			sent := 0
			for _, r := range tt.requests {
				sent += len(r)
			}
			if stored != tt.stored || dups != sent-tt.stored {
				t.Errorf("%d stored and %d duplicates, want %d and %d", stored, dups, tt.stored, sent-tt.stored)
			}
			if n := visitorRecordings(t, f.s, visitor); n != 1 {
				t.Errorf("%d recordings, want 1", n)
			}
			if got := replayOf(t, visitor); got != tt.want {
				t.Errorf("stored replay %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRecordingRecorderStillRefused: the recorder's name is the tag's own
// field, never the page's, so an unknown or missing one is still a
// malformed body (400), and nothing of it is stored, not even the
// exposure beside it nor a recording the server would have skipped.
func TestRecordingRecorderStillRefused(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	tests := []struct {
		name     string
		recorder string
		code     string
	}{
		{"unknown recorder", "smartlook", experiments.CodeInvalidRecorder},
		{"no recorder", "", experiments.CodeRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := recMap(x, tt.recorder, "s1", nil)
			if tt.recorder == "" {
				delete(rec, "recorder")
			}
			body := mixedBody(f.site.Key, "v1", false, evExposure(x, "b").json(), recMap(x, "posthog", strings.Repeat("s", 201), nil), rec)
			_, err := in.Ingest(ctx, body, evMeta(evBaseTime))
			var ie *experiments.IngestError
			if !errors.As(err, &ie) || ie.Status != 400 || ie.Code != tt.code || ie.Field != "events[2].recorder" {
				t.Fatalf("err = %v, want 400 %s on events[2].recorder", err, tt.code)
			}
			if n := evRows(t, f.s, "events") + evRows(t, f.s, "recordings"); n != 0 {
				t.Errorf("%d rows stored from a refused body", n)
			}
		})
	}
}

package experiments_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestRecordingSessionDropped: a recording whose replay URL is usable but
// whose session id is not is kept, with the replay and without the
// session, when the replay alone links to it (FullStory, LogRocket:
// recorders.NeedsReplay), and IngestResult.SessionsDropped says why. The
// session key comes from the URL, so a later report of the same replay
// is a duplicate. The recorders whose link needs the session are skipped
// as before, and so is a bad session with no usable replay. Before, every
// one of them was skipped.
func TestRecordingSessionDropped(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	fs := "https://app.fullstory.com/ui/o-1/session/123%3A456?t=30"
	lr := "https://app.logrocket.com/abc123/shop/s/1-2-3"
	tests := []struct {
		name            string
		recorder        string
		session, replay any
		dropped, skip   string // at most one of them
	}{
		{"FullStory session too long", "fullstory", strings.Repeat("s", 201), fs, experiments.SkipSessionTooLong, ""},
		{"FullStory session with a newline", "fullstory", "fs\n1", fs, experiments.SkipSessionInvalid, ""},
		{"LogRocket session as a number", "logrocket", 12345, lr, experiments.SkipSessionInvalid, ""},
		{"LogRocket session as an object", "logrocket", map[string]any{"id": "x"}, lr, experiments.SkipSessionInvalid, ""},
		{"PostHog needs its session", "posthog", strings.Repeat("s", 201), "https://us.posthog.com/project/1/replay/ph-1", "", experiments.SkipSessionTooLong},
		{"Clarity needs its session", "clarity", "u1\x00s1", "https://clarity.microsoft.com/player/p/u1/s1", "", experiments.SkipSessionInvalid},
		{"Hotjar needs its session", "hotjar", true, "https://insights.hotjar.com/r?site=1", "", experiments.SkipSessionInvalid},
		{"custom needs its session", "custom", strings.Repeat("é", 201), "https://r.example/c-1", "", experiments.SkipSessionTooLong},
		{"no replay to keep", "fullstory", strings.Repeat("s", 201), nil, "", experiments.SkipSessionTooLong},
		{"a bad replay too", "logrocket", "lr\n1", "javascript:alert(1)", "", experiments.SkipSessionInvalid},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visitor := "s" + string(rune('a'+i))
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
			if res.Stored != wantStored || res.Duplicates != 0 || !slices.Equal(res.Skipped, wantSkipped) ||
				!slices.Equal(res.SessionsDropped, wantDropped) || len(res.ReplaysDropped) != 0 {
				t.Errorf("result %+v, want %d stored, skipped %v, sessions dropped %v", res, wantStored, wantSkipped, wantDropped)
			}
			if n := visitorRecordings(t, f.s, visitor); n != wantRecs {
				t.Fatalf("%d recordings stored, want %d", n, wantRecs)
			}
			if wantRecs == 0 {
				return
			}
			var session, replay, key string
			if err := f.s.Reader().QueryRow(`select session, replay, session_key from recordings where visitor = ?`, visitor).Scan(&session, &replay, &key); err != nil {
				t.Fatal(err)
			}
			wantKey, _, _ := strings.Cut(tt.replay.(string), "?")
			if session != "" || replay != tt.replay || key != wantKey {
				t.Errorf("stored session %q replay %q key %q, want no session, replay %q, key %q", session, replay, key, tt.replay, wantKey)
			}
		})
	}

	// The session key is the replay's, as when no session is sent: the
	// same recording reported again, with no session or a bad one, or in
	// a later request, is one row.
	t.Run("reported again", func(t *testing.T) {
		visitor := "again"
		res, err := in.Ingest(ctx, mixedBody(f.site.Key, visitor, false, recMap(x, "fullstory", strings.Repeat("s", 201), fs),
			recMap(x, "fullstory", nil, fs)), evMeta(evBaseTime.Add(time.Minute)))
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		if res.Stored != 1 || res.Duplicates != 1 || !slices.Equal(res.SessionsDropped, []string{experiments.SkipSessionTooLong}) {
			t.Errorf("first request %+v, want 1 stored, 1 duplicate, 1 session dropped", res)
		}
		res, err = in.Ingest(ctx, mixedBody(f.site.Key, visitor, false, recMap(x, "fullstory", 7, fs+"&x=1")),
			evMeta(evBaseTime.Add(2*time.Minute)))
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		if res.Stored != 0 || res.Duplicates != 1 || !slices.Equal(res.SessionsDropped, []string{experiments.SkipSessionInvalid}) {
			t.Errorf("second request %+v, want 1 duplicate, 1 session dropped", res)
		}
		if n := visitorRecordings(t, f.s, visitor); n != 1 {
			t.Errorf("%d recordings stored, want 1", n)
		}
	})
}

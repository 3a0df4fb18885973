package experiments_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// textBody is a raw POST /e body (so that it may hold what encoding/json
// would never write: lone surrogate escapes, bytes that are not UTF-8):
// an exposure, then a "recording" event with the recorder and the raw
// fields given, then more, raw, inside the events list or after it.
func textBody(site, exp, recorder, fields, moreEvents, after string) []byte {
	return []byte(`{"site":"` + site + `","events":[` +
		`{"id":"` + evID() + `","type":"exposure","experiment":"` + exp + `","variant":"b","url":"https://shop.example/"},` +
		`{"id":"` + evID() + `","type":"recording","experiment":"` + exp + `","variant":"b","recorder":"` + recorder + `",` + fields + `}` +
		moreEvents + `]` + after + `}`)
}

// TestRecordingInvalidText: a recorder's session id or replay URL that is
// not valid text (a lone UTF-16 surrogate escape, bytes that are not
// UTF-8), which the page's recorder chose, is skipped or dropped like any
// session or replay copylab cannot use, and the exposure beside it is
// stored. Before, the strict decoder refused the whole body as
// invalid_json.
func TestRecordingInvalidText(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	tests := []struct {
		name, recorder, fields string
		skip, dropped          string // neither: stored as sent
	}{
		{"lone high surrogate", "posthog", `"session":"\ud800"`, experiments.SkipSessionInvalid, ""},
		{"lone low surrogate", "clarity", `"session":"u1/\udc00x"`, experiments.SkipSessionInvalid, ""},
		{"surrogates in the wrong order", "custom", `"session":"\udc00\ud800"`, experiments.SkipSessionInvalid, ""},
		{"a byte that is not UTF-8", "custom", "\"session\":\"ab\xffcd\"", experiments.SkipSessionInvalid, ""},
		{"inside a session object", "hotjar", "\"session\":{\"\\ud800\":[\"\xfe\"]}", experiments.SkipSessionInvalid, ""},
		{"replay of a session that links", "posthog", `"session":"ph-1","replay":"https://us.posthog.com/project/1/replay/\ud83d"`, "", experiments.SkipReplayInvalid},
		{"replay list of a session that links", "hotjar", `"session":"7f2c-11","replay":["\udfff"]`, "", experiments.SkipReplayInvalid},
		{"replay a link needs", "fullstory", "\"replay\":\"https://app.fullstory.com/ui/\xc3\"", experiments.SkipReplayInvalid, ""},
		{"a surrogate pair is text", "custom", `"session":"\ud83d\ude00-1"`, "", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visitor := "t" + string(rune('a'+i))
			body := textBody(f.site.Key, x, tt.recorder, tt.fields, "", `,"visitor":"`+visitor+`"`)
			res, err := in.Ingest(ctx, body, evMeta(evBaseTime.Add(time.Duration(i)*time.Second)))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			var wantSkipped, wantDropped []string
			wantStored, wantRecs := 2, 1
			if tt.skip != "" {
				wantSkipped, wantStored, wantRecs = []string{tt.skip}, 1, 0
			}
			if tt.dropped != "" {
				wantDropped = []string{tt.dropped}
			}
			if res.Stored != wantStored || !slices.Equal(res.Skipped, wantSkipped) || !slices.Equal(res.ReplaysDropped, wantDropped) {
				t.Errorf("result %+v, want %d stored, skipped %v, replays dropped %v", res, wantStored, wantSkipped, wantDropped)
			}
			if n := visitorRecordings(t, f.s, visitor); n != wantRecs {
				t.Errorf("%d recordings stored, want %d", n, wantRecs)
			}
		})
	}
	var session, replay string
	if err := f.s.Reader().QueryRow(`select session, replay from recordings where visitor = 'tf'`).Scan(&session, &replay); err != nil || session != "ph-1" || replay != "" {
		t.Errorf("PostHog recording: session %q replay %q (%v), want ph-1 without replay", session, replay, err)
	}
	if err := f.s.Reader().QueryRow(`select session from recordings where visitor = 'ti'`).Scan(&session); err != nil || session != "😀-1" {
		t.Errorf("custom recording: session %q (%v), want 😀-1", session, err)
	}
}

// TestRecordingInvalidTextElsewhere: only a recording's session and replay
// may be text that is not valid. Anything else that is not (the visitor,
// an id, the recorder, a URL, a name), or anything else wrong with the
// body, still refuses it whole, with the error the strict decoder gives
// when the session is fine: the same body with the bad session spelled
// as as many ASCII letters refuses with the same message.
func TestRecordingInvalidTextElsewhere(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	const bad, fine = `"session":"\ud800"`, `"session":"sxxxxx"`
	lateExposure := func(field string) string {
		return `,{"id":"` + evID() + `","type":"exposure","experiment":"` + x + `","variant":"b",` + field + `}`
	}
	tests := []struct {
		name                        string
		recorder, fields, more, end string
	}{
		{"visitor", "posthog", bad, "", `,"visitor":"\ud800"`},
		{"visitor not UTF-8", "posthog", bad, "", ",\"visitor\":\"v\xff\""},
		{"the recorder", `\ud800`, bad, "", `,"visitor":"v1"`},
		{"the recording's URL", "posthog", bad + ",\"url\":\"https://shop.example/\xff\"", "", `,"visitor":"v1"`},
		{"a later exposure's variant", "posthog", bad, lateExposure(`"url":"https://shop.example/"`) +
			strings.Replace(lateExposure(`"url":"x"`), `"variant":"b"`, `"variant":"\udc00"`, 1), `,"visitor":"v1"`},
		{"a name beside the session", "posthog", bad + `,"\ud800":1`, "", `,"visitor":"v1"`},
		{"the session named twice", "posthog", bad + `,"session":"s2"`, "", `,"visitor":"v1"`},
		{"a session that is not JSON", "posthog", `"session":"\ud800",`, "", `,"visitor":"v1"`},
		{"a body cut short", "posthog", bad, "", `,"visitor":"v1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := textBody(f.site.Key, x, tt.recorder, tt.fields, tt.more, tt.end)
			_, err := in.Ingest(ctx, body, evMeta(evBaseTime))
			var ie *experiments.IngestError
			if !errors.As(err, &ie) || ie.Status != 400 || ie.Code != experiments.CodeInvalidJSON {
				t.Fatalf("err = %v, want 400 invalid_json", err)
			}
			fixed := []byte(strings.Replace(string(body), bad, fine, 1))
			_, want := in.Ingest(ctx, fixed, evMeta(evBaseTime))
			if want == nil || ie.Message != want.(*experiments.IngestError).Message || ie.Field != want.(*experiments.IngestError).Field {
				t.Errorf("refused with %q (field %q), want what the body with a fine session gets: %v", ie.Message, ie.Field, want)
			}
			if n := evRows(t, f.s, "events") + evRows(t, f.s, "recordings"); n != 0 {
				t.Errorf("%d rows stored from a refused body", n)
			}
		})
	}
}

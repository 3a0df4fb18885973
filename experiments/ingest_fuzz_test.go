package experiments_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"copylab/experiments"
)

// FuzzIngest feeds arbitrary bodies to Ingest: it must never panic, must
// answer a body it rejects with a 4xx (never a 5xx: nothing in a body can
// make the server fail), and must store nothing of a rejected body and
// exactly Stored events and recordings of an accepted one (whose skipped
// recordings are not stored).
func FuzzIngest(f *testing.F) {
	fx := evNewFixture(f)
	in := evNewIngester(f, fx.s, experiments.IngestOptions{MaxDelay: -1, MaxEvents: 20, MaxBody: 8 << 10})
	key, x := fx.site.Key, fx.exp.ID
	seeds := [][]byte{
		evBody(key, "v1", false, evExposure(x, "control"), evConversion(x, "signup")),
		evBody(key, "v2", true, evExposure(x, "b")),
		[]byte(`{"site":"` + key + `","visitor":"v3","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b","type":"exposure","experiment":"` + x + `","variant":"b","ms":12.5,"matched":false,"ref":"https://t.co/x","utm":"ads"}]}`),
		[]byte(`{"site":"` + key + `","visitor":"v4","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6c","type":"conversion","experiment":"` + x + `","goal":"signup","ts":-1}]}`),
		[]byte(`{"site":"` + key + `","visitor":"` + strings.Repeat("x", 129) + `","events":[]}`),
		[]byte(`{}`), []byte(`null`), []byte(`[]`), []byte(`{"events":[null]}`), []byte(`{"site":1}`), []byte(``),
		[]byte(`{"site":"` + key + `","visitor":"v5","events":[{"id":"\u0000"}]}`),
		// Hostile: nesting, huge and odd numbers, invalid UTF-8, duplicate
		// keys, escapes of control characters, wrong types, a bot flag.
		[]byte(strings.Repeat(`{"a":`, 5000) + strings.Repeat(`}`, 5000)),
		[]byte(`{"site":"` + key + `","visitor":"v6","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6d","type":"exposure","experiment":"` + x + `","variant":"b","ts":1e309,"ms":-0}]}`),
		[]byte("{\"site\":\"" + key + "\",\"visitor\":\"v\xff\xfe\",\"events\":[]}"),
		[]byte(`{"site":"` + key + `","site":"other","visitor":"v7","visitor":"v8","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6e","type":"conversion","experiment":"` + x + `","goal":"signup","goal":"x"}]}`),
		[]byte(`{"site":"` + key + `","visitor":"\u0007\u202e","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6f","type":"exposure","experiment":"` + x + `","variant":"b","url":"\u0000javascript:"}]}`),
		[]byte(`{"site":"` + key + `","visitor":"v9","bot":true,"events":[{"id":"0190A5C4-7B2E-7DEF-8A3B-1C2D3E4F5A70","type":"exposure","experiment":"` + x + `","variant":"b","matched":"yes"}]}`),
		[]byte(`{"site":["` + key + `"],"visitor":{},"events":{"0":{}}}`),
		// Recordings: a good one, and ones whose session or replay (the
		// page's recorder chose them) is skipped beside an exposure.
		[]byte(`{"site":"` + key + `","visitor":"v10","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a71","type":"recording","experiment":"` + x + `","variant":"b","recorder":"posthog","session":"ph-1","replay":"https://us.posthog.com/project/1/replay/ph-1"}]}`),
		[]byte(`{"site":"` + key + `","visitor":"v11","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a72","type":"recording","experiment":"` + x + `","variant":"b","recorder":"hotjar","session":{"id":[1]}},` +
			`{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a73","type":"exposure","experiment":"` + x + `","variant":"b"},` +
			`{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a74","type":"recording","experiment":"` + x + `","variant":"b","recorder":"fullstory","replay":"javascript:alert(1)"}]}`),
		[]byte(`{"site":"` + key + `","visitor":"v12","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a75","type":"recording","experiment":"` + x + `","variant":"b","recorder":"custom","session":"a\u0000b","replay":12}]}`),
		[]byte(`{"site":"` + key + `","visitor":"v13","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a76","type":"recording","experiment":"` + x + `","variant":"b","recorder":"clarity","session":"\ud800"}]}`),
		// A usable session whose replay URL is not: kept without the URL
		// (PostHog), or skipped (LogRocket, whose link needs it).
		[]byte(`{"site":"` + key + `","visitor":"v14","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a77","type":"recording","experiment":"` + x + `","variant":"b","recorder":"posthog","session":"ph-2","replay":"javascript:alert(1)"},` +
			`{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a78","type":"recording","experiment":"` + x + `","variant":"b","recorder":"logrocket","session":"lr-2","replay":"ftp://x"}]}`),
		// Not valid text in a session or replay (skipped or dropped), and
		// beside it in the visitor, an id, a name (refused).
		[]byte(`{"site":"` + key + `","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a79","type":"recording","experiment":"` + x + `","variant":"b","recorder":"posthog","session":"ph-3","replay":"https://us.posthog.com/\udfff"},` +
			`{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a7a","type":"recording","experiment":"` + x + `","variant":"b","recorder":"hotjar","session":{"\ud800":"` + "\xff" + `"}}],"visitor":"v15"}`),
		[]byte(`{"site":"` + key + `","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a7b","type":"recording","experiment":"` + x + `","variant":"b","recorder":"custom","session":"\ud800","\udc00":1}],"visitor":"v\ud800"}`),
		[]byte(`{"site":"` + key + `","visitor":"v16","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a7c","type":"recording","experiment":"` + x + `","variant":"b","recorder":"clarity","session":"` + "u/\xc3" + `"},{"id":"\ud800"}]}`),
		// Visitor ids of spaces or invisible characters (refused), and
		// referrers whose host is not a host (kept as no referrer).
		[]byte(`{"site":"` + key + `","visitor":"   ","events":[]}`),
		[]byte(`{"site":"` + key + `","visitor":"\u200b","events":[]}`),
		[]byte(`{"site":"` + key + `","visitor":"\u202e1-rotisiv","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a7d","type":"exposure","experiment":"` + x + `","variant":"b"}]}`),
		[]byte(`{"site":"` + key + `","visitor":"v17","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a7e","type":"exposure","experiment":"` + x + `","variant":"b","ref":"https://\u202emoc.elgoog/"},` +
			`{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a7f","type":"exposure","experiment":"` + x + `","variant":"b","ref":"https://a..b/"}]}`),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		before := evRows(t, fx.s, "events") + evRows(t, fx.s, "recordings")
		res, err := in.Ingest(context.Background(), b, evMeta(evBaseTime))
		after := evRows(t, fx.s, "events") + evRows(t, fx.s, "recordings")
		if err != nil {
			var ie *experiments.IngestError
			if !errors.As(err, &ie) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if ie.Status < 400 || ie.Status > 499 || ie.Code == "" || ie.Message == "" {
				t.Fatalf("rejected with %d %q %q", ie.Status, ie.Code, ie.Message)
			}
			if after != before {
				t.Fatalf("a rejected body stored %d events", after-before)
			}
			return
		}
		if after-before != res.Stored || res.Stored+res.Duplicates+countDeleted(res)+len(res.Skipped) == 0 {
			t.Fatalf("result %+v but %d events stored", res, after-before)
		}
	})
}

func countDeleted(res experiments.IngestResult) int {
	for _, r := range res.Reasons {
		if r == experiments.ReasonDeleted {
			return 1
		}
	}
	return 0
}

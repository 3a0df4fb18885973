package app

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// newFuzzApp is the app of a fuzz target, without rate limits, on a real
// database with one site and one experiment (running when start is set):
// a control and variant b on "h1" of every page, a click goal.
func newFuzzApp(f *testing.F, start bool) (*App, experiments.Site, experiments.Experiment) {
	a, store, _ := newTestApp(f, experiments.IngestOptions{MaxDelay: -1}, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	ctx := context.Background()
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		f.Fatal(err)
	}
	x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}}})
	if err != nil {
		f.Fatal(err)
	}
	if start {
		if x, err = store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
			f.Fatal(err)
		}
	}
	return a, site, x
}

// FuzzEventsPost sends arbitrary bodies and content types to POST /e
// through the whole HTTP stack (middleware, error handler, ingester, a real
// database): whatever arrives, the answer is never a 5xx (a panic would be
// a 500) and always carries the public CORS header, so that the sending
// page can read why it was refused.
func FuzzEventsPost(f *testing.F) {
	a, site, x := newFuzzApp(f, true)
	key, id := site.Key, x.ID
	ev := func(fields string) string {
		return `{"site":"` + key + `","visitor":"v1","events":[{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b","experiment":"` + id + `",` + fields + `}]}`
	}
	seeds := []struct{ body, ctype string }{
		{eventBody(key, "v1", id, "b", true), "text/plain;charset=UTF-8"},
		{eventBody(key, "v2", id, "control", false), "application/json"},
		{ev(`"type":"exposure","variant":"b","matched":false,"ms":12.5,"ref":"https://t.co/x","utm":"ads"`), ""},
		{ev(`"type":"conversion","goal":"click","ts":1700000000000`), "text/plain"},
		// Recordings: the session and replay are the page's recorder's, so
		// a bad one is skipped (204), not refused.
		{ev(`"type":"recording","variant":"b","recorder":"posthog","session":"ph-1","replay":"https://us.posthog.com/project/1/replay/ph-1"`), "text/plain"},
		{ev(`"type":"recording","variant":"b","recorder":"hotjar","session":{"id":1},"replay":"javascript:alert(1)"`), "text/plain"},
		{ev(`"type":"recording","variant":"b","recorder":"smartlook","session":"s"`), "text/plain"},
		{ev(`"type":"recording","variant":"b","recorder":"clarity","session":"u/s","replay":"ftp://x"`), "text/plain"},
		{ev(`"type":"recording","variant":"b","recorder":"posthog","session":"\ud800","replay":"\udc00"`), "text/plain"},
		{ev("\"type\":\"recording\",\"variant\":\"b\",\"recorder\":\"custom\",\"session\":\"c-1\",\"replay\":\"\xff\",\"url\":\"\xfe\""), "text/plain"},
		// Hostile: not JSON, wrong shapes, nesting, numbers, encodings.
		{``, "text/plain"},
		{`null`, "text/plain"},
		{`{"site":` + strings.Repeat("[", 100000), "text/plain"},
		{strings.Repeat(`{"a":`, 3000) + `1` + strings.Repeat(`}`, 3000), "application/json"},
		{ev(`"type":"exposure","variant":"b","ts":1e400,"ms":NaN`), "text/plain"},
		{ev(`"type":"exposure","variant":"b","ts":-1e-400`), "text/plain"},
		{ev(`"type":"exposure","variant":"\u0000","url":"\ud800"`), "text/plain"},
		{"{\"site\":\"" + key + "\",\"visitor\":\"\xff\xfe\",\"events\":[]}", "text/plain"},
		{ev(`"type":"exposure","variant":"b","__proto__":{"admin":true},"constructor":1`), "text/plain"},
		{`{"site":"` + key + `","visitor":"v1","events":[` + strings.Repeat(`{},`, 200) + `{}]}`, "text/plain"},
		{`{"site":"` + key + `","visitor":"` + strings.Repeat("v", 10000) + `","events":[{}]}`, "text/plain"},
		{`{"site":"../../etc/passwd","visitor":"<script>","events":[{"id":"' or 1=1 --"}]}`, "text/plain"},
		{ev(`"type":"conversion","goal":"signup\r\nX-Injected: 1"`), "text/plain"},
		{eventBody(key, "v3", id, "b", false), "text/plain; charset=utf-16"},
		{eventBody(key, "v4", id, "b", false), "multipart/form-data; boundary=x"},
		{eventBody(key, "v5", id, "b", false), "text/plain; ;;=="},
		{eventBody(key, "v6", id, "b", false), "\x00"},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.ctype)
	}
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		req, err := http.NewRequest(http.MethodPost, testPublicURL+"/e", bytes.NewReader(body))
		if err != nil {
			t.Skip()
		}
		if ctype != "" {
			if strings.IndexFunc(ctype, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
				// fasthttp refuses the request line itself (400) before
				// the app sees it.
				t.Skip()
			}
			req.Header["Content-Type"] = []string{ctype}
		}
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")
		resp, err := a.Fiber().Test(req, -1)
		if err != nil {
			t.Fatalf("no answer: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("status %d for %q (%s)", resp.StatusCode, body, ctype)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("status %d without CORS for %q", resp.StatusCode, body)
		}
		if resp.StatusCode != http.StatusNoContent && !strings.HasPrefix(resp.Header.Get("X-Copylab"), "rejected: ") {
			t.Fatalf("status %d without a reason for %q", resp.StatusCode, body)
		}
	})
}

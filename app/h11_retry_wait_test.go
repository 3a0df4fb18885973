package app

import (
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"copylab/variants"
)

// h11RateLimited makes the fake model service answer its next times
// calls with a 429 asking for a wait of 9 seconds, then write drafts.
func h11RateLimited(llm *fakeLLM, times int32) {
	var calls atomic.Int32
	busy := failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "9"}, "Rate limit reached")
	llm.setReply(func(n, limit int) (int, map[string]string, string) {
		if calls.Add(1) <= times {
			return busy(n, limit)
		}
		return http.StatusOK, nil, completion(llm.drafts(n, limit))
	})
}

// h11RetryGenerator is a generator on the fake that tries a model call
// three times, as copylab does by default.
func h11RetryGenerator(t *testing.T, llm *fakeLLM) *variants.Generator {
	t.Helper()
	gen, err := variants.New(variants.Config{BaseURL: llm.srv.URL + "/v1", Model: "fake-gpt", APIKey: testLLMKey, Timeout: 5 * time.Second, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	return gen
}

// h11WaitRe finds the wait sentence and its countdown in a page.
var h11WaitRe = regexp.MustCompile(`The model service asked to wait; trying again in <span data-retry-ms="(\d+)">([^<]*)</span>\.`)

var h11PollKeyRe = regexp.MustCompile(`data-poll-quiet="([^"]*)"`)

// h11Waits polls url until done says the wait is over (or 40 seconds
// pass) and returns the poll keys it saw while a wait was shown, one per
// wait (in order), and the last answer. Each wait shown must give the
// time left in data-retry-ms, at most the 9 seconds asked, and read it
// in WaitText's words.
func h11Waits(t *testing.T, g *genFixture, url string, done func(string) bool) (keys []string, last string) {
	t.Helper()
	for deadline := time.Now().Add(40 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 40 seconds; saw waits %q:\n%s", keys, last)
		}
		resp, body := g.c.hx(http.MethodGet, url, nil)
		wantStatus(t, resp, http.StatusOK, body)
		last = html.UnescapeString(body)
		if done(last) {
			return keys, last
		}
		m := h11WaitRe.FindStringSubmatch(last)
		if m == nil {
			continue
		}
		ms, _ := strconv.Atoi(m[1])
		if ms <= 0 || ms > 9000 {
			t.Errorf("data-retry-ms=%s for a wait of 9 seconds", m[1])
		}
		if want := (ms + 999) / 1000; m[2] != strconv.Itoa(want)+" seconds" && !(want <= 1 && m[2] == "a second") {
			t.Errorf("%d ms left read %q", ms, m[2])
		}
		key := h11PollKeyRe.FindStringSubmatch(last)
		if key == nil {
			t.Fatalf("a waiting poll has no data-poll-quiet:\n%s", last)
		}
		// After 15 seconds the progress says it is still working, a
		// change of its own.
		k := strings.TrimSuffix(key[1], " (still working)")
		if len(keys) == 0 || keys[len(keys)-1] != k {
			keys = append(keys, k)
		}
	}
}

// TestRetryWaitShownWithItsCountdown: while copylab waits to ask a rate
// limiting model service again, for a set of drafts and for a rewrite,
// the page says so with the wait left in data-retry-ms (generate.js
// counts it down), and the poll key changes when a wait starts, also
// for a second wait as long as the first, and not as the wait runs
// down, so a poll redraws the progress, or the card, only then.
func TestRetryWaitShownWithItsCountdown(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, h11RetryGenerator(t, llm))
	g.c.get(g.base)

	h11RateLimited(llm, 2)
	statusURL, _ := g.start(t, g.brief(2))
	keys, frag := h11Waits(t, g, statusURL, func(body string) bool { return !strings.Contains(body, `data-state="running"`) })
	if want := []string{
		"Writing 2 drafts with fake-gpt… The model service asked to wait; trying again in 9 seconds. (try 2)",
		"Writing 2 drafts with fake-gpt… The model service asked to wait; trying again in 9 seconds. (try 3)",
	}; strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Errorf("the progress's poll keys while waiting:\n%q\nwant\n%q", keys, want)
	}
	texts := draftTexts(frag)
	if len(texts) != 2 {
		t.Fatalf("drafts %q after the waits:\n%s", texts, frag)
	}

	h11RateLimited(llm, 2)
	cardURL := statusURL + "/drafts/1"
	resp, card := g.c.hx(http.MethodPost, cardURL+"/regenerate?instruction=shorter", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	keys, card = h11Waits(t, g, cardURL, func(body string) bool { return !strings.Contains(body, "draft-busy") })
	if want := []string{"rewriting shorter (waiting for try 2)", "rewriting shorter (waiting for try 3)"}; strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Errorf("the card's poll keys while waiting:\n%q\nwant\n%q", keys, want)
	}
	wantContains(t, card, "Rewritten shorter.")
	wantNotContains(t, card, "data-retry-ms", "trying again")
}

package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// hangReply makes the fake model keep the request open without an
// answer until copylab gives up on it.
func hangReply(int, int) (int, map[string]string, string) { return -1, nil, "" }

// Whatever the model answers, every generation and rewrite gives its
// slot back: a rate limit, a server error, no answer in time, output
// that cannot be read. One more round than a person's limit of each
// kind of call, on the page, as a rewrite and through the API, is never
// refused by a limit, and afterwards the registry counts no call.
func TestGenerationFailuresGiveTheirSlotsBack(t *testing.T) {
	tests := []struct {
		name  string
		reply func(n, limit int) (int, map[string]string, string)
	}{
		{"rate limited", failWith(429, map[string]string{"Retry-After": "7"}, "Rate limit reached")},
		{"server error", failWith(500, nil, "boom")},
		{"overloaded", failWith(503, nil, "overloaded")},
		{"no answer in time", hangReply},
		{"malformed output", func(int, int) (int, map[string]string, string) {
			return 200, nil, completion(`{"headline_ideas": "none today"}`)
		}},
		{"not JSON at all", func(int, int) (int, map[string]string, string) { return 200, nil, "<html>Bad gateway</html>" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(300*time.Millisecond))
			g.c.get(g.base)
			statusURL, _ := g.start(t, g.brief(3))
			texts := draftTexts(g.wait(t, statusURL))
			tok := tokenFor(t, g.e, "ann@example.com")
			llm.setReply(tt.reply)

			for round := range genPersonMax + 1 {
				resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=shorter", draftsForm(texts, []int{0}, nil))
				wantStatus(t, resp, http.StatusOK, card)
				wantNotContains(t, card, "You already have", "copylab is already writing")
				wantContains(t, waitCard(t, g.c, statusURL+"/drafts/0"), "The rewrite did not work")

				resp, out := g.e.api(http.MethodPost, "/api/v1/experiments/"+g.x.ID+"/generate", tok,
					`{"n":1,"brief":{"goal":"Get visitors to start a free trial"}}`)
				code, _ := errorShape(t, out)
				if resp.StatusCode < 400 || code == "too_many_generations" || code == "generation_busy" {
					t.Errorf("round %d, the API: %d %s", round, resp.StatusCode, code)
				}

				x := g.e.experiment(g.site.ID, fmt.Sprintf("Test %d", round), "Start your free trial", "Try it free for 30 days")
				base := "/experiments/" + x.ID + "/generate"
				g.c.get(base)
				resp, body := g.c.hx(http.MethodPost, base, g.brief(2))
				wantStatus(t, resp, http.StatusOK, body)
				m := jobRe.FindStringSubmatch(resp.Header.Get("HX-Push-Url"))
				if m == nil {
					t.Fatalf("round %d, the page started no generation: %s", round, body)
				}
				wantContains(t, waitAs(t, g.c, base+"/jobs/"+m[1]), `data-state="failed"`)
				// A failed card or job shows just before its goroutine
				// gives the slot back: the next round waits for that,
				// and a slot never given back fails here.
				waitNoModelCalls(t, g.e)
			}
			waitNoModelCalls(t, g.e)
		})
	}
}

// Fiber v2 does not tell a handler that its client has gone: fasthttp
// runs the handler on the connection's goroutine and reads nothing from
// the connection meanwhile (valyala/fasthttp#468, gofiber/fiber#1718).
// So an API generation whose client hangs up keeps its slot until the
// model answers or the generation's time bound ends it. The bound is
// there: with a model that never answers, the abandoned call's slot is
// free again once the model's timeout has passed, not held for good.
func TestAbandonedAPIGenerationIsBounded(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(hangReply)
	g := newGenFixture(t, llm.generator(2*time.Second))
	base := listenLoopback(t, g.e)

	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/experiments/"+g.x.ID+"/generate",
		strings.NewReader(`{"n":1,"brief":{"goal":"Get visitors to start a free trial"}}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tokenFor(t, g.e, "ann@example.com"))
	if resp, err := (&http.Client{Timeout: 300 * time.Millisecond}).Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the client got an answer (%d) from a model that never answers", resp.StatusCode)
	}
	waitCalls(t, llm, 1)
	if n := modelCallsInFlight(g); n != 1 {
		// Should Fiber learn to cancel on a closed connection, the README's
		// word on abandoned API calls changes too.
		t.Errorf("%d model calls hold a slot just after the client left, want 1 (nothing tells copylab it left)", n)
	}
	waitNoModelCalls(t, g.e)
}

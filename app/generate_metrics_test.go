package app

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// TestGenerateCountsLLMCalls: every request to the model endpoint is counted
// in /metrics, failures by the variants package's code; a brief refused
// before any call is not a call.
func TestGenerateCountsLLMCalls(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(time.Second))
	tok := g.e.token("api@example.com")
	path := "/api/v1/experiments/" + g.x.ID + "/generate"

	resp, out := g.e.api("POST", path, tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	llm.setReply(failWith(500, nil, "boom"))
	resp, out = g.e.api("POST", path, tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusBadGateway, fmt.Sprint(out))
	resp, out = g.e.api("POST", path, tok, `{"n":11}`)
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Fatalf("an invalid brief answered %d: %v", resp.StatusCode, out)
	}

	// The app's own registry, as /metrics serves it.
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(g.e.app.Metrics().Registry(), promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		"copylab_llm_calls_total 2\n",
		`copylab_llm_failures_total{code="llm_unavailable"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestDraftingRefusalsAreCounted: every generation or rewrite a limit
// turns away, on the page or through the API, is counted on /metrics by
// call and by the limit that refused it, so that an operator sees people
// being turned away; none of them is an LLM call.
func TestDraftingRefusalsAreCounted(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(3))
	texts := draftTexts(g.wait(t, statusURL))
	release := llm.hold()
	defer release()

	// Ann drafts two other experiments on the page: her generations are
	// all taken.
	for _, name := range []string{"Pricing", "Signup"} {
		x := g.e.experiment(g.site.ID, name, "Start your free trial", "Try it free for 30 days")
		base := "/experiments/" + x.ID + "/generate"
		g.c.get(base)
		resp, body := g.c.hx(http.MethodPost, base, g.brief(2))
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `data-state="running"`)
	}
	waitCalls(t, llm, 3)
	x := g.e.experiment(g.site.ID, "About", "Start your free trial", "Try it free for 30 days")
	base := "/experiments/" + x.ID + "/generate"
	g.c.get(base)
	resp, body := g.c.hx(http.MethodPost, base, g.brief(2))
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, gensBusySentence)
	if a := answerNow(t, llm, apiGenerateAsync(g.e, tokenFor(t, g.e, "ann@example.com"), x.ID)); a.status != http.StatusTooManyRequests {
		t.Errorf("Ann's third generation through the API: %d %s", a.status, a.code)
	}

	// One rewrite fits beside them; a second is one call too many.
	rewriteHeld(t, g.c, llm, statusURL, draftsForm(texts, []int{0}, nil), 0)
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/1/regenerate?instruction=shorter", draftsForm(texts, []int{0}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	wantContains(t, card, "regen-failed")

	// Every slot taken: Bob is turned away too.
	r := g.e.app.genJobs
	r.mu.Lock()
	others := genRunningMax - r.running
	r.running += others
	r.mu.Unlock()
	if a := answerNow(t, llm, apiGenerateAsync(g.e, g.e.token("bob@example.com"), x.ID)); a.status != http.StatusServiceUnavailable {
		t.Errorf("Bob's generation with every slot taken: %d %s", a.status, a.code)
	}
	r.mu.Lock()
	r.running -= others
	r.mu.Unlock()

	release()
	waitNoModelCalls(t, g.e)
	wantContains(t, scrapeMetrics(t, g.e),
		`copylab_llm_refused_total{call="generate",reason="person_generations"} 2`,
		`copylab_llm_refused_total{call="rewrite",reason="person_calls"} 1`,
		`copylab_llm_refused_total{call="generate",reason="server_busy"} 1`,
		fmt.Sprintf("copylab_llm_calls_total %d\n", llm.calls()))
}

// listenLoopback serves the app on 127.0.0.1 until the test ends, and
// returns its URL.
func listenLoopback(t *testing.T, e *env) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.app.Fiber().Listener(ln)
	t.Cleanup(func() { e.app.Fiber().ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// scrapeMetrics reads GET /metrics as a scraper on the same machine
// does: over a connection from 127.0.0.1, which the default
// --metrics-allow lets in.
func scrapeMetrics(t *testing.T, e *env) string {
	t.Helper()
	resp, err := http.Get(listenLoopback(t, e) + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	return body
}

package app

import (
	"html"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"copylab/variants"
)

// newLoggedGenFixture is newGenFixture with the server log kept in logs
// (syncBuffer: notify_test.go).
func newLoggedGenFixture(t *testing.T, gen *variants.Generator, logs *syncBuffer) *genFixture {
	t.Helper()
	e := newEnvConfig(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) }, WithGenerator(gen))
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := e.experiment(site.ID, "Hero", "Project management for busy teams", "Projects, finally under control")
	return &genFixture{e: e, c: c, site: site, x: x, base: "/experiments/" + x.ID + "/generate"}
}

// TestGenerateTimeoutAdviceForWhoCanAct: the marketer is told what they
// can do (try again, fewer drafts) and that whoever runs copylab can let
// it wait longer; the server flag that does it is in the log line, where
// that person reads it, and not on the page.
func TestGenerateTimeoutAdviceForWhoCanAct(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(func(int, int) (int, map[string]string, string) { return -1, nil, "" })
	var logs syncBuffer
	g := newLoggedGenFixture(t, llm.generator(300*time.Millisecond), &logs)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	frag := html.UnescapeString(g.wait(t, statusURL))
	wantContains(t, frag, "did not answer within", "try again, or ask for fewer drafts", "Whoever runs copylab can let it wait longer.")
	wantNotContains(t, frag, "--llm-timeout", "COPYLAB_LLM_TIMEOUT")
	wantContains(t, logs.String(), "copy generation failed", "--llm-timeout (COPYLAB_LLM_TIMEOUT, now 300ms)")
}

// TestSettingsLLMTestTimeoutLogged: a Test connection that the model does
// not answer in time is logged with the flag that gives it longer, as a
// drafting timeout is: the README says a model's timeout is logged with
// --llm-timeout and its value, and whoever runs copylab reads the log.
func TestSettingsLLMTestTimeoutLogged(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(func(int, int) (int, map[string]string, string) { return -1, nil, "" })
	var logs syncBuffer
	g := newLoggedGenFixture(t, llm.generator(300*time.Millisecond), &logs)
	resp, body := g.c.hx(http.MethodPost, "/settings/llm/test", nil)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, logs.String(), "model connection test failed", "--llm-timeout (COPYLAB_LLM_TIMEOUT)", "llm_timeout=300ms")
}

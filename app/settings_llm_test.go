package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestSettingsLLMTestOffline: with no model configured, Test connection
// is no failure (200 for htmx, a flash after a 303 without JavaScript),
// and its answer says what to do in the words of the settings page's How
// to connect a model steps: the variables to set, restarting copylab,
// and where the details are.
func TestSettingsLLMTestOffline(t *testing.T) {
	const want = "No AI model is connected yet, so there is nothing to test. " +
		"Set COPYLAB_LLM_API_KEY (or COPYLAB_LLM_BASE_URL for a local server such as Ollama) and restart copylab; then test again. " +
		"How to connect a model, on this page, has the details."
	e := newEnv(t)
	c := e.signIn("ann@example.com")

	_, page := c.get("/settings")
	// The steps the answer points to are on the page, in the same words.
	i := strings.Index(page, `id="llm-connect"`)
	if i < 0 {
		t.Fatalf("no connect steps on the settings page: %.300s", page)
	}
	connect := page[i:]
	wantContains(t, connect, "How to connect a model", "COPYLAB_LLM_API_KEY", "COPYLAB_LLM_BASE_URL",
		"and restart copylab", "Ollama")

	resp, body := c.hx(http.MethodPost, "/settings/llm/test", nil)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `data-ok="true"`, want)

	resp, body = c.post("/settings/llm/test", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page = c.get("/settings")
	wantContains(t, page, want)
	wantNotContains(t, page, "flash-error")
}

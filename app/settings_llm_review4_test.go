package app

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSettingsLLMTestHiddenOfflineReview4: with no model connected there
// is nothing to test, so Settings → AI copy offers no Test connection
// button (it only ever answered "nothing to test") and says in a short
// line why, pointing to how to connect one. With a model, the button is
// there. Found by a browser review.
func TestSettingsLLMTestHiddenOfflineReview4(t *testing.T) {
	t.Run("offline", func(t *testing.T) {
		e := newEnv(t)
		c := e.signIn("ann@example.com")
		resp, page := c.get("/settings")
		wantStatus(t, resp, http.StatusOK, page)
		i := strings.Index(page, `id="llm"`)
		j := strings.Index(page, `id="llm-connect"`)
		if i < 0 || j < i {
			t.Fatalf("no AI copy card: %.300s", page)
		}
		card := page[i:j]
		wantNotContains(t, card, "Test connection", `id="llm-test"`, `action="/settings/llm/test"`)
		wantContains(t, card, "Nothing to test yet: connect a model first (how, below), then test the connection here.")
	})
	t.Run("model", func(t *testing.T) {
		llm := newFakeLLM(t)
		g := newGenFixture(t, llm.generator(time.Second))
		resp, page := g.c.get("/settings")
		wantStatus(t, resp, http.StatusOK, page)
		wantContains(t, page, `id="llm-test"`, "Test connection")
		wantNotContains(t, page, "Nothing to test yet")
	})
}

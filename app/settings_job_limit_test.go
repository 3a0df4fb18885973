package app

import (
	"html"
	"net/http"
	"testing"
	"time"
)

// TestSettingsJobLimitWords: Settings says how long a set of drafts may
// take in words true of the configured --llm-timeout. With a short one,
// two answers and a minute more come to less than the 3 minutes copylab
// allows a set at the least, so the page does not call 3 minutes "two
// answers and a minute more"; with a long one it is just that.
func TestSettingsJobLimitWords(t *testing.T) {
	for _, tt := range []struct {
		name    string
		timeout time.Duration
		want    string
		wantNot string
	}{
		{"a short timeout", 10 * time.Second,
			"<dt>A set of drafts</dt><dd>up to 3 minutes in all (room for two answers, and for retries while the model service is busy)</dd>",
			"two answers and a minute more"},
		{"the default", 0,
			"<dt>A set of drafts</dt><dd>up to 3 minutes in all (room for two answers, and for retries while the model service is busy)</dd>",
			"two answers and a minute more"},
		{"a long timeout", 3 * time.Minute,
			"<dt>A set of drafts</dt><dd>up to 7 minutes in all (two answers and a minute more)</dd>",
			"room for two answers"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			gen, err := NewGenerator(Config{LLMBaseURL: llm.srv.URL + "/v1", LLMModel: "test-model", LLMTimeout: tt.timeout})
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, WithGenerator(gen))
			c := e.signIn("ann@example.com")
			resp, body := c.get("/settings")
			wantStatus(t, resp, http.StatusOK, body)
			body = html.UnescapeString(body)
			wantContains(t, body, tt.want)
			wantNotContains(t, body, tt.wantNot)
		})
	}
}

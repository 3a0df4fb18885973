package app

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"testing"
	"time"
)

// finished is a chat completion whose message is content, ended by
// finish ("stop" or "length").
func finished(content, finish string) string {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "qwen3:8b",
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": content}, "finish_reason": finish}},
	})
	return string(b)
}

// TestF22LLMFailuresCountUnusableAnswers: a generation that fails on
// the answer the model sent (only thinking, cut off before a whole
// draft, not readable as drafts) counts each request whose answer could
// not be used in copylab_llm_failures_total, by the code the API
// answers with. They were counted as calls that succeeded.
func TestF22LLMFailuresCountUnusableAnswers(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		finish   string
		code     string
		requests float64
	}{
		{"only thinking", "<think>\nOkay, the user wants two headlines. Let me think.\n</think>\n\n", "stop", "llm_bad_output", 1},
		{"cut off before a whole draft", `{"variants":[{"text":"Plan every cli`, "length", "llm_truncated", 1},
		{"not drafts", "Here are two options:\n1. Plan every launch\n2. Ship it calmly", "stop", "llm_bad_output", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.setReply(func(int, int) (int, map[string]string, string) {
				return http.StatusOK, nil, finished(tt.content, tt.finish)
			})
			g := newGenFixture(t, llm.generator(5*time.Second))
			tok := g.e.token("api@example.com")
			resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
			wantStatus(t, resp, http.StatusBadGateway, fmt.Sprint(out))
			if got := fmt.Sprint(out["error"].(map[string]any)["code"]); got != tt.code {
				t.Errorf("code = %s, want %s", got, tt.code)
			}
			series := `copylab_llm_failures_total{code="` + tt.code + `"}`
			for s, want := range map[string]float64{"copylab_llm_calls_total": tt.requests, series: tt.requests} {
				if got := metricValue(t, g.e, s); got != want {
					t.Errorf("%s = %v, want %v", s, got, want)
				}
			}
		})
	}
}

// TestF22SettingsLLMTestVerdictAndMetric: Test connection fails on an
// answer that holds only thinking, and counts the failure; passes on an
// answer the output limit cut off, and counts no failure. It said
// "Connected" to the one, and counted the other as llm_truncated.
func TestF22SettingsLLMTestVerdictAndMetric(t *testing.T) {
	tests := []struct {
		name    string
		content string
		finish  string
		want    string
		code    string // "" when the test passes
	}{
		{"only thinking", "<think>\nThe user wants OK.\n</think>\n\n", "stop",
			"The test failed. copylab reached the model server, but the model gave no answer: it sent only its thinking, and no answer after it. " +
				"Test again; if it answers so again, choose a model that does not think before it answers (--llm-model, COPYLAB_LLM_MODEL).",
			"llm_bad_output"},
		{"thinking cut off", "<think>\nThe user wants OK. Let me", "length",
			"The test failed. copylab reached the model server, but the model gave no answer: it spent its whole answer thinking. " +
				"Raise the model server's output limit (its maximum tokens or context length), " +
				"or choose a model that does not think before it answers (--llm-model, COPYLAB_LLM_MODEL).",
			"llm_truncated"},
		{"an answer cut off", "O", "length", "Connected: test-model at ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.setReply(func(int, int) (int, map[string]string, string) {
				return http.StatusOK, nil, finished(tt.content, tt.finish)
			})
			g := newGenFixture(t, llm.generator(5*time.Second))
			resp, body := g.c.hx(http.MethodPost, "/settings/llm/test", nil)
			wantStatus(t, resp, http.StatusOK, body)
			body = html.UnescapeString(body)
			if tt.code == "" {
				wantContains(t, body, `data-ok="true"`, tt.want)
			} else {
				wantContains(t, body, `data-ok="false"`, tt.want)
				wantNotContains(t, body, "Connected")
			}
			want := map[string]float64{
				"copylab_llm_calls_total":                           1,
				`copylab_llm_failures_total{code="llm_bad_output"}`: 0,
				`copylab_llm_failures_total{code="llm_truncated"}`:  0,
			}
			if tt.code != "" {
				want[`copylab_llm_failures_total{code="`+tt.code+`"}`] = 1
			}
			for s, want := range want {
				if got := metricValue(t, g.e, s); got != want {
					t.Errorf("%s = %v, want %v", s, got, want)
				}
			}
		})
	}
}

package app

import (
	"html"
	"net/http"
	"testing"
	"time"
)

// TestF14SettingsLLMTestNoAnswer: Settings → Test connection says
// Connected only when the model answered. A server that answers a
// well-formed completion with no text in it (a reasoning model that
// spent its whole answer thinking, or no choices at all) used to pass as
// "Connected: qwen3:8b at … answered.", and drafting then failed; a
// server that streams though copylab asked for no stream was sent to
// check a base URL that was right. Each now says what happened and what
// to do; a normal answer still says Connected.
func TestF14SettingsLLMTestNoAnswer(t *testing.T) {
	const (
		thinking = `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"qwen3:8b","choices":[{"index":0,` +
			`"message":{"role":"assistant","content":null,"reasoning_content":"Okay, the user wants me to reply with OK. Let me think"},` +
			`"finish_reason":"length"}]}`
		noChoices = `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"qwen3:8b","choices":[]}`
		stream    = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"OK\"}}]}\n\ndata: [DONE]\n\n"
	)
	tests := []struct {
		name    string
		header  map[string]string
		body    string // empty: the fake's normal answer
		ok      bool
		want    string
		wantNot []string
	}{
		{"thinking only", nil, thinking, false,
			"The test failed. copylab reached the model server, but the model gave no answer: it spent its whole answer thinking. " +
				"Raise the model server's output limit (its maximum tokens or context length), " +
				"or choose a model that does not think before it answers (--llm-model, COPYLAB_LLM_MODEL).",
			[]string{"Connected", "fewer drafts"}},
		{"no choices", nil, noChoices, false,
			"The test failed. copylab reached the model server, but the model gave no answer: its reply held no text. " +
				"Test again; if the reply stays empty, check the model server's log, or choose another model.",
			[]string{"Connected"}},
		{"streamed", map[string]string{"Content-Type": "text/event-stream"}, stream, false,
			"The test failed. The model server answered with a stream (server-sent events), though copylab asked for none; " +
				"turn streaming off on the server, or on the proxy in front of it.",
			[]string{"Connected", "base URL"}},
		{"normal answer", nil, "", true, "Connected: test-model at ", []string{"failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			if tt.body != "" {
				llm.setReply(func(int, int) (int, map[string]string, string) { return http.StatusOK, tt.header, tt.body })
			}
			g := newGenFixture(t, llm.generator(5*time.Second))
			resp, body := g.c.hx(http.MethodPost, "/settings/llm/test", nil)
			wantStatus(t, resp, http.StatusOK, body)
			body = html.UnescapeString(body)
			if tt.ok {
				wantContains(t, body, `data-ok="true"`, tt.want)
			} else {
				wantContains(t, body, `data-ok="false"`, tt.want)
			}
			wantNotContains(t, body, tt.wantNot...)

			// Without JavaScript, the same sentence comes back as a flash.
			resp, body = g.c.post("/settings/llm/test", nil)
			wantStatus(t, resp, http.StatusSeeOther, body)
			_, page := g.c.get("/settings")
			wantContains(t, html.UnescapeString(page), tt.want)
		})
	}
}

// TestF14DraftingThinkingOnly: on the drafting page, a reasoning model
// that spent its whole answer thinking is said to have done so, with
// what helps, instead of "ask for fewer drafts or shorter copy".
func TestF14DraftingThinkingOnly(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(func(int, int) (int, map[string]string, string) {
		return http.StatusOK, nil, `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"qwen3:8b","choices":[{"index":0,` +
			`"message":{"role":"assistant","content":null,"reasoning_content":"Okay, five headlines for agency owners. First"},` +
			`"finish_reason":"length"}]}`
	})
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(3))
	frag := html.UnescapeString(g.wait(t, statusURL))
	wantContains(t, frag, `data-code="llm_truncated"`,
		"The model spent its whole answer thinking and wrote no drafts. "+
			"Whoever runs copylab can raise the model server's output limit, or choose a model that does not think before it answers.")
	wantNotContains(t, frag, "fewer drafts or shorter copy")
}

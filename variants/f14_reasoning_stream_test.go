package variants

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// thinkingOnlyBody is the answer of a reasoning model whose thinking used the
// whole of the server's output limit: no content, only its reasoning,
// cut off by length. field is where the server puts the reasoning:
// reasoning_content (vLLM, LM Studio, DeepSeek) or reasoning (Ollama).
func thinkingOnlyBody(field string) string {
	return `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"qwen3:8b","choices":[{"index":0,` +
		`"message":{"role":"assistant","content":null,"` + field + `":"Okay, the user wants headlines. Let me think about the audience first"},` +
		`"finish_reason":"length"}]}`
}

// TestF14ThinkingOnlyAnswer: a reasoning model that spends its whole
// answer thinking and writes no copy is told apart from copy that was
// cut off. It used to get "ask for fewer drafts or shorter copy", which
// does not help when the thinking, not the copy, used the budget; and
// Test connection said Connected to a model that can draft nothing.
func TestF14ThinkingOnlyAnswer(t *testing.T) {
	const (
		drafts = "The model spent its whole answer thinking and wrote no drafts. " +
			"Whoever runs copylab can raise the model server's output limit, or choose a model that does not think before it answers."
		rewrite = "The model spent its whole answer thinking and wrote no draft. " +
			"Whoever runs copylab can raise the model server's output limit, or choose a model that does not think before it answers."
		test = "copylab reached the model server, but the model gave no answer: it spent its whole answer thinking. " +
			"Raise the model server's output limit (its maximum tokens or context length), " +
			"or choose a model that does not think before it answers (--llm-model, COPYLAB_LLM_MODEL)."
	)
	for _, field := range []string{"reasoning_content", "reasoning"} {
		t.Run(field, func(t *testing.T) {
			f := newFakeLLM(t, reply{body: thinkingOnlyBody(field)})
			_, err := f.generator().Generate(context.Background(), testBrief)
			e := wantErrCode(t, err, CodeTruncated)
			if e.Message != drafts {
				t.Errorf("drafts message = %q, want %q", e.Message, drafts)
			}
			wantIn(t, "log line", e.Error(), "COPYLAB_LLM_MODEL", "output limit")
			if f.calls() != 1 {
				t.Errorf("calls = %d, want 1: asking again meets the same limit", f.calls())
			}

			_, err = f.generator().Regenerate(context.Background(), testBrief, nil, good[0], InstructionDifferentAngle)
			e = wantErrCode(t, err, CodeTruncated)
			if e.Message != rewrite {
				t.Errorf("rewrite message = %q, want %q", e.Message, rewrite)
			}

			err = f.generator().TestConnection(context.Background())
			e = wantErrCode(t, err, CodeTruncated)
			if e.Message != test {
				t.Errorf("test message = %q, want %q", e.Message, test)
			}
		})
	}

	// Copy cut off part way is still copy that was too long.
	t.Run("copy cut off", func(t *testing.T) {
		f := newFakeLLM(t, reply{body: completionBody(`{"variants":[{"text":"Plan every client`, "length")})
		_, err := f.generator().Generate(context.Background(), testBrief)
		e := wantErrCode(t, err, CodeTruncated)
		wantIn(t, "message", e.Message, "ask for fewer drafts or shorter copy")
		wantNotIn(t, "message", e.Message, "thinking")
	})
}

// TestF14TestConnectionNoAnswer: Test connection fails when the server
// answers a well-formed completion that holds no answer (no choices, or
// an empty message), since drafting with that model then fails with "The
// model sent an empty answer". A normal answer still passes.
func TestF14TestConnectionNoAnswer(t *testing.T) {
	const want = "copylab reached the model server, but the model gave no answer: its reply held no text. " +
		"Test again; if the reply stays empty, check the model server's log, or choose another model."
	tests := []struct {
		name string
		body string
	}{
		{"no choices", `{"id":"chatcmpl-1","object":"chat.completion","model":"qwen3:8b","choices":[]}`},
		{"empty content", completionBody("", "stop")},
		{"null content", `{"id":"chatcmpl-1","object":"chat.completion","model":"qwen3:8b","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"stop"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, reply{body: tt.body})
			e := wantErrCode(t, f.generator().TestConnection(context.Background()), CodeBadOutput)
			if e.Message != want {
				t.Errorf("message = %q, want %q", e.Message, want)
			}
			// Drafting keeps its own words.
			_, err := f.generator().Generate(context.Background(), testBrief)
			e = wantErrCode(t, err, CodeBadOutput)
			wantIn(t, "drafts message", e.Message, "The model sent an empty answer; try again.")
		})
	}
	t.Run("a normal answer", func(t *testing.T) {
		f := newFakeLLM(t, okReply("OK"))
		if err := f.generator().TestConnection(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestF14StreamedAnswer: a server (or a proxy) that streams its answer
// as server-sent events though copylab asked for no stream is named as
// such, instead of "did not answer like an OpenAI-compatible API; check
// the base URL", which sent people to a base URL that was right.
func TestF14StreamedAnswer(t *testing.T) {
	const want = "The model server answered with a stream (server-sent events), though copylab asked for none; " +
		"turn streaming off on the server, or on the proxy in front of it."
	chunk := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen3:8b","choices":[{"index":0,"delta":{"content":"OK"},"finish_reason":null}]}`
	sse := "data: " + chunk + "\n\ndata: [DONE]\n\n"
	tests := []struct {
		name   string
		header map[string]string
		body   string
	}{
		{"event-stream type", map[string]string{"Content-Type": "text/event-stream"}, sse},
		{"data lines sent as JSON", map[string]string{"Content-Type": "application/json"}, sse},
		{"event lines, no type", map[string]string{"Content-Type": "text/plain"}, "event: message\n" + sse},
		{"a blank line first", map[string]string{"Content-Type": "application/json"}, "\r\n" + sse},
		{"event-stream type, nothing yet", map[string]string{"Content-Type": "text/event-stream; charset=utf-8"}, ": keep-alive\n\n" + sse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, reply{header: tt.header, body: tt.body})
			_, err := f.generator().Generate(context.Background(), testBrief)
			e := wantErrCode(t, err, CodeBadOutput)
			if e.Message != want {
				t.Errorf("drafts message = %q, want %q", e.Message, want)
			}
			if f.calls() != 1 {
				t.Errorf("calls = %d, want 1", f.calls())
			}
			e = wantErrCode(t, f.generator().TestConnection(context.Background()), CodeBadOutput)
			if e.Message != want {
				t.Errorf("test message = %q, want %q", e.Message, want)
			}
		})
	}
	// A stream that sends a keep-alive line and then waits (a model still
	// thinking) is named at once, not after the timeout.
	t.Run("keep-alive, then a wait", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, ": keep-alive\n\n")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}))
		t.Cleanup(srv.Close)
		g, err := New(Config{BaseURL: srv.URL + "/v1", Model: "qwen3:8b", Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		e := wantErrCode(t, g.TestConnection(context.Background()), CodeBadOutput)
		if e.Message != want {
			t.Errorf("message = %q, want %q", e.Message, want)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("took %s to name the stream", took)
		}
	})
	// JSON that merely mentions data: is an answer like any other.
	t.Run("JSON answer", func(t *testing.T) {
		f := newFakeLLM(t, okReply("data: OK"))
		if err := f.generator().TestConnection(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

package variants

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testKey is a realistic-looking key, so tests can check it never leaks.
const testKey = "sk-test-0123456789SECRETabcdef"

// reply is one scripted answer of the fake model server.
type reply struct {
	status int
	header map[string]string
	body   string
	delay  time.Duration
}

// fakeLLM is an OpenAI-compatible chat completions endpoint that answers
// from a script, one reply per call (the last reply repeats), and records
// what it was sent.
type fakeLLM struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	script  []reply
	bodies  []map[string]any
	auth    []string
	paths   []string
	hitsAll int
}

func newFakeLLM(t *testing.T, script ...reply) *fakeLLM {
	t.Helper()
	f := &fakeLLM{t: t, script: script}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.hitsAll++
	f.paths = append(f.paths, r.URL.Path)
	if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
		f.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		f.t.Errorf("fake server: request body is not JSON: %v", err)
	}
	f.bodies = append(f.bodies, body)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	n := len(f.bodies)
	rep := reply{status: 500, body: `{"error":{"message":"no script"}}`}
	if len(f.script) > 0 {
		rep = f.script[min(n, len(f.script))-1]
	}
	f.mu.Unlock()

	if rep.delay > 0 {
		// Stop as soon as the client gives up, so the test server closes
		// promptly.
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	io.WriteString(w, rep.body)
}

// calls is how many chat completion requests the server saw.
func (f *fakeLLM) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

func (f *fakeLLM) request(i int) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i >= len(f.bodies) {
		f.t.Fatalf("request %d: server saw only %d", i, len(f.bodies))
	}
	return f.bodies[i]
}

// messages returns the contents of request i's messages, in order.
func (f *fakeLLM) messages(i int) []string {
	var out []string
	for _, m := range f.request(i)["messages"].([]any) {
		out = append(out, fmt.Sprint(m.(map[string]any)["content"]))
	}
	return out
}

func (f *fakeLLM) roles(i int) []string {
	var out []string
	for _, m := range f.request(i)["messages"].([]any) {
		out = append(out, fmt.Sprint(m.(map[string]any)["role"]))
	}
	return out
}

func (f *fakeLLM) baseURL() string { return f.srv.URL + "/v1" }

// generator builds a Generator against the fake server with quick
// retries; tweak adjusts the config first.
func (f *fakeLLM) generator(tweak ...func(*Config)) *Generator {
	f.t.Helper()
	cfg := Config{BaseURL: f.baseURL(), APIKey: testKey, Model: "test-model", Timeout: 5 * time.Second}
	for _, fn := range tweak {
		fn(&cfg)
	}
	g, err := New(cfg)
	if err != nil {
		f.t.Fatalf("New: %v", err)
	}
	g.backoff = func(int) time.Duration { return time.Millisecond }
	g.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	return g
}

// completionBody is a chat completion whose message content is content.
func completionBody(content, finish string) string {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model-2026",
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": content},
			"finish_reason": finish,
		}},
	})
	return string(b)
}

func okReply(content string) reply { return reply{body: completionBody(content, "stop")} }

// variantsJSON is the answer format the prompt asks for.
func variantsJSON(texts ...string) string {
	vs := make([]map[string]string, len(texts))
	for i, t := range texts {
		vs[i] = map[string]string{"text": t, "angle": fmt.Sprintf("angle %d", i+1), "rationale": "Because it is test " + fmt.Sprint(i+1) + "."}
	}
	b, _ := json.Marshal(map[string]any{"variants": vs})
	return string(b)
}

func apiError(status int, message string) reply {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": message, "type": "test"}})
	return reply{status: status, body: string(b)}
}

package app

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"copylab/variants"
)

// testLLMKey looks like a real key, so tests can check it never leaks.
const testLLMKey = "sk-test-0123456789SECRETabcdef"

// fakeLLM is an OpenAI-compatible chat completions server on 127.0.0.1.
// By default it writes as many distinct headlines as each request asks
// for ("Write 3 variants", "holding exactly 1 variant"), within the
// request's character limit; reply, when set, answers instead.
type fakeLLM struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	next      int
	requests  []string // the last user message of each request
	reply     func(n, limit int) (status int, header map[string]string, body string)
	rationale string        // when set, every draft's rationale
	gate      chan struct{} // when set, requests wait for it to close
	cancelled int           // requests the client gave up on while they were held
}

func newFakeLLM(t *testing.T) *fakeLLM {
	t.Helper()
	f := &fakeLLM{t: t}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// generator is a Generator that talks to the fake, without retries and
// with a short deadline, so failure tests stay quick.
func (f *fakeLLM) generator(timeout time.Duration) *variants.Generator {
	f.t.Helper()
	g, err := variants.New(variants.Config{BaseURL: f.srv.URL + "/v1", Model: "test-model", APIKey: testLLMKey, Timeout: timeout, MaxRetries: -1})
	if err != nil {
		f.t.Fatal(err)
	}
	return g
}

// angles and rationales make the fake's drafts look like a model's.
var (
	angles     = []string{"benefit first", "pain point", "specificity", "outcome", "social proof", "question", "short and punchy"}
	rationales = []string{
		"Leads with the calm a busy owner wants, not with the tool.",
		"Names a daily annoyance the audience will recognise at once.",
		"A concrete promise is easier to believe than a general one.",
		"Shows the result of using the product rather than its features.",
	}
)

// headlines are distinct enough for the library's similarity checks.
var headlines = []string{
	"Plan every launch in one calm place",
	"Stop chasing updates across five apps",
	"Deadlines met without the Monday panic",
	"See who is doing what, at a glance",
	"From messy backlog to shipped in a week",
	"Fewer meetings, more finished projects",
	"Bring clients in without the email chains",
	"Know what comes next before anyone asks",
	"One board for briefs, drafts and approvals",
	"Hand off tasks without losing the thread",
	"Calm project tracking for busy studios",
	"Make status meetings optional",
	"Every project and deadline on one screen",
	"Less juggling, more delivering",
	"Turn scattered to-dos into a clear plan",
	"Move work forward in two clicks",
	"Finish what you start, together",
	"A clearer week starts here",
	"Work, sorted",
	"Ship it calmly",
}

var (
	countRe = regexp.MustCompile(`holding exactly (\d+)|Write (\d+) variant`)
	limitRe = regexp.MustCompile(`at most (\d+) characters`)
)

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	var req struct {
		Messages []struct{ Role, Content string }
	}
	raw, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(raw, &req); err != nil || len(req.Messages) == 0 {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	last := req.Messages[len(req.Messages)-1].Content
	n, limit := 1, 70
	if m := countRe.FindStringSubmatch(last); m != nil {
		n, _ = strconv.Atoi(m[1] + m[2])
	}
	if m := limitRe.FindAllStringSubmatch(last, -1); m != nil {
		limit, _ = strconv.Atoi(m[len(m)-1][1])
	}

	f.mu.Lock()
	f.requests = append(f.requests, last)
	gate, reply := f.gate, f.reply
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			f.mu.Lock()
			f.cancelled++
			f.mu.Unlock()
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if reply != nil {
		status, header, body := reply(n, limit)
		for k, v := range header {
			w.Header().Set(k, v)
		}
		if status == 0 {
			status = http.StatusOK
		}
		if status == -1 { // hang until the client gives up
			<-r.Context().Done()
			return
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
		return
	}
	io.WriteString(w, completion(f.drafts(n, limit)))
}

// drafts writes n variants of at most limit characters.
func (f *fakeLLM) drafts(n, limit int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var vs []map[string]string
	for tries := 0; len(vs) < n && tries < len(headlines); tries++ {
		text := headlines[f.next%len(headlines)]
		f.next++
		if utf8.RuneCountInString(text) > limit {
			continue
		}
		rationale := f.rationale
		if rationale == "" {
			rationale = rationales[f.next%len(rationales)]
		}
		vs = append(vs, map[string]string{"text": text, "angle": angles[f.next%len(angles)], "rationale": rationale})
	}
	b, _ := json.Marshal(map[string]any{"variants": vs})
	return string(b)
}

// completion is a chat completion whose message is content.
func completion(content string) string {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model-2026",
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": content}, "finish_reason": "stop"}},
	})
	return string(b)
}

func (f *fakeLLM) setReply(fn func(n, limit int) (int, map[string]string, string)) {
	f.mu.Lock()
	f.reply = fn
	f.mu.Unlock()
}

// hold makes requests wait until the returned func is called.
func (f *fakeLLM) hold() (release func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	f.gate = ch
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			f.gate = nil
			f.mu.Unlock()
			close(ch)
		})
	}
}

func (f *fakeLLM) lastRequest() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		return ""
	}
	return f.requests[len(f.requests)-1]
}

// waitCancelled waits at most d for n held requests to have been given up
// by copylab (their connection closed), and reports whether they were.
func (f *fakeLLM) waitCancelled(n int, d time.Duration) bool {
	for deadline := time.Now().Add(d); ; time.Sleep(10 * time.Millisecond) {
		f.mu.Lock()
		got := f.cancelled
		f.mu.Unlock()
		if got >= n {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

func (f *fakeLLM) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func failWith(status int, header map[string]string, message string) func(int, int) (int, map[string]string, string) {
	return func(int, int) (int, map[string]string, string) {
		b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": message, "type": "test"}})
		return status, header, string(b)
	}
}

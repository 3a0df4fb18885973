package app

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
	"copylab/variants"
)

// hx sends a request as htmx does: the HX-Request header and the CSRF
// token in X-CSRF-Token (the page's hx-headers), a form body for POST.
func (c *client) hx(method, path string, v url.Values) (*http.Response, string) {
	c.e.t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		if v == nil {
			v = url.Values{}
		}
		body = strings.NewReader(v.Encode())
	}
	req := newRequest(method, path, body)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.csrf)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.send(req)
}

// genFixture is a signed-in marketer with a site and a draft experiment,
// on an app that drafts copy with gen (nil: the offline generator).
type genFixture struct {
	e    *env
	c    *client
	site experiments.Site
	x    experiments.Experiment
	base string // the generation page
}

func newGenFixture(t *testing.T, gen *variants.Generator) *genFixture {
	t.Helper()
	var e *env
	if gen != nil {
		e = newEnv(t, WithGenerator(gen))
	} else {
		e = newEnv(t)
	}
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	site.BrandVoice = "We say you, never users."
	if _, err := e.store.UpdateSite(context.Background(), site); err != nil {
		t.Fatal(err)
	}
	x := e.experiment(site.ID, "Hero", "Project management for busy teams", "Projects, finally under control")
	return &genFixture{e: e, c: c, site: site, x: x, base: "/experiments/" + x.ID + "/generate"}
}

// brief is a valid brief form.
func (g *genFixture) brief(n int) url.Values {
	return url.Values{
		"current_copy": {"Project management for busy teams"},
		"goal":         {"Get visitors to start a free trial"},
		"element_kind": {"headline"},
		"audience":     {"small agency owners"},
		"must_not_say": {"guarantee\nbest-in-class"},
		"brand_voice":  {"We say you, never users. No exclamation marks."},
		"n":            {fmt.Sprint(n)},
	}
}

var jobRe = regexp.MustCompile(`\?job=([A-Za-z0-9_-]+)`)

// start posts the brief with htmx and returns the job's status URL and
// the answer.
func (g *genFixture) start(t *testing.T, v url.Values) (string, string) {
	t.Helper()
	resp, body := g.c.hx(http.MethodPost, g.base, v)
	wantStatus(t, resp, http.StatusOK, body)
	m := jobRe.FindStringSubmatch(resp.Header.Get("HX-Push-Url"))
	if m == nil {
		t.Fatalf("no job in HX-Push-Url %q; body: %s", resp.Header.Get("HX-Push-Url"), body)
	}
	return g.base + "/jobs/" + m[1], body
}

// wait polls a job's status fragment, as the page does, until the job
// has finished, and returns the last fragment.
func (g *genFixture) wait(t *testing.T, statusURL string) string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, body := g.c.hx(http.MethodGet, statusURL, nil)
		wantStatus(t, resp, http.StatusOK, body)
		if !strings.Contains(body, `data-state="running"`) {
			return body
		}
	}
	t.Fatal("the generation did not finish")
	return ""
}

var textareaRe = regexp.MustCompile(`(?s)<textarea id="f-drafts-(\d+)-text"[^>]*>(.*?)</textarea>`)

// draftTexts reads the drafts' texts from a fragment.
func draftTexts(body string) []string {
	var out []string
	for _, m := range textareaRe.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[2]))
	}
	return out
}

// draftsForm is the drafts form as a browser would post it: every text,
// the includes given, and any edits.
func draftsForm(texts []string, include []int, edits map[int]string) url.Values {
	v := url.Values{}
	for i, t := range texts {
		if e, ok := edits[i]; ok {
			t = e
		}
		v.Set(fmt.Sprintf("drafts[%d].text", i), t)
		v.Set(fmt.Sprintf("drafts[%d].note", i), "")
	}
	for _, i := range include {
		v.Set(fmt.Sprintf("drafts[%d].include", i), "on")
	}
	return v
}

func TestGenerateFromBriefToExperiment(t *testing.T) {
	llm := newFakeLLM(t)
	llm.rationale = "It names the <b>pain</b> & the fix."
	g := newGenFixture(t, llm.generator(5*time.Second))
	ctx := context.Background()

	t.Run("the form is filled in from the experiment and the site", func(t *testing.T) {
		resp, body := g.c.get(g.base)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `id="brief-form"`, ">Project management for busy teams</textarea>", "We say you, never users.",
			"Current copy (required)", "Goal of the page (required)", "e.g. Get visitors to start a free trial",
			"Banned words and claims, one per line.", "test-model", `value="5"`, "generate.js")
		wantNotContains(t, body, testLLMKey, "Offline suggestions")
	})

	statusURL, first := g.start(t, g.brief(3))
	t.Run("progress, then drafts", func(t *testing.T) {
		if !strings.Contains(first, "Writing 3 drafts with test-model") && !strings.Contains(first, `data-state="done"`) {
			t.Errorf("first answer shows neither progress nor drafts: %s", first)
		}
	})
	body := g.wait(t, statusURL)
	texts := draftTexts(body)
	t.Run("drafts as editable cards", func(t *testing.T) {
		if len(texts) != 3 {
			t.Fatalf("%d drafts: %v", len(texts), texts)
		}
		wantContains(t, body, `data-state="done"`, "Written by test-model-2026", "pain point", "Why it might win:",
			"It names the &lt;b&gt;pain&lt;/b&gt; &amp; the fix.", `data-max="70"`, " / 70 characters", "test-model-2026 · prompt v3",
			`name="drafts[0].include"`, "Add selected drafts to the experiment")
		wantNotContains(t, body, "<b>pain</b>")
	})
	t.Run("the brief and the brand voice are saved", func(t *testing.T) {
		x, _ := g.e.store.Experiment(ctx, g.x.ID)
		var b variants.Brief
		if err := json.Unmarshal([]byte(x.Brief), &b); err != nil || b.Goal != "Get visitors to start a free trial" || b.N != 3 || len(b.MustNotSay) != 2 {
			t.Errorf("brief %s (%v)", x.Brief, err)
		}
		site, _ := g.e.store.Site(ctx, g.site.ID)
		if site.BrandVoice != "We say you, never users. No exclamation marks." {
			t.Errorf("brand voice %q", site.BrandVoice)
		}
		if !strings.Contains(llm.lastRequest(), "small agency owners") {
			t.Errorf("the model did not get the brief: %s", llm.lastRequest())
		}
	})

	edited := "Plan every launch in one calm, shared place"
	t.Run("regenerate one draft, keep the others", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1, 2}, map[int]string{0: edited})
		resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/2/regenerate?instruction=shorter", form)
		wantStatus(t, resp, http.StatusOK, card)
		for deadline := time.Now().Add(10 * time.Second); strings.Contains(card, "draft-busy"); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the rewrite did not finish")
			}
			_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/2", nil)
		}
		got := draftTexts(card)
		if len(got) != 1 || got[0] == texts[2] || len([]rune(got[0])) >= len([]rune(texts[2])) {
			t.Fatalf("rewrite %q of %q", got, texts[2])
		}
		wantContains(t, card, "Rewritten shorter.", `id="draft-2"`)
		if !strings.Contains(llm.lastRequest(), "clearly shorter") || !strings.Contains(llm.lastRequest(), edited) {
			t.Errorf("the rewrite request did not ask for shorter copy distinct from the edited draft: %s", llm.lastRequest())
		}
		texts[2] = got[0]
		// The edit of draft 0 travelled with the form and is kept.
		_, page := g.c.get(strings.Replace(statusURL, "/jobs/", "?job=", 1))
		if d := draftTexts(page); len(d) != 3 || d[0] != edited || d[2] != texts[2] {
			t.Errorf("page after rewrite: %q", d)
		}
	})

	t.Run("approve a subset", func(t *testing.T) {
		resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 2}, map[int]string{0: edited}))
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != "/experiments/"+g.x.ID {
			t.Errorf("redirect to %s", loc)
		}
		x, _ := g.e.store.Experiment(ctx, g.x.ID)
		if len(x.Variants) != 4 {
			t.Fatalf("variants %+v", x.Variants)
		}
		for i, want := range []struct {
			text   string
			edited bool
		}{{edited, true}, {texts[2], false}} {
			v := x.Variants[2+i]
			if v.Text != want.text || v.Source != experiments.SourceModel || v.Model != "test-model-2026" || v.PromptVersion != variants.PromptVersion ||
				v.ApprovedBy != "ann@example.com" || v.Edited != want.edited || v.Angle == "" || v.Rationale == "" || v.CreatedAt.IsZero() {
				t.Errorf("variant %d: %+v", i, v)
			}
		}
		_, page := g.c.get("/experiments/" + g.x.ID)
		wantContains(t, page, "Added 2 drafts to the experiment as variants C and D.", "test-model-2026 · prompt v3 ·",
			"approved by ann@example.com · edited by hand")
		// The job is consumed.
		_, frag := g.c.hx(http.MethodGet, statusURL, nil)
		wantContains(t, frag, "no longer here")
	})

	t.Run("launch", func(t *testing.T) {
		_, _ = g.c.get("/experiments/" + g.x.ID)
		resp, body := g.c.post("/experiments/"+g.x.ID+"/start", nil)
		wantStatus(t, resp, http.StatusSeeOther, body)
		x, _ := g.e.store.Experiment(ctx, g.x.ID)
		if x.Status != experiments.StatusRunning {
			t.Errorf("status %s", x.Status)
		}
		_, page := g.c.get(g.base)
		wantContains(t, page, "drafts can be added only to a draft experiment")
	})

	// A draft's results page has no table yet: the provenance shows once
	// the test has started.
	t.Run("provenance on the results page, not on share links", func(t *testing.T) {
		resp, page := g.c.get("/experiments/" + g.x.ID + "/results")
		wantStatus(t, resp, http.StatusOK, page)
		wantContains(t, page, "test-model-2026 · prompt v3 ·", "approved by ann@example.com · edited by hand")
		x, _ := g.e.store.Experiment(ctx, g.x.ID)
		resp, page = g.e.client().get("/r/" + x.ShareToken)
		wantStatus(t, resp, http.StatusOK, page)
		wantNotContains(t, page, "ann@example.com", "prompt v3")
	})
}

func TestGenerateFailures(t *testing.T) {
	tests := []struct {
		name       string
		reply      func(n, limit int) (int, map[string]string, string)
		status     int
		code       string
		sentence   string
		retryAfter string
	}{
		{"rate limited", failWith(429, map[string]string{"Retry-After": "7"}, "Rate limit reached"), 429, variants.CodeRateLimited,
			"rate limiting requests", "7"},
		{"server error", failWith(500, nil, "boom"), 502, variants.CodeUnavailable, "failing right now (HTTP 500)", ""},
		{"timeout", func(int, int) (int, map[string]string, string) { return -1, nil, "" }, 504, variants.CodeTimeout, "did not answer within", ""},
		{"malformed output", func(int, int) (int, map[string]string, string) {
			return 200, nil, completion(`{"headline_ideas": "none today"}`)
		}, 502, variants.CodeBadOutput, "could not be read as drafts of the copy", ""},
		{"key refused", failWith(401, nil, "Incorrect API key provided: sk-test-...cdef"), 502, variants.CodeAuth, "refused the API key", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.setReply(tt.reply)
			g := newGenFixture(t, llm.generator(400*time.Millisecond))
			g.c.get(g.base)

			// The page: a sentence, and the brief as typed.
			brief := g.brief(2)
			brief.Set("product", `Acme <Boards> & "friends"`)
			statusURL, _ := g.start(t, brief)
			frag := g.wait(t, statusURL)
			wantContains(t, frag, `data-state="failed"`, `data-code="`+tt.code+`"`, tt.sentence, "Your brief is kept above", "Try again")
			if tt.retryAfter != "" {
				wantContains(t, frag, "wait 7 seconds and try again.")
				wantNotContains(t, frag, "before the next try")
			}
			if tt.code == variants.CodeAuth {
				wantContains(t, frag, "AI settings")
			}
			wantNotContains(t, frag, testLLMKey)
			_, page := g.c.get(strings.Replace(statusURL, "/jobs/", "?job=", 1))
			wantContains(t, page, tt.sentence, `value="Acme &lt;Boards&gt; &amp; &#34;friends&#34;"`, "small agency owners", "guarantee\nbest-in-class")

			// The API: the library's status and code.
			tok := g.e.token("api@example.com")
			resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
			wantStatus(t, resp, tt.status, fmt.Sprint(out))
			code, _ := errorShape(t, out)
			msg, _ := out["error"].(map[string]any)["message"].(string)
			if code != tt.code || !strings.Contains(msg, tt.sentence) {
				t.Errorf("API error %s: %s", code, msg)
			}
			if got := resp.Header.Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
			if len(x.Variants) != 2 {
				t.Errorf("a failure added variants: %+v", x.Variants)
			}
		})
	}
}

func TestGenerateRateLimitedWithoutRetryAfter(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(failWith(429, nil, "slow down"))
	g := newGenFixture(t, llm.generator(time.Second))
	tok := g.e.token("api@example.com")
	resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusTooManyRequests, fmt.Sprint(out))
	if got := resp.Header.Get("Retry-After"); got != fmt.Sprint(defaultRetryAfter) {
		t.Errorf("Retry-After %q", got)
	}
}

func TestGenerateBriefErrors(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(time.Second))
	g.c.get(g.base)
	bad := url.Values{"current_copy": {"<h1>Hi</h1>"}, "goal": {""}, "n": {"20"}, "max_length": {"sixty"}, "audience": {"agency <owners>"}}

	t.Run("full page", func(t *testing.T) {
		resp, body := g.c.post(g.base, bad)
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "Please fix the 4 problems marked below.", `id="f-goal-error"`, `id="f-n-error"`, `id="f-max-length-error"`,
			`id="f-current-copy-error"`, "Paste the visible text only", "Ask for between 1 and 10 drafts.", `value="sixty"`,
			`value="agency &lt;owners&gt;"`)
	})
	t.Run("htmx", func(t *testing.T) {
		resp, body := g.c.hx(http.MethodPost, g.base, bad)
		wantStatus(t, resp, http.StatusOK, body) // htmx swaps only 2xx
		wantContains(t, body, `id="f-goal-error"`, `id="brief-form"`)
		wantNotContains(t, body, "<html")
	})
	t.Run("more than the experiment has room for", func(t *testing.T) {
		v := g.brief(10) // the experiment has a control and a variant: room for 9
		resp, body := g.c.post(g.base, v)
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "room for 9 more variants")
	})
	if llm.calls() != 0 {
		t.Errorf("an invalid brief reached the model %d times", llm.calls())
	}
}

func TestGenerateOffline(t *testing.T) {
	g := newGenFixture(t, nil)
	resp, body := g.c.get(g.base)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Offline suggestions.", "How to connect a model", "Suggest drafts")

	// Without JavaScript: the form posts, the browser follows the redirect.
	resp, body = g.c.post(g.base, g.brief(3))
	wantStatus(t, resp, http.StatusSeeOther, body)
	page := resp.Header.Get("Location")
	if !jobRe.MatchString(page) {
		t.Fatalf("redirect to %s", page)
	}
	var texts []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, body = g.c.get(page)
		if texts = draftTexts(body); len(texts) > 0 {
			break
		}
	}
	if len(texts) == 0 {
		t.Fatalf("no offline drafts: %s", body)
	}
	wantContains(t, body, "These are offline suggestions", "offline template", "Offline suggestions</h2>")

	m := jobRe.FindStringSubmatch(page)
	resp, body = g.c.post(g.base+"/jobs/"+m[1]+"/approve", draftsForm(texts, []int{0}, nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
	v := x.Variants[len(x.Variants)-1]
	if v.Source != experiments.SourceOffline || v.Model != variants.OfflineModel || v.PromptVersion != variants.OfflineVersion || v.ApprovedBy != "ann@example.com" {
		t.Errorf("offline variant %+v", v)
	}
	_, page2 := g.c.get("/experiments/" + g.x.ID)
	wantContains(t, page2, "offline generator · templates "+variants.OfflineVersion)
}

func TestGenerateApproveErrors(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(3))
	texts := draftTexts(g.wait(t, statusURL))

	tests := []struct {
		name    string
		include []int
		edits   map[int]string
		want    string
	}{
		{"none ticked", nil, nil, "Tick at least one draft"},
		{"markup", []int{0}, map[int]string{0: "<b>Bold</b> move"}, "Copy is plain text: remove the HTML tags."},
		{"same as an existing variant", []int{1}, map[int]string{1: "Projects, finally under control"}, "This is the same text as Variant B."},
		{"same as another draft", []int{0, 1}, map[int]string{1: texts[0]}, "This is the same text as draft 1."},
		{"emptied", []int{2}, map[int]string{2: "  "}, "Enter the copy."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, tt.include, tt.edits))
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, body, html.EscapeString(tt.want), `id="drafts-form"`)
			for i, text := range tt.edits {
				if strings.TrimSpace(text) != "" && !strings.Contains(body, ">"+html.EscapeString(text)+"</textarea>") {
					t.Errorf("the edit of draft %d is lost", i)
				}
			}
		})
	}
	x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
	if len(x.Variants) != 2 {
		t.Errorf("variants added despite errors: %+v", x.Variants)
	}
}

func TestGenerateRegenerateCustomAndOthers(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))

	t.Run("custom needs words", func(t *testing.T) {
		resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=custom", draftsForm(texts, []int{0, 1}, nil))
		wantStatus(t, resp, http.StatusOK, card)
		wantContains(t, card, "Say what to change first")
	})
	t.Run("custom", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1}, nil)
		form.Set("drafts[1].note", "mention the <free> trial")
		resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/1/regenerate?instruction=custom", form)
		wantStatus(t, resp, http.StatusOK, card)
		for deadline := time.Now().Add(10 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/1", nil)
		}
		wantContains(t, card, "Rewritten as asked.")
		if req := llm.lastRequest(); !strings.Contains(req, "<request>") || !strings.Contains(req, "free") {
			t.Errorf("request: %s", req)
		}
	})
	t.Run("unknown instruction", func(t *testing.T) {
		_, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=evil", draftsForm(texts, []int{0, 1}, nil))
		wantContains(t, card, "Choose how to rewrite this draft.")
	})
	t.Run("unknown draft", func(t *testing.T) {
		resp, _ := g.c.hx(http.MethodPost, statusURL+"/drafts/9/regenerate?instruction=shorter", nil)
		wantStatus(t, resp, http.StatusNotFound, "")
	})
	t.Run("another user's job", func(t *testing.T) {
		other := g.e.signIn("bob@example.com")
		resp, _ := other.get(strings.Replace(statusURL, "/jobs/", "?job=", 1))
		wantStatus(t, resp, http.StatusOK, "")
		resp, _ = other.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=shorter", nil)
		if resp.Header.Get("HX-Redirect") == "" {
			t.Errorf("another user reached the job: %d", resp.StatusCode)
		}
	})
}

func TestGenerateNeedsCSRF(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	for _, path := range []string{g.base, statusURL + "/drafts/0/regenerate?instruction=shorter", statusURL + "/approve", "/settings/llm/test"} {
		v := draftsForm(texts, []int{0}, nil)
		for k, vs := range g.brief(2) {
			v[k] = vs
		}
		v.Set("_csrf", "")
		resp, body := g.c.post(path, v)
		wantStatus(t, resp, http.StatusForbidden, body)
	}
	x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
	if len(x.Variants) != 2 {
		t.Errorf("a request without CSRF token changed the experiment: %+v", x.Variants)
	}
}

func TestSettingsLLM(t *testing.T) {
	t.Run("model", func(t *testing.T) {
		llm := newFakeLLM(t)
		g := newGenFixture(t, llm.generator(time.Second))
		resp, body := g.c.get("/settings")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `id="llm"`, "Configured", llm.srv.URL+"/v1", "test-model", "sk-…cdef", "COPYLAB_LLM_BASE_URL", "OPENAI_API_KEY",
			"only for OpenAI's own API: it is never sent to another base URL", "http://localhost:11434/v1", "Test connection", `hx-post="/settings/llm/test"`)
		wantNotContains(t, body, testLLMKey, "SECRET")

		resp, body = g.c.hx(http.MethodPost, "/settings/llm/test", nil)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `data-ok="true"`, "Connected: test-model at "+llm.srv.URL+"/v1 answered.")

		llm.setReply(failWith(401, nil, "Incorrect API key provided"))
		_, body = g.c.hx(http.MethodPost, "/settings/llm/test", nil)
		wantContains(t, body, `data-ok="false"`, "The test failed. The model service refused the API key")
		wantNotContains(t, body, testLLMKey)

		// Without JavaScript: a flash message on the settings page.
		resp, _ = g.c.post("/settings/llm/test", nil)
		wantStatus(t, resp, http.StatusSeeOther, "")
		_, body = g.c.get("/settings")
		wantContains(t, body, "The test failed.")
	})
	t.Run("offline", func(t *testing.T) {
		g := newGenFixture(t, nil)
		_, body := g.c.get("/settings")
		wantContains(t, body, "Offline", "offline generator", "How to connect a model")
		_, body = g.c.hx(http.MethodPost, "/settings/llm/test", nil)
		wantContains(t, body, "nothing to test")
	})
}

func TestAPIGenerate(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	tok := g.e.token("api@example.com")
	ctx := context.Background()

	var expID string
	t.Run("create with only the control", func(t *testing.T) {
		resp, out := g.e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+g.site.ID+`","name":"API hero","page":"/","selector":"[data-copylab=\"hero\"]",
			"goal":{"type":"event","name":"signup"},"brief":{"goal":"Get developers to sign up","audience":"developers"},
			"variants":[{"key":"control","text":"Ship faster with fewer meetings"}]}`)
		wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
		expID = out["id"].(string)
		if vs := out["variants"].([]any); len(vs) != 1 {
			t.Fatalf("variants %v", vs)
		}
		resp, out = g.e.api("POST", "/api/v1/experiments/"+expID+"/start", tok, "")
		wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
	})

	t.Run("without a brief: the saved one, with the control as current copy", func(t *testing.T) {
		resp, out := g.e.api("POST", "/api/v1/experiments/"+expID+"/generate", tok, `{"n":2}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		vs := out["variants"].([]any)
		if len(vs) != 2 || out["offline"] != false || out["model"] != "test-model-2026" {
			t.Fatalf("answer %v", out)
		}
		v := vs[0].(map[string]any)
		if v["key"] != "b" || v["source"] != "model" || v["angle"] == "" || v["rationale"] == "" || v["text"] == "" {
			t.Errorf("variant %v", v)
		}
		if _, ok := out["dropped"].([]any); !ok {
			t.Errorf("dropped is not a list: %v", out["dropped"])
		}
		req := llm.lastRequest()
		for _, want := range []string{"Ship faster with fewer meetings", "Get developers to sign up", "developers", "We say you, never users."} {
			if !strings.Contains(req, want) {
				t.Errorf("the model was not told %q: %s", want, req)
			}
		}
		x, _ := g.e.store.Experiment(ctx, expID)
		if len(x.Variants) != 3 || x.Variants[1].ApprovedBy != "api@example.com" || x.Variants[1].Model != "test-model-2026" || x.Variants[1].Source != "model" {
			t.Errorf("stored %+v", x.Variants)
		}
		var b variants.Brief
		if json.Unmarshal([]byte(x.Brief), &b) != nil || b.CurrentCopy != "Ship faster with fewer meetings" || b.N != 2 {
			t.Errorf("saved brief %s", x.Brief)
		}
	})

	t.Run("with a brief", func(t *testing.T) {
		resp, out := g.e.api("POST", "/api/v1/experiments/"+expID+"/generate", tok,
			`{"brief":{"goal":"Get developers to sign up","tone":"dry","n":1,"must_not_say":["guarantee"]}}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if vs := out["variants"].([]any); len(vs) != 1 || vs[0].(map[string]any)["key"] != "d" {
			t.Errorf("variants %v", vs)
		}
		if !strings.Contains(llm.lastRequest(), `"tone": "dry"`) {
			t.Errorf("request %s", llm.lastRequest())
		}
	})

	t.Run("without a brief after the control changed: the control is the current copy", func(t *testing.T) {
		text := "Ship faster, meet less"
		if _, err := g.e.store.UpdateVariant(ctx, expID, "control", experiments.VariantPatch{Text: &text}); err != nil {
			t.Fatal(err)
		}
		resp, out := g.e.api("POST", "/api/v1/experiments/"+expID+"/generate", tok, `{"n":1}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if cur := out["brief"].(map[string]any)["current_copy"]; cur != text {
			t.Errorf("current copy %v, want the control's %q", cur, text)
		}
		if !strings.Contains(llm.lastRequest(), text) {
			t.Errorf("the model was not told the control's copy: %s", llm.lastRequest())
		}
	})

	t.Run("no goal in any brief: the experiment's goal says what counts", func(t *testing.T) {
		// As the drafting page starts its brief (briefGoal), so a script
		// need not write the goal the experiment already has.
		resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":1}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if goal := out["brief"].(map[string]any)["goal"]; goal != "A click on #buy" {
			t.Errorf("brief goal %v, want the experiment's, A click on #buy", goal)
		}
		if !strings.Contains(llm.lastRequest(), "A click on #buy") {
			t.Errorf("the model was not told the goal: %s", llm.lastRequest())
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tt := range []struct {
			name, path, body string
			status           int
			code, field      string
		}{
			{"n out of range", "/api/v1/experiments/" + expID + "/generate", `{"n":0}`, 422, "invalid_brief", "n"},
			{"unknown field", "/api/v1/experiments/" + expID + "/generate", `{"brief":{"goals":"x"}}`, 400, "unknown_field", "brief.goals"},
			{"wrong type", "/api/v1/experiments/" + expID + "/generate", `{"n":"five"}`, 400, "invalid_json", "n"},
			{"unknown experiment", "/api/v1/experiments/nope/generate", `{}`, 404, "not_found", ""},
		} {
			resp, out := g.e.api("POST", tt.path, tok, tt.body)
			wantStatus(t, resp, tt.status, tt.name+": "+fmt.Sprint(out))
			code, field := errorShape(t, out)
			if code != tt.code || field != tt.field {
				t.Errorf("%s: code %s field %s", tt.name, code, field)
			}
		}
		resp, _ := g.e.api("POST", "/api/v1/experiments/"+expID+"/generate", "", `{}`)
		wantStatus(t, resp, http.StatusUnauthorized, "")
	})

	t.Run("started experiments take no drafts", func(t *testing.T) {
		g.e.transition(expID, experiments.ActionStart)
		calls := llm.calls()
		resp, out := g.e.api("POST", "/api/v1/experiments/"+expID+"/generate", tok, `{}`)
		wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
		if llm.calls() != calls {
			t.Error("the model was asked for a started experiment")
		}
	})
}

func TestExperimentFormGenerateButton(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	c.get("/experiments/new")
	resp, body := c.post("/experiments", url.Values{
		"op": {"generate"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {`[data-copylab="hero"]`},
		"goal_type": {"click"}, "goal_selector": {"#signup"}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Project management for busy teams"}, "variants[0].weight": {"50"},
		"variants[1].key": {""}, "variants[1].text": {""}, "variants[1].weight": {"50"},
	})
	wantStatus(t, resp, http.StatusSeeOther, body)
	loc := resp.Header.Get("Location")
	if !strings.HasSuffix(loc, "/generate") {
		t.Fatalf("redirect to %s", loc)
	}
	_, page := c.get(loc)
	wantContains(t, page, ">Project management for busy teams</textarea>", "Draft saved. Now describe the copy you want")
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/experiments/"), "/generate")
	x, err := e.store.Experiment(context.Background(), id)
	if err != nil || len(x.Variants) != 1 || x.Variants[0].WeightBP != 10000 {
		t.Fatalf("draft %+v %v", x.Variants, err)
	}
	_, page = c.get("/experiments/" + id)
	wantContains(t, page, "Only the original copy so far.", "Draft copy with AI")

	// Save draft still wants a variant.
	c.get("/experiments/new")
	resp, body = c.post("/experiments", url.Values{
		"op": {"save"}, "site_id": {site.ID}, "name": {"Hero 2"}, "page": {"/"}, "selector": {`[data-copylab="hero"]`},
		"goal_type": {"click"}, "goal_selector": {"#signup"}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Project management for busy teams"},
		"variants[1].key": {""}, "variants[1].text": {""},
	})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-variants-1-text-error"`)
}

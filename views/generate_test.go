package views

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func byClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		v, _ := attr(n, "class")
		for _, c := range strings.Fields(v) {
			if c == class {
				return true
			}
		}
		return false
	}
}

// testGeneratePage is a generation page whose every model-written field
// holds markup.
func testGeneratePage() GeneratePage {
	job := GenerateJob{
		ID: "j1", State: JobDone, StatusURL: "/experiments/x1/generate/jobs/j1", PageURL: "/experiments/x1/generate?job=j1",
		ApproveURL: "/experiments/x1/generate/jobs/j1/approve", CSRF: "tok", Model: evil,
		Notes:   []string{"Note " + evil},
		Dropped: []DroppedDraft{{Text: evil, Reason: "Reason " + evil}},
		Drafts: []DraftCard{
			{Index: 0, Text: evil, Original: evil, Angle: evil, Rationale: evil, Source: "model", Model: evil, PromptVersion: "v1",
				MaxLength: 70, Include: true, URL: "/d/0", RegenerateURL: "/d/0/regenerate", Note: `"><script>`},
			{Index: 1, Text: "</textarea>" + evil, Original: "Plain", Angle: "question", Source: "model", Model: "m", MaxLength: 20,
				Include: false, Regenerating: true, Instruction: evil, URL: "/d/1", RegenerateURL: "/d/1/regenerate"},
		},
	}
	return GeneratePage{
		Page: testPage(), ID: "x1", Name: evil, SiteName: evil, Status: "draft", Room: 9, PostURL: "/experiments/x1/generate",
		ScriptURL: "/static/h/js/generate.js", StyleURL: "/static/h/css/generate.css",
		Brief: BriefForm{CurrentCopy: "</textarea>" + evil, Goal: `"><script>`, BrandVoice: evil, N: "3", Errors: Errors{"goal": evil}},
		Help:  map[string]BriefHelp{"goal": {Label: "Goal", Help: "Help " + evil, Example: evil, Required: true}},
		LLM:   LLMInfo{Model: evil, BaseURL: evil},
		Job:   &job,
	}
}

func TestGeneratePageEscapesModelText(t *testing.T) {
	doc, raw := renderDoc(t, Generate(testGeneratePage()))
	if strings.Contains(raw, evil) || strings.Contains(raw, `"><script>`) {
		t.Fatal("model or brief text reached the page unescaped")
	}
	// Only the layout's scripts and the page's own file: no inline script.
	for _, s := range find(doc, byTag("script")) {
		if src, _ := attr(s, "src"); src == "" {
			t.Error("an inline script")
		}
	}
	if n := len(find(doc, byTag("script"))); n != 3 {
		t.Errorf("%d scripts, want the layout's 2 and generate.js", n)
	}
	areas := find(doc, byAttr("name", "drafts[1].text"))
	if len(areas) != 1 || text(areas[0]) != "</textarea>"+evil {
		t.Errorf("draft textarea holds %q", text(areas[0]))
	}
	if _, ok := attr(areas[0], "readonly"); !ok {
		t.Error("a draft being rewritten is editable")
	}
	if v, _ := attr(find(doc, byAttr("name", "drafts[0].text"))[0], "data-original"); v != evil {
		t.Errorf("data-original %q", v)
	}
	for _, class := range []string{"badge-angle", "rationale", "dropped-text", "draft-source"} {
		els := find(doc, byClass(class))
		if len(els) == 0 || !strings.Contains(text(els[0]), evil) {
			t.Errorf(".%s does not show the text as text", class)
		}
	}
	brief := find(doc, byAttr("name", "current_copy"))
	if len(brief) != 1 || text(brief[0]) != "</textarea>"+evil {
		t.Error("the brief's current copy is not kept as typed")
	}
}

func TestDraftCards(t *testing.T) {
	p := testGeneratePage()
	doc, _ := renderDoc(t, GenerationStatus(*p.Job))
	cards := find(doc, byClass("draft"))
	if len(cards) != 2 {
		t.Fatalf("%d cards", len(cards))
	}
	// A card being rewritten polls itself; the others do not.
	if _, ok := attr(cards[0], "hx-get"); ok {
		t.Error("an idle card polls")
	}
	if u, _ := attr(cards[1], "hx-get"); u != "/d/1" {
		t.Errorf("busy card polls %q", u)
	}
	// Unticked drafts are marked, ticked ones checked.
	if !byClass("draft-excluded")(cards[1]) || byClass("draft-excluded")(cards[0]) {
		t.Error("the excluded mark is wrong")
	}
	boxes := find(doc, byAttr("name", "drafts[0].include"))
	if _, ok := attr(boxes[0], "checked"); !ok {
		t.Error("an included draft is not ticked")
	}
	// Rewrite buttons swap only their card, and work without htmx too.
	buttons := find(cards[0], byAttr("data-instruction", "shorter"))
	if len(buttons) != 1 {
		t.Fatal("no Shorter button")
	}
	for k, want := range map[string]string{"hx-post": "/d/0/regenerate?instruction=shorter", "formaction": "/d/0/regenerate?instruction=shorter",
		"hx-target": "closest .draft", "hx-swap": "outerHTML"} {
		if v, _ := attr(buttons[0], k); v != want {
			t.Errorf("%s=%q, want %q", k, v, want)
		}
	}
	if c := find(cards[1], byAttr("data-instruction", "shorter")); len(c) != 0 {
		t.Error("a busy card offers a rewrite")
	}
	// The character count is rendered by the server.
	counts := find(doc, byClass("char-count"))
	if len(counts) != 2 || text(counts[1]) != "36 / 20 characters" || !byClass("over")(counts[1]) {
		t.Errorf("counts %q", text(counts[1]))
	}
}

func TestGenerationStates(t *testing.T) {
	running := GenerateJob{State: JobRunning, Progress: "Writing 5 drafts with gpt-4o-mini…", StatusURL: "/s", PageURL: "/p"}
	doc, raw := renderDoc(t, GenerationStatus(running))
	sec := find(doc, byAttr("id", "generation"))[0]
	if u, _ := attr(sec, "hx-get"); u != "/s" {
		t.Errorf("running job polls %q", u)
	}
	if !strings.Contains(raw, "Writing 5 drafts with gpt-4o-mini…") || len(find(doc, byClass("spinner"))) != 1 {
		t.Error("no progress")
	}

	failed := GenerateJob{State: JobFailed, Error: "The model service is rate limiting requests; wait a moment and try again.", ErrorCode: "llm_rate_limited", RetryAfter: 7}
	doc, raw = renderDoc(t, GenerationStatus(failed))
	if _, ok := attr(find(doc, byAttr("id", "generation"))[0], "hx-get"); ok {
		t.Error("a failed job polls")
	}
	for _, want := range []string{"rate limiting requests", "wait 7 seconds", `form="brief-form"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("failed state lacks %q", want)
		}
	}

	offline := GenerateJob{State: JobDone, Offline: true, Drafts: []DraftCard{{Text: "Try it free", Source: "offline", MaxLength: 30, Include: true}}}
	_, raw = renderDoc(t, GenerationStatus(offline))
	for _, want := range []string{"These are offline suggestions", "/settings#llm", "offline template"} {
		if !strings.Contains(raw, want) {
			t.Errorf("offline drafts lack %q", want)
		}
	}
}

// TestGenerationProgress: while drafts are written, the progress says how
// long it has been running (from the job's start, in words generate.js
// counts on from), what to expect of the generator in use, and, once a
// model has taken a while, that it is still working and that the
// marketer may leave; it never promises "a few seconds". The poll key
// changes with that meaning, not with each second.
func TestGenerationProgress(t *testing.T) {
	const progress = "Writing 5 drafts with llama3…"
	tests := []struct {
		name      string
		job       GenerateJob
		note      string // the whole line under the progress, Refresh included
		elapsedMS string
		still     bool
	}{
		{"model at first", GenerateJob{Elapsed: 300 * time.Millisecond, Limit: 3 * time.Minute},
			"Running for less than a second; this page updates by itself. copylab waits up to 3 minutes for the model. Refresh", "300", false},
		{"model after 14 s", GenerateJob{Elapsed: 14900 * time.Millisecond, Limit: 3 * time.Minute},
			"Running for 14 seconds; this page updates by itself. copylab waits up to 3 minutes for the model. Refresh", "14900", false},
		{"model after 15 s", GenerateJob{Elapsed: 15 * time.Second, Limit: 3 * time.Minute},
			"Still working after 15 seconds; you can leave this page and come back within the hour. copylab waits up to 3 minutes for the model. Refresh", "15000", true},
		// The page says the limit on each answer, which fails the job
		// when it passes (--llm-timeout), not only the job's in all.
		{"model with an answer limit", GenerateJob{Elapsed: 15 * time.Second, Limit: 3 * time.Minute, AnswerLimit: 20 * time.Second},
			"Still working after 15 seconds; you can leave this page and come back within the hour. copylab waits up to 20 seconds for each answer from the model, 3 minutes in all. Refresh", "15000", true},
		{"model after 2 min 5 s", GenerateJob{Elapsed: 125 * time.Second, Limit: 3 * time.Minute},
			"Still working after 2 minutes 5 seconds; you can leave this page and come back within the hour. copylab waits up to 3 minutes for the model. Refresh", "125000", true},
		{"offline", GenerateJob{Offline: true, Elapsed: time.Second},
			"Running for 1 second; this page updates by itself. The offline generator is usually done in a moment. Refresh", "1000", false},
		{"offline, slow machine", GenerateJob{Offline: true, Elapsed: time.Minute},
			"Running for 1 minute; this page updates by itself. The offline generator is usually done in a moment. Refresh", "60000", false},
	}
	keys := map[bool]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := tt.job
			j.State, j.Progress, j.StatusURL, j.PageURL = JobRunning, progress, "/s", "/p"
			doc, raw := renderDoc(t, GenerationStatus(j))
			notes := find(doc, byClass("gen-progress-note"))
			if len(notes) != 1 {
				t.Fatalf("%d progress notes", len(notes))
			}
			if got := strings.Join(strings.Fields(text(notes[0])), " "); got != tt.note {
				t.Errorf("note\n got %q\nwant %q", got, tt.note)
			}
			if strings.Contains(raw, "few seconds") {
				t.Error("the progress promises a few seconds")
			}
			spans := find(notes[0], byAttr("data-elapsed-ms", tt.elapsedMS))
			if len(spans) != 1 || !strings.Contains(tt.note, text(spans[0])) {
				t.Errorf("no running time for generate.js to count on from (data-elapsed-ms=%s)", tt.elapsedMS)
			}
			sec := find(doc, byAttr("id", "generation"))[0]
			key, _ := attr(sec, "data-poll-quiet")
			if k, seen := keys[tt.still]; seen && k != key && !j.Offline {
				t.Errorf("poll key %q, want %q as for the other runs in this phase", key, k)
			}
			if !j.Offline {
				keys[tt.still] = key
			}
			says, _ := attr(sec, "data-announce")
			if got := strings.Contains(says, "Still working"); got != tt.still {
				t.Errorf("announced %q", says)
			}
		})
	}
	if keys[false] == keys[true] {
		t.Errorf("the poll key %q does not change when the progress starts to say it is still working", keys[false])
	}
}

func TestProvenanceLine(t *testing.T) {
	at := time.Date(2026, 1, 2, 15, 4, 0, 0, time.UTC)
	tests := []struct {
		name string
		p    Provenance
		want string
	}{
		{"model", Provenance{Source: "model", Model: "gpt-4o-mini", PromptVersion: "v1", Created: at, ApprovedBy: "ann@example.com"},
			"gpt-4o-mini · prompt v1 · 2 Jan 2026, 15:04 UTC · approved by ann@example.com"},
		{"edited", Provenance{Source: "model", Model: "m", Edited: true}, "m · edited by hand"},
		{"offline", Provenance{Source: "offline", PromptVersion: "offline-v1", ApprovedBy: "a@b.c"}, "offline generator · templates offline-v1 · approved by a@b.c"},
		{"human", Provenance{Source: "human", ApprovedBy: "a@b.c"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Line(); got != tt.want {
				t.Errorf("Line() = %q, want %q", got, tt.want)
			}
			_, raw := renderDoc(t, ProvenanceLine(tt.p))
			if (tt.want == "") != !strings.Contains(raw, "provenance") {
				t.Errorf("rendered %q", raw)
			}
		})
	}
	_, raw := renderDoc(t, ProvenanceLine(Provenance{Source: "model", Model: evil}))
	if strings.Contains(raw, evil) {
		t.Error("model name unescaped")
	}
}

func TestLLMSettingsSection(t *testing.T) {
	_, raw := renderDoc(t, LLMSettings(LLMSettingsSection{LLM: LLMInfo{Mode: "openai-compatible", BaseURL: "http://localhost:11434/v1", Model: evil, KeyHint: "sk-…cdef"},
		TestURL: "/settings/llm/test", CSRF: "tok"}))
	for _, want := range []string{"http://localhost:11434/v1", "sk-…cdef", "COPYLAB_LLM_API_KEY", "OPENAI_API_KEY", `hx-post="/settings/llm/test"`, `name="_csrf"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("section lacks %q", want)
		}
	}
	if strings.Contains(raw, evil) {
		t.Error("model name unescaped")
	}
	_, raw = renderDoc(t, LLMTestOutcome(LLMTestResult{Message: evil}))
	if strings.Contains(raw, evil) || !strings.Contains(raw, `data-ok="false"`) {
		t.Errorf("outcome %s", raw)
	}
}

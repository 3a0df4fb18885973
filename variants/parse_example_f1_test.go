package variants

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// exampleDraft is the lone object a model prints to show the format
// before its real answer.
const exampleDraft = `{"angle":"x","text":"example","rationale":"y"}`

// bareList is the drafts as a bare JSON array, without the
// {"variants": ...} wrapper.
func bareList(texts ...string) string {
	var v struct {
		Variants json.RawMessage `json:"variants"`
	}
	_ = json.Unmarshal([]byte(variantsJSON(texts...)), &v)
	return string(v.Variants)
}

// TestParseOutputPrefersTheList: a model that shows the format with one
// example object and then writes the list of drafts answered with the
// list. The example was taken as the only draft, and the real list
// thrown away, because lone objects seen first blocked every list after
// them.
func TestParseOutputPrefersTheList(t *testing.T) {
	five := good[:5]
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"example, then a bare array",
			"Here is the format: " + exampleDraft + "\nAnd here are the drafts:\n" + bareList(five...), five},
		{"example, then a variants object",
			"Here is the format: " + exampleDraft + "\n\n" + variantsJSON(five...), five},
		{"a bare array, then an example",
			bareList(five...) + "\nEach one follows the format " + exampleDraft, five},
		{"a variants object, then an example",
			"Drafts: " + variantsJSON(five...) + "\nFormat: " + exampleDraft, five},
		{"a fenced example, then a fenced list",
			"Format:\n```json\n" + exampleDraft + "\n```\nDrafts:\n```json\n" + bareList(five...) + "\n```", five},
		{"a fenced example, then a list in prose",
			"Format:\n```json\n" + exampleDraft + "\n```\nDrafts: " + variantsJSON(five...), five},
		{"an example in prose, then a fenced list",
			"Format: " + exampleDraft + "\n```json\n" + variantsJSON(five...) + "\n```", five},
		// Unchanged: lone objects with no list are the drafts.
		{"lone objects only",
			`{"text":"One"} {"text":"Two"}`, []string{"One", "Two"}},
		{"a fenced lone object only",
			"```json\n" + `{"text":"One","angle":"a"}` + "\n```", []string{"One"}},
		// Items salvaged from a broken list outnumber a short list after
		// them: the list is not the answer.
		{"a broken list of three, then a list of one",
			`[{"text":"One"} {"text":"Two"} {"text":"Three"}] tags: ["Four"]`, []string{"One", "Two", "Three"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOutput(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if texts := draftTexts(got); strings.Join(texts, "|") != strings.Join(tt.want, "|") {
				t.Errorf("texts = %q, want %q", texts, tt.want)
			}
		})
	}
}

// TestGenerateExampleBeforeTheList: through Generate, the answer with an
// example first brings the five drafts in one request, and the example
// is neither kept nor listed as discarded.
func TestGenerateExampleBeforeTheList(t *testing.T) {
	f := newFakeLLM(t, okReply("Here is the format: "+exampleDraft+"\n"+bareList(good[:5]...)))
	res, err := f.generator().Generate(context.Background(), testBrief)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, v := range res.Variants {
		texts = append(texts, v.Text)
	}
	if strings.Join(texts, "|") != strings.Join(good[:5], "|") {
		t.Errorf("texts = %q, want %q", texts, good[:5])
	}
	if len(res.Dropped) != 0 || len(f.bodies) != 1 {
		t.Errorf("dropped %+v after %d requests; want none after 1", res.Dropped, len(f.bodies))
	}
}

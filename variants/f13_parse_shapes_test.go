package variants

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// threeGood is a proper answer of three drafts, as the prompt asks.
var threeGood = variantsJSON(good[:3]...)

// TestParseOutputSkipsThinking: reasoning models (Ollama's qwen3,
// deepseek-r1) write their thinking in a <think> block at the start of
// the content. JSON-ish text in it is a sketch, not the answer: only what
// follows the block is parsed.
func TestParseOutputSkipsThinking(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // nil: no drafts (errNoVariants)
	}{
		{
			name: "a list of angles in the thinking",
			in:   "<think>\nAngles to use: [\"benefit first\", \"urgency\", \"social proof\"]. Keep each under 30 characters.\n</think>\n\n" + threeGood,
			want: good[:3],
		},
		{
			name: "a draft object in the thinking",
			in:   `<think>Something like {"text": "Sign up now", "angle": "urgency"} is too close to the control.</think>` + "\n" + threeGood,
			want: good[:3],
		},
		{
			name: "a fenced sketch in the thinking",
			in:   "<think>\nDraft:\n```json\n{\"variants\":[{\"text\":\"Sketch one\"}]}\n```\nBetter ones now.\n</think>\n```json\n" + threeGood + "\n```",
			want: good[:3],
		},
		{
			name: "upper case, leading white space",
			in:   "\n  <THINK>[\"no\"]</Think>" + threeGood,
			want: good[:3],
		},
		{
			name: "a thinking tag",
			in:   `<thinking>["no", "nope"]</thinking> ` + threeGood,
			want: good[:3],
		},
		{
			name: "a reasoning tag",
			in:   `<reasoning>{"text":"no"}</reasoning>` + threeGood,
			want: good[:3],
		},
		{
			name: "two blocks",
			in:   `<think>["a"]</think><think>["b"]</think>` + threeGood,
			want: good[:3],
		},
		{
			// DeepSeek-R1's chat template opens the block itself, so the
			// content holds only its end (ggml-org/llama.cpp#11861).
			name: "only the closing tag",
			in:   "Angles: [\"benefit first\", \"urgency\"]\n</think>\n\n" + threeGood,
			want: good[:3],
		},
		{
			name: "an unclosed block is no answer",
			in:   "<think>\nMaybe " + threeGood + " but I am still thinking",
		},
		{
			name: "a closed block and nothing after it",
			in:   `<think>["a", "b"]</think>` + "\n ",
		},
		{
			name: "no thinking: unchanged",
			in:   `Here: ["One", "Two"]`,
			want: []string{"One", "Two"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOutput(tt.in)
			if tt.want == nil {
				if !errors.Is(err, errNoVariants) {
					t.Fatalf("got %+v, %v; want errNoVariants", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if texts := draftTexts(got); strings.Join(texts, "|") != strings.Join(tt.want, "|") {
				t.Errorf("texts = %q, want %q", texts, tt.want)
			}
		})
	}
}

// TestParseOutputTrailingCommas: a comma before a closing } or ] is a
// common slip of smaller models. It is taken out, outside strings only,
// so every draft of such a list is read, with its angle and rationale.
func TestParseOutputTrailingCommas(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []draft
	}{
		{
			name: "in items and after the last one",
			in:   `{"variants":[{"text":"Plan every project","angle":"x","rationale":"y",},{"text":"Start your free trial today","angle":"a","rationale":"b"},]}`,
			want: []draft{{"Plan every project", "x", "y"}, {"Start your free trial today", "a", "b"}},
		},
		{
			name: "white space around the comma, in a fence",
			in:   "Sure:\n```json\n{\"variants\": [\n  {\"text\": \"One\"} ,\n  {\"text\": \"Two\",\r\n\t}\n,\n]\n,}\n```",
			want: []draft{{Text: "One"}, {Text: "Two"}},
		},
		{
			name: "commas and brackets inside strings are left alone",
			in:   `{"variants":[{"text":"Wait,} really, ]","rationale":"a \",}\" b",},]}`,
			want: []draft{{Text: "Wait,} really, ]", Rationale: `a ",}" b`}},
		},
		{
			name: "a bare list of strings",
			in:   `["One", "Two",]`,
			want: []draft{{Text: "One"}, {Text: "Two"}},
		},
		{
			name: "cut off after an item with a trailing comma",
			in:   `{"variants":[{"text":"One",},{"text":"Two"},{"text":"Thr`,
			want: []draft{{Text: "One"}, {Text: "Two"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOutput(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("draft %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestParseAnswerCountsUnreadable: an item that is broken past repair is
// counted, so the note can say so rather than blame the model for
// repeats; prose in braces and a cut-off last item are not counted.
func TestParseAnswerCountsUnreadable(t *testing.T) {
	tests := []struct {
		name           string
		in             string
		wantTexts      []string
		wantUnreadable int
	}{
		{"a missing comma", `{"variants":[{"text":"One" "angle":"x"},{"text":"Two"}]}`, []string{"Two"}, 1},
		{"single quotes", `{"variants":[{'text':'One'},{"text":"Two"}]}`, []string{"Two"}, 1},
		{"prose in braces", `Sure {really}! ` + threeGood, good[:3], 0},
		{"a cut-off item", `{"variants":[{"text":"One"},{"text":"Tw`, []string{"One"}, 0},
		{"all well", threeGood, good[:3], 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseAnswer(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if texts := draftTexts(p.drafts); strings.Join(texts, "|") != strings.Join(tt.wantTexts, "|") {
				t.Errorf("texts = %q, want %q", texts, tt.wantTexts)
			}
			if p.unreadable != tt.wantUnreadable {
				t.Errorf("unreadable = %d, want %d", p.unreadable, tt.wantUnreadable)
			}
		})
	}
}

// TestGenerateReasoningModel goes through the Generator and a fake
// OpenAI-compatible server.
func TestGenerateReasoningModel(t *testing.T) {
	thinking := "<think>\nAngles to use: [\"benefit first\", \"urgency\", \"social proof\"]. Something like {\"text\": \"Sign up now\"} is too close.\n</think>\n\n"

	t.Run("the drafts after the thinking are kept, and the thinking is not sent back", func(t *testing.T) {
		f := newFakeLLM(t, okReply(thinking+variantsJSON(good[:3]...)), okReply(thinking+variantsJSON(good[3:5]...)))
		res, err := f.generator().Generate(context.Background(), testBrief) // N is 5
		if err != nil {
			t.Fatal(err)
		}
		if texts := variantTexts(res.Variants); strings.Join(texts, "|") != strings.Join(good[:5], "|") {
			t.Errorf("variants = %q, want %q", texts, good[:5])
		}
		if len(res.Dropped) != 0 || len(res.Notes) != 0 {
			t.Errorf("dropped %+v, notes %q; want none", res.Dropped, res.Notes)
		}
		if echo := f.messages(1)[2]; echo != variantsJSON(good[:3]...) {
			t.Errorf("the follow-up replays %q, want the answer without the thinking", echo)
		}
	})

	t.Run("thinking and no answer", func(t *testing.T) {
		f := newFakeLLM(t, okReply("<think>\nThe user wants "+variantsJSON(good[:2]...)+", so"))
		_, err := f.generator().Generate(context.Background(), testBrief)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeBadOutput {
			t.Fatalf("err = %v, want %s", err, CodeBadOutput)
		}
		wantIn(t, "message", e.Message, "only its thinking", "no answer")
		if f.calls() != 1 {
			t.Errorf("%d calls, want 1: no answer is no answer, as an empty one", f.calls())
		}
	})

	t.Run("a refusal after the thinking", func(t *testing.T) {
		f := newFakeLLM(t, okReply(thinking+"I'm sorry, but I can't help with that."))
		_, err := f.generator().Generate(context.Background(), testBrief)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeRefused {
			t.Fatalf("err = %v, want %s", err, CodeRefused)
		}
	})

	t.Run("regenerate", func(t *testing.T) {
		f := newFakeLLM(t, okReply("<think>{\"text\":\"Sign up now\"}</think>"+variantsJSON(good[5])))
		c, err := f.generator().Regenerate(context.Background(), testBrief, good[:4], good[4], InstructionDifferentAngle)
		if err != nil {
			t.Fatal(err)
		}
		if c.Text != good[5] {
			t.Errorf("text = %q, want %q", c.Text, good[5])
		}
	})
}

// TestGenerateTrailingCommas: both drafts of a list with trailing commas
// are kept; an item broken past repair is not called a repeat.
func TestGenerateTrailingCommas(t *testing.T) {
	t.Run("both drafts kept", func(t *testing.T) {
		f := newFakeLLM(t, okReply(`{"variants":[{"text":"`+good[0]+`","angle":"x","rationale":"y",},{"text":"`+good[3]+`","angle":"a","rationale":"b"},]}`))
		b := testBrief
		b.N = 2
		res, err := f.generator().Generate(context.Background(), b)
		if err != nil {
			t.Fatal(err)
		}
		if texts := variantTexts(res.Variants); strings.Join(texts, "|") != good[0]+"|"+good[3] {
			t.Errorf("variants = %q", texts)
		}
		if f.calls() != 1 || len(res.Notes) != 0 || len(res.Dropped) != 0 {
			t.Errorf("%d calls, notes %q, dropped %+v; want 1 and none", f.calls(), res.Notes, res.Dropped)
		}
	})

	t.Run("an unreadable item is not a repeat", func(t *testing.T) {
		// The server answers the follow-up with the same broken list.
		f := newFakeLLM(t, okReply(`{"variants":[{"text":"`+good[0]+`" "angle":"x"},{"text":"`+good[3]+`"}]}`))
		b := testBrief
		b.N = 3
		res, err := f.generator().Generate(context.Background(), b)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Variants) != 1 {
			t.Fatalf("variants = %q, want one", variantTexts(res.Variants))
		}
		wantNotIn(t, "shortfall", res.Shortfall, "repeat", "again")
		wantIn(t, "shortfall", res.Shortfall, "1 of the 3 drafts", "not valid JSON")
	})
}

// FuzzTrailingCommas: the repair never changes valid JSON, and only ever
// takes commas out.
func FuzzTrailingCommas(f *testing.F) {
	for _, s := range []string{
		`{"a":[1,2,],}`, `{"t":"x,}",}`, `["\\",]`, `{"t":"\",]"}`, `[1,2]`, `{`, `[,]`, `{"a":"b",  }`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || (s[0] != '{' && s[0] != '[') {
			return
		}
		sc := scanValue(s)
		if !sc.closed {
			return
		}
		if json.Valid([]byte(s[:sc.end])) && sc.fixed != "" {
			t.Fatalf("repaired valid JSON %q into %q", s[:sc.end], sc.fixed)
		}
		if sc.fixed == "" {
			return
		}
		// fixed is s[:end] with some commas taken out.
		src, j := s[:sc.end], 0
		for i := 0; i < len(src); i++ {
			if j < len(sc.fixed) && src[i] == sc.fixed[j] {
				j++
			} else if src[i] != ',' {
				t.Fatalf("repair of %q took out %q", src, src[i])
			}
		}
		if j != len(sc.fixed) {
			t.Fatalf("repair of %q gave %q, not a part of it", src, sc.fixed)
		}
	})
}

func draftTexts(ds []draft) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Text)
	}
	return out
}

// FuzzWithoutThinking: the answer is always the end of the content, and
// parsing content with thinking keeps parseOutput's promises.
func FuzzWithoutThinking(f *testing.F) {
	for _, s := range []string{
		"<think>[\"a\"]</think>" + threeGood, "<THINKING>\n</thinking>", "<think>", "</think>x", "<reasoning>{</reasoning>[\"b\"]",
		"  <think>a</think> <think>b</think>c", "x</think>y</think>", "<think></thinking>", "<Think>İ</THINK>[\"İ\"]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		answer, only := withoutThinking(content)
		if !strings.HasSuffix(content, answer) {
			t.Fatalf("answer %q is not the end of %q", answer, content)
		}
		if only && strings.TrimSpace(answer) != "" {
			t.Fatalf("only thinking, but the answer is %q", answer)
		}
		drafts, err := parseOutput(content)
		if (err == nil) == (len(drafts) == 0) || len(drafts) > maxDraftsPerCall {
			t.Fatalf("%d drafts and %v", len(drafts), err)
		}
	})
}

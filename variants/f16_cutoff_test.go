package variants

import (
	"context"
	"strings"
	"testing"
)

// cutAfter is a list of drafts whose answer stops part way through the
// item after texts: the whole items come before the cut.
func cutAfter(texts ...string) string {
	whole := variantsJSON(texts...)
	return strings.TrimSuffix(whole, "]}") + `,{"text":"Plan every cli`
}

// TestF16CutOffKeepsWholeDrafts: an answer cut off by the output limit
// (finish_reason "length") after whole drafts keeps them, asks the
// model again for the rest, and says it was cut off. It used to discard
// them all with "ask for fewer drafts or shorter copy".
func TestF16CutOffKeepsWholeDrafts(t *testing.T) {
	t.Run("two whole drafts, the rest asked again", func(t *testing.T) {
		f := newFakeLLM(t,
			reply{body: completionBody(cutAfter(good[:2]...), "length")},
			okReply(variantsJSON(good[2:5]...)),
		)
		res, err := f.generator().Generate(context.Background(), testBrief)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		var texts []string
		for _, v := range res.Variants {
			texts = append(texts, v.Text)
		}
		if strings.Join(texts, "|") != strings.Join(good[:5], "|") {
			t.Errorf("variants = %q, want %q", texts, good[:5])
		}
		if f.calls() != 2 {
			t.Errorf("calls = %d, want 2: one follow-up for the 3 missing drafts", f.calls())
		}
		wantIn(t, "follow-up", strings.Join(f.messages(1), "\n"), "3")
		wantIn(t, "notes", strings.Join(res.Notes, "\n"), "The model's answer was cut off after 2 drafts")
		if res.Shortfall != "" {
			t.Errorf("shortfall = %q, want none: the follow-up wrote the rest", res.Shortfall)
		}
	})

	t.Run("follow-up fails, the whole drafts stay", func(t *testing.T) {
		f := newFakeLLM(t,
			reply{body: completionBody(cutAfter(good[:2]...), "length")},
			apiError(400, "bad request"),
		)
		res, err := f.generator().Generate(context.Background(), testBrief)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if len(res.Variants) != 2 {
			t.Errorf("variants = %d, want the 2 whole ones", len(res.Variants))
		}
		notes := strings.Join(res.Notes, "\n")
		wantIn(t, "notes", notes, "cut off after 2 drafts", "Asking the model again for the missing drafts failed")
	})

	t.Run("cut-off follow-up with no whole draft", func(t *testing.T) {
		f := newFakeLLM(t,
			reply{body: completionBody(cutAfter(good[:2]...), "length")},
			reply{body: completionBody(`{"variants":[{"text":"How agen`, "length")},
		)
		res, err := f.generator().Generate(context.Background(), testBrief)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if len(res.Variants) != 2 {
			t.Errorf("variants = %d, want the 2 whole ones", len(res.Variants))
		}
		wantIn(t, "notes", strings.Join(res.Notes, "\n"),
			"Asking the model again for the missing drafts failed: The model's answer was cut off before it was complete")
	})

	t.Run("one whole draft says draft", func(t *testing.T) {
		f := newFakeLLM(t,
			reply{body: completionBody(cutAfter(good[0]), "length")},
			okReply(variantsJSON(good[1:5]...)),
		)
		res, err := f.generator().Generate(context.Background(), testBrief)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		wantIn(t, "notes", strings.Join(res.Notes, "\n"), "cut off after 1 draft;")
	})
}

// TestF16CutOffStillFails: a cut-off answer with no whole draft, with
// only thinking, or to a rewrite still fails as llm_truncated, without
// a second request.
func TestF16CutOffStillFails(t *testing.T) {
	tests := []struct {
		name    string
		content string
		rewrite bool
		want    string
	}{
		{name: "no whole draft", content: `{"variants":[{"text":"Plan every client`, want: "ask for fewer drafts or shorter copy"},
		{name: "empty", content: "", want: "ask for fewer drafts or shorter copy"},
		{name: "thinking never closed", content: "<think>\nThe user wants " + variantsJSON(good[:2]...) + ", so",
			want: "spent its whole answer thinking"},
		{name: "rewrite", content: cutAfter(good[5]), rewrite: true, want: "cut off before it was complete; try again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, reply{body: completionBody(tt.content, "length")}, okReply(variantsJSON(good...)))
			var err error
			if tt.rewrite {
				_, err = f.generator().Regenerate(context.Background(), testBrief, nil, good[0], InstructionDifferentAngle)
			} else {
				_, err = f.generator().Generate(context.Background(), testBrief)
			}
			e := wantErrCode(t, err, CodeTruncated)
			wantIn(t, "message", e.Message, tt.want)
			if f.calls() != 1 {
				t.Errorf("calls = %d, want 1", f.calls())
			}
		})
	}
}

package variants

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// pressUntilExhausted presses one rewrite button on draft i of a fresh
// generation, feeding each answer back as the draft's text, as the
// drafting page does, until the offline generator says it has nothing
// new. It fails the test when a press brings back a line already shown
// (on the page or by an earlier press), when "more like this" leaves the
// draft's angle or "different angle" keeps it, when the last answer is
// not offline_exhausted with a sentence saying what to try instead, or
// when the walk takes more presses than the brief has lines. It returns
// the drafts the presses wrote, in order.
func pressUntilExhausted(t *testing.T, b Brief, i int, instruction string) []Candidate {
	t.Helper()
	g, _ := New(Config{})
	ctx := context.Background()
	res, err := g.Generate(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	texts := variantTexts(res.Variants)
	i = min(i, len(texts)-1)
	others := append(append([]string{}, texts[:i]...), texts[i+1:]...)
	first := res.Variants[i]
	seen := map[string]bool{}
	for _, s := range texts {
		seen[sameWords(s)] = true
	}
	pool := len(digest(b.Normalize()).expand())
	current := first.Text
	var out []Candidate
	for press := 1; ; press++ {
		if press > pool+1 {
			t.Fatalf("%q on draft %d: still writing after %d presses, more than the brief's %d lines: %q",
				instruction, i+1, press-1, pool, variantTexts(out))
		}
		c, err := g.Regenerate(ctx, b, others, current, instruction)
		if err != nil {
			var e *Error
			switch {
			case !errors.As(err, &e) || e.Code != CodeOfflineExhausted || e.Status != http.StatusUnprocessableEntity:
				t.Fatalf("%q press %d on %q: %v", instruction, press, current, err)
			case !strings.Contains(e.Message, "nothing new") || !strings.Contains(e.Message, "by hand"):
				t.Errorf("%q: the last answer does not say there is nothing new and what to try instead: %q", instruction, e.Message)
			}
			return out
		}
		key := sameWords(c.Text)
		if seen[key] {
			t.Errorf("%q press %d on draft %d: %q was shown before", instruction, press, i+1, c.Text)
			return out
		}
		seen[key] = true
		switch instruction {
		case InstructionMoreLikeThis:
			if c.Angle != first.Angle {
				t.Errorf("more like this, press %d: %q (%s) leaves the draft's angle %s", press, c.Text, c.Angle, first.Angle)
			}
		case InstructionDifferentAngle:
			if c.Angle == pressedAngle(out, first) {
				t.Errorf("different angle, press %d: %q keeps the angle %s", press, c.Text, c.Angle)
			}
		}
		out = append(out, c)
		current = c.Text
	}
}

// pressedAngle is the angle of the draft a press rewrote: the last
// answer's, or the generated draft's before the first press.
func pressedAngle(out []Candidate, first Candidate) string {
	if len(out) == 0 {
		return first.Angle
	}
	return out[len(out)-1].Angle
}

// TestOfflineRewritesEnd: pressing Rewrite, or More like this, on one
// draft again and again went through a few lines and then round again
// for ever ("See why small agency owners choose Acme Boards", "Acme
// Boards. Start a free trial.", "Meet Acme Boards", "See why …"), and More
// like this brought back the draft it started from. As Different angle
// already did, each press now shows a line no press showed before, and
// the presses end with offline_exhausted, saying what to try instead,
// within as many presses as the brief has lines. A request in words is
// answered as a plain rewrite, so one brief is enough for it.
func TestOfflineRewritesEnd(t *testing.T) {
	briefs := append([]struct {
		name  string
		brief Brief
	}{{"described product", describedProduct}}, offlineBriefs...)
	for n, tt := range briefs {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // hundreds of presses, slow under -race one by one
			instructions := []string{"", InstructionMoreLikeThis, InstructionDifferentAngle}
			if n == 0 {
				instructions = append(instructions, "make it about speed")
			}
			last := tt.brief.Normalize().N - 1
			for _, instr := range instructions {
				for _, i := range []int{0, last} {
					pressUntilExhausted(t, tt.brief, i, instr)
				}
			}
		})
	}
}

// TestOfflineRewriteWalksForward: the presses take the brief's lines in
// the order a generation prefers them, from where the draft is, so the
// first press offers the first line after the drafts on the page, and
// More like this the draft's angle's next forms, then says it has no more.
func TestOfflineRewriteWalksForward(t *testing.T) {
	tests := []struct {
		name        string
		instruction string
		want        []string
		wantMessage string
	}{
		{
			name: "rewrite",
			want: []string{
				"See why small agency owners choose Acme Boards",
				"Acme Boards. Start a free trial.",
				"Acme Boards, built for small agency owners",
			},
			wantMessage: "The offline generator has nothing new for this draft, as it has shown every line that fits this brief and is not already among the drafts; edit this draft by hand, or change the brief.",
		},
		{
			name:        "more like this",
			instruction: InstructionMoreLikeThis,
			want:        []string{"See what Acme Boards can do for you", "Made for small agency owners"},
			wantMessage: "The offline generator has nothing new in this draft's angle, as it has shown every line in it that fits this brief and is not already among the drafts; try Different angle, or edit this draft by hand.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			drafts := pressUntilExhausted(t, describedProduct, 0, tt.instruction)
			got := variantTexts(drafts)
			if len(got) < len(tt.want) || strings.Join(got[:len(tt.want)], "|") != strings.Join(tt.want, "|") {
				t.Fatalf("presses gave %q, want %q first", got, tt.want)
			}
			if tt.instruction == InstructionMoreLikeThis && len(got) != len(tt.want) {
				t.Errorf("more like this gave %q, want only %q", got, tt.want)
			}

			// The press after the last says what to try instead.
			g, _ := New(Config{})
			res, _ := g.Generate(context.Background(), describedProduct)
			_, err := g.Regenerate(context.Background(), describedProduct, variantTexts(res.Variants)[1:], got[len(got)-1], tt.instruction)
			var e *Error
			if !errors.As(err, &e) || e.Message != tt.wantMessage {
				t.Errorf("after the last press: %v\nwant %q", err, tt.wantMessage)
			}
		})
	}
}

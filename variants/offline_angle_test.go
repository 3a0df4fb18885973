package variants

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// sameWords is the key under which two spellings of one line are equal.
func sameWords(s string) string { return strings.Join(tokens(s), " ") }

// buttonWords are the lines that are only a button's words for brief b:
// its calls to action, bare or with "now", and the templates' generic
// ones.
func buttonWords(t *testing.T, b Brief) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, s := range []string{"Take the first step", "Let's go", "Start today"} {
		out[sameWords(s)] = true
	}
	for _, s := range fallbackLines {
		out[sameWords(s)] = true
	}
	for _, a := range actionsFromGoal(b.Goal, true) {
		out[sameWords(a)] = true
		out[sameWords(a+" now")] = true
	}
	return out
}

// pressDifferentAngle presses Different angle on draft i of a fresh
// generation until the offline generator says it has nothing new, and
// returns the drafts it wrote, in order. It fails the test when a press
// keeps the draft's angle, brings back a line already shown (on the page
// or by an earlier press), or never stops.
func pressDifferentAngle(t *testing.T, b Brief, i int) []Candidate {
	t.Helper()
	g, _ := New(Config{})
	ctx := context.Background()
	res, err := g.Generate(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	texts := variantTexts(res.Variants)
	if i >= len(texts) {
		i = len(texts) - 1
	}
	others := append(append([]string{}, texts[:i]...), texts[i+1:]...)
	current := res.Variants[i]
	seen := map[string]bool{}
	for _, s := range texts {
		seen[sameWords(s)] = true
	}
	var out []Candidate
	for press := 1; ; press++ {
		if press > 100 {
			t.Fatalf("still writing after %d presses: %q", press-1, variantTexts(out))
		}
		c, err := g.Regenerate(ctx, b, others, current.Text, InstructionDifferentAngle)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeOfflineExhausted || !strings.Contains(e.Message, "nothing new") {
				t.Fatalf("press %d on %q: %v", press, current.Text, err)
			}
			return out
		}
		if c.Angle == current.Angle {
			t.Errorf("press %d: %q (%s) after %q keeps the angle", press, c.Text, c.Angle, current.Text)
		}
		if seen[sameWords(c.Text)] {
			t.Errorf("press %d: %q was shown before", press, c.Text)
		}
		seen[sameWords(c.Text)] = true
		out = append(out, c)
		current = c
	}
}

// TestOfflineDifferentAngleEnds: found by a fresh-eyes review, pressing
// Different angle twelve times on one headline went urgency, how-to,
// direct "Start a trial", direct "Start your trial", low commitment, …
// and then the same seven lines again, several of them a button's words.
// Each press now takes another angle than the draft's, shows no line
// twice, offers a headline no button's words, and ends by saying there
// is nothing new, with offline_exhausted as the other rewrites do.
func TestOfflineDifferentAngleEnds(t *testing.T) {
	review := describedProduct
	review.Goal, review.ElementKind = "Get visitors to start a trial", "headline"
	briefs := append([]struct {
		name  string
		brief Brief
	}{{"the review's brief", review}, {"described product", describedProduct}}, offlineBriefs...)
	for _, tt := range briefs {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.brief.Normalize()
			// A tight limit leaves a headline little but a button's words,
			// and a generation uses them then too.
			roomy := b.MaxLength >= 70 && len(b.MustNotSay) == 0
			sh, _ := kindInfo(b.ElementKind)
			for _, i := range []int{0, b.N - 1} {
				drafts := pressDifferentAngle(t, tt.brief, i)
				if sh != shapeStatement || !roomy {
					continue
				}
				buttons := buttonWords(t, b)
				for _, c := range drafts {
					if buttons[sameWords(c.Text)] {
						t.Errorf("draft %d: %q is a button's words, offered for a %s", i+1, c.Text, b.ElementKind)
					}
				}
			}
		})
	}
}

// TestOfflineDifferentAngleTwelvePresses is the review's own count: the
// twelve presses give twelve lines in a row that each change the angle,
// none of them a button's words, before the generator runs out.
func TestOfflineDifferentAngleTwelvePresses(t *testing.T) {
	b := describedProduct
	b.Goal, b.ElementKind = "Get visitors to start a trial", "headline"
	drafts := pressDifferentAngle(t, b, 0)
	if len(drafts) < 12 {
		t.Fatalf("only %d presses before nothing new: %q", len(drafts), variantTexts(drafts))
	}
	if d := drafts[0]; d.Angle != "social proof" || d.Text != "See why small agency owners choose Acme Boards" {
		t.Errorf("first press gave %q (%s), want the first line of the first angle no draft uses", d.Text, d.Angle)
	}
}

// TestOfflineHeadlineRewritesAvoidButtonWords: the other rewrites of a
// headline keep to headlines too while the brief leaves room for them:
// More like this on the direct angle's headline has no other headline in
// that angle, so it says so rather than offer "Start your trial".
func TestOfflineHeadlineRewritesAvoidButtonWords(t *testing.T) {
	g, _ := New(Config{})
	b := describedProduct
	b.Goal, b.ElementKind = "Get visitors to start a trial", "headline"
	current := "Start your trial with Acme Boards"
	for _, instr := range []string{InstructionMoreLikeThis, InstructionShorter} {
		c, err := g.Regenerate(context.Background(), b, nil, current, instr)
		if err == nil {
			t.Errorf("%s of %q gave %q (%s)", instr, current, c.Text, c.Angle)
		}
	}
}

package variants

import (
	"context"
	"strings"
	"testing"
)

// TestShortfallSentFewerOrDiscarded: a model that sent too few drafts is
// not said to have broken the rules; one whose drafts were discarded is,
// with how many.
func TestShortfallSentFewerOrDiscarded(t *testing.T) {
	tooLong := "Plan every client project in one calm, tidy, well organised place today"
	tests := []struct {
		name     string
		script   []reply
		want     string
		wantNot  []string
		wantKept int
	}{
		{
			name:     "sent two, twice",
			script:   []reply{okReply(variantsJSON(good[:2]...))},
			want:     "The model sent 4 drafts instead of 5, 2 of them repeats of others.",
			wantNot:  []string{"meet the brief's rules"},
			wantKept: 2,
		},
		{
			name:     "sent one",
			script:   []reply{okReply(variantsJSON(good[0])), okReply(`{"variants":[]}`)},
			want:     "The model sent 1 draft instead of 5.",
			wantKept: 1,
		},
		{
			name: "three discarded",
			script: []reply{
				okReply(variantsJSON(good[0], tooLong, good[1], tooLong+" now", tooLong+" here")),
				okReply(variantsJSON(tooLong, tooLong+" now", tooLong+" here")),
			},
			want:     "The model wrote only 2 of the 5 drafts asked for that meet the brief's rules; copylab discarded 3 that broke them.",
			wantKept: 2,
		},
		{
			name: "one discarded",
			script: []reply{
				okReply(variantsJSON(good[0], good[1], good[2], tooLong)),
				okReply(variantsJSON(tooLong)),
			},
			want:     "The model wrote only 3 of the 5 drafts asked for that meet the brief's rules; copylab discarded 1 that broke them.",
			wantKept: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, tt.script...)
			res, err := f.generator().Generate(context.Background(), testBrief)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Variants) != tt.wantKept {
				t.Fatalf("%d variants, want %d", len(res.Variants), tt.wantKept)
			}
			if res.Shortfall != tt.want {
				t.Errorf("shortfall = %q\nwant %q", res.Shortfall, tt.want)
			}
			wantIn(t, "notes", strings.Join(res.Notes, " "), tt.want)
			wantNotIn(t, "shortfall", res.Shortfall, tt.wantNot...)
		})
	}
}

// TestLengthFailuresSayWhatToDo: every draft over the length limit gets
// advice, and a failed Shorter rewrite says where its limit comes from.
func TestLengthFailuresSayWhatToDo(t *testing.T) {
	long := []string{
		"Plan every client project in one calm, tidy, well organised place today",
		"Is your agency drowning in spreadsheets, sticky notes and endless email threads?",
		"How busy agencies ship every piece of client work on time, without the late nights",
	}
	t.Run("every draft too long", func(t *testing.T) {
		f := newFakeLLM(t, okReply(variantsJSON(long...)))
		res, err := f.generator().Generate(context.Background(), testBrief)
		e := wantErrCode(t, err, CodeBadOutput)
		if len(res.Dropped) != 3 {
			t.Errorf("dropped = %+v", res.Dropped)
		}
		wantIn(t, "message", e.Message, "60 characters", "raise the max length in the brief", "try again")
	})
	// A model that only gives the current copy back has broken no rule
	// the brief can ease: the message says to change the brief, as for
	// drafts that repeat the experiment's copy, not to ease its rules.
	t.Run("every draft the current copy", func(t *testing.T) {
		f := newFakeLLM(t, okReply(variantsJSON(testBrief.CurrentCopy, strings.ToUpper(testBrief.CurrentCopy)+"!")))
		_, err := f.generator().Generate(context.Background(), testBrief)
		e := wantErrCode(t, err, CodeBadOutput)
		wantIn(t, "message", e.Message, "current copy", "change the brief", "try again")
		wantNotIn(t, "message", e.Message, "Ease the rules")
	})
	t.Run("every draft broke some rule", func(t *testing.T) {
		b := testBrief
		b.MustNotSay = []string{"agency", "agencies"}
		f := newFakeLLM(t, okReply(variantsJSON(good[1], good[2], good[4])))
		_, err := f.generator().Generate(context.Background(), b)
		e := wantErrCode(t, err, CodeBadOutput)
		wantIn(t, "message", e.Message, "the discarded drafts show why", "try again")
		wantNotIn(t, "message", e.Message, "max length")
	})
	t.Run("shorter rewrite", func(t *testing.T) {
		current := "Plan every client project here" // 30 characters: the limit is 29
		f := newFakeLLM(t, okReply(variantsJSON("Plan each one of your client projects in one place")))
		_, err := f.generator().Regenerate(context.Background(), testBrief, nil, current, InstructionShorter)
		e := wantErrCode(t, err, CodeBadOutput)
		wantIn(t, "message", e.Message, "shorter than the current 30 characters", "50")
		wantNotIn(t, "message", e.Message, "the limit is 29")
	})
	t.Run("rewrite over the brief's limit", func(t *testing.T) {
		f := newFakeLLM(t, okReply(variantsJSON(long[1])))
		_, err := f.generator().Regenerate(context.Background(), testBrief, nil, good[0], InstructionDifferentAngle)
		e := wantErrCode(t, err, CodeBadOutput)
		wantIn(t, "message", e.Message, "the brief's max length of 60 characters", "80")
	})
}

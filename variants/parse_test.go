package variants

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseOutput(t *testing.T) {
	three := `{"variants":[{"text":"One","angle":"a","rationale":"r"},{"text":"Two"},{"text":"Three"}]}`
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "plain", in: three, want: []string{"One", "Two", "Three"}},
		{name: "bom and spaces", in: "\ufeff  " + three + "\n", want: []string{"One", "Two", "Three"}},
		{name: "fence", in: "```json\n" + three + "\n```", want: []string{"One", "Two", "Three"}},
		{name: "fence without language", in: "Here:\n```\n" + three + "```", want: []string{"One", "Two", "Three"}},
		{name: "prose around", in: "Sure thing {really}! " + three + " Hope it helps [1].", want: []string{"One", "Two", "Three"}},
		{name: "bare array of objects", in: `[{"text":"One"},{"text":"Two"}]`, want: []string{"One", "Two"}},
		{name: "bare array of strings", in: `["One","Two"]`, want: []string{"One", "Two"}},
		{name: "other key names", in: `{"variations":[{"copy":"One","reason":"r"},{"headline":"Two"}]}`, want: []string{"One", "Two"}},
		{name: "single unknown list key", in: `{"my_list":[{"text":"One"}], "count": 1}`, want: []string{"One"}},
		{name: "wrapped object", in: `{"response":{"variants":[{"text":"One"}]}}`, want: []string{"One"}},
		{name: "single variant object", in: `{"text":"One","angle":"a"}`, want: []string{"One"}},
		{name: "items that are not variants are skipped", in: `{"variants":[1,{"text":2},{"text":"One"},null,["x"]]}`, want: []string{"One"}},
		{name: "first json value with variants wins", in: `{"note":"x"} and then ` + three, want: []string{"One", "Two", "Three"}},
		{name: "text keeps escapes decoded", in: `{"variants":[{"text":"\u003cb\u003eHi"}]}`, want: []string{"<b>Hi"}},
		{name: "plain prose", in: "Here are some ideas: start now, learn more.", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "empty list", in: `{"variants":[]}`, wantErr: true},
		{name: "bare string", in: `"Start now"`, wantErr: true},
		{name: "truncated list: the whole items are kept", in: `{"variants":[{"text":"One"},{"text":"Tw`, want: []string{"One"}},
		{name: "trailing comma", in: `{"variants":[{"text":"One"},{"text":"Two"},]}`, want: []string{"One", "Two"}},
		{name: "cut inside the first item", in: `{"variants":[{"text":"On`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOutput(tt.in)
			if tt.wantErr {
				if !errors.Is(err, errNoVariants) {
					t.Fatalf("got %+v, %v; want errNoVariants", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, d := range got {
				texts = append(texts, d.Text)
			}
			if strings.Join(texts, "|") != strings.Join(tt.want, "|") {
				t.Errorf("texts = %q, want %q", texts, tt.want)
			}
		})
	}
}

func TestParseOutputKeepsAngleAndRationale(t *testing.T) {
	got, err := parseOutput(`{"variants":[{"text":"One","angle":"urgency","rationale":"Now beats later."}]}`)
	if err != nil || len(got) != 1 || got[0] != (draft{Text: "One", Angle: "urgency", Rationale: "Now beats later."}) {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestLooksLikeRefusal(t *testing.T) {
	for _, s := range []string{"I'm sorry, but I can't help with that.", "I can’t write this.", "As an AI, I won't", "Sorry, but I cannot comply.", "  I cannot assist."} {
		if !looksLikeRefusal(s) {
			t.Errorf("not a refusal: %q", s)
		}
	}
	for _, s := range []string{"Here are your variants", "Sorry we missed you: come back", "banana"} {
		if looksLikeRefusal(s) {
			t.Errorf("taken for a refusal: %q", s)
		}
	}
}

func TestTidyText(t *testing.T) {
	tests := []struct {
		in     string
		breaks bool
		want   string
	}{
		{`  "Start now"  `, false, "Start now"},
		{"“Start now”", false, "Start now"},
		{`"Say "hi" now"`, false, `"Say "hi" now"`},
		{"Start\t  now", false, "Start now"},
		{"Line one\r\n\r\n\r\nLine two", true, "Line one\n\nLine two"},
		{"Line one\nLine two", false, "Line one Line two"},
		{"Line one\n\n\nLine two", false, "Line one Line two"},
	}
	for _, tt := range tests {
		if got := tidyText(tt.in, tt.breaks); got != tt.want {
			t.Errorf("tidyText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// fuzzRules are the rules FuzzParse applies to what it parses.
var fuzzRules = Rules{MaxLength: 80, MustNotSay: []string{"guarantee"}, Control: "Project management for busy teams"}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"variants":[{"text":"Plan every project in one place","angle":"benefit","rationale":"r"}]}`,
		"```json\n{\"variants\":[{\"text\":\"Fenced\"}]}\n```",
		`Sure! {"variants":[{"text":"In prose"}]} Bye.`,
		`["a","b","c"]`,
		`[{"text":"<script>alert(1)</script>"}]`,
		`{"variants":[{"text":"\u003cimg src=x onerror=alert(1)\u003e"}]}`,
		`{"variants":[{"text":"&lt;b&gt;bold&lt;/b&gt;"}]}`,
		`{"variants":[{"text":"[click](javascript:alert(1))"}]}`,
		`{"variants":[{"text":"**bold** and ` + "`code`" + `"}]}`,
		`{"variants":[{"text":"# Heading\nmore"}]}`,
		`{"variants":[{"text":"visit https://evil.example"}]}`,
		`{"variants":[{"text":"\u202eevil\u0000"}]}`,
		`{"variants":[{"text":"We guarantee it"}]}`,
		`{"variants":[{"text":"` + strings.Repeat("long ", 40) + `"}]}`,
		`{"variants":[{"text":"  \"Quoted\"  "}]}`,
		`{"response":{"variants":{"variants":[{"text":"deep"}]}}}`,
		strings.Repeat("[", 1000),
		strings.Repeat("{", 500) + `"variants":[{"text":"x"}]` + strings.Repeat("}", 500),
		"```\n```", "```json\n{", "{\"variants\":[{\"text\":\"a\"}", "\xff\xfe{}", "",
		"I'm sorry, but I can't help with that.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		drafts, err := parseOutput(content)
		if err == nil && len(drafts) == 0 {
			t.Fatal("no error and no drafts")
		}
		if err != nil && len(drafts) > 0 {
			t.Fatal("an error with drafts")
		}
		if len(drafts) > maxDraftsPerCall {
			t.Fatalf("%d drafts, over the cap", len(drafts))
		}
		var res Result
		g := &Generator{now: time.Now}
		g.accept(&res, drafts, fuzzRules, 10, "fuzz")
		for _, v := range res.Variants {
			assertPlain(t, v.Text, fuzzRules.MaxLength, false)
			if containsPhrase(v.Text, "guarantee") || similar(v.Text, fuzzRules.Control) {
				t.Fatalf("accepted a banned or control-like %q", v.Text)
			}
		}
		for i := range res.Variants {
			for j := i + 1; j < len(res.Variants); j++ {
				if similar(res.Variants[i].Text, res.Variants[j].Text) {
					t.Fatalf("accepted near-duplicates %q and %q", res.Variants[i].Text, res.Variants[j].Text)
				}
			}
		}
	})
}

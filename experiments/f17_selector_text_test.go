package experiments_test

import (
	"strings"
	"testing"

	"copylab/experiments"
)

// f17InputSentence is the refusal of a tested <input>, word for word: the
// API and the forms show it as it is.
const f17InputSentence = `copylab's tag writes the copy as text, and an <input type="submit"> shows its value attribute, ` +
	`which copylab does not change: test the text of a <button> or <a> instead.`

// f17AnyInputSentence is the refusal of a tested <input> whose type the
// selector does not name.
const f17AnyInputSentence = "copylab's tag writes the copy as text, and an <input> shows no text of its own (a button input shows " +
	"its value attribute, a text field its placeholder or what the visitor types, and the words by a check box or radio button " +
	"are its <label>): test the text of a <button>, <a> or <label> instead."

// f17NoTextCases are tested elements named by type whose text the tag
// cannot show with textContent, and neighbours it can. In Chromium,
// setting textContent on input[type=submit] left "Buy now" on the
// button while the exposure counted as the variant's; on a <select> it
// removed every option, on a <g> of an SVG the drawing, on a <video> its
// sources. An <option>'s and an SVG <text>'s new text does show.
var f17NoTextCases = []struct {
	name, sel, msg string // msg "": accepted
}{
	{"submit button", "input[type=submit]", f17InputSentence},
	{"input by class", "input.cta", f17AnyInputSentence},
	{"input uppercase", "FORM > INPUT", f17AnyInputSentence},
	{"input through is", ".cta:is(input)", f17AnyInputSentence},
	{"input in a list", "h1, input#buy", f17AnyInputSentence},
	{"image", "img.hero", "an <img> shows a picture, not text"},
	{"line break", "p br", "<br>"},
	{"word break", "wbr", "<wbr>"},
	{"rule", "hr", "<hr>"},
	{"image map area", "area", "<area>"},
	{"table column", "col", "<col>"},
	{"column group", "colgroup", "<colgroup>"},
	{"media source", "video source", "<source>"},
	{"captions track", "track", "<track>"},
	{"object param", "param", "<param>"},
	{"select", "select#plan", "a <select> shows only its options"},
	{"option group", "optgroup", "<optgroup>"},
	{"datalist", "datalist", "<datalist>"},
	{"textarea", "textarea.message", "<textarea>"},
	{"progress", "progress", "<progress>"},
	{"meter", "meter", "<meter>"},
	{"video", "video", "<video>"},
	{"audio", "audio", "<audio>"},
	{"canvas", "canvas", "<canvas>"},
	{"picture", "picture", "<picture>"},
	{"svg", "svg.logo", "an <svg> shows a drawing"},
	{"svg group", "svg g", "<g>"},
	{"svg path", "svg > path", "<path>"},
	{"svg image", "svg image", "<image>"},
	// Denied before, still refused with their own sentence.
	{"embed", "embed", "Copy tests cannot target <embed>"},
	{"iframe", "iframe", "Copy tests cannot target <iframe>"},
	{"script", "script", "Copy tests cannot target <script>"},
	{"template", "template", "Copy tests cannot target <template>"},
	{"password", `input[type="password"]`, "password fields"},

	// Text that shows.
	{"option", "select option:first-child", ""},
	{"svg text", "svg text", ""},
	{"svg tspan", "svg tspan", ""},
	{"button", "button.buy", ""},
	{"link", "a.cta", ""},
	{"label after input", "input + label", ""},
	{"span inside picture", "picture ~ span", ""},
	{"not input", "button:not(input)", ""},
	// A class or attribute alone may match an input: the page decides.
	{"submit attribute", "[type=submit]", ""},
	{"class", ".cta", ""},
}

func TestF17SelectorRefusesElementsWithoutText(t *testing.T) {
	for _, tt := range f17NoTextCases {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := experiments.SelectorProblem(tt.sel)
			if tt.msg == "" {
				if code != "" {
					t.Fatalf("SelectorProblem(%q) = %q, %q; want it accepted", tt.sel, code, msg)
				}
				return
			}
			if code != "invalid_selector" || !strings.Contains(msg, tt.msg) {
				t.Fatalf("SelectorProblem(%q) = %q, %q; want invalid_selector with %q", tt.sel, code, msg, tt.msg)
			}
			if strings.HasPrefix(msg, "copylab's tag writes the copy as text") && (!strings.Contains(msg, ": ") || !strings.HasSuffix(msg, " instead.")) {
				t.Errorf("SelectorProblem(%q) = %q: say why, then what to test instead", tt.sel, msg)
			}
		})
	}
}

// TestF17GoalMayClickAnInput: a click goal counts clicks, so it may name
// a submit <input>, an <img> or an <svg>: only the tested element must
// show text. Through Validate, as the API and the forms check.
func TestF17GoalMayClickAnInput(t *testing.T) {
	base := experiments.Experiment{
		Name: "Hero", Page: "/", Selector: "h1", CoverageBP: 10000, Threshold: 0.1,
		Goal:     experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
		Variants: []experiments.Variant{{Key: "control", Text: "Buy now", WeightBP: 5000}, {Key: "b", Text: "Get it today", WeightBP: 5000}},
	}
	for _, goal := range []string{"input[type=submit]", "form input.buy", "img.banner", "svg.icon", "area"} {
		e := base
		e.Goal.Selector = goal
		if errs := e.Validate(); errs != nil {
			t.Errorf("goal %q: %v", goal, errs)
		}
	}
	// The goal's own refusals stay.
	e := base
	e.Goal.Selector = "body"
	if errs := e.Validate(); len(errs) != 1 || errs[0].Field != "goal" || errs[0].Code != "invalid_goal" {
		t.Errorf("goal body: %v", errs)
	}

	e = base
	e.Selector = "input[type=submit]"
	errs := e.Validate()
	if len(errs) != 1 || errs[0].Field != "selector" || errs[0].Code != "invalid_selector" || errs[0].Message != f17InputSentence {
		t.Errorf("tested input: %v", errs)
	}
	if errs := e.ValidateDraft(); len(errs) != 1 || errs[0].Message != f17InputSentence {
		t.Errorf("tested input in a draft: %v", errs)
	}
}

// FuzzF17GoalSelector: a click goal takes every selector a tested
// element takes, and more only by the elements that show no text.
func FuzzF17GoalSelector(f *testing.F) {
	for _, tt := range f17NoTextCases {
		f.Add(tt.sel)
	}
	f.Fuzz(func(t *testing.T, sel string) {
		_, msg := experiments.SelectorProblem(sel)
		goal := experiments.GoalSelectorError(sel)
		switch {
		case msg == "" && goal != "":
			t.Fatalf("tested element %q accepted, goal refused: %q", sel, goal)
		case goal == "" && msg != "" && !strings.HasPrefix(msg, "copylab's tag writes the copy as text, and "):
			t.Fatalf("goal %q accepted, tested element refused: %q", sel, msg)
		case goal != "" && goal != msg:
			t.Fatalf("goal %q refused with %q, tested element with %q", sel, goal, msg)
		}
	})
}

package experiments_test

import (
	"strings"
	"testing"

	"copylab/experiments"
)

// selectorCases are selectors that real sites use (code "") and ones that
// would wreck a page or never match, with the code SelectorProblem must
// give. msg, when set, is a part of the sentence: it shows which rule spoke.
// The hostile ones were accepted before and, on a real page in Chromium,
// replaced the whole body with the variant's copy (:is(body), :where(html),
// *:not(.x), :nth-child(2)) or never matched (:hover).
var selectorCases = []struct {
	name, sel, code, msg string
}{
	// Valid: what real sites use.
	{"tag", "h1", "", ""},
	// Refused characters are named as typed (a backslash once, not '\\').
	{"backslash", `h\31`, "invalid_selector", "Selectors cannot contain “\\”."},
	{"brace", "h1{", "invalid_selector", "Selectors cannot contain “{”."},
	{"uppercase tag", "H1", "", ""},
	{"descendant", ".hero h1", "", ""},
	{"data attribute", `[data-copylab="hero"]`, "", ""},
	{"data attribute unquoted", "[data-copylab=hero]", "", ""},
	{"attribute with flag", `[data-copylab="Hero" i]`, "", ""},
	{"attribute dash match", `a[hreflang|="en"]`, "", ""},
	{"id child class", "#main > h1.title", "", ""},
	{"no spaces around combinators", "main>h1+p~span", "", ""},
	{"class chain", "main .hero h1.title", "", ""},
	{"child and sibling", "#a > p + span ~ em", "", ""},
	{"first of type", "h1:first-of-type", "", ""},
	{"nth child", "li:nth-child(2)", "", ""},
	{"nth child formula", "li:nth-child( 2n + 1 )", "", ""},
	{"nth child odd", "tr:nth-child(odd) td", "", ""},
	{"nth child of", "li:nth-child(2 of .item)", "", ""},
	{"pseudo then descendant", "li:nth-child(2) a", "", ""},
	{"not", "a:not(.secondary)", "", ""},
	{"not first child", "section:not(:first-child) p", "", ""},
	{"is then child", "div:is(.a, .b) > p", "", ""},
	{"has", ".card:has(> img) h2", "", ""},
	{"lang", "p:lang(en)", "", ""},
	{"single quotes with space", "[data-x='a b']", "", ""},
	{"gt inside quotes", `[data-x="a > b"]`, "", ""},
	{"colon inside quotes", `[data-x="a:hover"]`, "", ""},
	{"comma inside quotes", `[data-x="a,,b"]`, "", ""},
	{"list", "h1.a, h2.b", "", ""},
	{"list without spaces", "h1,h2", "", ""},
	{"star with attribute", "*[data-x]", "", ""},
	{"two classes", ".a.b", "", ""},
	{"dashes and digits", ".btn--primary-2", "", ""},
	{"non-ASCII class", ".héros", "", ""},
	{"surrounding spaces", "  h1  ", "", ""},
	{"body descendant is fine", "body .hero", "", ""},
	{"body child is fine", "body > h1", "", ""},
	{"not body", "div:not(body)", "", ""},

	// No element of its own: the first match is <html> or <body>.
	{"is body", ":is(body)", "invalid_selector", "<body>"},
	{"where html", ":where(html)", "invalid_selector", "<html>"},
	{"nested is", ":is(:where(BODY))", "invalid_selector", "<body>"},
	{"class is body", ".home:is(body, div)", "invalid_selector", "<body>"},
	{"nth of body", ".x:nth-child(1 of body)", "invalid_selector", "<body>"},
	{"has body", "[lang]:has(body)", "invalid_selector", "<html>"},
	{"has head child", "*:has(> head)", "invalid_selector", "<html>"},
	{"star not", "*:not(.x)", "invalid_selector", "Name the element"},
	{"not alone", ":not(.x)", "invalid_selector", "Name the element"},
	{"nth child alone", ":nth-child(2)", "invalid_selector", "Name the element"},
	{"is h1", ":is(h1)", "invalid_selector", "Name the element"},
	{"first child after combinator", "main > :first-child", "invalid_selector", "Name the element"},
	{"unnamed in list", "h1, :nth-child(2)", "invalid_selector", "Name the element"},
	{"star", "*", "invalid_selector", "every element"},
	{"star spaced", " * ", "invalid_selector", "every element"},
	{"root", ":root", "invalid_selector", "<html>"},
	{"scope", ":scope", "invalid_selector", "<html>"},

	// Denied elements, as before.
	{"body", "body", "invalid_selector", "<body>"},
	{"body uppercase", "BODY", "invalid_selector", "<body>"},
	{"head", "Head", "invalid_selector", "<head>"},
	{"body with class", "body.home", "invalid_selector", "<body>"},
	{"html child body", "html > body", "invalid_selector", "<body>"},
	{"html with class", "HTML.js", "invalid_selector", "<html>"},
	{"script", "div script", "invalid_selector", "<script>"},
	{"password", `input[type="password"]`, "invalid_selector", "password"},
	{"password spaced", `[ type = 'PASSWORD' ]`, "invalid_selector", "password"},

	// Syntax errors.
	{"empty", "", "invalid_selector", "Enter a CSS selector"},
	{"spaces only", "   ", "invalid_selector", "Enter a CSS selector"},
	{"hashes only", "###", "invalid_selector", "name after #"},
	{"dot only", ".", "invalid_selector", "name after #"},
	{"hash only", "#", "invalid_selector", "name after #"},
	{"class then dot", "h1.", "invalid_selector", "name after #"},
	{"id starts with digit", "#1col", "invalid_selector", "digit"},
	{"dangling child", "div >", "invalid_selector", "both sides"},
	{"leading child", "> div", "invalid_selector", "both sides"},
	{"dangling sibling", "div + ", "invalid_selector", "both sides"},
	{"dangling general sibling", "div ~", "invalid_selector", "both sides"},
	{"double combinator", "div > > p", "invalid_selector", "both sides"},
	{"double gt", "div >> p", "invalid_selector", "both sides"},
	{"dangling in list", "div >, p", "invalid_selector", "both sides"},
	{"open attribute", "h1[", "invalid_selector", "unclosed bracket"},
	{"unbalanced", "[data-x", "invalid_selector", "unclosed bracket"},
	{"unclosed quote", `[data-x="a]`, "invalid_selector", "unclosed quote"},
	{"empty attribute", "h1[]", "invalid_selector", "attribute name"},
	{"number value", "[data-x=1]", "invalid_selector", "in quotes"},
	{"empty list part", "a,,b", "invalid_selector", "empty part"},
	{"trailing comma", "h1,", "invalid_selector", "empty part"},
	{"leading comma", ",h1", "invalid_selector", "empty part"},
	{"empty is", "div:is()", "invalid_selector", "empty part"},
	{"unclosed is", "div:is(.a", "invalid_selector", "unclosed bracket"},
	{"stray closing", "h1)", "invalid_selector", "closing bracket"},
	{"crossed brackets", "p:lang([)]", "invalid_selector", "closing bracket"},
	{"bad position", "li:nth-child(two)", "invalid_selector", "position"},
	{"empty position", "li:nth-child()", "invalid_selector", "position"},
	{"bare colon", "h1:", "invalid_selector", "after the colon"},
	{"type after attribute", "[x]div", "invalid_selector", "not a valid"},
	{"stray character", "h1$", "invalid_selector", "not a valid"},
	{"nesting selector", "& h1", "invalid_selector", "not a valid"},
	{"bare string", `"hero"`, "invalid_selector", "Quotes"},
	{"namespace", "svg|text", "invalid_selector", "namespace"},
	{"any namespace", "*|*", "invalid_selector", "namespace"},
	{"attribute namespace", "[xlink|href]", "invalid_selector", "namespace"},
	{"column combinator", "col || td", "invalid_selector", "namespace"},
	{"pseudo-element", "h1::before", "invalid_selector", "pseudo-element"},
	{"legacy pseudo-element", "p:first-line", "invalid_selector", "pseudo-element"},

	// What could break out of the snippet's style rule.
	{"style injection", "h1{display:none}", "invalid_selector", ""},
	{"semicolon", "h1;color:red", "invalid_selector", ""},
	{"at rule", "@import", "invalid_selector", ""},
	{"comment", "h1/**/", "invalid_selector", ""},
	{"escape", `h\31`, "invalid_selector", ""},
	{"newline", "h1\nh2", "invalid_selector", ""},
	{"tab", "h1\th2", "invalid_selector", ""},
	{"next line (C1)", "h1, \u0085", "invalid_selector", "line breaks or control characters"},
	{"C1 control", "h1\u0090", "invalid_selector", "line breaks or control characters"},
	{"no-break space", "h1,\u00a0", "invalid_selector", "type a plain space"},
	{"ideographic space", "h1\u3000.title", "invalid_selector", "type a plain space"},
	{"non-ASCII name", "h1.título", "", ""},
	{"too long", strings.Repeat("a", experiments.MaxSelectorLen+1), "invalid_selector", "at most 200 characters"},

	// States a visitor causes: the element never matches at load.
	{"hover", ":hover", "state_selector", ":hover"},
	{"link hover", "a:hover", "state_selector", ":hover"},
	{"hover uppercase", "A:HOVER", "state_selector", ":hover"},
	{"hover ancestor", ".menu:hover a", "state_selector", ":hover"},
	{"active", "button:active", "state_selector", ":active"},
	{"focus", "input:focus", "state_selector", ":focus"},
	{"focus visible", "a:focus-visible", "state_selector", ":focus-visible"},
	{"focus within", "form:focus-within label", "state_selector", ":focus-within"},
	{"visited", "a:visited", "state_selector", ":visited"},
	{"target", "section:target h2", "state_selector", ":target"},
	{"hover inside is", "a:is(:hover, .x)", "state_selector", ":hover"},
}

func TestSelectorProblem(t *testing.T) {
	for _, tt := range selectorCases {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := experiments.SelectorProblem(tt.sel)
			if code != tt.code || (msg == "") != (code == "") || !strings.Contains(msg, tt.msg) {
				t.Fatalf("SelectorProblem(%q) = %q, %q; want code %q and a sentence with %q", tt.sel, code, msg, tt.code, tt.msg)
			}
			if got := experiments.SelectorError(tt.sel); got != msg {
				t.Fatalf("SelectorError(%q) = %q, want SelectorProblem's %q", tt.sel, got, msg)
			}
		})
	}
}

// FuzzSelectorProblem checks what must hold whatever the input: a known
// code with a sentence, brackets and quotes that nest in whatever is
// accepted (the snippet writes it into a style rule), and lists that are
// as good as their worst part.
func FuzzSelectorProblem(f *testing.F) {
	for _, tt := range selectorCases {
		f.Add(tt.sel)
	}
	f.Fuzz(func(t *testing.T, sel string) {
		code, msg := experiments.SelectorProblem(sel)
		switch {
		case code != "" && code != "invalid_selector" && code != "state_selector":
			t.Fatalf("SelectorProblem(%q): unknown code %q", sel, code)
		case (code == "") != (msg == ""):
			t.Fatalf("SelectorProblem(%q) = %q, %q: a code needs a sentence", sel, code, msg)
		}
		if long := "h1, " + sel; len(long) <= experiments.MaxSelectorLen {
			if got, _ := experiments.SelectorProblem(long); (got == "") != (code == "") {
				t.Fatalf("SelectorProblem(%q) = %q but SelectorProblem(%q) = %q", sel, code, long, got)
			}
		}
		if code == "" && !nests(sel) {
			t.Fatalf("accepted %q, whose brackets or quotes do not nest", sel)
		}
	})
}

// nests reports whether the brackets of sel nest and its quotes close, as
// the CSS tokenizer sees them: an unmatched one would swallow the
// declaration block of the snippet's style rule.
func nests(sel string) bool {
	var open []byte
	var quote byte
	for i := 0; i < len(sel); i++ {
		switch b := sel[i]; {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '(':
			open = append(open, ')')
		case b == '[':
			open = append(open, ']')
		case b == ')' || b == ']':
			if len(open) == 0 || open[len(open)-1] != b {
				return false
			}
			open = open[:len(open)-1]
		}
	}
	return len(open) == 0 && quote == 0
}

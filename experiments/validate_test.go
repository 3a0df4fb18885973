package experiments_test

import (
	"strings"
	"testing"

	"copylab/experiments"
	"copylab/experiments/chars"
)

func TestSelectorError(t *testing.T) {
	tests := []struct {
		name, sel string
		ok        bool
	}{
		{"attribute", `[data-copylab="hero"]`, true},
		{"class chain", "main .hero h1.title", true},
		{"child and sibling", "#a > p + span ~ em", true},
		{"pseudo", "li:nth-child(2) a", true},
		{"list", "h1.a, h2.b", true},
		{"empty", "", false},
		{"body", "body", false},
		{"body descendant is fine", "body .hero", true},
		{"html with class", "HTML.js", false},
		{"script", "div script", false},
		{"style injection", "h1{display:none}", false},
		{"semicolon", "h1;color:red", false},
		{"at rule", "@import", false},
		{"comment", "h1/**/", false},
		{"escape", `h\31`, false},
		{"newline", "h1\nh2", false},
		{"password", `input[type="password"]`, false},
		{"password spaced", `[ type = 'PASSWORD' ]`, false},
		{"star", "*", false},
		{"root", ":root", false},
		{"unbalanced", "[data-x", false},
		{"unclosed quote", `[data-x="a]`, false},
		{"too long", strings.Repeat("a", experiments.MaxSelectorLen+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := experiments.SelectorError(tt.sel)
			if (msg == "") != tt.ok {
				t.Fatalf("SelectorError(%q) = %q, want ok=%v", tt.sel, msg, tt.ok)
			}
		})
	}
}

func TestMatchPage(t *testing.T) {
	tests := []struct {
		pattern, path, query string
		want                 bool
	}{
		{"", "/anything", "", true},
		{"*", "/", "", true},
		{"/pricing", "/pricing", "", true},
		{"/pricing", "/pricing/", "", true},
		{"/pricing/", "/pricing", "", true},
		{"/pricing", "/pricing/team", "", false},
		{"/pricing*", "/pricing/team", "", true},
		{"/blog/*/comments", "/blog/a/b/comments", "", true},
		{"/blog/*/comments", "/blog/a/b/comment", "", false},
		{"/", "/", "", true},
		{"/", "/x", "", false},
		{"/Pricing", "/pricing", "", false},
		{"/p?plan=pro", "/p", "plan=pro&x=1", true},
		{"/p?plan=pro", "/p", "plan=free", false},
		{"/p?plan=*", "/p", "plan=free", true},
		{"/p?plan=*", "/p", "", false},
		{"/p?a=1&b=2", "/p", "b=2&a=1", true},
		{"*a*a*a*a*a*a*a*b", "/" + strings.Repeat("a", 5000), "", false},
	}
	for _, tt := range tests {
		if got := experiments.MatchPage(tt.pattern, tt.path, tt.query); got != tt.want {
			t.Errorf("MatchPage(%q, %q, %q) = %v, want %v", tt.pattern, tt.path, tt.query, got, tt.want)
		}
	}
}

func TestCopyError(t *testing.T) {
	for text, ok := range map[string]bool{
		"Start free today":          true,
		"Save 20% — now < $5/month": true,
		"Two\nlines":                true,
		"":                          false,
		"   ":                       false,
		"<b>bold</b>":               false,
		"a </p> b":                  false,
		"<!-- x -->":                false,
		"bell\a":                    false,
		strings.Repeat("x", 1001):   false,
		"hidden\U000E0041tag":       false, // a tag character
		"line\u2028separator":       false,
		"over\u202Eride":            false,
		"emoji 👩\u200D💻 joined":     true, // the zero-width joiner
		"עברית\u200F mark":          true, // a right-to-left mark
		"Soft\u00ADhyphen":          true,
	} {
		if got := experiments.CopyError(text); (got == "") != ok {
			t.Errorf("CopyError(%q) = %q, want ok=%v", text, got, ok)
		}
	}
}

func TestReweightKeepsTotal(t *testing.T) {
	for _, w := range []int{0, 1, 3333, 5000, 9999, 10000} {
		vs := []experiments.Variant{{WeightBP: 3334}, {WeightBP: 3333}, {WeightBP: 3333}}
		experiments.Reweight(vs, 1, w)
		sum := 0
		for _, v := range vs {
			if v.WeightBP < 0 {
				t.Fatalf("negative weight %v", vs)
			}
			sum += v.WeightBP
		}
		if sum != 10000 || vs[1].WeightBP != w {
			t.Fatalf("Reweight(%d) = %v", w, vs)
		}
	}
}

func FuzzSelectorError(f *testing.F) {
	for _, s := range []string{`[data-copylab="hero"]`, "body", "h1{}", `input[type=password]`, "a,b>c", "((", `"`, "\x00",
		// Hostile: break out of the style rule or the script, comments,
		// escapes, at-rules, line breaks, odd Unicode, sheer length.
		"h1}body{display:none", "</style><script>alert(1)</script>", "h1/**/", "h1 /* x", `h1\7d`, "@import url(x)",
		"h1\nbody", "h1\rx", "h1\u2028x", "\u202eh1", "\xff\xfe", `a[href^='javascript:']`, ":has(:has(:has(a)))",
		`[data-x="}"]`, "*", strings.Repeat("div ", 300), strings.Repeat("(", 1000),
		// Characters as people count them: a selector of letters outside
		// ASCII, of emoji, and of letters under stacks of marks.
		`[data-copylab="` + strings.Repeat("料", 184) + `"]`, `[title="👨‍👩‍👧‍👦🇩🇪"]`, `[data-x="a` + strings.Repeat("\u0301", 400) + `"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sel string) {
		if experiments.SelectorError(sel) != "" {
			return
		}
		// Whatever passes must be safe to put in a style rule.
		if strings.ContainsAny(sel, "{};@\\<\n\r") || strings.Contains(sel, "/*") || len(sel) > experiments.MaxSelectorBytes ||
			chars.Count(sel) > experiments.MaxSelectorLen {
			t.Fatalf("accepted unsafe selector %q", sel)
		}
	})
}

// TestValidateCopyErrorsStandAlone: an empty copy box gets the same
// message whichever box it is: the form shows it beside the box, whose
// label names it ("Original", "Variant B"), and the API gives the field.
func TestValidateCopyErrorsStandAlone(t *testing.T) {
	e := experiments.Experiment{Name: "Hero", Page: "/", Selector: "h1", Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
		Variants: []experiments.Variant{{Key: experiments.ControlKey, Text: "", WeightBP: 5000}, {Key: "b", Text: "", WeightBP: 5000}}}
	got := map[string]string{}
	for _, f := range e.Validate() {
		got[f.Field] = f.Message
	}
	for _, field := range []string{"variants[0].text", "variants[1].text"} {
		if got[field] != "Enter the copy." {
			t.Errorf("%s: %q, want %q", field, got[field], "Enter the copy.")
		}
	}
}

// Names, pages, selectors and goals are text the tag and people read:
// broken UTF-8, control and invisible formatting characters are refused
// with the field named, as the API refuses them in JSON.
func TestValidateRefusesInvisibleText(t *testing.T) {
	base := experiments.Experiment{
		Name: "Hero", Page: "/", Selector: "h1", CoverageBP: 10000, Threshold: 0.1,
		Goal:     experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
		Variants: []experiments.Variant{{Key: "control", Text: "Buy", WeightBP: 5000}, {Key: "b", Text: "Get", WeightBP: 5000}},
	}
	if err := base.Validate(); err != nil {
		t.Fatalf("the base experiment: %v", err)
	}
	for _, tt := range []struct {
		name  string
		edit  func(*experiments.Experiment)
		field string
	}{
		{"name with NUL", func(e *experiments.Experiment) { e.Name = "Hero\x00" }, "name"},
		{"name not UTF-8", func(e *experiments.Experiment) { e.Name = "Hero\xff" }, "name"},
		{"page with an override", func(e *experiments.Experiment) { e.Page = "/pricing\u202E" }, "page"},
		{"selector not UTF-8", func(e *experiments.Experiment) { e.Selector = "h1.x\xff" }, "selector"},
		{"goal selector with a control", func(e *experiments.Experiment) { e.Goal.Selector = "#buy\x01" }, "goal"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			e.Variants = append([]experiments.Variant(nil), base.Variants...)
			tt.edit(&e)
			err := e.Validate()
			found := false
			for _, fe := range err {
				found = found || fe.Field == tt.field
			}
			if !found {
				t.Errorf("Validate() = %v, want a problem with %s", err, tt.field)
			}
		})
	}
}

// A typed page pattern is escaped as the browser escapes location.pathname,
// which the tag compares it with; a pasted URL already was.
func TestNormalizePage(t *testing.T) {
	for in, want := range map[string]string{
		"/café":                         "/caf%C3%A9",
		"/caf%C3%A9":                    "/caf%C3%A9",
		"/blog/*":                       "/blog/*",
		"/a{b}":                         "/a%7Bb%7D",
		`/say"hi"`:                      "/say%22hi%22",
		"/pricing?plan=pro":             "/pricing?plan=pro",
		"/día/*?plan=pro":               "/d%C3%ADa/*?plan=pro",
		"*":                             "*",
		"  /pricing  ":                  "/pricing",
		"https://shop.example/café?a=b": "/caf%C3%A9?a=b",
		"https://shop.example":          "/",
		"/pricing page":                 "/pricing page", // PageError refuses it
		"/100%":                         "/100%",         // not an escape: left as typed
		"/it's-(new)!":                  "/it's-(new)!",
	} {
		if got := experiments.NormalizePage(in); got != want {
			t.Errorf("NormalizePage(%q) = %q, want %q", in, got, want)
		}
	}
}

// A site's name goes into chat messages and pages: the same text rules as
// an experiment's.
func TestSiteNameText(t *testing.T) {
	for name, ok := range map[string]bool{"Shop": true, "Shop\nline": false, "Shop\u202E": false, "Shop\xff": false} {
		errs := experiments.Site{Name: name, Domain: "shop.example", HideTimeoutMS: 1000}.Validate()
		bad := false
		for _, fe := range errs {
			bad = bad || fe.Field == "name"
		}
		if bad == ok {
			t.Errorf("site name %q: problems %v, want ok=%v", name, errs, ok)
		}
	}
}

// A variant without a key gets its position's key, or the next one free:
// never a key another variant was given.
func TestNormalizeKeysAvoidGivenOnes(t *testing.T) {
	e := experiments.Experiment{Variants: []experiments.Variant{{Text: "a"}, {Key: "c", Text: "b"}, {Text: "c"}, {Text: "d"}}}.Normalize()
	var keys []string
	for _, v := range e.Variants {
		keys = append(keys, v.Key)
	}
	if got := strings.Join(keys, ","); got != "control,c,d,e" {
		t.Errorf("keys %s, want control,c,d,e", got)
	}
	if errs := e.Validate(); errs != nil {
		for _, fe := range errs {
			if fe.Code == "duplicate_key" {
				t.Errorf("a key given for none collides: %v", fe)
			}
		}
	}
}

// TestCustomEventNameErrors: the custom event's name has one rule
// (letters a–z, digits, dots, colons, dashes and underscores, starting
// with a letter or digit, up to 64 characters); its error says the part
// the name breaks, never that it may use characters it already uses.
func TestCustomEventNameErrors(t *testing.T) {
	for name, want := range map[string]string{
		"signup":                 "",
		"checkout:done":          "",
		"":                       "Name the custom event your page sends with copylab.convert(NAME), such as signup.",
		"_signup":                "Start the custom event's name with a letter (a–z) or a digit, such as signup.",
		"-signup":                "Start the custom event's name with a letter (a–z) or a digit, such as signup.",
		strings.Repeat("a", 65):  "Keep the custom event's name to 64 characters.",
		strings.Repeat("a", 300): "Keep the custom event's name to 64 characters.",
		"sign up":                "Name the custom event with letters (a–z), digits, dots, colons, dashes or underscores, such as signup.",
	} {
		e := experiments.Experiment{Name: "Hero", Page: "/", Selector: "h1", Goal: experiments.Goal{Type: experiments.GoalEvent, Name: name},
			Variants: []experiments.Variant{{Key: experiments.ControlKey, Text: "A", WeightBP: 5000}, {Key: "b", Text: "B", WeightBP: 5000}}}
		got := ""
		for _, f := range e.Validate() {
			if f.Field == "goal" {
				got = f.Message
			}
		}
		if got != want {
			t.Errorf("%.20q: %q, want %q", name, got, want)
		}
	}
}

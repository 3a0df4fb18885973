package experiments

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"copylab/experiments/chars"
)

// deniedElements are elements a copy test must never hide or rewrite: the
// snippet hides a tested element until its copy is swapped, so a selector for
// any of these could blank the page or touch what runs or secures it.
var deniedElements = map[string]bool{
	"html": true, "head": true, "body": true, "script": true, "style": true,
	"iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"link": true, "meta": true, "title": true, "base": true, "noscript": true, "template": true,
}

// statePseudos are pseudo-classes that match only once a visitor does
// something (hovers, focuses, clicks, follows a link) or never at all from a
// script (:visited, for privacy). The tag looks for its element as the page
// loads, so a test on "a:hover" would never start.
var statePseudos = map[string]bool{
	"hover": true, "active": true, "focus": true, "focus-visible": true, "focus-within": true,
	"visited": true, "target": true, "target-within": true, "user-valid": true, "user-invalid": true,
}

// sameElementPseudos take a selector list that the element itself must
// match, so what their arguments name is what the compound names: ".x:is(body)"
// is <body>. :not() is absent on purpose: ":not(body)" is anything else.
var sameElementPseudos = map[string]bool{
	"is": true, "where": true, "matches": true, "-webkit-any": true, "-moz-any": true,
	"nth-child": true, "nth-last-child": true, // their "of S" part
}

// unnamedMsg is the fix for a subject that only pseudo-classes describe: the
// first match of ":nth-child(2)" in the document is <body>, that of
// "*:not(.x)" is <html>.
const unnamedMsg = "Name the element itself with a tag, class, id or attribute, such as h1, .hero or " +
	"[data-copylab=\"hero\"], not only with :is(), :not() or other pseudo-classes."

// noTextElements are elements whose text the tag cannot show: it writes
// the copy with textContent, which a void or replaced element such as
// <input> or <img> keeps out of sight, and which in a <select>, a <video>
// or an SVG drawing replaces the options, sources or shapes that are what
// shows. Each names why and what to test instead, for the sentence
// "copylab's tag writes the copy as text, and <why>: <instead>."
// (noTextPrefix: "The tag" would read as an HTML tag among the <tags>).
// An <input> of a type its selector names has a sentence of its own
// (inputTypes). An <option>'s text and an SVG <text>, <tspan> or
// <textPath>'s do show, so they are not here; a
// <textarea>'s shows only until the visitor types, and is what the form
// sends. Checked in Chromium: on <input type=submit value="Buy now">
// textContent left "Buy now" on the button while exposures counted as the
// variant's.
var noTextElements = func() map[string][2]string {
	const (
		near   = "test the text of a heading or caption near it instead"
		label  = "test the text of its <label> instead"
		around = "test the text of the <p> or heading around it instead"
		column = "test the text of a <th> or <td> cell instead"
		inSVG  = "test the text of an SVG <text> element, or of a heading near the drawing, instead"
	)
	m := map[string][2]string{
		"input": {"an <input> shows no text of its own (a button input shows its value attribute, a text field its placeholder or what the visitor types, " +
			"and the words by a check box or radio button are its <label>)", "test the text of a <button>, <a> or <label> instead"},
		"textarea": {"a <textarea>'s text is what the visitor types and sends with the form, not a label", label},
		"select":   {"a <select> shows only its options, which that text would remove", "test the text of an <option> or of its <label> instead"},
		"optgroup": {"an <optgroup>'s heading is its label attribute, which copylab does not change, and that text would remove its options", "test the text of an <option> instead"},
		"datalist": {"a <datalist> is a hidden list of suggestions and shows no text", "test the text of the <label> of its <input> instead"},
		"progress": {"a <progress> bar shows its value, not its text", "test the text of its <label> or of the element beside it instead"},
		"meter":    {"a <meter> shows its value, not its text", "test the text of its <label> or of the element beside it instead"},
		"img":      {"an <img> shows a picture, not text", near},
		"br":       {"a <br> is a line break and holds no text", around},
		"wbr":      {"a <wbr> marks where a line may break and holds no text", around},
		"hr":       {"an <hr> is a dividing line and holds no text", "test the text of a heading or paragraph near it instead"},
		"area":     {"an <area> is a clickable part of an image map and shows no text", "test the text of a link (<a>) instead"},
		"col":      {"a <col> styles a table column and shows no text", column},
		"colgroup": {"a <colgroup> styles table columns and shows no text", column},
		"source":   {"a <source> names a file for a <video>, <audio> or <picture> and shows no text", near},
		"track":    {"a <track> names a captions file for a <video> and shows no text", near},
		"param":    {"a <param> passes a setting to a plug-in and shows no text", near},
		"video":    {"a <video> shows its text only in browsers that cannot play it, and that text would remove its sources", near},
		"audio":    {"an <audio> shows its text only in browsers that cannot play it, and that text would remove its sources", near},
		"canvas":   {"a <canvas> shows a drawing, and its text only in browsers that cannot draw", near},
		"picture":  {"a <picture> shows an image, which that text would replace", near},
		"svg":      {"an <svg> shows a drawing, which that text would wipe", inSVG},
	}
	// The parts of an SVG drawing that show no text of their own, by
	// their SVG names (a type selector matches them in any case).
	for _, name := range []string{"a g", "a path", "a circle", "a rect", "an ellipse", "a line", "a polyline",
		"a polygon", "a use", "a defs", "a symbol", "an image", "a clipPath", "a mask", "a pattern",
		"a linearGradient", "a radialGradient", "a stop", "a filter", "a marker", "a desc", "a metadata", "a switch"} {
		article, tag, _ := strings.Cut(name, " ")
		m[strings.ToLower(tag)] = [2]string{article + " <" + tag + "> is part of an SVG drawing and shows no text", inSVG}
	}
	return m
}()

// noTextPrefix begins the refusal of an element whose text the tag
// cannot show (noTextElements, inputTypes).
const noTextPrefix = "copylab's tag writes the copy as text, and "

// inputTypes are the sentences of noTextElements for an <input> whose
// selector names its type ([type=submit]): a button shows its value
// attribute, an image input a picture, a check box or radio button only
// the words of its <label>, and a text field its placeholder or what the
// visitor types. Another type (date, range, file…), or none named, gets
// the <input> sentence, which says all of these.
var inputTypes = func() map[string][2]string {
	const label = "test the text of its <label> instead"
	button := [2]string{"shows its value attribute, which copylab does not change", "test the text of a <button> or <a> instead"}
	box := [2]string{"shows no text of its own", label}
	field := [2]string{"shows its placeholder or what the visitor types, never that text", label}
	return map[string][2]string{
		"submit": button, "button": button, "reset": button,
		"image":    {"shows a picture, not text", "test the text of a heading or caption near it instead"},
		"checkbox": box, "radio": box,
		"text": field, "search": field, "email": field, "tel": field, "url": field, "number": field,
	}
}()

// noTextSentence is the refusal of n, an element of noTextElements, named
// by the compound c: for an <input> of a type c names, that type's.
func noTextSentence(n string, c compound) string {
	why := noTextElements[n]
	if n == "input" {
		if t := attrValue(c.text, "type"); t != "" {
			if w, ok := inputTypes[t]; ok {
				why = [2]string{`an <input type="` + t + `"> ` + w[0], w[1]}
			}
		}
	}
	return noTextPrefix + why[0] + ": " + why[1] + "."
}

// attrValue returns the value, lowercased, that compound text (as written)
// requires of the attribute name with [name=value], or "": only the
// compound's own attribute selectors count, not those inside :not() or
// other pseudo-classes' parentheses, nor [name~=value] and the like.
// Quotes and a case flag (i or s) are dropped.
func attrValue(text, name string) string {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
		case ')':
			depth--
		case '[':
			if depth != 0 {
				continue
			}
			end := strings.IndexByte(text[i:], ']')
			if end < 0 {
				return ""
			}
			k, v, ok := strings.Cut(text[i+1:i+end], "=")
			i += end
			if !ok || !strings.EqualFold(strings.TrimSpace(k), name) {
				continue
			}
			v = strings.TrimSpace(v)
			if v != "" && (v[0] == '"' || v[0] == '\'') {
				if e := strings.IndexByte(v[1:], v[0]); e >= 0 {
					return strings.ToLower(v[1 : e+1])
				}
				return ""
			}
			v, _, _ = strings.Cut(v, " ") // a case flag: [type=submit i]
			return strings.ToLower(v)
		}
	}
	return ""
}

// SelectorProblem returns a machine code and a sentence saying why sel may
// not be used as a tested element, or two empty strings. The code is
// "state_selector" for a pseudo-class such as :hover that matches only
// after a visitor acts, and "invalid_selector" for everything else.
//
// It parses the part of CSS selectors that copy tests need and refuses the
// rest: what could break out of the style rule the snippet builds from the
// selector ({ } ; @ comments and escapes), syntax errors, selectors that
// match everything, subjects (the element the test rewrites, the last
// compound of each selector) that are a denied element, that only
// pseudo-classes describe or that name by type an element whose text the
// tag cannot show (noTextElements), and password fields. A class or
// attribute that happens to match an <input> on the page cannot be known
// here. The browser still has the last word on validity; the snippet
// guards every use of the selector.
func SelectorProblem(sel string) (code, msg string) {
	return selectorProblem(sel, true)
}

// GoalSelectorError returns a sentence saying why sel may not be used as
// a click goal, or "": SelectorProblem's, except that a goal may name an
// element that shows no text, such as a submit <input> or an <img>, since
// the tag counts its clicks and writes nothing in it.
func GoalSelectorError(sel string) string {
	_, msg := selectorProblem(sel, false)
	return msg
}

// selectorProblem is SelectorProblem, for a tested element when tested
// is true and for a click goal when it is false.
func selectorProblem(sel string, tested bool) (code, msg string) {
	const invalid, state = "invalid_selector", "state_selector"
	if strings.TrimSpace(sel) == "" {
		return invalid, "Enter a CSS selector, such as [data-copylab=\"hero\"] or h1.hero-title."
	}
	if n := chars.Count(sel); n > MaxSelectorLen {
		return invalid, fmt.Sprintf("Keep the selector to at most %d characters (this is %d).", MaxSelectorLen, n)
	}
	if len(sel) > MaxSelectorBytes {
		return invalid, fmt.Sprintf("This selector takes %s bytes, more than the %s copylab stores: shorten it, or use fewer emoji and accent marks (2 to 4 bytes each).",
			thousands(int64(len(sel))), thousands(MaxSelectorBytes))
	}
	if strings.Contains(sel, "/*") {
		return invalid, "Selectors cannot contain comments."
	}
	// The parser below relies on this: with no backslash there are no
	// escapes, and with no control character the only white space is " ".
	for _, r := range sel {
		switch {
		case r < 0x20 || r >= 0x7f && r <= 0x9f: // C0, DEL and C1 (U+0085 is a line break)
			return invalid, "Selectors cannot contain line breaks or control characters."
		case unicode.IsSpace(r) && r != ' ':
			// CSS would read U+00A0 and the like as part of a name, which no
			// page uses: it is a space pasted from a document.
			return invalid, "Selectors cannot contain non-breaking or other special spaces: type a plain space."
		case strings.ContainsRune("{};@\\<`", r):
			// "%c" in quotes, not %q: %q would show a backslash as '\\'.
			return invalid, fmt.Sprintf("Selectors cannot contain “%c”.", r)
		}
	}
	p := &selectorParser{s: sel}
	list := p.list(false)
	if p.err == "" && p.i < len(sel) {
		p.unexpected()
	}
	if p.err != "" {
		return invalid, p.err
	}
	// States and pseudo-elements are refused wherever they are: ".menu:hover
	// a" matches no sooner than "a:hover".
	if x, ok := findPseudo(list, func(x pseudo) bool { return x.element || statePseudos[x.name] }); ok {
		if x.element {
			return invalid, fmt.Sprintf("Select the element itself, not its ::%s: a pseudo-element has no text to change.", x.name)
		}
		return state, fmt.Sprintf("Leave out :%s: it depends on what the visitor does, so the element would not match as the page loads.", x.name)
	}
	// Only the subject of each selector is the element the test touches:
	// "body .hero" is fine, "body" is not.
	for _, cs := range list {
		c := cs[len(cs)-1]
		switch d := deniedOf(c); {
		case c.text == "*":
			return invalid, "This selector matches every element: choose the one element whose copy you test."
		case d != "":
			return invalid, fmt.Sprintf("Copy tests cannot target <%s>: choose the element that holds the text.", d)
		case !c.named:
			return invalid, unnamedMsg
		case isPasswordAttr(c.text):
			return invalid, "Copy tests cannot target password fields."
		}
	}
	// Last, so that a goal, which may name these, is refused for the
	// same reason as the tested element whenever it is refused.
	for _, cs := range list {
		if n, c := noTextOf(cs[len(cs)-1]); tested && n != "" {
			return invalid, noTextSentence(n, c)
		}
	}
	return "", ""
}

// SelectorError returns SelectorProblem's sentence for sel, or "".
func SelectorError(sel string) string {
	_, msg := SelectorProblem(sel)
	return msg
}

// A compound is one compound selector, such as h1.title:first-child: the
// part of a selector between combinators, which all describe one element.
type compound struct {
	text    string // as written, for isPasswordAttr
	typ     string // the type selector, lowercased, "*" or ""
	named   bool   // has a type other than *, a class, an id or an attribute of its own
	pseudos []pseudo
}

// A pseudo is a pseudo-class or pseudo-element of a compound. args holds
// the selector list inside :is(), :not(), :has() and the "of S" of
// :nth-child(), one []compound per selector; other arguments are skipped.
type pseudo struct {
	name    string // lowercased, without colons
	element bool
	args    [][]compound
}

// deniedOf returns the denied element that compound c names, through a
// type selector, :root (or :scope, which is :root in querySelector), or the
// subjects of :is() and the like, or "". A compound with :has(body) can only
// be <html>, the one element that holds <body> or <head>.
func deniedOf(c compound) string {
	if deniedElements[c.typ] {
		return c.typ
	}
	for _, x := range c.pseudos {
		switch {
		case x.name == "root" || x.name == "scope":
			return "html"
		case sameElementPseudos[x.name]:
			for _, cs := range x.args {
				if d := deniedOf(cs[len(cs)-1]); d != "" {
					return d
				}
			}
		case x.name == "has":
			for _, cs := range x.args {
				for _, in := range cs {
					if d := deniedOf(in); d == "body" || d == "head" {
						return "html"
					}
				}
			}
		}
	}
	return ""
}

// noTextOf returns the element of noTextElements that compound c names,
// through a type selector or the subjects of :is() and the like, with
// the compound that names it, or "".
func noTextOf(c compound) (string, compound) {
	if _, ok := noTextElements[c.typ]; ok {
		return c.typ, c
	}
	for _, x := range c.pseudos {
		if sameElementPseudos[x.name] {
			for _, cs := range x.args {
				if n, in := noTextOf(cs[len(cs)-1]); n != "" {
					return n, in
				}
			}
		}
	}
	return "", compound{}
}

// findPseudo returns the first pseudo in list, nested ones too, for which
// fn is true.
func findPseudo(list [][]compound, fn func(pseudo) bool) (pseudo, bool) {
	for _, cs := range list {
		for _, c := range cs {
			for _, x := range c.pseudos {
				if fn(x) {
					return x, true
				}
				if y, ok := findPseudo(x.args, fn); ok {
					return y, true
				}
			}
		}
	}
	return pseudo{}, false
}

// selectorParser reads a selector list by recursive descent, one byte at a
// time: every byte that means something in a selector is ASCII, and
// non-ASCII bytes are name characters, as in CSS. It records the first
// error in err and then stops reading (every loop checks err).
type selectorParser struct {
	s   string
	i   int
	err string
}

func (p *selectorParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *selectorParser) fail(msg string) {
	if p.err == "" {
		p.err = msg
	}
}

// unexpected fails at the current byte with the most helpful message.
func (p *selectorParser) unexpected() {
	switch b := p.peek(); {
	case b == 0:
		p.fail("The selector has an unclosed bracket.")
	case b == ')' || b == ']':
		p.fail("The selector has a closing bracket without an opening one.")
	case b == '"' || b == '\'':
		p.fail("Quotes belong inside an attribute selector, such as [data-copylab=\"hero\"].")
	default:
		end := min(p.i+12, len(p.s))
		for end < len(p.s) && !utf8.RuneStart(p.s[end]) {
			end++
		}
		p.fail(fmt.Sprintf("This is not a valid CSS selector: check it near %q.", p.s[p.i:end]))
	}
}

func (p *selectorParser) spaces() bool {
	start := p.i
	for p.peek() == ' ' {
		p.i++
	}
	return p.i > start
}

// list reads selectors separated by commas, up to the end or a ")". A
// relative list (inside :has()) may start each selector with a combinator.
func (p *selectorParser) list(relative bool) [][]compound {
	var out [][]compound
	for p.err == "" {
		out = append(out, p.complex(relative))
		if p.peek() != ',' {
			break
		}
		p.i++
	}
	return out
}

// complex reads one selector: compounds joined by combinators (" ", ">",
// "+", "~"). A combinator needs a compound on each side: "div >" would make
// the browser throw, and "> div" means nothing outside :has().
func (p *selectorParser) complex(relative bool) []compound {
	isComb := func(b byte) bool { return b == '>' || b == '+' || b == '~' }
	var out []compound
	comb := false // a combinator was just read, so a compound must follow
	p.spaces()
	if relative && isComb(p.peek()) {
		p.i++
		p.spaces()
		comb = true
	}
	for p.err == "" {
		c, ok := p.compound()
		if p.err != "" {
			return out
		}
		if !ok {
			switch b := p.peek(); {
			case comb || isComb(b): // "div >", "> div", "div > > p"
				p.fail("Put an element on both sides of >, + and ~, such as main > h1.")
			case b == 0 || b == ',' || b == ')':
				p.fail("The selector list has an empty part.")
			default:
				p.unexpected()
			}
			return out
		}
		out = append(out, c)
		space := p.spaces()
		comb = false
		switch b := p.peek(); {
		case b == 0 || b == ',' || b == ')':
			return out
		case isComb(b):
			p.i++
			p.spaces()
			comb = true
		case !space:
			// The compound stopped at a byte that cannot continue it,
			// such as "h1$" or "[x]div" (a type comes first).
			p.unexpected()
		}
	}
	return out
}

// compound reads a compound selector: an optional type or *, then classes,
// ids, attributes and pseudos. ok is false when there was none to read.
func (p *selectorParser) compound() (c compound, ok bool) {
	start := p.i
	if p.peek() == '*' {
		p.i++
		c.typ = "*"
	} else if name := p.ident(); name != "" {
		c.typ, c.named = strings.ToLower(name), true
	}
	for p.err == "" {
		switch p.peek() {
		case '#', '.':
			p.i++
			if b := p.peek(); b >= '0' && b <= '9' {
				p.fail("An id or class in a selector cannot start with a digit: use an attribute instead, such as [id=\"2col\"].")
			} else if p.ident() == "" {
				p.fail("Put a name after # or ., such as #main or .hero.")
			}
			c.named = true
		case '[':
			p.attribute()
			c.named = true
		case ':':
			c.pseudos = append(c.pseudos, p.pseudo())
		case '|':
			// querySelector knows no namespace prefixes: "svg|text"
			// throws, and "*|*" is only * again.
			p.fail("Selectors cannot use a namespace (the part before |).")
		default:
			c.text = p.s[start:p.i]
			return c, p.i > start
		}
	}
	return c, false
}

// ident reads a CSS identifier: name characters that do not start with a
// digit, nor with "-" and a digit. It returns "" and reads nothing if there
// is none.
func (p *selectorParser) ident() string {
	nameStart := func(b byte) bool { return b == '_' || b >= 0x80 || (b|0x20 >= 'a' && b|0x20 <= 'z') }
	start, j := p.i, p.i
	if j < len(p.s) && p.s[j] == '-' {
		j++
	}
	if j == len(p.s) || (p.s[j] != '-' && !nameStart(p.s[j])) {
		return ""
	}
	for j < len(p.s) && (nameStart(p.s[j]) || p.s[j] == '-' || (p.s[j] >= '0' && p.s[j] <= '9')) {
		j++
	}
	p.i = j
	return p.s[start:j]
}

// attribute reads [name], [name=value] or [name op value flag], where op is
// one of = ~= |= ^= $= *=, value a quoted string or an identifier, and flag
// i or s. The quotes matter: a ">" or "," inside them is no combinator.
func (p *selectorParser) attribute() {
	p.i++ // [
	p.spaces()
	if p.peek() == '|' || p.peek() == '*' {
		p.fail("Selectors cannot use a namespace (the part before |).")
		return
	}
	if p.ident() == "" {
		if p.peek() == 0 {
			p.unexpected()
		} else {
			p.fail("Put an attribute name inside [ ], such as [data-copylab=\"hero\"].")
		}
		return
	}
	p.spaces()
	switch b := p.peek(); {
	case b == ']':
		p.i++
		return
	case b == '=':
		p.i++
	case strings.IndexByte("~|^$*", b) >= 0 && p.i+1 < len(p.s) && p.s[p.i+1] == '=':
		p.i += 2
	case b == '|':
		p.fail("Selectors cannot use a namespace (the part before |).")
		return
	default:
		p.unexpected()
		return
	}
	p.spaces()
	if q := p.peek(); q == '"' || q == '\'' {
		end := strings.IndexByte(p.s[p.i+1:], q)
		if end < 0 {
			p.fail("The selector has an unclosed quote.")
			return
		}
		p.i += end + 2
	} else if p.ident() == "" {
		if p.peek() == 0 {
			p.unexpected()
		} else {
			p.fail("Put the attribute value in quotes, such as [data-copylab=\"hero\"].")
		}
		return
	}
	p.spaces()
	if flag := strings.ToLower(p.ident()); flag != "" { // [type="a" i] matches case-insensitively
		if flag != "i" && flag != "s" {
			p.fail("Put the attribute value in quotes, such as [data-copylab=\"hero\"].")
			return
		}
		p.spaces()
	}
	if p.peek() != ']' {
		p.unexpected()
		return
	}
	p.i++
}

// pseudo reads :name, ::name or :name(arguments). The arguments of :is(),
// :where(), :not(), :has() and the "of S" of :nth-child() are selector
// lists, read as such so their subjects can be checked; those of
// :nth-*() must be a position; any other function's are skipped, brackets
// and quotes matched.
func (p *selectorParser) pseudo() (x pseudo) {
	p.i++ // :
	if p.peek() == ':' {
		p.i++
		x.element = true
	}
	name := p.ident()
	if name == "" {
		p.fail("Put a name after the colon, such as :first-child.")
		return x
	}
	x.name = strings.ToLower(name)
	switch x.name {
	case "before", "after", "first-line", "first-letter": // CSS 2 spellings of ::before...
		x.element = true
	}
	if p.peek() != '(' {
		return x
	}
	p.i++
	switch {
	case x.name == "has":
		x.args = p.list(true)
	case strings.HasPrefix(x.name, "nth-"):
		p.position(x.name)
		rest := p.s[p.i:]
		if sameElementPseudos[x.name] && len(rest) > 3 && strings.EqualFold(rest[:3], "of ") {
			p.i += 3
			x.args = p.list(false)
		}
	case sameElementPseudos[x.name] || x.name == "not":
		x.args = p.list(false)
	default:
		p.skip()
	}
	if p.err == "" {
		if p.peek() != ')' {
			p.unexpected()
		}
		p.i++
	}
	return x
}

// position reads the An+B of :nth-child() and the like loosely (odd, even,
// 2, 2n+1, -n + 3): the browser checks the details, this catches words and
// empty parentheses. It stops before ")" or before "of".
func (p *selectorParser) position(name string) {
	p.spaces()
	start := p.i
	if w := strings.ToLower(p.ident()); w == "odd" || w == "even" {
		p.spaces()
		return
	}
	p.i = start
	number := false
	for ; p.i < len(p.s); p.i++ {
		switch b := p.s[p.i]; {
		case b >= '0' && b <= '9' || b == 'n' || b == 'N':
			number = true
		case b != '+' && b != '-' && b != ' ':
			if !number {
				p.fail(fmt.Sprintf("Give :%s() a position, such as 2, odd or 2n+1.", name))
			}
			return
		}
	}
}

// skip reads the arguments of a pseudo-class it does not know, such as
// :lang(en), up to the ")" that closes it. Brackets must nest properly:
// in the style rule the snippet builds, an unmatched one would swallow the
// rules after it.
func (p *selectorParser) skip() {
	var open []byte
	for ; p.i < len(p.s); p.i++ {
		switch b := p.s[p.i]; b {
		case '"', '\'':
			end := strings.IndexByte(p.s[p.i+1:], b)
			if end < 0 {
				p.fail("The selector has an unclosed quote.")
				return
			}
			p.i += end + 1
		case '(':
			open = append(open, ')')
		case '[':
			open = append(open, ']')
		case ')', ']':
			if len(open) == 0 && b == ')' {
				return
			}
			if len(open) == 0 || open[len(open)-1] != b {
				p.unexpected()
				return
			}
			open = open[:len(open)-1]
		}
	}
	p.unexpected() // the end, inside the parentheses
}

// isPasswordAttr reports whether a compound selector selects on
// type=password, however it is quoted or spaced.
func isPasswordAttr(compound string) bool {
	c := strings.ToLower(compound)
	c = strings.NewReplacer(" ", "", "\t", "", `"`, "", "'", "").Replace(c)
	return strings.Contains(c, "type=password") || strings.Contains(c, "type*=password") ||
		strings.Contains(c, "type^=password") || strings.Contains(c, "type$=password") || strings.Contains(c, "type~=password") ||
		strings.Contains(c, "type|=password") || strings.Contains(c, ":password")
}

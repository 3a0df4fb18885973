package variants

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"copylab/experiments/chars"
)

// guessElementKind is the element kind of a brief that leaves it to
// guess ("Guess from the current copy" on the form), from the element's
// CSS selector when the brief has one and it names a kind of element, and
// else from the copy. The guess matters because the kind sets the drafts'
// length limit and shape: a button guessed as a headline was offered
// 70-character headlines for "Buy now". It is deterministic, the same
// selector and copy giving the same kind, so a brief that leaves the kind
// empty drafts alike each time; and the page says what it guessed, so a
// wrong guess is one choice away from right.
//
// The selector wins when it says what the element is (selectorKind) and
// the copy fits that kind: its usual length, and on one line unless the
// kind takes line breaks. A "button" holding two sentences is the
// selector's slip, and the copy knows better (copyKind).
func guessElementKind(selector, copy string) string {
	if k := selectorKind(selector); k != "" && fitsKind(k, copy) {
		return k
	}
	return copyKind(copy)
}

// fitsKind reports whether copy could be an element of kind as it is.
func fitsKind(kind, copy string) bool {
	sh, limit := kindInfo(kind)
	return chars.Count(copy) <= limit && (sh == shapeLong || !strings.ContainsAny(copy, "\r\n"))
}

// copyKind guesses the kind from the copy alone:
//   - empty: a headline, the most common element tested;
//   - a line break: a paragraph, the only kinds that keep line breaks
//     being the long ones;
//   - a button's words (looksLikeButton): a button, 30 characters;
//   - up to a headline's 70 characters: a headline, however many
//     sentences ("Fast. Simple. Free." is a slogan, not a paragraph, and a
//     paragraph's 400-character limit would let the drafts grow to many
//     times the element's size);
//   - one sentence up to a subheadline's 150: a subheadline, so that the
//     drafts stay near the copy's length;
//   - longer, or several sentences: a paragraph.
func copyKind(copy string) string {
	_, headline := kindInfo("headline")
	_, sub := kindInfo("subheadline")
	n := chars.Count(copy)
	switch {
	case copy == "":
		return "headline"
	case strings.ContainsAny(copy, "\r\n"):
		return "paragraph"
	case looksLikeButton(copy):
		return "button"
	case n <= headline:
		return "headline"
	case n <= sub && sentenceCount(copy) == 1:
		return "subheadline"
	}
	return "paragraph"
}

// looksLikeButton reports whether copy reads as a button's label: short (a
// button's 30 characters, five words at most), one phrase that does not
// end as a sentence or a question does, and starting with a call to
// action's verb ("Buy now", "Add to basket", "Start free trial", "Get
// started →"). A short headline rarely starts so: "Bikes built for
// Leeds", "Meet Leeds Bikes" and "Ready to ride?" stay headlines.
func looksLikeButton(copy string) bool {
	_, limit := kindInfo("button")
	words := strings.Fields(copy)
	if chars.Count(copy) > limit || len(words) == 0 || len(words) > 5 || sentenceCount(copy) > 1 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(copy)
	if strings.ContainsRune(".?:;,", last) {
		return false
	}
	first := strings.ToLower(strings.TrimFunc(words[0], func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }))
	return ctaStarts[strings.ReplaceAll(first, "’", "'")]
}

// ctaStarts are the first words of calls to action: the verbs buttons
// and links use, and the few other words their labels start with
// ("Next", "Yes, please", "I'm in", "Let's go"). "Meet", "make" and
// "discover the …" are left out: they start headlines as often.
var ctaStarts = map[string]bool{
	"add": true, "apply": true, "book": true, "browse": true, "buy": true, "call": true, "chat": true,
	"check": true, "checkout": true, "choose": true, "claim": true, "compare": true, "confirm": true,
	"contact": true, "continue": true, "create": true, "donate": true, "download": true, "email": true,
	"enrol": true, "enroll": true, "explore": true, "find": true, "get": true, "give": true, "go": true,
	"grab": true, "install": true, "join": true, "learn": true, "log": true, "login": true, "open": true,
	"order": true, "pay": true, "pick": true, "play": true, "pre-order": true, "preorder": true,
	"proceed": true, "read": true, "register": true, "renew": true, "request": true, "reserve": true,
	"save": true, "schedule": true, "see": true, "select": true, "send": true, "shop": true, "show": true,
	"sign": true, "signup": true, "start": true, "submit": true, "subscribe": true, "take": true,
	"talk": true, "tell": true, "try": true, "unlock": true, "upgrade": true, "view": true, "visit": true,
	"watch": true,
	// Not verbs, but labels start so.
	"next": true, "yes": true, "i'm": true, "let's": true, "count": true,
}

// sentenceCount is how many sentences s has: one more than the sentence
// ends (., !, ?, …) followed by a space and more words.
func sentenceCount(s string) int {
	n := 1
	runes := []rune(strings.TrimSpace(s))
	for i := 0; i+1 < len(runes); i++ {
		if strings.ContainsRune(".!?…", runes[i]) && unicode.IsSpace(runes[i+1]) {
			n++
		}
	}
	return n
}

// selectorKind is the kind a CSS selector says its element is, or ""
// when it does not say (an id such as #buy-now, [data-copylab="hero"],
// a p or a div). It reads the selector's first group (before any comma)
// and in it the last compound, the element itself; a span, strong, em,
// b, i or small there is a wrapper inside the element that matters, so
// the compound before it is read too ("button span", ".btn > strong").
// What a compound says, most telling first:
//   - role="button" or type="submit", "button" or "reset" (an input
//     button): a button; role="link": a link; role="heading": a headline;
//   - the tag button: a button;
//   - h1 and h3 to h6: a headline; h2: a subheadline (as the form's
//     aliases have them);
//   - an id, class or data attribute holding the word btn, button or cta
//     (btn-primary, addToCartBtn, hero__cta): a button;
//   - the tag a, or the word link: a link.
func selectorKind(selector string) string {
	group := splitOutside(selector, func(r rune) bool { return r == ',' })
	if len(group) == 0 {
		return ""
	}
	compounds := splitOutside(group[0], func(r rune) bool { return unicode.IsSpace(r) || r == '>' || r == '+' || r == '~' })
	for i := len(compounds) - 1; i >= 0; i-- {
		tag, k := compoundKind(compounds[i])
		if k != "" {
			return k
		}
		switch tag {
		case "span", "strong", "em", "b", "i", "small":
			continue
		}
		return ""
	}
	return ""
}

// compoundKind is what one compound selector ("a.btn#buy[role=button]")
// says of its element (see selectorKind), and its tag in lower case.
func compoundKind(c string) (tag, kind string) {
	i := 0
	for i < len(c) && (c[i] == '-' || c[i] < utf8.RuneSelf && (unicode.IsLetter(rune(c[i])) || unicode.IsDigit(rune(c[i])))) {
		i++
	}
	tag = strings.ToLower(c[:i])
	var names []string // ids, classes and data attribute values, as words
	attrs := map[string]string{}
	for i < len(c) {
		switch c[i] {
		case '#', '.':
			j := i + 1
			for j < len(c) && !strings.ContainsRune("#.[:", rune(c[j])) {
				j++
			}
			names = append(names, c[i+1:j])
			i = j
		case '[':
			j := strings.IndexByte(c[i:], ']')
			if j < 0 {
				j = len(c) - i
			}
			name, value := attribute(c[i+1 : i+j])
			attrs[name] = value
			if name == "id" || name == "class" || strings.HasPrefix(name, "data-") {
				names = append(names, value)
			}
			i += j + 1
		case '(':
			// The argument of a pseudo-class, such as :not(.btn), is
			// about other elements.
			j := strings.IndexByte(c[i:], ')')
			if j < 0 {
				j = len(c) - i
			}
			i += j + 1
		default:
			i++ // pseudo-classes and what else: they say nothing of the kind
		}
	}

	switch attrs["role"] {
	case "button":
		return tag, "button"
	case "link":
		return tag, "link"
	case "heading":
		return tag, "headline"
	}
	switch attrs["type"] {
	case "submit", "button", "reset":
		return tag, "button"
	}
	switch tag {
	case "button":
		return tag, "button"
	case "h1", "h3", "h4", "h5", "h6":
		return tag, "headline"
	case "h2":
		return tag, "subheadline"
	}
	link := tag == "a"
	for _, n := range names {
		for _, w := range nameWords(n) {
			switch w {
			case "btn", "button", "cta":
				return tag, "button"
			case "link":
				link = true
			}
		}
	}
	if link {
		return tag, "link"
	}
	return tag, ""
}

// attribute splits the inside of an attribute selector (`type="submit"`,
// `data-copylab='buy now' i`, `disabled`) into its name and value, both
// in lower case, the value without quotes.
func attribute(s string) (name, value string) {
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		return strings.ToLower(strings.TrimSpace(s)), ""
	}
	name = strings.TrimRight(strings.TrimSpace(s[:eq]), "~|^$*")
	value = strings.TrimSpace(s[eq+1:])
	if q := value[:min(1, len(value))]; q == `"` || q == `'` {
		if end := strings.Index(value[1:], q); end >= 0 {
			value = value[1 : end+1]
		}
	} else if sp := strings.IndexFunc(value, unicode.IsSpace); sp >= 0 {
		value = value[:sp] // the case flag, [type=submit i]
	}
	return strings.ToLower(name), strings.ToLower(value)
}

// nameWords splits an id or class into lower-case words at anything but
// letters and digits and where camelCase turns upper ("addToCartBtn" →
// add, to, cart, btn), so that "cta" is found in "hero__cta" but not in
// "factual".
func nameWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		cur = append(cur, r)
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	flush()
	return words
}

// splitOutside splits s at the runes sep accepts that are outside
// brackets, parentheses and quotes, dropping empty parts.
func splitOutside(s string, sep func(rune) bool) []string {
	var parts []string
	depth, quote, start := 0, rune(0), 0
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '(':
			depth++
		case r == ']' || r == ')':
			depth = max(depth-1, 0)
		case depth == 0 && sep(r):
			if p := strings.TrimSpace(s[start:i]); p != "" {
				parts = append(parts, p)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if p := strings.TrimSpace(s[start:]); p != "" {
		parts = append(parts, p)
	}
	return parts
}

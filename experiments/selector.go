package experiments

import (
	"fmt"
	"strings"
)

// deniedElements are elements a copy test must never hide or rewrite: the
// snippet hides a tested element until its copy is swapped, so a selector for
// any of these could blank the page or touch what runs or secures it.
var deniedElements = map[string]bool{
	"html": true, "head": true, "body": true, "script": true, "style": true,
	"iframe": true, "frame": true, "frameset": true, "object": true, "embed": true,
	"link": true, "meta": true, "title": true, "base": true, "noscript": true, "template": true,
}

// SelectorError returns why sel may not be used as a tested element or a
// goal, or "". It is not a full CSS parser: it refuses what could break out of
// the style rule the snippet builds from the selector ({ } ; @ comments and
// escapes), unbalanced brackets and quotes, selectors that match everything,
// the denied elements, and password fields. The browser still decides whether
// the selector is valid; the snippet guards every use of it.
func SelectorError(sel string) string {
	if sel == "" {
		return "Enter a CSS selector, such as [data-copylab=\"hero\"] or h1.hero-title."
	}
	if len(sel) > MaxSelectorLen {
		return fmt.Sprintf("Keep the selector under %d characters.", MaxSelectorLen)
	}
	if strings.Contains(sel, "/*") {
		return "Selectors cannot contain comments."
	}
	for _, r := range sel {
		switch {
		case r < 0x20 || r == 0x7f:
			return "Selectors cannot contain line breaks or control characters."
		case strings.ContainsRune("{};@\\<`", r):
			return fmt.Sprintf("Selectors cannot contain %q.", r)
		}
	}
	subjects, msg := subjectCompounds(sel)
	if msg != "" {
		return msg
	}
	// Only the subject of each selector (its last compound) is the element
	// the test touches: "body .hero" is fine, "body" is not.
	for _, c := range subjects {
		if c == "*" || c == ":root" || strings.HasSuffix(c, "|*") {
			return "This selector matches every element: choose the one element whose copy you test."
		}
		if deniedElements[typeName(c)] {
			return fmt.Sprintf("Copy tests cannot target <%s>: choose the element that holds the text.", typeName(c))
		}
		if isPasswordAttr(c) {
			return "Copy tests cannot target password fields."
		}
	}
	return ""
}

// subjectCompounds returns the last compound selector of each selector in a
// comma-separated list, cutting at combinators outside brackets, parentheses
// and quotes, and checks that those are balanced.
func subjectCompounds(sel string) ([]string, string) {
	var out []string
	var cur strings.Builder
	last := ""
	depthSq, depthPar := 0, 0
	var quote rune
	endCompound := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			last = s
		}
		cur.Reset()
	}
	endSelector := func() bool {
		endCompound()
		if last == "" {
			return false
		}
		out = append(out, last)
		last = ""
		return true
	}
	for _, r := range sel {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[':
			depthSq++
		case r == ']':
			depthSq--
		case r == '(':
			depthPar++
		case r == ')':
			depthPar--
		case depthSq == 0 && depthPar == 0 && r == ',':
			if !endSelector() {
				return nil, "The selector list has an empty part."
			}
			continue
		case depthSq == 0 && depthPar == 0 && strings.ContainsRune(" \t>+~", r):
			endCompound()
			continue
		}
		if depthSq < 0 || depthPar < 0 {
			return nil, "The selector has a closing bracket without an opening one."
		}
		cur.WriteRune(r)
	}
	if quote != 0 {
		return nil, "The selector has an unclosed quote."
	}
	if depthSq != 0 || depthPar != 0 {
		return nil, "The selector has an unclosed bracket."
	}
	if !endSelector() {
		return nil, "Enter a CSS selector, such as [data-copylab=\"hero\"] or h1.hero-title."
	}
	return out, ""
}

// typeName is the lowercased element name that starts a compound selector
// ("" when it starts with a class, id, attribute or pseudo-class).
func typeName(compound string) string {
	end := strings.IndexAny(compound, ".#[:")
	if end < 0 {
		end = len(compound)
	}
	name := compound[:end]
	if i := strings.IndexByte(name, '|'); i >= 0 { // namespace prefix
		name = name[i+1:]
	}
	return strings.ToLower(name)
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

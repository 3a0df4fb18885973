package recorders

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// The placeholders of a custom URL template.
const (
	PlaceholderSession    = "{session_id}"
	PlaceholderVisitor    = "{visitor}"
	PlaceholderExperiment = "{experiment}"
	PlaceholderVariant    = "{variant}"
)

var placeholders = []string{PlaceholderSession, PlaceholderVisitor, PlaceholderExperiment, PlaceholderVariant}

// maxTemplate bounds a template's length in bytes; links stay well under
// the 2,000 or so characters every browser and chat tool keeps. Bytes,
// not characters: a browser sends a link's é or 日 as its UTF-8 bytes,
// each written %XX, so a character outside ASCII makes the link longer
// than one byte would, never shorter.
const maxTemplate = 1024

// Template is a checked custom URL template: it starts with "http://" or
// "https://" and a literal host (so no value can choose the scheme or the
// server, and "javascript:", "data:", "vbscript:" or a scheme-relative
// "//" never get through), has placeholders only after the host, and no
// spaces, control characters, backslashes or unknown "{…}". Expand fills it.
type Template struct {
	raw string
}

// ParseTemplate checks a custom URL template (see Template).
func ParseTemplate(raw string) (Template, error) {
	if raw == "" {
		return Template{}, errors.New("the template is empty")
	}
	if len(raw) > maxTemplate {
		// Worded as every other field's limit ("Keep the name to at most
		// 120 characters."), in the unit it counts, with what it counted:
		// a template of 400 characters, most of them Japanese, is over.
		// Validate makes it a sentence.
		return Template{}, fmt.Errorf("keep the template to at most %d bytes (this is %d: letters such as é or 日 take 2 to 4 bytes each)", maxTemplate, len(raw))
	}
	for _, r := range raw {
		if r <= ' ' || r == 0x7f || r == '\\' || (r >= 0x80 && r <= 0x9f) || r == '\u2028' || r == '\u2029' {
			return Template{}, errors.New("the template must not contain spaces, control characters or backslashes (encode them, like %20)")
		}
	}
	lower := strings.ToLower(raw)
	var rest string
	switch {
	case strings.HasPrefix(lower, "https://"):
		rest = raw[len("https://"):]
	case strings.HasPrefix(lower, "http://"):
		rest = raw[len("http://"):]
	default:
		return Template{}, errors.New("the template must start with https:// or http:// (javascript:, data: and scheme-relative // links are refused)")
	}
	// The authority runs to the first "/", "?" or "#"; it must be literal.
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	switch {
	case authority == "":
		return Template{}, errors.New("the template has no host after the scheme")
	case strings.ContainsAny(authority, "{}"):
		return Template{}, errors.New("placeholders may appear only after the host, in the path or the query")
	case strings.Contains(authority, "@"):
		return Template{}, errors.New("the template must not contain a user name or password")
	}
	// Every "{" must open a known placeholder, and every "}" close one.
	for s := raw; s != ""; {
		i := strings.IndexAny(s, "{}")
		if i < 0 {
			break
		}
		if s[i] == '}' {
			return Template{}, errors.New("the template has a } that closes no placeholder")
		}
		p, ok := knownPlaceholder(s[i:])
		if !ok {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return Template{}, errors.New("the template has a { that opens no placeholder")
			}
			return Template{}, fmt.Errorf("unknown placeholder %s: use {session_id}, {visitor}, {experiment} or {variant}", s[i:i+end+1])
		}
		s = s[i+len(p):]
	}
	// The template with sample values must be a URL of its own scheme and
	// host. (Expand checks each link it builds again.)
	t := Template{raw: raw}
	sample := t.fill(func(string) string { return "x" })
	u, err := url.Parse(sample)
	if err != nil {
		return Template{}, fmt.Errorf("the template is not a URL: %v", err)
	}
	if !httpURL(u) {
		return Template{}, errors.New("the template must be an http or https URL with a host")
	}
	return t, nil
}

func knownPlaceholder(s string) (string, bool) {
	for _, p := range placeholders {
		if strings.HasPrefix(s, p) {
			return p, true
		}
	}
	return "", false
}

// String returns the template as written.
func (t Template) String() string { return t.raw }

// Uses reports whether the template contains the placeholder.
func (t Template) Uses(placeholder string) bool { return strings.Contains(t.raw, placeholder) }

// Values fill a template's placeholders.
type Values struct {
	Session, Visitor, Experiment, Variant string
}

func (v Values) of(placeholder string) string {
	switch placeholder {
	case PlaceholderSession:
		return v.Session
	case PlaceholderVisitor:
		return v.Visitor
	case PlaceholderExperiment:
		return v.Experiment
	case PlaceholderVariant:
		return v.Variant
	}
	return ""
}

// Expand fills the template, each value escaped so that it stays one path
// segment or query value whatever it holds. It returns "" when a
// placeholder the template uses has no value, or (never for a parsed
// Template) when the result is not an http or https URL.
func (t Template) Expand(v Values) string {
	if t.raw == "" {
		return ""
	}
	for _, p := range placeholders {
		if t.Uses(p) && (v.of(p) == "" || onlyDots(v.of(p))) {
			return ""
		}
	}
	out := t.fill(func(p string) string { return escapeAll(v.of(p)) })
	if u, err := url.Parse(out); err != nil || !httpURL(u) {
		return ""
	}
	return out
}

// fill replaces each placeholder with value(placeholder).
func (t Template) fill(value func(placeholder string) string) string {
	var b strings.Builder
	s := t.raw
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		p, ok := knownPlaceholder(s[i:])
		if !ok { // not in a parsed template
			b.WriteString(s[i:])
			return b.String()
		}
		b.WriteString(value(p))
		s = s[i+len(p):]
	}
}

// onlyDots tells whether s is made of dots alone: as a path segment "." or
// "..", which browsers resolve (escaped as %2E too), so a value a visitor
// sent could lead a link elsewhere on the recorder's host.
func onlyDots(s string) bool {
	return s != "" && strings.Trim(s, ".") == ""
}

// dotSegments tells whether an escaped URL path holds a "." or ".."
// segment, literal or escaped.
func dotSegments(escapedPath string) bool {
	for _, seg := range strings.Split(escapedPath, "/") {
		switch strings.ToLower(seg) {
		case ".", "..", "%2e", "%2e%2e", ".%2e", "%2e.":
			return true
		}
	}
	return false
}

// escapeAll percent-encodes every byte of s but RFC 3986's unreserved
// characters (letters, digits, "-", ".", "_", "~"): the result means the
// same in a path segment and in a query value, and can end neither.
// (url.PathEscape leaves "&", "=" and "+", which mean something in a
// query; url.QueryEscape writes a space as "+", which a path keeps.)
func escapeAll(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// httpURL reports whether u is an absolute http or https URL with a host
// and no user info.
func httpURL(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil && u.Opaque == ""
}

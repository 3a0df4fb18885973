package variants

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// draft is one variant as a model wrote it, before validation.
type draft struct {
	Text, Angle, Rationale string
}

// errNoVariants means the output held no JSON with any variant in it.
var errNoVariants = errors.New("no variants found in the model output")

// Parsing limits. A chat completion is never this long for ten short
// variants; the caps only bound the work a hostile answer can cause.
const (
	maxOutputBytes   = 256 << 10
	maxJSONAttempts  = 64
	maxDraftsPerCall = 50
)

var fenceRe = regexp.MustCompile("(?s)```[a-zA-Z0-9_-]*[ \t]*\r?\n?(.*?)```")

// parseOutput finds the variants in a model's answer. Servers that honour
// response_format send plain JSON, but many OpenAI-compatible ones ignore
// it, and models then wrap the JSON in a code fence, put prose around it,
// or answer with a bare array. parseOutput accepts all of these and
// returns the first JSON value that holds at least one variant.
func parseOutput(content string) ([]draft, error) {
	if len(content) > maxOutputBytes {
		content = content[:maxOutputBytes]
	}
	content = strings.TrimPrefix(strings.TrimSpace(content), "\ufeff")

	if d, ok := draftsFromJSON([]byte(content)); ok {
		return d, nil
	}
	for _, m := range fenceRe.FindAllStringSubmatch(content, 8) {
		if d, ok := draftsFromJSON([]byte(strings.TrimSpace(m[1]))); ok {
			return d, nil
		}
	}
	// JSON embedded in prose: try to decode one value from each "{" or
	// "[" in turn. json.Decoder stops at the end of the first value, so
	// the text after it does not matter. A list of variants wins at once;
	// lone variant objects are collected, which also salvages the items of
	// a list that is itself broken (a trailing comma, a cut-off end).
	var loose []draft
	attempts := 0
	for i := 0; i < len(content) && attempts < maxJSONAttempts; i++ {
		if content[i] != '{' && content[i] != '[' {
			continue
		}
		attempts++
		var v json.RawMessage
		if err := json.NewDecoder(strings.NewReader(content[i:])).Decode(&v); err != nil {
			continue
		}
		if d, ok := draftFromItem(v); ok && content[i] == '{' {
			if len(loose) < maxDraftsPerCall {
				loose = append(loose, d)
			}
		} else if d, ok := draftsFromValue(v); ok && len(loose) == 0 {
			return d, nil
		}
		// Skip past the whole value rather than trying every brace
		// inside it.
		i += len(v) - 1
	}
	if len(loose) > 0 {
		return loose, nil
	}
	return nil, errNoVariants
}

// draftsFromJSON decodes data as exactly one JSON value.
func draftsFromJSON(data []byte) ([]draft, bool) {
	if len(data) == 0 || !json.Valid(data) {
		return nil, false
	}
	return draftsFromValue(data)
}

// listKeys are the names models use for the list when they do not follow
// the schema exactly.
var listKeys = []string{"variants", "Variants", "variations", "items", "options", "copies", "results", "data", "headlines", "suggestions"}

func draftsFromValue(data json.RawMessage) ([]draft, bool) {
	return draftsFromValueDepth(data, 0)
}

// maxWrapDepth bounds how deep draftsFromValue looks through wrapper
// objects such as {"response": {"variants": [...]}}.
const maxWrapDepth = 3

func draftsFromValueDepth(data json.RawMessage, depth int) ([]draft, bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, false
	}
	switch data[0] {
	case '[':
		return draftsFromList(data)
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return nil, false
		}
		for _, k := range listKeys {
			if v, ok := obj[k]; ok {
				if d, ok := draftsFromList(v); ok {
					return d, true
				}
			}
		}
		// One object that is itself a variant: {"text": "..."}.
		if d, ok := draftFromItem(data); ok {
			return []draft{d}, true
		}
		// An object with a single list under an unexpected name.
		var lists []json.RawMessage
		for _, v := range obj {
			if v = bytes.TrimSpace(v); len(v) > 0 && v[0] == '[' {
				lists = append(lists, v)
			}
		}
		if len(lists) == 1 {
			return draftsFromList(lists[0])
		}
		// A wrapper object with one member: look inside it.
		if len(obj) == 1 && depth < maxWrapDepth {
			for _, v := range obj {
				return draftsFromValueDepth(v, depth+1)
			}
		}
	}
	return nil, false
}

func draftsFromList(data json.RawMessage) ([]draft, bool) {
	var items []json.RawMessage
	if json.Unmarshal(data, &items) != nil {
		return nil, false
	}
	var out []draft
	for _, it := range items {
		if len(out) == maxDraftsPerCall {
			break
		}
		if d, ok := draftFromItem(it); ok {
			out = append(out, d)
		}
	}
	return out, len(out) > 0
}

// textKeys and friends are the field names models use instead of the
// schema's, in order of preference.
var (
	textKeys      = []string{"text", "copy", "variant", "headline", "content", "value", "Text"}
	angleKeys     = []string{"angle", "approach", "type", "Angle"}
	rationaleKeys = []string{"rationale", "reason", "reasoning", "why", "explanation", "Rationale"}
)

// draftFromItem reads one list item: an object with a text field, or a
// bare string.
func draftFromItem(data json.RawMessage) (draft, bool) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if json.Unmarshal(data, &s) == nil {
			return draft{Text: s}, true
		}
		return draft{}, false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil {
		return draft{}, false
	}
	text, ok := firstString(obj, textKeys)
	if !ok {
		return draft{}, false
	}
	angle, _ := firstString(obj, angleKeys)
	rationale, _ := firstString(obj, rationaleKeys)
	return draft{Text: text, Angle: angle, Rationale: rationale}, true
}

func firstString(obj map[string]json.RawMessage, keys []string) (string, bool) {
	for _, k := range keys {
		raw, ok := obj[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s, true
		}
	}
	return "", false
}

// refusalRe matches the usual openings of a model declining a task. It is
// only consulted when the answer holds no JSON, so a variant that happens
// to say "sorry" is never mistaken for a refusal.
var refusalRe = regexp.MustCompile(`(?i)^\W*(i'?m sorry|i am sorry|sorry, (but )?i|i can(no|')t|i cannot|i am unable|i'm unable|i am not able|i'm not able|i won'?t|i will not|as an ai|unfortunately,? i)`)

func looksLikeRefusal(content string) bool {
	content = strings.ReplaceAll(strings.TrimSpace(content), "’", "'")
	return refusalRe.MatchString(content)
}

// wrappingQuotes are the pairs a model puts around copy it "quotes".
var wrappingQuotes = [][2]string{{`"`, `"`}, {"“", "”"}, {"'", "'"}, {"‘", "’"}, {"«", "»"}, {"„", "“"}, {"「", "」"}}

// tidyText undoes harmless habits of models before validation: spaces at
// the ends, a pair of quotes around the whole text, doubled spaces, and
// line breaks in copy that cannot show them. Anything else is left for
// ValidateCopy to judge.
func tidyText(s string, allowBreaks bool) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	for _, q := range wrappingQuotes {
		inner, ok := strings.CutPrefix(s, q[0])
		if !ok {
			continue
		}
		inner, ok = strings.CutSuffix(inner, q[1])
		if ok && !strings.Contains(inner, q[0]) && !strings.Contains(inner, q[1]) {
			s = strings.TrimSpace(inner)
		}
		break
	}
	var kept []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.Join(strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '\t' }), " ")
		if l == "" {
			// Keep one blank line between paragraphs, and none in
			// copy that cannot break lines.
			if allowBreaks && len(kept) > 0 && kept[len(kept)-1] != "" {
				kept = append(kept, "")
			}
			continue
		}
		kept = append(kept, l)
	}
	sep := " "
	if allowBreaks {
		sep = "\n"
	}
	return strings.TrimSpace(strings.Join(kept, sep))
}

// tidyNote cleans an angle or rationale for display: one line, no
// invisible characters, and a sensible length. These notes are shown to the
// marketer only (escaped by templ), never served to a site.
func tidyNote(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError:
			return -1
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return ' '
		}
		return r
	}, s)
	return clip(collapseSpace(s), n)
}

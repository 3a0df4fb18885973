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

// parsed is what parseAnswer read in a model's answer.
type parsed struct {
	drafts []draft
	// unreadable counts the objects that look like drafts (one flat
	// object with a text key) but are not JSON even once trailing commas
	// are taken out: drafts the model sent that copylab lost.
	unreadable int
}

// parseOutput finds the variants in a model's answer (see parseAnswer).
func parseOutput(content string) ([]draft, error) {
	p, err := parseAnswer(content)
	return p.drafts, err
}

// parseAnswer finds the variants in a model's answer. Servers that honour
// response_format send plain JSON, but many OpenAI-compatible ones ignore
// it, and models then wrap the JSON in a code fence, put prose around it,
// or answer with a bare array. parseAnswer accepts all of these and
// returns the first list of variants it finds. A lone variant object is
// not the answer when a list is there too: models often print one as an
// example of the format ("Here is the format: {...}") before the list,
// or after it. Lone objects are the answer only when no list holds as
// many drafts as they do. The thinking a reasoning model writes before
// its answer is not read (see withoutThinking).
func parseAnswer(content string) (parsed, error) {
	if len(content) > maxOutputBytes {
		content = content[:maxOutputBytes]
	}
	content, _ = withoutThinking(strings.TrimPrefix(strings.TrimSpace(content), "\ufeff"))

	if d, ok := draftsFromJSON([]byte(content)); ok {
		return parsed{drafts: d}, nil
	}
	// A fence that holds one lone variant may be the example before the
	// list: the search below reads the fences' text too, and weighs it
	// against any list, so such a fence is only kept in case that
	// search finds nothing at all.
	var loneFence []draft
	for _, m := range fenceRe.FindAllStringSubmatch(content, 8) {
		data := []byte(strings.TrimSpace(m[1]))
		d, ok := draftsFromJSON(data)
		switch {
		case !ok:
		case isLoneDraft(data, d):
			if loneFence == nil {
				loneFence = d
			}
		default:
			return parsed{drafts: d}, nil
		}
	}
	// JSON embedded in prose: try to decode one value from each "{" or
	// "[" in turn. json.Decoder stops at the end of the first value, so
	// the text after it does not matter. Lone variant objects are
	// collected, which also salvages the items of a list that is itself
	// broken (a cut-off end, a missing comma). A list of variants wins
	// at once unless the lone objects before it outnumber its drafts:
	// one lone object before a list is an example of the format.
	var p parsed
	attempts := 0
	for i := 0; i < len(content) && attempts < maxJSONAttempts; i++ {
		if content[i] != '{' && content[i] != '[' {
			continue
		}
		attempts++
		v, n, sc := decodeValue(content[i:])
		if v == nil {
			// A flat object that is not JSON is a draft copylab cannot
			// read (a missing comma, single quotes): count it, and skip
			// it whole rather than read braces in its text.
			if sc.closed && !sc.nested && content[i] == '{' && hasTextKey(content[i:i+sc.end]) {
				p.unreadable++
				i += sc.end - 1
			}
			continue
		}
		if d, ok := draftFromItem(v); ok && content[i] == '{' {
			if len(p.drafts) < maxDraftsPerCall {
				p.drafts = append(p.drafts, d)
			}
		} else if d, ok := draftsFromValue(v); ok && len(d) >= len(p.drafts) {
			return parsed{drafts: d}, nil
		}
		// Skip past the whole value rather than trying every brace
		// inside it.
		i += n - 1
	}
	if len(p.drafts) > 0 {
		return p, nil
	}
	if loneFence != nil {
		return parsed{drafts: loneFence}, nil
	}
	return p, errNoVariants
}

// isLoneDraft reports whether data, which draftsFromJSON read as d, is
// one object that is itself a variant rather than a list of them.
func isLoneDraft(data []byte, d []draft) bool {
	if len(d) != 1 || data[0] != '{' {
		return false
	}
	one, ok := draftFromItem(data)
	return ok && one == d[0]
}

// decodeValue decodes the JSON value at the start of s, which starts with
// "{" or "[", and returns it with the number of bytes of s it took; nil
// when there is none. A value that is not JSON as it stands gets one
// careful repair: commas just before a closing "}" or "]", outside
// strings, are taken out, a slip smaller models often make. Nothing else
// is changed. The scan of a value that is not JSON is returned too.
func decodeValue(s string) (json.RawMessage, int, scanned) {
	var v json.RawMessage
	if json.NewDecoder(strings.NewReader(s)).Decode(&v) == nil {
		// Decode copies the value's bytes as they are; s starts with
		// the value, so its length is what it took.
		return v, len(v), scanned{}
	}
	sc := scanValue(s)
	if !sc.closed || sc.fixed == "" || !json.Valid([]byte(sc.fixed)) {
		return nil, 0, sc
	}
	return json.RawMessage(sc.fixed), sc.end, sc
}

// scanned is what scanValue found.
type scanned struct {
	end    int    // bytes up to and including the closing bracket
	closed bool   // the brackets closed before s ended
	nested bool   // a bracket opened inside the outer one
	fixed  string // s[:end] without trailing commas; "" when it had none
}

// scanValue follows the brackets of the value at the start of s, outside
// strings, to where the outer one closes, and notes the trailing commas
// on the way. It does not check that the value is JSON.
func scanValue(s string) scanned {
	var (
		sc       scanned
		fixed    []byte
		depth    int
		inString bool
		escaped  bool
		last     = 0 // s[last:i] is still to be copied into fixed
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > 1 {
				sc.nested = true
			}
		case '}', ']':
			depth--
			if depth == 0 {
				sc.end, sc.closed = i+1, true
				if fixed != nil {
					sc.fixed = string(append(fixed, s[last:sc.end]...))
				}
				return sc
			}
		case ',':
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
				j++
			}
			if j < len(s) && (s[j] == '}' || s[j] == ']') {
				fixed = append(fixed, s[last:i]...)
				last = i + 1
			}
		}
	}
	return sc
}

// hasTextKey reports whether s, an object's text, names one of textKeys,
// in double quotes or in the single quotes of a model writing Python.
func hasTextKey(s string) bool {
	for _, k := range textKeys {
		if strings.Contains(s, `"`+k+`"`) || strings.Contains(s, "'"+k+"'") {
			return true
		}
	}
	return false
}

// thinkingTags are the tags reasoning models put around the thinking they
// write at the start of the content, before the answer: <think> (qwen3,
// deepseek-r1 and their kin on Ollama, llama.cpp, vLLM without a
// reasoning parser), and the <thinking> and <reasoning> of models taught
// to think aloud by a prompt.
var thinkingTags = []string{"think", "thinking", "reasoning"}

// withoutThinking returns the answer in content, without the thinking
// blocks at its start: JSON sketched while thinking is not the answer.
// Tags match in any case. With DeepSeek-R1's chat template the prompt
// opens the block, so the content holds only its end
// (ggml-org/llama.cpp#11861): text up to a closing tag that no opening tag
// comes before is thinking too. onlyThinking is true when content had
// thinking and no answer after it, or a block never closed (the model
// stopped while thinking).
func withoutThinking(content string) (answer string, onlyThinking bool) {
	s := strings.TrimLeftFunc(content, unicode.IsSpace)
	lower := asciiLower(s)
	thought := false
	for {
		tag := ""
		for _, t := range thinkingTags {
			if strings.HasPrefix(lower, "<"+t+">") {
				tag = t
				break
			}
		}
		if tag == "" {
			break
		}
		end := strings.Index(lower, "</"+tag+">")
		if end < 0 {
			return "", true
		}
		cut := end + len("</"+tag+">")
		s, lower = s[cut:], lower[cut:]
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		lower = lower[len(lower)-len(s):]
		thought = true
	}
	if !thought {
		for _, t := range thinkingTags {
			end := strings.Index(lower, "</"+t+">")
			if end >= 0 && !strings.Contains(lower[:end], "<"+t+">") {
				s = strings.TrimLeftFunc(s[end+len("</"+t+">"):], unicode.IsSpace)
				thought = true
				break
			}
		}
	}
	if !thought {
		return content, false
	}
	return s, strings.TrimSpace(s) == ""
}

// asciiLower is s with ASCII letters in lower case and every other byte
// as it is, so that offsets in it are offsets in s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
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

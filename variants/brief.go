package variants

import (
	"fmt"
	"strings"

	"copylab/experiments/chars"
)

// Limits on a brief. They keep one prompt well inside any model's context
// window and stop a pasted web page from becoming "the current copy".
const (
	DefaultN        = 5
	MaxN            = 10
	MinMaxLength    = 10
	MaxMaxLength    = 5000
	maxListItems    = 20
	maxListItemLen  = 200
	maxShortField   = 300
	maxLongField    = 2000
	maxLanguageName = 50
)

// Brief is what a marketer asks for: which copy to rewrite, for whom, to
// what end, and within which limits. Only CurrentCopy and Goal are
// required; Normalize fills in the rest.
type Brief struct {
	Product     string   `json:"product,omitempty"`
	Audience    string   `json:"audience,omitempty"`
	Goal        string   `json:"goal"`
	CurrentCopy string   `json:"current_copy"`
	ElementKind string   `json:"element_kind,omitempty"`
	Tone        string   `json:"tone,omitempty"`
	Language    string   `json:"language,omitempty"`
	MustSay     []string `json:"must_say,omitempty"`
	MustNotSay  []string `json:"must_not_say,omitempty"`
	// MaxLength is counted in characters as a reader sees them
	// (chars.Count: a family emoji or a flag is one). Zero means the
	// default for the element kind.
	MaxLength  int    `json:"max_length,omitempty"`
	BrandVoice string `json:"brand_voice,omitempty"`
	// N is how many variants to write, 1 to 10; zero means 5.
	N int `json:"n,omitempty"`
	// Selector is the CSS selector of the element the copy is in, when
	// the caller knows it (the experiment's): Normalize guesses the
	// element kind from it and the current copy when ElementKind is
	// empty (see guessElementKind). It belongs to the experiment, not to
	// what a marketer asks for, so it is no part of the brief's JSON.
	Selector string `json:"-"`
}

// FieldHelp describes one brief field for the form: the label, a short
// help text, and an example a marketer can copy the shape of.
type FieldHelp struct {
	Name     string // the JSON name, also FieldError.Field
	Label    string
	Help     string
	Example  string
	Required bool
}

// BriefFields lists the brief's fields in the order a form should show
// them. It is data, not behaviour, so the app and the API docs can share it.
var BriefFields = []FieldHelp{
	{Name: "current_copy", Label: "Current copy", Required: true,
		// The drafts are written from this box, but the test's original is
		// the experiment's first copy row: the box starts as that row's
		// text (the app's briefFor) and changing it does not change the row.
		Help:    "The text on the page today, exactly as visitors see it: the drafts are written to beat it. The test compares them with the experiment’s Original, which changing this box does not change.",
		Example: "Project management for busy teams"},
	{Name: "goal", Label: "Goal of the page", Required: true,
		Help:    "What a visitor should do after reading this copy. One sentence is enough.",
		Example: "Get visitors to start a free trial"},
	{Name: "element_kind", Label: "Element",
		Help:    "Which kind of text this is; it sets the usual length and shape of the drafts. Left to guess, copylab goes by the experiment’s element and the current copy.",
		Example: "headline, subheadline, button, paragraph"},
	{Name: "product", Label: "Product or offer",
		Help:    "The product, service or offer the copy is about, in a few words.",
		Example: "Acme Boards, a kanban tool"},
	{Name: "audience", Label: "Audience",
		Help:    "Who reads this copy. Be specific: a role, a situation or a need.",
		Example: "small agency owners"},
	{Name: "tone", Label: "Tone",
		Help:    "How the copy should sound.",
		Example: "friendly and confident"},
	{Name: "language", Label: "Language",
		// Left empty, the model is asked for the current copy's language
		// (briefMessage), so a German page's button is not answered in
		// English; the offline templates write English whatever it says.
		Help:    "The language to write the drafts in. Leave it empty to write them in the language of the current copy.",
		Example: "German"},
	{Name: "must_say", Label: "Must say",
		Help:    "Words or phrases every draft has to contain, one per line.",
		Example: "14-day free trial"},
	{Name: "must_not_say", Label: "Must not say",
		Help:    "Banned words and claims, one per line. Drafts that use them are discarded.",
		Example: "guarantee"},
	{Name: "max_length", Label: "Max length",
		Help:    "The most characters a draft may have, spaces included. Leave empty for the usual length of the element.",
		Example: "60"},
	{Name: "brand_voice", Label: "Brand voice notes",
		Help:    "Anything else about how your brand writes: words you like, words you avoid, style rules.",
		Example: "We say \"you\", never \"users\". No exclamation marks."},
	{Name: "n", Label: "Number of drafts",
		Help:    fmt.Sprintf("How many drafts to write, from 1 to %d.", MaxN),
		Example: "5"},
}

// elementKinds maps the element kinds we know to their shape and usual
// maximum length. The lengths follow common practice: a headline fits one
// line on a phone, a button label two or three words.
var elementKinds = map[string]struct {
	shape     shape
	maxLength int
}{
	"headline":    {shapeStatement, 70},
	"heading":     {shapeStatement, 70},
	"title":       {shapeStatement, 70},
	"tagline":     {shapeStatement, 60},
	"banner":      {shapeStatement, 90},
	"subheadline": {shapeLong, 150},
	"subheading":  {shapeLong, 150},
	"paragraph":   {shapeLong, 400},
	"body":        {shapeLong, 400},
	"description": {shapeLong, 300},
	"button":      {shapeCTA, 30},
	"link":        {shapeCTA, 40},
	"cta":         {shapeCTA, 30},
}

// elementAliases folds the spellings people type into the kinds above.
var elementAliases = map[string]string{
	"sub-headline":   "subheadline",
	"sub headline":   "subheadline",
	"subhead":        "subheadline",
	"sub-heading":    "subheading",
	"h1":             "headline",
	"h2":             "subheadline",
	"hero":           "headline",
	"hero headline":  "headline",
	"body copy":      "body",
	"text":           "paragraph",
	"call to action": "cta",
	"call-to-action": "cta",
	"button label":   "button",
	"button text":    "button",
}

// shape is how a kind of element reads: a call to action, a one-line
// statement, or one or more sentences. The offline generator and the
// prompt both use it.
type shape int

const (
	shapeStatement shape = iota
	shapeCTA
	shapeLong
)

const defaultOtherMaxLength = 120

func kindInfo(kind string) (shape, int) {
	if k, ok := elementKinds[kind]; ok {
		return k.shape, k.maxLength
	}
	return shapeStatement, defaultOtherMaxLength
}

// Normalize trims every field, drops empty and repeated list items, and
// fills the defaults: five variants, the element kind guessed from the
// selector and the current copy (see guessElementKind), and the
// element's usual max length — widened to the current copy's length so
// the control itself would fit. An empty Language stays empty: it means
// the current copy's language, which copylab does not name for the model
// (see briefMessage), rather than English.
// It is idempotent, so the app can store the normalized brief and pass it
// back later unchanged.
func (b Brief) Normalize() Brief {
	b.Product = collapseSpace(b.Product)
	b.Audience = collapseSpace(b.Audience)
	b.Goal = collapseSpace(b.Goal)
	b.CurrentCopy = strings.TrimSpace(b.CurrentCopy)
	b.Tone = collapseSpace(b.Tone)
	b.Language = collapseSpace(b.Language)
	b.BrandVoice = strings.TrimSpace(b.BrandVoice)
	b.MustSay = cleanList(b.MustSay)
	b.MustNotSay = cleanList(b.MustNotSay)

	kind := strings.ToLower(collapseSpace(b.ElementKind))
	if alias, ok := elementAliases[kind]; ok {
		kind = alias
	}
	if kind == "" {
		kind = guessElementKind(strings.TrimSpace(b.Selector), b.CurrentCopy)
	}
	b.ElementKind = kind

	if b.N == 0 {
		b.N = DefaultN
	}
	if b.MaxLength == 0 {
		_, b.MaxLength = kindInfo(kind)
		if n := chars.Count(b.CurrentCopy); n > b.MaxLength {
			b.MaxLength = min(n, MaxMaxLength)
		}
	}
	return b
}

// Validate reports every problem with the brief at once, so the form can
// show them all beside their fields in one round trip. It checks the
// normalized brief, so an empty optional field is never an error.
func (b Brief) Validate() []FieldError {
	b = b.Normalize()
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}

	switch n := chars.Count(b.CurrentCopy); {
	case n == 0:
		add("current_copy", "Paste the copy that is on the page today.")
	case n > MaxMaxLength:
		add("current_copy", "The current copy is %d characters long; the limit is %d.", n, MaxMaxLength)
	case len(b.CurrentCopy) > chars.BytesEach*MaxMaxLength:
		add("current_copy", "%s", bytesSentence("The current copy", len(b.CurrentCopy), MaxMaxLength))
	default:
		if reason := markupReason(b.CurrentCopy); reason != "" {
			add("current_copy", "Paste the visible text only: %s", reason)
		}
	}
	if b.Goal == "" {
		add("goal", "Say what a visitor should do after reading this copy.")
	}

	for _, f := range []struct {
		name, label, value string
		max                int
	}{
		{"goal", "The goal", b.Goal, maxShortField},
		{"product", "The product", b.Product, maxShortField},
		{"audience", "The audience", b.Audience, maxShortField},
		{"element_kind", "The element", b.ElementKind, 40},
		{"tone", "The tone", b.Tone, maxShortField},
		{"language", "The language", b.Language, maxLanguageName},
		{"brand_voice", "The brand voice notes", b.BrandVoice, maxLongField},
	} {
		if n := chars.Count(f.value); n > f.max {
			// The label as the object of "Keep", as the site's brand
			// voice limit says it: the sentence reads alike for a label
			// in the plural ("the brand voice notes"), which "is" did not.
			add(f.name, "Keep %s to at most %s characters (this is %s).", lowerFirst(f.label), thousands(f.max), thousands(n))
		} else if len(f.value) > chars.BytesEach*f.max {
			add(f.name, "%s", bytesSentence(f.label, len(f.value), f.max))
		}
	}

	if b.N < 1 || b.N > MaxN {
		add("n", "Ask for between 1 and %d drafts.", MaxN)
	}
	if b.MaxLength < MinMaxLength || b.MaxLength > MaxMaxLength {
		add("max_length", "Set a max length between %d and %d characters, or leave it empty.", MinMaxLength, MaxMaxLength)
	}

	checkList := func(field, label string, items []string) {
		if len(items) > maxListItems {
			add(field, "%s has %d items; keep it to %d.", label, len(items), maxListItems)
		}
		for _, it := range items {
			if chars.Count(it) > maxListItemLen {
				add(field, "“%s” is too long for one item; keep items to at most %d characters.", clip(it, 40), maxListItemLen)
			} else if len(it) > chars.BytesEach*maxListItemLen {
				add(field, "%s", bytesSentence("“"+clip(it, 40)+"”", len(it), maxListItemLen))
			}
		}
	}
	checkList("must_say", "The must-say list", b.MustSay)
	checkList("must_not_say", "The must-not-say list", b.MustNotSay)

	for _, it := range b.MustSay {
		if reason := markupReasonAllowURL(it); reason != "" {
			add("must_say", "“%s” cannot go into plain-text copy: %s", clip(it, 40), reason)
		}
		for _, banned := range b.MustNotSay {
			if containsPhrase(it, banned) {
				add("must_say", "“%s” uses “%s”, which is also on the must-not-say list.", clip(it, 40), banned)
			}
		}
	}
	if need := mustSayLength(b.MustSay); b.MaxLength >= MinMaxLength && need > b.MaxLength {
		add("must_say", "The must-say items need %d characters together, more than the max length of %d.", need, b.MaxLength)
	}
	return errs
}

// mustSayLength is the fewest characters a variant needs to hold every
// must-say item, each separated by at least one space.
func mustSayLength(items []string) int {
	if len(items) == 0 {
		return 0
	}
	n := len(items) - 1
	for _, it := range items {
		n += chars.Count(it)
	}
	return n
}

// Rules derives the checks every variant of this brief must pass, from the
// normalized brief, so the default max length applies. Others is left
// empty: the caller adds the texts a new variant must differ from.
func (b Brief) Rules() Rules {
	b = b.Normalize()
	sh, _ := kindInfo(b.ElementKind)
	r := Rules{
		MaxLength:       b.MaxLength,
		MustSay:         b.MustSay,
		MustNotSay:      b.MustNotSay,
		Control:         b.CurrentCopy,
		AllowLineBreaks: sh == shapeLong,
	}
	for _, it := range b.MustSay {
		r.AllowedURLs = append(r.AllowedURLs, findURLs(it)...)
	}
	return r
}

func cleanList(items []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		it = collapseSpace(it)
		key := strings.ToLower(it)
		if it == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, it)
	}
	return out
}

package variants

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// OfflineModel is the Model and Source recorded on offline candidates.
const OfflineModel = "offline"

// OfflineVersion names the offline templates, the offline counterpart
// of PromptVersion: bump it when the templates change.
// v2: {P} is the product's name without its description, and rewrites
// keep to the instruction (see offlineReplacement).
// v3: selectors in the goal are not read as words (see goalWords).
// v4: a headline gets a button's words last, and "different angle" walks
// the lines in one order until it has nothing new (see differentAngle).
// v5: the plain rewrite and "more like this" walk the same way (see walk).
// v6: "shorter" never leaves an "it" with nothing to refer to (see
// offlineInput.shorter).
// v7: no draft says "it" or "this" for a product it does not name (see
// offlineInput.usable).
// v8: "shorter" keeps the product's name in a draft that has it (see
// offlineInput.shorter).
// v9: a brief with no language whose current copy does not look English
// says its drafts are English (see copyLooksEnglish).
// v10: so does a short button in German, French, Spanish, Italian,
// Portuguese or Dutch ("Demo buchen", "Ver precios"; see foreignWord).
const OfflineVersion = "offline-v10"

// The offline generator fills classic copywriting patterns with the
// brief's product, audience and goal. It makes no claim the brief does
// not make: no invented numbers, testimonials or deadlines. Each pattern
// lists forms from richest to plainest; the first form that fits the
// brief's limits is used, so a tight max length falls back to a shorter
// whole sentence instead of a cut one.
//
// Placeholders: {P} the product's name (see productName); {U} the audience as a plural subject ("How
// {U} get started"), empty when the audience reads as singular; {Uo} the
// audience as an object ("for {Uo}"); {Uc} the audience addressed
// directly; {A} and {a} the main action (capitalised or not), {A2} a
// second action,
// {Amy} the action in the first person, {D} and {Dc} a detail with a
// number taken from the brief. A form whose placeholder has no value is
// skipped. A leading "~" marks a casual form, skipped for formal tones.
// A leading "!" marks a form that is a call to action alone ("{A}",
// "Take the first step"): a button's words, which a headline offers only
// when nothing else fits (see offlineCandidate.button).
type pattern struct {
	angle     string
	rationale string
	forms     []string
}

var statementPatterns = []pattern{
	{"benefit", "Benefit first: leads with what the reader gets rather than with what the product is.",
		[]string{"See what {P} can do for {Uo}", "See what {P} can do for you", "Made for {Uo}", "See what it can do for you"}},
	{"question", "Question: invites the reader to answer yes in their head, which draws them into the page.",
		[]string{"{Uc}, ready to {a}?", "Is {P} right for you?", "Ready to {a}?", "Ready to start?"}},
	{"how-to", "How-to: promises practical help, which readers look for.",
		[]string{"How {U} get started with {P}", "How to get started with {P}", "Here's how to {a}", "See how {P} works"}},
	{"specificity", "Specificity: concrete details are more believable than general praise; it only reuses numbers from your brief, so add a real figure if you have one.",
		[]string{"{P}: {D}", "{Dc}. {A}.", "{P} for {Uo}: {a} today", "{P} for {Uo}"}},
	{"urgency", "Urgency: asks for the action now, without inventing a deadline.",
		[]string{"~Don't wait: {a} today", "{A} today", "!{A} now", "!Start today"}},
	{"social proof", "Social proof: points to people like the reader; back it with a real number or quote before launch.",
		[]string{"See why {U} choose {P}", "Join the {U} already using {P}", "See why people choose {P}", "See why people choose us"}},
	{"short and punchy", "Short and punchy: one idea in a few words, taken in at a glance.",
		[]string{"{P}. {A}.", "!{A}.", "!~Let's go."}},
	{"audience call-out", "Audience call-out: names the reader, so the right visitors recognise themselves.",
		[]string{"{P}, built for {Uo}", "~{Uc}, you're in the right place", "Built for {Uo}"}},
	{"curiosity", "Curiosity: introduces the product as news and invites a closer look.",
		[]string{"Meet {P}", "Take a closer look at {P}", "Take a closer look"}},
	{"direct", "Direct: says exactly what to do next, and nothing else.",
		[]string{"{A2} with {P}", "!{A2}", "!{A}"}},
	{"low commitment", "Low commitment: makes the first step feel small and safe.",
		[]string{"Take the first step: {a}", "!Take the first step"}},
}

var ctaPatterns = []pattern{
	{"direct", "Direct: says exactly what happens on click.",
		[]string{"{A}", "{A2}"}},
	{"first person", "First person: “my” lets the reader click in their own voice, a pattern that often tests well.",
		[]string{"{Amy}", "~I'm ready to {a}"}},
	{"urgency", "Urgency: asks for the click now, without inventing a deadline.",
		[]string{"{A} now", "{A} today", "Start now"}},
	{"benefit", "Value: names what the reader gets rather than the step they take.",
		[]string{"Get {P}", "Try {P}", "Get started"}},
	{"low commitment", "Low commitment: a smaller first step feels safer to click.",
		[]string{"See how {P} works", "Take a look"}},
	{"short and punchy", "Short and punchy: as few words as the button can carry.",
		[]string{"~Let's go", "~I'm in", "Go ahead"}},
	{"curiosity", "Curiosity: promises a little more before any commitment.",
		[]string{"Show me how", "Tell me more", "See more"}},
	{"social proof", "Social proof: invites the reader to join people like them.",
		[]string{"Join {U}", "Join other {U}"}},
}

// fallbackLines are neutral lines for briefs that leave too little to
// work with (a tiny max length, most words banned). Every one stands on
// its own as a button or a short headline.
var fallbackLines = []string{
	"Get started", "Learn more", "Find out more", "Take a look", "Start now", "Try now",
	"See more", "Show me", "Continue", "Next step", "Start here", "See details",
	"Discover more", "Yes, please", "Sign me up", "Let's begin", "Go", "More",
}

// fallbackRationale says why a fallback line was used without guessing
// at the cause: the brief's limits, or the templates running out of lines
// for it, come to the same thing for the reader.
const fallbackRationale = "Fallback: a plain, neutral line, used because the richer templates had no more lines for this brief."

// angleFallback is the angle of the fallback lines.
const angleFallback = "fallback"

// closers end paragraph-length variants with a second sentence in the
// same angle. The empty closer is always tried last.
var closers = map[string][]string{
	"benefit":           {"{A} today."},
	"question":          {"See for yourself what {P} can do.", "See for yourself."},
	"how-to":            {"The first step is simple: {a}."},
	"specificity":       {"{A} today."},
	"urgency":           {"There's no better time to start."},
	"social proof":      {"{A} and see why."},
	"audience call-out": {"{A} today."},
	"curiosity":         {"Take a closer look today."},
	"direct":            {"Your next step starts here."},
	"low commitment":    {"{A} whenever you're ready."},
}

// goalActions turns a goal into calls to action. The first kind whose key
// words appear in the goal wins. An action ending in "*" is used only when
// the brief itself says "free", because "free" is a claim.
var goalActions = []struct {
	keys    []string
	actions []string
}{
	{[]string{"waitlist", "wait list", "waiting list", "early access"}, []string{"Join the waitlist", "Get early access"}},
	{[]string{"trial", "try"}, []string{"Start your free trial*", "Start your trial", "Try for free*", "Try now"}},
	{[]string{"demo"}, []string{"Book a demo", "Book your demo", "See a demo"}},
	{[]string{"quote", "quotes", "estimate"}, []string{"Get a quote", "Get your quote", "Request a quote"}},
	{[]string{"book a call", "schedule a call", "call", "calls"}, []string{"Book a call", "Schedule your call", "Talk to us"}},
	{[]string{"newsletter", "subscribe", "subscribers", "subscription", "subscriptions", "mailing list", "email list"}, []string{"Subscribe", "Get the newsletter", "Join the list"}},
	{[]string{"sign up", "signup", "signups", "sign ups", "register", "registration", "registrations", "create an account", "account", "accounts", "join"}, []string{"Sign up", "Create your account", "Join now"}},
	{[]string{"add to cart", "cart", "basket"}, []string{"Add to cart", "Add to your cart", "Shop now"}},
	{[]string{"buy", "purchase", "purchases", "order", "orders", "checkout", "sale", "sales", "shop", "shopping"}, []string{"Shop now", "Buy now", "Order now"}},
	{[]string{"download", "downloads", "install", "installs", "app"}, []string{"Download now", "Get the app", "Install now"}},
	{[]string{"book", "booking", "bookings", "reserve", "reservation", "reservations", "appointment", "appointments"}, []string{"Book now", "Reserve your spot", "Book your spot"}},
	{[]string{"contact", "talk", "consultation", "get in touch", "enquiry", "inquiry", "enquiries", "inquiries", "leads"}, []string{"Get in touch", "Contact us", "Talk to us"}},
	{[]string{"donate", "donation", "donations", "give", "fundraising"}, []string{"Donate now", "Give today"}},
	{[]string{"apply", "application", "applications", "job", "jobs", "hiring"}, []string{"Apply now", "Start your application"}},
	{[]string{"upgrade", "upgrades"}, []string{"Upgrade now", "Upgrade your plan"}},
	{[]string{"read", "learn", "explore", "engagement", "discover", "watch", "video"}, []string{"Learn more", "Find out more", "Read on"}},
}

var defaultActions = []string{"Get started", "Start now", "Learn more"}

// goalVerbRe finds goals phrased as "get visitors to <action>", whose
// action reads well as a call to action on its own.
var goalVerbRe = regexp.MustCompile(`(?i)^(?:(?:get|encourage|help|make|persuade|convince|have|let|invite|motivate|nudge|inspire)\s+(?:the\s+|more\s+|our\s+|new\s+)?(?:visitors?|users?|people|customers?|readers?|shoppers?|prospects?|leads?|buyers?|them|clients?|members?|subscribers?|guests?|fans?)\s+to|to)\s+(.+)$`)

// imperativeVerbs start goals that are already a call to action ("book a
// class", "download the app"). "Get" and "see" are left out: "get more
// leads" is a goal, not something to tell a visitor.
var imperativeVerbs = map[string]bool{
	"start": true, "book": true, "sign": true, "download": true, "buy": true, "order": true,
	"subscribe": true, "join": true, "try": true, "request": true, "schedule": true, "register": true,
	"create": true, "install": true, "apply": true, "donate": true, "reserve": true, "upgrade": true,
	"contact": true, "call": true, "shop": true, "explore": true, "discover": true, "read": true,
	"watch": true, "claim": true, "grab": true, "learn": true, "share": true, "compare": true,
}

// attributeSelectorRe finds an attribute selector with whatever is stuck
// to it ("button[data-copylab=\"buy now\"]"): its value may hold spaces,
// so it cannot be told apart word by word.
var attributeSelectorRe = regexp.MustCompile(`\S*\[[^\]]*\]\S*`)

// goalWords is the goal without the names of page elements and addresses
// in it. When an experiment counts clicks, the app starts the brief's goal
// as "A click on #buy": the "buy" there is an id a developer chose, which
// says nothing of what the visitor does, and matched as a word it turned a
// kanban tool's headline into "ready to shop now?". A word is such a name
// when, once quotes, brackets and sentence punctuation at its ends are set
// aside, it still holds a character prose does not put inside a word
// (#buy, .buy-btn, button.buy, a:hover, >) or a slash (/checkout,
// https://…). stripped reports whether anything was taken out.
func goalWords(goal string) (words string, stripped bool) {
	goal = collapseSpace(goal)
	rest := attributeSelectorRe.ReplaceAllString(goal, " ")
	var kept []string
	for _, w := range strings.Fields(rest) {
		core := strings.TrimLeft(w, "(\"'“‘")
		core = strings.TrimRight(core, ".,;:!?)\"'”’")
		if strings.ContainsAny(core, "#.[]>:=~+/") {
			continue
		}
		kept = append(kept, w)
	}
	words = strings.Join(kept, " ")
	return words, words != goal
}

// actionsFromGoal lists the calls to action for the goal, most specific
// first. Selectors and addresses in the goal are not read as words (see
// goalWords).
func actionsFromGoal(goal string, free bool) []string {
	var out []string
	goal, stripped := goalWords(goal)
	goal = strings.TrimRight(goal, ".!")
	phrase := ""
	if m := goalVerbRe.FindStringSubmatch(goal); m != nil {
		phrase = m[1]
	} else if first, _, _ := strings.Cut(goal, " "); imperativeVerbs[strings.ToLower(first)] {
		phrase = goal
	}
	// A goal that named an element is about the page, not the visitor's
	// own words: "click #signup" minus the selector is no call to action.
	if phrase != "" && !stripped {
		bad := false
		for _, w := range []string{"click", "button", "scroll", "page", "convert", "visit", "stay"} {
			bad = bad || containsPhrase(phrase, w)
		}
		if !bad && len(strings.Fields(phrase)) <= 6 {
			phrase = replaceWord(phrase, "their", "your")
			out = append(out, upperFirst(phrase))
		}
	}
	actions := defaultActions
found:
	for _, k := range goalActions {
		for _, key := range k.keys {
			if containsPhrase(goal, key) {
				actions = k.actions
				break found
			}
		}
	}
	for _, a := range actions {
		if strings.HasSuffix(a, "*") {
			if !free {
				continue
			}
			a = strings.TrimSuffix(a, "*")
		}
		out = append(out, a)
	}
	return out
}

// offlineInput is a brief digested into the values the templates use.
type offlineInput struct {
	rules     Rules
	shape     shape
	formal    bool
	english   bool
	language  string
	slots     map[string]string
	mustSay   []string
	actions   []string // every usable call to action, main first
	longShape bool
	// own finds the marketer's own words in a line, which danglingWord
	// does not read: the audience and the must-say items. Nil when the
	// brief has none.
	own *regexp.Regexp
}

var (
	articleRe  = regexp.MustCompile(`(?i)^(?:for\s+)?(?:a|an|the|one)\s+`)
	ownerRe    = regexp.MustCompile(`(?i)^(?:for\s+)?(?:our|your|my)\s+`)
	singularRe = regexp.MustCompile(`(?i)^(?:for\s+)?(?:a|an|one)\s+`)
)

// irregularPlurals are plural nouns that do not end in "s".
var irregularPlurals = map[string]bool{"people": true, "children": true, "men": true, "women": true, "folk": true, "staff": true, "kids": true}

// pluralNoun guesses whether an audience ("small agency owners", "people who
// cook") can be the subject of "get started" rather than "gets started".
// The last word before a "who"/"that"/"with" clause decides.
func pluralNoun(audience string) bool {
	words := strings.Fields(strings.ToLower(audience))
	for i, w := range words {
		if w == "who" || w == "that" || w == "with" || w == "in" || w == "at" || w == "on" || w == "from" {
			words = words[:i]
			break
		}
	}
	if len(words) == 0 {
		return false
	}
	last := strings.Trim(words[len(words)-1], ",;:")
	return irregularPlurals[last] || strings.HasSuffix(last, "s") && !strings.HasSuffix(last, "ss")
}

// commonNounPhrase reports whether a product reads as a description ("Trail
// running shoes") rather than a name ("Acme Boards", "iPhone"): several
// words, only the first capitalised, and that only by its first letter.
func commonNounPhrase(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 {
		return false
	}
	for i, w := range words {
		for j, r := range w {
			if unicode.IsUpper(r) && (i > 0 || j > 0) {
				return false
			}
		}
	}
	return true
}

// productSepRe finds where a product's name ends and a description of it
// begins: "Acme Boards, a kanban tool", "Notion - your workspace",
// "Acme: boards", "Acme Boards (kanban tool)". A hyphen counts only with
// spaces around it, so "Wi-Fi Pro" stays whole.
var productSepRe = regexp.MustCompile(`\s*(?:,|:|\s[-–—]|[–—]|\()\s*`)

// describedRe starts a description that follows a name after a comma: "a
// kanban tool", "the CRM for …", "your …".
var describedRe = regexp.MustCompile(`(?i)^(?:a|an|the|our|your|its|their)\s`)

// productName is the name in a product field that also describes the
// product: the templates put {P} mid-sentence, where "See what Acme Boards,
// a kanban tool can do" reads as a paste. A dash, a colon or a parenthesis
// always ends a name; a comma only when what follows reads as a
// description ("a kanban tool") or what comes before is a proper name
// ("Acme Boards"), so that "Shoes, socks and laces" stays a list. The name
// keeps to a few words; a longer first part is a sentence, not a name.
func productName(product string) string {
	loc := productSepRe.FindStringIndex(product)
	if loc == nil || loc[0] == 0 {
		return product
	}
	name, rest := strings.TrimSpace(product[:loc[0]]), product[loc[1]:]
	if len(strings.Fields(name)) > 4 || strings.TrimSpace(rest) == "" {
		return product
	}
	sep := strings.TrimSpace(product[loc[0]:loc[1]])
	if sep == "," && !describedRe.MatchString(rest) && !properName(name) {
		return product
	}
	return name
}

// properName reports whether s carries a capital past its first letter,
// as names do ("Acme Boards", "iPhone") and descriptions do not.
func properName(s string) bool {
	_, size := utf8.DecodeRuneInString(s)
	return strings.ContainsFunc(s[size:], unicode.IsUpper)
}

func digest(b Brief) offlineInput {
	sh, _ := kindInfo(b.ElementKind)
	in := offlineInput{
		rules:     b.Rules(),
		shape:     sh,
		longShape: sh == shapeLong,
		formal:    formalTone(b.Tone + " " + b.BrandVoice),
		english:   writesEnglish(b),
		language:  b.Language,
		mustSay:   b.MustSay,
	}
	free := false
	// "Free" is a claim, so a selector's "#free-trial" does not make it.
	goal, _ := goalWords(b.Goal)
	for _, s := range append([]string{goal, b.CurrentCopy, b.Product}, b.MustSay...) {
		free = free || containsPhrase(s, "free")
	}
	// Actions that use a banned word are dropped here, not just at
	// validation, because every form built on a banned action would fail.
	for _, a := range actionsFromGoal(b.Goal, free) {
		ok := true
		for _, banned := range b.MustNotSay {
			ok = ok && !containsPhrase(a, banned)
		}
		if ok {
			in.actions = append(in.actions, a)
		}
	}

	product := productName(strings.TrimRight(b.Product, ".!;:, "))
	if commonNounPhrase(product) {
		// "Trail running shoes" is a description, not a name: it reads
		// "Get trail running shoes" mid-sentence.
		product = lowerFirst(product)
	}
	audience := strings.TrimRight(b.Audience, ".!;:, ")
	bare := ownerRe.ReplaceAllString(articleRe.ReplaceAllString(audience, ""), "")
	in.slots = map[string]string{
		"P":  product,
		"Uo": ownerRe.ReplaceAllString(strings.TrimPrefix(audience, "for "), ""),
		"Uc": upperFirst(bare),
	}
	if pluralNoun(bare) && !singularRe.MatchString(audience) {
		in.slots["U"] = bare
	}
	var own []string
	for _, m := range append([]string{in.slots["Uo"], in.slots["Uc"], in.slots["U"]}, in.mustSay...) {
		if m != "" {
			own = append(own, regexp.QuoteMeta(m))
		}
	}
	if len(own) > 0 {
		// Longest first, so that "new riders" goes before "riders".
		slices.SortStableFunc(own, func(a, b string) int { return len(b) - len(a) })
		in.own = regexp.MustCompile(`(?i)` + strings.Join(own, "|"))
	}
	// A goal in the marketer's words ("Get visitors to try it") reads
	// well to them, but "Try it today" on the page leaves "it" to guess
	// (see danglingWord): the goal's kind of action stands in for it.
	in.actions = slices.DeleteFunc(in.actions, func(a string) bool { return in.danglingWord(a) != "" })
	if len(in.actions) > 0 {
		in.slots["A"] = in.actions[0]
		in.slots["a"] = lowerFirst(in.actions[0])
	}
	if len(in.actions) > 1 {
		in.slots["A2"] = in.actions[1]
	}
	for _, a := range in.actions {
		if my := replaceWord(a, "your", "my"); my != a {
			in.slots["Amy"] = my
			break
		}
	}
	if d := numberDetail(b); d != "" {
		in.slots["D"] = d
		in.slots["Dc"] = upperFirst(d)
	}
	return in
}

// numberDetail finds a concrete figure in the brief ("14-day free trial",
// "30% off") for the specificity pattern: a short must-say item with a
// digit, or the words from a number in the current copy to the next
// punctuation, at most four words.
func numberDetail(b Brief) string {
	for _, m := range b.MustSay {
		if strings.ContainsFunc(m, unicode.IsDigit) && len(strings.Fields(m)) <= 5 {
			return m
		}
	}
	for _, clause := range strings.FieldsFunc(b.CurrentCopy, func(r rune) bool { return strings.ContainsRune(".!?;:,—–()\n", r) }) {
		words := strings.Fields(clause)
		for i, w := range words {
			if strings.ContainsFunc(w, unicode.IsDigit) {
				return strings.Join(words[i:min(i+4, len(words))], " ")
			}
		}
	}
	return ""
}

func formalTone(s string) bool {
	for _, w := range []string{"formal", "professional", "serious", "corporate", "luxury", "elegant", "sober", "institutional"} {
		if containsPhrase(s, w) {
			return true
		}
	}
	return false
}

// isEnglish accepts the ways people write "English": "", "en", "en-GB",
// "English (US)".
func isEnglish(lang string) bool {
	l := strings.ToLower(strings.TrimSpace(lang))
	return l == "" || l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_") ||
		strings.HasPrefix(l, "english") || strings.HasPrefix(l, "american") || strings.HasPrefix(l, "british")
}

// offlineEnglishOnly ends the rationale of an offline draft for copy that
// does not look English, in a brief that names no language.
const offlineEnglishOnly = " Written in English: the offline generator has no templates in other languages."

// writesEnglish reports whether the brief wants English drafts: the
// language it names is English or, when it names none, the current copy
// looks English (copyLooksEnglish). It decides only the offline
// generator's note, not its drafts: for copy in another language the
// generator still suggests its English lines, as it does for a language
// the marketer names, because lines to translate are a starting point
// where a refusal leaves nothing.
func writesEnglish(b Brief) bool {
	if b.Language != "" {
		return isEnglish(b.Language)
	}
	return copyLooksEnglish(b.CurrentCopy)
}

// copyLooksEnglish guesses whether text, a brief's current copy, is
// English, from its script and its common words. Letters of another
// script than Latin, past a stray symbol, make it not English. Latin copy
// is not English when it has more words of other languages (foreignWord)
// than common English words. Copy with no word it knows either way, such
// as a brand's name, counts as English, so that English copy is never
// told it is not: the marketer sees the drafts' language anyway, and can
// name their own.
func copyLooksEnglish(text string) bool {
	var latin, other int
	for _, r := range text {
		switch {
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Latin, r):
			latin++
		default:
			other++
		}
	}
	if other > 1 && other*4 >= latin {
		return false
	}
	var english, foreign int
	words := strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(text, "’", "'")), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	for _, w := range words {
		w = strings.Trim(w, "'")
		switch {
		case englishCopyWords[w]:
			english++
		case foreignWord(w):
			foreign++
		}
	}
	return foreign <= english
}

// foreignWord reports whether w, a lower-case word of copy, is one that
// English copy does not use: a common word of copy in another language
// (foreignCopyWords); a word with a French or Italian elision ("s'inscrire",
// "l'offerta"); one spelt with letters English does not use, but for é
// ("café") and the few words English took with their accents
// (loanWords); or one with an ending of German, Dutch or Italian that no
// English word has (foreignEndings).
//
// The buttons of a European or Latin American site are often one or two
// words ("Demo buchen", "Kontakt", "Ver precios"), with none of the
// articles and pronouns that give longer copy away, so the words of
// calls to action are here in each language. The English words other
// languages borrow ("Demo", "Download", "Newsletter", "Login", "Shop")
// are not, here or in englishCopyWords: alone they say nothing of the
// language, and beside a word of another language ("Newsletter
// abonnieren") that word decides.
func foreignWord(w string) bool {
	switch {
	case foreignCopyWords[w]:
		return true
	case loanWords[w]:
		return false
	}
	if before, _, ok := strings.Cut(w, "'"); ok && elisions[before] {
		return true
	}
	if strings.ContainsFunc(w, func(r rune) bool { return r > unicode.MaxASCII && unicode.Is(unicode.Latin, r) && r != 'é' }) {
		return true
	}
	n := utf8.RuneCountInString(w)
	for _, e := range foreignEndings {
		if n >= e.min && strings.HasSuffix(w, e.suffix) {
			return true
		}
	}
	return false
}

// wordSet is the words of s, which are separated by spaces.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// englishCopyWords are common words of English copy that other languages
// written in Latin letters do not commonly use: "start", "team", "plan",
// "shop", "demo", "will" and "was" are left out, because German copy uses
// them too, and "contact", which French and Dutch copy use ("Neem contact
// op").
var englishCopyWords = wordSet(`the and or but your you you're yours our ours we they their it its this that these
	with for to of on at by from about into is are be been get gets got now today free try learn more sign up join buy
	see how what why who where when all every new can can't not don't here just only ready out let's make help
	started trial account create book order save discover explore us subscribe download off pricing`)

// foreignCopyWords are common words of copy in German, French, Spanish,
// Italian, Portuguese, Dutch and the Scandinavian languages that English
// copy does not commonly use, the words of their calls to action among
// them (see foreignWord). Words common in English copy too are left
// out: "gift", "chat", "ton", "per", "no", "do", "in", "commander",
// "saber", "prix" (a Grand Prix), "direct". Spellings with letters English does not use need not
// be here: foreignWord counts those by their letters.
var foreignCopyWords = wordSet(
	// German
	`und der die das den dem des ein eine einen einem einer mit ihr ihre ihren sie wir uns unser unsere jetzt
	kostenlos kostenlose kostenlosen kostenloses kostenfrei mehr nicht ist sind auf zu zum zur von bei aus noch nur
	heute hier alle alles dein deine deinen dich dir du ohne oder wie weniger schneller einfach ihnen sofort
	starten testen kaufen bestellen erfahren entdecken registrieren anmelden sichern buchen buche preise preis
	ansehen anschauen kontakt kontaktieren kontaktiere warenkorb kasse einloggen abonnieren herunterladen
	downloaden anfordern anfragen anfrage angebot angebote termin vereinbaren loslegen weiter weiterlesen
	probieren ausprobieren sparen erhalten hol holen lesen melde konto erstellen tarife informationen
	absenden senden gutschein zugang mitmachen teilnehmen beitreten ` +
		// French
		`le la les un une des du de et pour avec votre vos vous nous notre nos est sont dans sur par plus au aux
	maintenant gratuit gratuite gratuitement essai ici aujourd'hui c'est sans ou je mes se
	essayez essayer commencez commencer inscrivez inscrire inscription voir tarifs contactez contacter
	connecter connectez panier ajouter ajoutez acheter achetez commandez demander demandez devis obtenir
	obtenez abonner abonnez suivant continuer envoyer profitez rejoindre rejoignez cliquez reserver ` +
		// Spanish
		`el los las una por para con tu tus su sus nuestro nuestra es son en al del ahora gratis sin hoy y que
	prueba empieza empezar comienza comenzar descubre registrate registrarse registro reservar reserva ver
	precios precio contacto contactanos contactar contacta iniciar inicia informacion agregar agrega carrito
	comprar compra descargar descarga solicitar solicita presupuesto suscribete suscribirse obtener conoce
	conocer quiero pide pedir enviar unete ` +
		// Italian
		`il lo gli di da della dei delle nel nella tuo tua tuoi nostro nostra sono ora subito gratuita gratuito
	senza oggi qui che non prova provalo inizia iniziare comincia scopri iscriviti prenota prenotare vedi vedere
	prezzi prezzo contattaci contatti contatta contattare registrati accedi accesso aggiungi carrello acquista
	acquistare scarica scaricare richiedi richiedere preventivo abbonati ottieni invia continua ` +
		// Portuguese
		`o os um uma com seu sua nosso ao aos sem mais agora hoje aqui comece comecar descubra cadastre cadastrar
	cadastro agendar agende precos fale conosco contato contate teste testar saiba entrar adicionar carrinho
	compre baixar baixe assine assinar solicite veja experimente inscreva inscrever acessar acesse receba
	receber ` +
		// Dutch
		`het een en van voor met jouw je jij uw onze mijn nu vandaag zonder meer probeer proberen ontdek meld
	aan aanmelden aanvragen vraag bekijk bekijken prijzen prijs neem informatie inloggen winkelwagen winkelmand
	bestel koop kopen offerte afrekenen inschrijven schrijf verder toevoegen ontvang ontvangen maak ` +
		// Scandinavian
		`och med din ditt dina idag utan mer og til nå prøv`)

// loanWords are words English took from other languages with letters it
// does not otherwise use: they say nothing of the copy's language.
var loanWords = wordSet(`jalapeño jalapeños piñata piñatas piña déjà crème brûlée façade naïve smörgåsbord`)

// elisions are the French and Italian words that lose their vowel before
// another word's ("s'inscrire", "l'essai", "dell'offerta"). English puts an
// apostrophe after a whole word ("it's", "let's", "don't"), not after
// these; "c'" and "all'" are left out for "c'mon" and "all's", and
// "c'est" is a word of its own.
var elisions = wordSet(`l d s j m t n qu jusqu lorsqu puisqu dell dall nell sull un quell`)

// foreignEndings are word endings of other languages that no English word
// of at least min letters has: German and Dutch verbs ("registrieren",
// "registreren"), German nouns ("Buchung", "Anmeldungen", "Sicherheit",
// "Möglichkeit"; English words in -ung are short, "young", "swung", but
// for "unstrung" and "hamstrung", which copy hardly uses) and Italian
// ones ("iscrizione").
var foreignEndings = []struct {
	suffix string
	min    int
}{
	{"eren", 6}, {"ung", 7}, {"ungen", 7}, {"heit", 6}, {"keit", 6}, {"zione", 6}, {"zioni", 6},
}

var placeholderRe = regexp.MustCompile(`\{[A-Za-z0-9]+\}`)

// fill replaces the placeholders of form, or reports false when one of
// them has no value for this brief.
func fill(form string, slots map[string]string) (string, bool) {
	ok := true
	out := placeholderRe.ReplaceAllStringFunc(form, func(ph string) string {
		v := slots[ph[1:len(ph)-1]]
		if v == "" {
			ok = false
		}
		return v
	})
	return out, ok
}

// offlineCandidate is one filled form before it becomes a Candidate.
// button marks a headline's line that is only a call to action, the
// words of a button ("Start your trial"), from a form marked "!".
type offlineCandidate struct {
	text, angle, rationale string
	button                 bool
}

// expand lists every candidate the patterns give for this brief, in the
// order a generation prefers them: the first form of each pattern, then
// the other forms, then, for a headline, the button's words, then the
// fallbacks. Invalid ones are filtered later.
func (in offlineInput) expand() []offlineCandidate {
	patterns := statementPatterns
	if in.shape == shapeCTA {
		patterns = ctaPatterns
	}
	var byPattern [][]offlineCandidate
	for _, p := range patterns {
		var list []offlineCandidate
		for _, form := range p.forms {
			button := strings.HasPrefix(form, "!")
			form = strings.TrimPrefix(form, "!")
			if strings.HasPrefix(form, "~") {
				if in.formal {
					continue
				}
				form = form[1:]
			}
			text, ok := fill(form, in.slots)
			if !ok || redundant(text) {
				continue
			}
			for _, t := range in.shapeVersions(upperFirst(text), p.angle) {
				list = append(list, offlineCandidate{text: t, angle: p.angle, rationale: p.rationale,
					button: button && in.shape == shapeStatement})
			}
		}
		byPattern = append(byPattern, list)
	}
	var out, buttons []offlineCandidate
	// Breadth first: one candidate per pattern before any second one, so
	// the first N cover N angles whenever the limits allow.
	for depth := 0; ; depth++ {
		added := false
		for _, list := range byPattern {
			if depth < len(list) {
				if c := list[depth]; c.button {
					buttons = append(buttons, c)
				} else {
					out = append(out, c)
				}
				added = true
			}
		}
		if !added {
			break
		}
	}
	out = append(out, buttons...)
	for _, line := range fallbackLines {
		if in.formal && strings.Contains(line, "'") {
			continue
		}
		for _, t := range in.shapeVersions(line, "") {
			out = append(out, offlineCandidate{text: t, angle: angleFallback, rationale: fallbackRationale})
		}
	}
	return out
}

// usable splits the candidates of expand, keeping their order, into the
// lines a draft may be and the lines it may not: those whose "it", "this"
// or "they" stands for nothing the line names (see danglingWord). The
// plainest forms say "it" for the product ("See what it can do for you"),
// and a marketer reading such a draft alone cannot tell what "it" is.
// Shorter reads the refused lines to say why it kept a draft as it was.
func (in offlineInput) usable(all []offlineCandidate) (lines, refused []offlineCandidate) {
	for _, c := range all {
		if in.danglingWord(c.text) != "" {
			refused = append(refused, c)
		} else {
			lines = append(lines, c)
		}
	}
	return lines, refused
}

// shapeVersions turns one filled form into the texts to try, best first:
// for paragraphs, with a closing sentence and then without; then with the
// must-say items added where the form lacks them.
func (in offlineInput) shapeVersions(text, angle string) []string {
	var bases []string
	if in.longShape {
		sentence := endSentence(text)
		for _, c := range closers[angle] {
			// A closer that repeats the action the statement already
			// asks for ("How to get started. … get started.") is skipped.
			if strings.Contains(strings.ToLower(c), "{a}") && containsPhrase(sentence, in.slots["a"]) {
				continue
			}
			if closing, ok := fill(c, in.slots); ok && !redundant(sentence+" "+closing) {
				bases = append(bases, sentence+" "+closing)
			}
		}
		bases = append(bases, sentence)
	} else {
		bases = []string{text}
	}
	out := make([]string, 0, len(bases))
	for _, base := range bases {
		out = append(out, in.addMustSay(base))
	}
	return out
}

// addMustSay appends the must-say items the text does not contain yet.
func (in offlineInput) addMustSay(text string) string {
	for _, m := range in.mustSay {
		if containsPhrase(text, m) {
			continue
		}
		// Links and domains keep their spelling and get no full stop.
		item, link := m, linkLike(m)
		if !link {
			item = upperFirst(m)
		}
		switch {
		case in.longShape && !link:
			text = endSentence(text) + " " + endSentence(item)
		case in.longShape || endsSentence(text):
			text = endSentence(text) + " " + item
		default:
			text += " — " + m
		}
	}
	return text
}

// linkLike reports whether s is a link or a bare domain.
func linkLike(s string) bool {
	return strings.Contains(s, "/") || strings.Contains(strings.ToLower(s), "www.") ||
		!strings.ContainsAny(s, " \t") && strings.Contains(strings.Trim(s, "."), ".")
}

// redundant catches fillings that repeat themselves: "book now today",
// "start now now".
func redundant(s string) bool {
	words := tokens(s)
	has := map[string]bool{}
	for i, w := range words {
		if i > 0 && words[i-1] == w {
			return true
		}
		has[w] = true
	}
	return has["now"] && has["today"]
}

// offline writes up to b.N variants for a normalized, valid brief.
func offline(b Brief) ([]offlineCandidate, []string) {
	in := digest(b)
	var kept []offlineCandidate
	var texts []string
	lines, _ := in.usable(in.expand())
	for _, c := range lines {
		if len(kept) == b.N {
			break
		}
		if ValidateCopy(c.text, in.rules.WithOthers(texts...)) != nil {
			continue
		}
		kept = append(kept, in.annotate(c))
		texts = append(texts, c.text)
	}
	var notes []string
	switch {
	case in.english:
	case in.language == "":
		notes = append(notes, "The offline generator writes English only, and the current copy does not look English: translate these drafts, or connect a model in the settings.")
	default:
		notes = append(notes, fmt.Sprintf("The offline generator writes English only, so these drafts are not in %s; translate them, or connect a model in the settings.", in.language))
	}
	return kept, notes // generateOffline says how many it found, if fewer than b.N
}

// offlineReplacement picks one new variant for Regenerate. It is never
// current nor one of others, however they are spelt (ValidateCopy's
// duplicate rule compares words, not case or spaces), and follows the
// instruction where templates can:
//   - "shorter" shortens the same draft: the longest line of its angle
//     that is shorter, and still long enough for the element (see
//     minWords);
//   - "different angle" takes the next line in another angle, preferring
//     one no draft uses, until none is left (see differentAngle);
//   - "more like this" takes the next line in the draft's angle;
//   - anything else takes the next line, and says the request could not
//     be followed.
//
// "Next" is the order of a walk (see walk): each line at most once for a
// draft, however often it is rewritten. Fallback lines come only when the
// brief's own limits rule out every template line. A headline gets a
// button's words ("Start your trial") only when the brief's limits leave
// too few other lines for the drafts on the page, as a generation does,
// and then after every other line. When nothing is left, the error says
// so rather than bending the instruction.
func offlineReplacement(b Brief, current string, others []string, instruction string) (offlineCandidate, error) {
	in := digest(b)
	pool, refused := in.usable(in.expand())
	if len(pool) == 0 {
		return offlineCandidate{}, errOfflineNoFit()
	}
	rules := in.rules.WithOthers(append([]string{current}, others...)...)
	instr := strings.ToLower(strings.TrimSpace(instruction))

	// Template lines first, for a headline those that are more than a
	// button's words (see above); the fallbacks only when no template
	// line meets the brief's rules on its own.
	var lines, buttons []offlineCandidate
	for _, c := range pool {
		switch {
		case c.angle == angleFallback || ValidateCopy(c.text, in.rules) != nil:
		case c.button:
			buttons = append(buttons, c)
		default:
			lines = append(lines, c)
		}
	}
	if len(lines) > len(others) {
		buttons = nil
	}
	if len(lines) == 0 {
		lines, buttons = buttons, nil
	}
	if len(lines) == 0 {
		lines = pool
	}

	// lines and buttons are each in the pool's order, and the pool has
	// a headline's button's words after its other lines.
	ordered := append(append([]offlineCandidate{}, lines...), buttons...)
	if instr == InstructionShorter {
		// Shorter keeps the angle of the first line like the draft.
		angle := ""
		for _, c := range pool {
			if similar(c.text, current) {
				angle = c.angle
				break
			}
		}
		return in.shorter(ordered, refused, current, angle, rules, b.ElementKind)
	}
	w := newWalk(pool, current)
	switch instr {
	case InstructionDifferentAngle:
		return in.differentAngle(w, ordered, others, rules)
	case InstructionMoreLikeThis:
		if len(w.angles) == 0 {
			break // written by hand in no angle of ours: any next line
		}
		c, ok := w.next(ordered, rules, func(c offlineCandidate) bool { return w.angles[c.angle] })
		if !ok {
			return offlineCandidate{}, errNothingNew("in this draft's angle", "every line in it",
				"try Different angle, or edit this draft by hand")
		}
		return in.annotate(c), nil
	}
	c, ok := w.next(ordered, rules, func(offlineCandidate) bool { return true })
	if !ok {
		return offlineCandidate{}, errNothingNew("for this draft", "every line", "edit this draft by hand, or change the brief")
	}
	c = in.annotate(c)
	switch instr {
	case "", InstructionMoreLikeThis:
	default:
		c.rationale += " The offline generator cannot follow free-text requests, so it picked the next pattern that fits."
	}
	return c, nil
}

// walk is the memory the offline rewrites do without. The app gives a
// rewrite the draft and the texts on the page, not the lines earlier
// presses showed, so the pool's order (see expand) stands in for it: a
// rewrite only ever moves forward, taking the first line that fits after
// the last place the draft's text has in the pool (from the start, for a
// draft written by hand). Pressing a button again and again therefore
// shows each line at most once, and then says there is nothing new
// (errNothingNew), where a pick that hashed the draft's text went "See
// why …", "Acme Boards. Start a free trial.", "Meet Acme Boards", "See
// why …" and round again for ever. Lines passed over because another
// draft had them stay behind: the walk does not come back for them.
type walk struct {
	pool   []offlineCandidate
	keys   []string        // each pool line's words, run together
	from   int             // the last place of the draft's text in pool, or -1
	angles map[string]bool // the angles of the draft's own lines
}

func newWalk(pool []offlineCandidate, current string) walk {
	w := walk{pool: pool, keys: make([]string, len(pool)), from: -1, angles: map[string]bool{}}
	for i, c := range pool {
		w.keys[i] = strings.Join(tokens(c.text), "")
	}
	for _, i := range w.places(current) {
		w.from = i
		w.angles[pool[i].angle] = true
	}
	return w
}

// places lists where text is in the pool, in order: its own lines, or,
// for a text edited since, the lines it is all but the same as. A draft's
// angles are those of its own lines, not of the first line like it:
// "Start a trial" is direct, though "Start a free trial." is short and
// punchy.
func (w walk) places(text string) []int {
	var at []int
	key := strings.Join(tokens(text), "")
	for i := range w.pool {
		if w.keys[i] == key {
			at = append(at, i)
		}
	}
	if len(at) > 0 {
		return at
	}
	for i, c := range w.pool {
		if similar(c.text, text) {
			at = append(at, i)
		}
	}
	return at
}

// next is the first of lines, which are in the pool's order, that is
// ahead of the draft, that accept takes and that rules allow.
func (w walk) next(lines []offlineCandidate, rules Rules, accept func(offlineCandidate) bool) (offlineCandidate, bool) {
	for _, c := range lines {
		if !accept(c) {
			continue
		}
		if at := w.places(c.text); len(at) == 0 || at[len(at)-1] <= w.from {
			continue
		}
		if ValidateCopy(c.text, rules) == nil {
			return c, true
		}
	}
	return offlineCandidate{}, false
}

// errNothingNew is the answer of a rewrite whose walk has nothing left
// ahead: where it looked (what, lines) and what to try instead (advice).
func errNothingNew(what, lines, advice string) *Error {
	return newError(CodeOfflineExhausted, http.StatusUnprocessableEntity, nil,
		"The offline generator has nothing new %s, as it has shown %s that fits this brief and is not already among the drafts; %s.",
		what, lines, advice)
}

// differentAngle is the "different angle" rewrite: the next line of the
// walk (see walk) whose angle is not the draft's, preferring angles no
// other draft uses. Lines in angles other drafts use are passed over
// while lines in unused angles remain ahead, so a long walk may never
// offer them: the page has those angles.
func (in offlineInput) differentAngle(w walk, lines []offlineCandidate, others []string, rules Rules) (offlineCandidate, error) {
	used := map[string]bool{}
	for _, o := range others {
		for _, i := range w.places(o) {
			used[w.pool[i].angle] = true
		}
	}
	for _, fresh := range []bool{true, false} {
		c, ok := w.next(lines, rules, func(c offlineCandidate) bool { return !w.angles[c.angle] && !(fresh && used[c.angle]) })
		if ok {
			return in.annotate(c), nil
		}
	}
	return offlineCandidate{}, errNothingNew("in another angle", "every line in the other angles",
		"edit this draft by hand, or change the brief")
}

// minWords is the fewest words a shortened line may keep and still work
// as the element: a button can be one word ("Subscribe"), a headline
// needs a subject and a verb ("Meet Acme Boards"), a paragraph a little
// more. Shorter stops there rather than turn a headline into "Show me".
func (in offlineInput) minWords() int {
	switch in.shape {
	case shapeCTA:
		return 1
	case shapeLong:
		return 4
	}
	return 3
}

// shorter is the "shorter" rewrite: the same draft's angle, the longest
// line below current's length (the least taken away), never below
// minWords. A draft whose angle is not known (edited by hand) may take
// any template line.
//
// A draft that names the product keeps its name: "See why people choose
// Leeds Bikes" made "See why people choose us", and "Is Leeds Bikes
// right for you?" "Ready to start?", which no longer say what is on
// offer. When no shorter line of its angle names the product, the draft
// is left as it is, and the error says why; but a draft over the brief's
// own length (edited so by hand) is shortened without the name rather
// than left over the limit.
//
// The templates' plainest forms stand in for the product with "it" ("See
// what it can do for you"). No draft is such a line (see usable), but as
// the shorter line of "See what Leeds Bikes can do for you" one took the
// name away and left the reader to guess what "it" is. When only such
// lines, refused, are shorter, the error names the word that kept them
// out, as the page shows it beside the draft's unchanged text.
func (in offlineInput) shorter(lines, refused []offlineCandidate, current, angle string, rules Rules, kind string) (offlineCandidate, error) {
	name := in.slots["P"]
	keepName := name != "" && containsPhrase(current, name) && utf8.RuneCountInString(current) <= rules.MaxLength
	rules.MaxLength = min(rules.MaxLength, utf8.RuneCountInString(current)-1)
	fits := func(c offlineCandidate) bool {
		return (angle == "" || c.angle == angle) && len(strings.Fields(c.text)) >= in.minWords() &&
			ValidateCopy(c.text, rules) == nil && (!keepName || containsPhrase(c.text, name))
	}
	best, found := offlineCandidate{}, false
	for _, c := range lines {
		if fits(c) && (!found || utf8.RuneCountInString(c.text) > utf8.RuneCountInString(best.text)) {
			best, found = c, true
		}
	}
	if found {
		return in.annotate(best), nil
	}
	// Why nothing fits: a shorter line would have put a pronoun in place
	// of the name, or would have left the name out, or there is none.
	// fits reads keepName, so from here it takes lines without the name.
	keepName = false
	dangling, nameless := "", false
	for _, c := range refused {
		if dangling == "" && fits(c) {
			dangling = in.danglingWord(c.text)
		}
	}
	for _, c := range lines {
		nameless = nameless || fits(c)
	}
	switch {
	case dangling != "" && name != "" && containsPhrase(current, name):
		return offlineCandidate{}, newError(CodeOfflineNoFit, http.StatusUnprocessableEntity, nil,
			"The offline generator could not shorten this draft without putting “%s” in place of “%s”, so the draft is unchanged; shorten it by hand.",
			dangling, name)
	case dangling != "":
		return offlineCandidate{}, newError(CodeOfflineNoFit, http.StatusUnprocessableEntity, nil,
			"The offline generator could not shorten this draft without leaving “%s” with nothing to refer to, so the draft is unchanged; shorten it by hand.",
			dangling)
	case nameless:
		return offlineCandidate{}, newError(CodeOfflineNoFit, http.StatusUnprocessableEntity, nil,
			"The offline generator could not shorten this draft without leaving out “%s”, so the draft is unchanged; shorten it by hand.", name)
	}
	where := ""
	if angle != "" {
		where = " in this draft's angle"
	}
	return offlineCandidate{}, newError(CodeOfflineNoFit, http.StatusUnprocessableEntity, nil,
		"The offline generator has no shorter line%s that still works as a %s; shorten this draft by hand.", where, kind)
}

// referringWords stand for something the reader was told elsewhere:
// "it", "this", "they" and their forms ("it's" and "they're" are split
// into words by tokens).
var referringWords = map[string]bool{
	"it": true, "its": true, "itself": true, "this": true, "these": true,
	"they": true, "them": true, "their": true, "theirs": true, "themselves": true,
}

// danglingWord is the first word of text that refers to something text
// does not name (see referringWords), or "". A draft is read on its own,
// in the element it replaces, so the only thing such a word can stand
// for is the product, and then only when text names it too: "Is Leeds
// Bikes right for you? Try it" is fine, "See what it can do for you" is
// not, nor is any such line for a brief that names no product. The
// brief's must-say items and audience are the marketer's own words, on
// many lines ("Try it free", "riders who love their bikes"), and carry
// what they refer to with them, so they are not read; the rest of the
// line is. A word in capitals is an acronym, not a pronoun: "IT
// managers" are people who run computers.
func (in offlineInput) danglingWord(text string) string {
	if p := in.slots["P"]; p != "" && containsPhrase(text, p) {
		return ""
	}
	if in.own != nil {
		text = in.own.ReplaceAllLiteralString(text, " ")
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) }) {
		if utf8.RuneCountInString(w) > 1 && strings.ToUpper(w) == w {
			continue
		}
		if w = strings.ToLower(w); referringWords[w] {
			return w
		}
	}
	return ""
}

// annotate adds the honest caveats to a candidate's rationale.
func (in offlineInput) annotate(c offlineCandidate) offlineCandidate {
	switch {
	case in.english:
	case in.language == "":
		c.rationale += offlineEnglishOnly
	default:
		c.rationale += fmt.Sprintf(" Written in English: the offline generator has no %s templates.", in.language)
	}
	return c
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…", r)
}

func endSentence(s string) string {
	if endsSentence(s) {
		return s
	}
	return s + "."
}

// upperFirst capitalises the first letter unless the first word already
// has capitals inside it ("iPhone", "eBay") and must stay as written.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.IsLower(r) {
		return s
	}
	first, _, _ := strings.Cut(s, " ")
	if strings.ContainsFunc(first[size:], unicode.IsUpper) || linkLike(first) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// lowerFirst lower-cases the first letter of an ordinary capitalised word
// ("Start" → "start") and leaves names and acronyms ("API", "Acme") alone
// when they carry more capitals.
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !unicode.IsUpper(r) {
		return s
	}
	first, _, _ := strings.Cut(s, " ")
	if strings.ContainsFunc(first[size:], unicode.IsUpper) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// replaceWord swaps whole, lower-case occurrences of word.
func replaceWord(s, word, with string) string {
	fields := strings.Split(s, " ")
	for i, f := range fields {
		if f == word {
			fields[i] = with
		}
	}
	return strings.Join(fields, " ")
}

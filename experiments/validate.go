package experiments

import (
	"fmt"
	"maps"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"copylab/experiments/chars"
)

// FieldError is one problem with one field of a form or an API body. Code is
// a short machine code; Message a sentence for a person.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ValidationError collects every field error of one input, so a form can
// show each beside its field at once.
type ValidationError []FieldError

func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// For returns the message for one field, or "".
func (v ValidationError) For(field string) string {
	for _, f := range v {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

func (v *ValidationError) add(field, code, format string, args ...any) {
	*v = append(*v, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Limits on what people and programs may store. Those in characters
// count them as people do (chars.Count: a family emoji or a flag is
// one); each has a cap in bytes beside it, since one character may carry
// any number of combining marks (Zalgo text) and storage must stay
// bounded.
const (
	MaxNameLen     = 120
	MaxSelectorLen = 200  // characters of a selector, as typed
	MaxPageLen     = 500  // characters of a page pattern, as PageShown writes it
	MaxCopyLen     = 1000 // characters of one variant's copy
	MaxVariants    = 11   // the control and up to ten new variants
	MinHideTimeout = 100
	MaxHideTimeout = 5000

	// MaxCopyBytes caps one variant's copy in UTF-8 (chars.BytesEach).
	MaxCopyBytes = chars.BytesEach * MaxCopyLen
	// MaxSelectorBytes caps a selector, stored as typed: 4 bytes a
	// character, the most one code point takes in UTF-8.
	MaxSelectorBytes = 4 * MaxSelectorLen
	// MaxPageBytes caps a page pattern as stored: percent-encoded, as
	// browsers write location.pathname, so each byte of a letter outside
	// ASCII takes 3 (/料金 is 18 bytes). 12 a character fits 500 letters
	// of any script.
	MaxPageBytes = 12 * MaxPageLen
)

// Normalize trims a site's fields and fills defaults; the domain is
// SiteDomain's, unless it has a user name or a fragment (domainExtra),
// which it keeps as typed, for Validate to refuse.
func (s Site) Normalize() Site {
	s.Name = strings.TrimSpace(s.Name)
	if domainExtra(s.Domain) != "" {
		s.Domain = strings.TrimSpace(s.Domain)
	} else {
		s.Domain = SiteDomain(s.Domain)
	}
	s.BrandVoice = strings.TrimSpace(s.BrandVoice)
	if s.HideTimeoutMS == 0 {
		s.HideTimeoutMS = 1000
	}
	return s
}

// SiteDomain is a site's domain as stored, from what was typed or pasted
// (a domain, or any URL of the site): the host and port its visitors reach
// it on, in lower case, without scheme, user, path, query or fragment.
// The experiment pages' QA links open the site's pages at DOMAIN, with
// SiteScheme's scheme, so shop.example:8080 must keep its port. A port
// goes only when it is the default of the scheme given:
// https://shop.example:443 and http://shop.example:80 are shop.example,
// but https://shop.example:80 keeps its port, as a browser would. With no
// scheme, 80 and 443 both go, the web's defaults. A port is written as a
// number (0443 is 443), as browsers write it.
//
// A name in any script is stored in the ASCII form (bücher.example is
// xn--bcher-kva.example): browsers resolve that form and give it to the
// tag as location.hostname, and it is what every comparison of domains
// sees. siteIDNA maps it as browsers do; UnicodeDomain shows it back.
//
// Every way a site is created or updated (the form, the API, the demo)
// stores this, through Normalize, which first keeps a domain with a user
// name or a fragment after its host as typed, for Validate to refuse
// (domainExtra): this would drop them, and read a different host than
// its owner did. What is not a host at all, or a name IDNA refuses, is
// returned cut at its path, in lower case, for Validate to refuse.
func SiteDomain(raw string) string {
	d := strings.TrimSpace(raw)
	ref := d
	if !strings.Contains(d, "://") && !strings.HasPrefix(d, "//") {
		ref = "//" + d // a bare host[:port][/path] reads as a URL's authority
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" || strings.Contains(u.Hostname(), ":") {
		if _, rest, ok := strings.Cut(d, "//"); ok {
			d = rest // shown back without its scheme, not cut at its slashes
		}
		if i := strings.IndexAny(d, "/?#"); i >= 0 {
			d = d[:i]
		}
		// A name before a port no URL takes (bücher.example:http) is
		// spelt as stored, so that Validate speaks of the port, not the name.
		if host, port, ok := strings.Cut(d, ":"); ok && !strings.HasPrefix(d, "[") {
			return asciiHost(host) + ":" + strings.ToLower(port)
		}
		return strings.ToLower(d)
	}
	// A fully qualified name's root dot (shop.example.) names the same
	// host; IDNA maps other full stops (。) to it first.
	host := strings.TrimSuffix(asciiHost(u.Hostname()), ".")
	port := u.Port()
	if n, err := strconv.Atoi(port); err == nil && n >= 1 && n <= 65535 {
		port = strconv.Itoa(n)
	}
	switch {
	case port == "":
	case u.Scheme == "http" && port == "80", u.Scheme == "https" && port == "443":
		port = ""
	case u.Scheme == "" && (port == "80" || port == "443"):
		port = ""
	default:
		host += ":" + port
	}
	return host
}

// domainExtra says what a typed domain holds that is no part of a site's
// address but would change which one SiteDomain reads, with the sentence
// Validate refuses it with, or "": a user name, whose "@" makes
// shop.example@evil.example the address of evil.example to a URL parser
// and of shop.example to a person, or a fragment straight after the host,
// which a person may read as part of the name (shop.example#@evil).
// Either way the domain stored would not be the one its owner read;
// copylab says what to leave out instead of picking one. A pasted URL's
// path, query and a fragment after them are only cut off, as SiteDomain
// says: an "@" or a "#" there leaves no doubt which host it is on.
func domainExtra(raw string) string {
	d := strings.TrimSpace(raw)
	if i := strings.Index(d, "//"); i >= 0 && !strings.ContainsAny(d[:i], "/?#") {
		d = d[i+2:] // the scheme's, not a path's
	}
	authority, end := d, ""
	if i := strings.IndexAny(d, "/?#"); i >= 0 {
		authority, end = d[:i], d[i:]
	}
	switch {
	case strings.Contains(authority, "@"):
		return "Leave out the user name and the “@”: enter only the site's domain, such as example.com."
	case strings.HasPrefix(end, "#"):
		return "Leave out the “#” and what follows it: enter only the site's domain, such as example.com."
	}
	return ""
}

// SiteScheme is the scheme the experiment pages' QA links open a site's
// pages with, from its domain as SiteDomain stores it. The scheme typed
// is not stored, since the domain is only the host the tag sees; where
// the domain still tells it, it is used: port 443 is kept only from
// http://shop.example:443 (https:// and a bare host drop it), so it is
// http, as port 80 is kept only from https:// and is https. A loopback
// host (localhost, a name under .localhost, 127.0.0.0/8) is a developer's
// machine, which serves plain http. Any other site is https, as nearly
// every public site is; a site served over plain http elsewhere gets
// https links, which its visitor corrects in the address bar.
func SiteScheme(domain string) string {
	host, port, _ := strings.Cut(domain, ":")
	switch {
	case port == "443":
		return "http"
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return "http"
	}
	if a, err := netip.ParseAddr(host); err == nil && a.IsLoopback() {
		return "http"
	}
	return "https"
}

// siteIDNA is how a site's host typed in any script becomes the ASCII
// name browsers look up: the URL Standard's "domain to ASCII", which is
// UTS #46 with its mapping (capitals, full-width letters and full stops),
// non-transitional (straße.example is xn--strae-oqa.example, as browsers
// have had it since IDNA 2008, not strasse.example), with the bidi and
// joiner rules, and without the hyphen rule. That is idna.Lookup less
// CheckHyphens: Lookup refuses a label with "--" in third and fourth
// place (ab--cd.example, r3---sn-abc.googlevideo.com), which browsers
// open and copylab has always stored. idna.Registration is not it: it
// refuses what needs mapping (Bücher.example) instead of mapping it. The
// lengths are Validate's (domainTooLong, labelTooLong), which name them.
var siteIDNA = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.BidiRule(), idna.CheckHyphens(false))

// asciiHost is a host in the form stored, or, when IDNA refuses it, the
// host in lower case, for Validate to refuse and name.
func asciiHost(host string) string {
	a, err := siteIDNA.ToASCII(host)
	if err != nil {
		return strings.ToLower(host)
	}
	return a
}

// UnicodeDomain is a stored site domain as people type and read it, its
// xn-- labels in the script they encode: xn--bcher-kva.example:8080 is
// bücher.example:8080. Any other domain, or one whose labels do not
// decode, is returned as it is. SiteDomain reads it back as the domain
// stored.
func UnicodeDomain(domain string) string {
	host, port, hasPort := strings.Cut(domain, ":")
	if !strings.Contains(host, "xn--") || strings.HasPrefix(domain, "[") {
		return domain
	}
	u, err := siteIDNA.ToUnicode(host)
	if err != nil {
		return domain
	}
	if hasPort {
		u += ":" + port
	}
	return u
}

// domainIDNAProblem says why IDNA refuses a site domain's host, in a
// sentence for the person who typed it: one with characters outside
// ASCII that SiteDomain could not convert, or an xn-- label that does not
// decode. It says nothing ("") of a host IDNA accepts, nor of one with
// an ASCII character no domain has (a space, a slash, an underscore):
// hostnameRe's sentence says that better.
func domainIDNAProblem(domain string) string {
	host, _, _ := strings.Cut(domain, ":")
	if strings.HasPrefix(domain, "[") || (isASCII(host) && !strings.Contains(host, "xn--")) {
		return ""
	}
	if strings.ContainsFunc(host, func(r rune) bool {
		return r < utf8.RuneSelf && !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.')
	}) {
		return ""
	}
	if a, err := siteIDNA.ToASCII(host); err == nil && a == host {
		return ""
	}
	for _, label := range strings.Split(host, ".") {
		if _, err := siteIDNA.ToASCII(label); err == nil {
			continue
		}
		for _, r := range label {
			if unicode.In(r, unicode.Cc, unicode.Cf) {
				return fmt.Sprintf("Remove the invisible character (U+%04X) from the domain.", r)
			}
		}
		return fmt.Sprintf("“%s” cannot be part of a domain; check its spelling.", label)
	}
	// Each label passes alone, the whole does not: the bidi rule, which
	// holds for every label of a name with a right-to-left one.
	return "Browsers cannot open this domain as written; check its spelling."
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

var hostnameRe = regexp.MustCompile(`^(localhost|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+)(:[0-9]{1,5})?$`)

// anyLengthRe is hostnameRe with parts of any length: a domain it matches
// and hostnameRe does not has a part over 63 characters, and nothing else
// wrong with its name.
var anyLengthRe = regexp.MustCompile(`^(localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)(:[0-9]{1,5})?$`)

// Lengths DNS allows a name: 63 characters between dots, 253 in all, in
// the ASCII form stored. A port is not part of them.
const (
	maxLabelLen  = 63
	maxDomainLen = 253
)

// domainTooLong says why a domain is longer than DNS allows, or "". The
// name is counted in the form stored, so a name typed in another script is
// told its length in that form, which is longer than what was typed.
func domainTooLong(domain string) string {
	host, _, _ := strings.Cut(domain, ":")
	// A port has 5 digits at most: anything longer is refused here, before
	// IDNA and the patterns read it.
	if len(host) <= maxDomainLen && len(domain) <= maxDomainLen+len(":65535") {
		return ""
	}
	if len(host) > maxDomainLen && UnicodeDomain(host) != host {
		return fmt.Sprintf("A domain has %d characters at most; this one has %d in its xn-- form.", maxDomainLen, len(host))
	}
	return fmt.Sprintf("A domain has %d characters at most; enter the site's own, such as example.com.", maxDomainLen)
}

// labelTooLong says which part of a domain is longer than DNS allows, or
// "" when hostnameRe would refuse it for another reason (a space, a path),
// which its own sentence names. The part is quoted as typed, its xn--
// form decoded, and only its start when it is long.
func labelTooLong(domain string) string {
	if !anyLengthRe.MatchString(domain) {
		return ""
	}
	host, _, _ := strings.Cut(domain, ":")
	for _, label := range strings.Split(host, ".") {
		if len(label) <= maxLabelLen {
			continue
		}
		shown, form := label, ""
		if u, err := siteIDNA.ToUnicode(label); err == nil && u != label {
			shown, form = u, " in its xn-- form"
		}
		if r := []rune(shown); len(r) > 24 {
			shown = string(r[:20]) + "…"
		}
		return fmt.Sprintf("Each part of a domain between dots has %d characters at most; “%s” has %d%s.", maxLabelLen, shown, len(label), form)
	}
	return ""
}

// portOK tells whether a domain has no port or one a server can listen
// on. What follows a colon in a path, or in an IPv6 address in brackets,
// is no port: hostnameRe refuses those for what they are.
func portOK(domain string) bool {
	host, port, ok := strings.Cut(domain, ":")
	if !ok || strings.ContainsAny(host, "/[ ") {
		return true
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// maxBrandVoice is the most characters of a site's brand voice notes.
const (
	maxBrandVoice     = 2000
	brandVoiceTooLong = "Keep brand voice notes to at most 2,000 characters."
)

// Validate returns every problem with a site, or nil.
func (s Site) Validate() ValidationError {
	var v ValidationError
	switch {
	case s.Name == "":
		v.add("name", "required", "Give the site a name, such as “Marketing site”.")
	case utf8.RuneCountInString(s.Name) > MaxNameLen:
		v.add("name", "too_long", "Keep the name to at most %d characters.", MaxNameLen)
	case textProblem(s.Name) != "":
		v.add("name", "invalid_text", "The name %s.", textProblem(s.Name))
	}
	switch {
	case s.Domain == "":
		v.add("domain", "required", "Enter the site's domain, such as example.com.")
	case domainExtra(s.Domain) != "":
		v.add("domain", "invalid_domain", "%s", domainExtra(s.Domain))
	case domainTooLong(s.Domain) != "":
		// hostnameRe would only say "no spaces or paths", which is not
		// the problem.
		v.add("domain", "too_long", "%s", domainTooLong(s.Domain))
	case domainIDNAProblem(s.Domain) != "":
		v.add("domain", "invalid_domain", "%s", domainIDNAProblem(s.Domain))
	case labelTooLong(s.Domain) != "":
		v.add("domain", "invalid_domain", "%s", labelTooLong(s.Domain))
	case !portOK(s.Domain):
		// Before the name's check, which would only say "no spaces or
		// paths" of a port that is too long or not a number.
		v.add("domain", "invalid_domain", "Enter a port from 1 to 65535 after the colon, or leave it out.")
	case !hostnameRe.MatchString(s.Domain):
		v.add("domain", "invalid_domain", "Enter a domain such as example.com (no spaces or paths).")
	}
	if s.HideTimeoutMS < MinHideTimeout || s.HideTimeoutMS > MaxHideTimeout {
		v.add("hide_timeout_ms", "out_of_range", "The hide timeout must be between %d and %d milliseconds.", MinHideTimeout, MaxHideTimeout)
	}
	if utf8.RuneCountInString(s.BrandVoice) > maxBrandVoice {
		v.add("brand_voice", "too_long", brandVoiceTooLong)
	}
	return v
}

// Normalize trims an experiment's fields and fills defaults: page patterns
// keep only path and query, equal weights when none were given, and the
// first variant is the control. A variant without a key gets the next one
// copylab gives after the others' (NextVariantKey); the store gives a saved
// experiment's keys itself, after every key it ever gave (updateTx).
func (e Experiment) Normalize() Experiment {
	return e.normalize(nil)
}

// normalize is Normalize, giving each variant without a key the next key
// after those in used (which it does not change) and the others' keys.
func (e Experiment) normalize(used map[string]bool) Experiment {
	e.Name = strings.TrimSpace(e.Name)
	e.Page = NormalizePage(e.Page)
	e.Selector = strings.TrimSpace(e.Selector)
	e.Goal.Type = strings.TrimSpace(e.Goal.Type)
	e.Goal = GoalOf(e.Goal.Type, strings.TrimSpace(e.Goal.Value()))
	if e.Goal.Type == GoalPageview {
		e.Goal.URL = NormalizePage(e.Goal.URL)
	}
	if e.Threshold == 0 {
		e.Threshold = 0.10
	}
	sum := 0
	e.Variants = slices.Clone(e.Variants) // the caller's stay as they are
	keys := make([]string, len(e.Variants))
	for i := range e.Variants {
		keys[i] = strings.TrimSpace(e.Variants[i].Key)
	}
	for i, k := range GiveKeys(keys, used) {
		e.Variants[i].Key = k
	}
	for i := range e.Variants {
		v := &e.Variants[i]
		v.Text = strings.TrimSpace(v.Text)
		v.Position = i
		if i == 0 {
			if v.Key == "" {
				v.Key = ControlKey
			}
			v.Source = SourceControl
		}
		if v.Source == "" {
			v.Source = SourceHuman
		}
		sum += v.WeightBP
	}
	if sum == 0 && len(e.Variants) > 0 {
		EqualWeights(e.Variants)
	}
	return e
}

// VariantKey is the default key of the variant at position i: control, b, c …
func VariantKey(i int) string {
	if i == 0 {
		return ControlKey
	}
	if i < 26 {
		return string(rune('a' + i))
	}
	return fmt.Sprintf("v%d", i)
}

// NextVariantKey is the key a new variant gets when used holds the keys
// taken: the one after the last key in used that copylab gives (b … z,
// v26 …), so that a variant added after a removal is named after the
// others ("Variant E" after D) rather than taking the removed one's key.
// used holds every key the experiment gave (Store.UsedVariantKeys) and
// those given since: add the key returned before asking for another. Copy
// drafted (AddVariants) and variants saved without a key (updateTx) follow
// this rule.
func NextVariantKey(used map[string]bool) string {
	next := 1
	for k := range used {
		if i, ok := keyIndex(k); ok && i >= next {
			next = i + 1
		}
	}
	return VariantKey(next)
}

// GiveKeys returns keys with each empty one after the first (the
// control's) given the next key copylab gives (NextVariantKey) after the
// keys in used and in keys: never a key another has or one used names.
// used is not changed. The store gives new variants their keys with it,
// and the experiment form names a row added before it is saved.
func GiveKeys(keys []string, used map[string]bool) []string {
	taken := maps.Clone(used)
	if taken == nil {
		taken = map[string]bool{}
	}
	for _, k := range keys {
		taken[k] = true
	}
	out := slices.Clone(keys)
	for i := 1; i < len(out); i++ {
		if out[i] == "" {
			out[i] = NextVariantKey(taken)
			taken[out[i]] = true
		}
	}
	return out
}

// keyIndex is the position whose default key is k ("c" is 2, "v30" is
// 30); false for a key chosen through the API.
func keyIndex(k string) (int, bool) {
	if len(k) == 1 && k[0] >= 'b' && k[0] <= 'z' {
		return int(k[0] - 'a'), true
	}
	if n, ok := strings.CutPrefix(k, "v"); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 26 && VariantKey(i) == k {
			return i, true
		}
	}
	return 0, false
}

// EqualWeights splits 10000 basis points as evenly as possible, giving the
// remainder to the first variants.
func EqualWeights(vs []Variant) {
	n := len(vs)
	if n == 0 {
		return
	}
	for i := range vs {
		vs[i].WeightBP = 10000 / n
		if i < 10000%n {
			vs[i].WeightBP++
		}
	}
}

// ShareWeights gives the variants whose weight was not given (given[i]
// false) equal shares of what the given weights leave of 10000 basis
// points, the remainder a point each to the first of them, so that
// weights still default to equal when only some are given: with 7000 for
// the first of three, the others get 1500 each. With none given it is
// EqualWeights. When a given weight is out of range or they add up to
// more than 10000, nothing is left to share: the others keep their weight
// (0) and Validate says what is wrong.
func ShareWeights(vs []Variant, given []bool) {
	var omitted []int
	left := 10000
	for i := range vs {
		if i < len(given) && given[i] {
			if w := vs[i].WeightBP; w < 0 || w > 10000 {
				return
			}
			left -= vs[i].WeightBP
		} else {
			omitted = append(omitted, i)
		}
	}
	if len(omitted) == 0 || left < 0 {
		return
	}
	for j, i := range omitted {
		vs[i].WeightBP = left / len(omitted)
		if j < left%len(omitted) {
			vs[i].WeightBP++
		}
	}
}

var (
	variantKeyRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	eventNameRe  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$`)
)

// eventNameError says what is wrong with a custom event's name, the one
// rule of eventNameRe at a time, or "".
func eventNameError(name string) string {
	switch {
	case eventNameRe.MatchString(name):
		return ""
	case name == "":
		return "Name the custom event your page sends with copylab.convert(NAME), such as signup."
	case utf8.RuneCountInString(name) > 64:
		return "Keep the custom event's name to 64 characters."
	case !eventNameRe.MatchString(name[:1]):
		return "Start the custom event's name with a letter (a–z) or a digit, such as signup."
	}
	return "Name the custom event with letters (a–z), digits, dots, colons, dashes or underscores, such as signup."
}

// The fields a draft may leave empty until it starts (Unset): a marketer
// may draft copy for an experiment before knowing which page, element and
// goal it tests.
const (
	FieldPage     = "page"
	FieldSelector = "selector"
	FieldGoal     = "goal"
)

// Unset lists which of the page, element (selector) and goal e leaves
// empty, in that order; none for a complete experiment. A goal is unset
// when its type's value (its selector, page or event name) is empty.
func (e Experiment) Unset() []string {
	var out []string
	if strings.TrimSpace(e.Page) == "" {
		out = append(out, FieldPage)
	}
	if strings.TrimSpace(e.Selector) == "" {
		out = append(out, FieldSelector)
	}
	if strings.TrimSpace(e.Goal.Value()) == "" {
		out = append(out, FieldGoal)
	}
	return out
}

// Complete reports whether e has its page, element and goal: what the
// tag needs to run it or preview it (Unset).
func (e Experiment) Complete() bool { return len(e.Unset()) == 0 }

// Incomplete returns Validate's errors for the page, element and goal e
// leaves empty (Unset), the same sentences the form shows, or nil: why a
// draft saved without them cannot start yet (Transition).
func (e Experiment) Incomplete() ValidationError {
	var out ValidationError
	unset := e.Unset()
	for _, f := range e.Validate() {
		if slices.Contains(unset, f.Field) {
			out = append(out, f)
		}
	}
	return out
}

// msgChooseGoal asks for a goal none of whose types was chosen.
const msgChooseGoal = "Choose a goal: a click, a page visit or a custom event."

// StartIncomplete is Incomplete as Transition refuses a start with it: a
// goal never chosen, which the form's "Draft copy with AI" stores as a
// click on no element (the form's default type, not the marketer's
// choice), is asked for as a choice among the goal types rather than as
// a click's selector. A goal of another type chose that type, and keeps
// its sentence. The edit form keeps Incomplete's: it shows the click
// chosen, and the message stands under the click's selector box.
func (e Experiment) StartIncomplete() ValidationError {
	out := e.Incomplete()
	if e.Goal.Type != GoalClick {
		return out
	}
	for i, f := range out {
		if f.Field == FieldGoal {
			out[i].Message = msgChooseGoal
		}
	}
	return out
}

// KeptElement returns errs, e's problems as Validate or ValidateDraft
// finds them, without those of its element when e keeps the element of
// cur, the stored experiment it is saved over or copied from. The rules
// on elements hold where one is chosen (a new experiment, or a draft's
// element changed), and grow: the refusal of an element whose text the
// tag cannot show (noTextElements) came after tests were stored on an
// input[type=submit]. Such a test still saves its name, traffic share
// and plans, and its copy (Duplicate) can be made, to change the element
// in; Start refuses a draft that still has it (ElementRefused).
func KeptElement(errs ValidationError, e, cur Experiment) ValidationError {
	sel := strings.TrimSpace(e.Selector)
	if sel == "" || sel != strings.TrimSpace(cur.Selector) {
		return errs
	}
	out := slices.DeleteFunc(slices.Clone(errs), func(f FieldError) bool { return f.Field == FieldSelector })
	if len(out) == 0 {
		return nil
	}
	return out
}

// ElementRefused returns the refusal of a draft's element by the rules
// of now, as Validate words it, or nil: a draft may hold one that an
// older copylab stored, or a copy of one (KeptElement). Start refuses
// it, beside the page, element and goal the draft lacks; a test that has
// started runs, pauses and resumes with the element it started with.
func (e Experiment) ElementRefused() ValidationError {
	if e.Status != StatusDraft || strings.TrimSpace(e.Selector) == "" {
		return nil
	}
	return elementProblems(e.Selector)
}

// elementProblems is the problem with selector as the tested element's,
// as Validate words it (problems), or nil.
func elementProblems(selector string) ValidationError {
	var v ValidationError
	if code, msg := SelectorProblem(selector); msg != "" {
		v.add(FieldSelector, code, "%s", msg)
	} else if why := textProblem(selector); why != "" {
		v.add(FieldSelector, "invalid_selector", "The selector %s.", why)
	}
	return v
}

// ValidateDraft is Validate for a draft saved before its page, element or
// goal is chosen (the form's "Draft copy with AI"): those it leaves empty
// (Unset) are not problems yet, since Transition refuses to start it
// until they are set; whatever it holds is checked as Validate checks it.
// A goal still needs one of the known types: the store keeps the type.
func (e Experiment) ValidateDraft() ValidationError {
	return e.validate(e.Unset())
}

// Validate returns every problem with an experiment, or nil.
func (e Experiment) Validate() ValidationError {
	return e.validate(nil)
}

// validate is Validate, leaving out the problems of the fields in wait
// (Unset's names) that e leaves empty. A goal of no known type is a
// problem all the same.
func (e Experiment) validate(wait []string) ValidationError {
	unset := e.Unset()
	knownGoal := slices.Contains([]string{GoalClick, GoalPageview, GoalEvent}, e.Goal.Type)
	v := slices.DeleteFunc(e.problems(), func(f FieldError) bool {
		return slices.Contains(wait, f.Field) && slices.Contains(unset, f.Field) && (f.Field != FieldGoal || knownGoal)
	})
	if len(v) == 0 {
		return nil
	}
	return v
}

// problems is every problem with e, as Validate says them.
func (e Experiment) problems() ValidationError {
	var v ValidationError
	switch {
	case e.Name == "":
		v.add("name", "required", "Name the experiment, such as “Pricing headline”.")
	case utf8.RuneCountInString(e.Name) > MaxNameLen:
		v.add("name", "too_long", "Keep the name to at most %d characters.", MaxNameLen)
	case textProblem(e.Name) != "":
		v.add("name", "invalid_text", "The name %s.", textProblem(e.Name))
	}
	if msg := PageError(e.Page); msg != "" {
		v.add("page", "invalid_page", "%s", msg)
	} else if why := textProblem(e.Page); why != "" {
		v.add("page", "invalid_page", "The page %s.", why)
	}
	v = append(v, elementProblems(e.Selector)...)
	for _, g := range []string{e.Goal.Selector, e.Goal.URL} {
		if why := textProblem(g); why != "" {
			v.add("goal", "invalid_goal", "The goal %s.", why)
			break
		}
	}
	switch e.Goal.Type {
	case GoalClick:
		// The empty case has its own example: SelectorProblem's names a
		// tested element, not the button a visitor clicks.
		if strings.TrimSpace(e.Goal.Selector) == "" {
			v.add("goal", "invalid_goal", "Enter the CSS selector of the button or link whose click counts, such as #signup or [data-copylab=\"signup\"].")
		} else if msg := GoalSelectorError(e.Goal.Selector); msg != "" {
			v.add("goal", "invalid_goal", "%s", afterLabel("Goal selector", msg))
		}
	case GoalPageview:
		if e.Goal.URL == "" || e.Goal.URL == "*" {
			v.add("goal", "invalid_goal", "Enter the URL of the page that counts as a conversion, such as /thanks*.")
		} else if msg := goalPageError(e.Goal.URL); msg != "" {
			v.add("goal", "invalid_goal", "%s", afterLabel("Goal page", msg))
		}
	case GoalEvent:
		if msg := eventNameError(e.Goal.Name); msg != "" {
			v.add("goal", "invalid_goal", "%s", msg)
		}
	default:
		v.add("goal", "invalid_goal", "%s", msgChooseGoal)
	}
	if e.CoverageBP < 0 || e.CoverageBP > 10000 {
		v.add("coverage_bp", "out_of_range", "Traffic share must be between 0%% and 100%%.")
	}
	if e.Threshold < 0.005 || e.Threshold > 1 {
		v.add("threshold", "out_of_range", "The practical threshold must be between 0.5%% and 100%%.")
	}
	v = append(v, validateVariants(e.Variants)...)
	return v
}

// afterLabel puts a sentence after a label, as one sentence: "Goal
// selector: the selector has an unclosed bracket." The sentence's first
// letter goes to lower case, unless the word it starts is in capitals
// (CSS) or is a single letter (I).
func afterLabel(label, msg string) string {
	first, n := utf8.DecodeRuneInString(msg)
	next, _ := utf8.DecodeRuneInString(msg[n:])
	if unicode.IsUpper(first) && unicode.IsLower(next) {
		msg = string(unicode.ToLower(first)) + msg[n:]
	}
	return label + ": " + msg
}

// validateVariants checks the copy of an experiment. A draft may hold only
// the control, so that a program can create it and then generate variants
// for it; a variant besides the control is required when it starts (see
// Transition) and by the app's experiment form.
func validateVariants(vs []Variant) ValidationError {
	var v ValidationError
	if len(vs) == 0 {
		v.add("variants", "required", "Give the original copy (the control) as the first variant.")
	}
	if len(vs) > MaxVariants {
		v.add("variants", "too_many", "Test at most %d new variants at once.", MaxVariants-1)
	}
	seen := map[string]bool{}
	texts := map[string]int{}
	sum := 0
	for i, x := range vs {
		field := fmt.Sprintf("variants[%d]", i)
		if i == 0 && x.Key != ControlKey {
			v.add(field+".key", "invalid_key", "The first variant is the original copy and must have the key “control”.")
		} else if !variantKeyRe.MatchString(x.Key) {
			v.add(field+".key", "invalid_key", "Variant keys use lowercase letters, digits, - and _ (up to 32).")
		} else if seen[x.Key] {
			v.add(field+".key", "duplicate_key", "The key %q is used twice.", x.Key)
		}
		seen[x.Key] = true
		// Each box's message stands beside the box, whose label names
		// it ("Original", "Variant B"), and the API gives the field: the
		// message itself does not repeat the name.
		// Copy is the same when it reads the same: "Größe" with "ö" as one
		// character or as "o" and a combining mark (chars.Same).
		if msg := CopyError(x.Text); msg != "" {
			v.add(field+".text", "invalid_text", "%s", msg)
		} else if j, dup := texts[chars.Key(x.Text)]; dup {
			v.add(field+".text", "duplicate_text", "This copy is the same as %s.", variantWords(vs[j].Key))
		} else {
			texts[chars.Key(x.Text)] = i
		}
		if x.WeightBP < 0 || x.WeightBP > 10000 {
			v.add(field+".weight_bp", "out_of_range", "Weights are between 0 and 10000 basis points.")
		}
		sum += x.WeightBP
	}
	if len(vs) > 0 && sum != 10000 {
		v.add("weights", "weights_sum", "The traffic split must add up to 100%% (it adds up to %s%%).", formatBP(sum))
	}
	return v
}

func formatBP(bp int) string {
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	return strings.TrimSuffix(strings.TrimSuffix(s, "00"), ".")
}

// CopyError returns why text cannot be used as copy, or "". Copy is plain
// text: the snippet sets it with textContent, so markup would show as
// literal angle brackets on the site.
func CopyError(text string) string {
	if strings.TrimSpace(text) == "" {
		return "Enter the copy."
	}
	if !utf8.ValidString(text) {
		return "The copy is not valid UTF-8 text."
	}
	if n := chars.Count(text); n > MaxCopyLen {
		return fmt.Sprintf("Keep copy to at most %d characters (this is %d).", MaxCopyLen, n)
	}
	if len(text) > MaxCopyBytes {
		return fmt.Sprintf("Copy can take at most %s bytes to store, and this takes %s: remove the marks stacked on its letters.",
			thousands(MaxCopyBytes), thousands(int64(len(text))))
	}
	if r, ok := chars.FirstInvisible(text); ok {
		return fmt.Sprintf("Remove the invisible formatting character (U+%04X) from the copy.", r)
	}
	for i, r := range text {
		if unicode.IsControl(r) && r != '\n' {
			return "Remove the control characters from the copy."
		}
		if r == '<' && i+1 < len(text) {
			if n := text[i+1]; n == '/' || n == '!' || n == '?' || (n|0x20 >= 'a' && n|0x20 <= 'z') {
				return "Copy is plain text: remove the HTML tags."
			}
		}
	}
	return ""
}

// TextProblem is textProblem for the names kept outside this package
// (API tokens').
func TextProblem(s string) string { return textProblem(s) }

// textProblem says why a one-line setting (a name, a page pattern, a
// selector) cannot be stored, or "": it must be UTF-8 text without
// control or invisible formatting characters, which the tag would read
// differently (its JSON turns broken bytes into U+FFFD) or a person
// could not see.
func textProblem(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	if r, ok := chars.FirstInvisible(s); ok {
		return fmt.Sprintf("contains an invisible character (U+%04X); type it again", r)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("contains an invisible character (U+%04X); type it again", r)
		}
	}
	return ""
}

// NormalizePage turns a pasted URL into the path-and-query pattern the
// snippet matches against, and trims spaces. It is ReadPage's pattern.
func NormalizePage(p string) string {
	page, _ := ReadPage(p)
	return page
}

// PastedPage is what ReadPage left out of a page pattern pasted as a whole
// address (http:// or https://…), for the person to hear of it; both are
// empty for a pattern typed from / or *.
type PastedPage struct {
	// Host is the address's host (and port), as SiteDomain stores a
	// site's domain. The pattern keeps only the path: the test runs on
	// whichever site loads the tag, so an address on another host is
	// worth a word.
	Host string
	// Dropped holds the tracking parameters left out (TrackingParam), as
	// the address wrote them ("gclid=abc123"), in its order.
	Dropped []string
}

// ReadPage is NormalizePage's pattern for p, with what it left out of a
// pasted address. A pasted address keeps its path and its query, less
// the tracking parameters (TrackingParam): they say how the visitor who
// copied it arrived, not which page it is, and kept they would narrow the
// test to the visitors who arrive the same way (one ad click, or one
// campaign). A pattern typed from / keeps them: there a query is meant,
// as /landing?utm_campaign=spring tests that campaign's visitors only.
// Stored patterns are typed ones, so a stored page never changes when it
// is saved again.
func ReadPage(p string) (string, PastedPage) {
	p = strings.TrimSpace(p)
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		var pasted PastedPage
		if u, err := url.Parse(p); err == nil {
			pasted.Host = SiteDomain(p)
			p = u.EscapedPath()
			if p == "" {
				p = "/"
			}
			query := u.RawQuery
			var kept []string
			for pair := range strings.SplitSeq(query, "&") {
				if TrackingParam(pair) {
					pasted.Dropped = append(pasted.Dropped, pair)
				} else if pair != "" {
					kept = append(kept, pair)
				}
			}
			if len(pasted.Dropped) > 0 {
				// Rebuilt only when something went: a query as it was
				// pasted stays as written.
				query = strings.Join(kept, "&")
			}
			if query != "" {
				p += "?" + query
			}
		}
		return p, pasted
	}
	// A typed pattern's path is escaped as a pasted URL's is: the tag
	// compares it with location.pathname, which the browser escapes
	// (/café is /caf%C3%A9 there), so unescaped it would never match.
	// Escapes typed already, and *, stay as they are.
	// One with a space or # is left for PageError to refuse.
	glob, query, hasQuery := strings.Cut(p, "?")
	if strings.HasPrefix(glob, "/") && !strings.ContainsFunc(glob, func(r rune) bool { return unicode.IsSpace(r) || r == '#' }) {
		glob = escapePathLikeBrowsers(glob)
	}
	if hasQuery {
		return glob + "?" + query, PastedPage{}
	}
	return glob, PastedPage{}
}

// trackingKeys are the query parameters, besides every utm_… (Google
// Analytics' campaign tags, which every analytics tool reads), that tell
// how one visitor arrived rather than which page they are on: the click
// ids ads add (gclid, gclsrc, dclid, gbraid and wbraid from Google, fbclid
// from Meta, msclkid from Microsoft, ttclid from TikTok, twclid from X,
// li_fat_id from LinkedIn, yclid from Yandex, igshid from Instagram's
// share links), Google Analytics' cross-domain ids (_ga, _gl), and e-mail
// tools' campaign and subscriber ids (mc_cid and mc_eid from Mailchimp,
// _hsenc and _hsmi from HubSpot, mkt_tok from Marketo). ref, source and
// the like are not in it: sites use them for what the page shows.
var trackingKeys = map[string]bool{
	"gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true, "fbclid": true, "msclkid": true,
	"ttclid": true, "twclid": true, "li_fat_id": true, "yclid": true, "igshid": true, "_ga": true, "_gl": true,
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
}

// TrackingParam reports whether a query's pair ("utm_source=google", or a
// key alone) is a tracking parameter (trackingKeys, or utm_…), whatever the
// case or escapes of its key.
func TrackingParam(pair string) bool {
	k, _, _ := strings.Cut(pair, "=")
	if dec, err := url.QueryUnescape(k); err == nil {
		k = dec
	}
	k = strings.ToLower(k)
	return strings.HasPrefix(k, "utm_") || trackingKeys[k]
}

// escapePathLikeBrowsers percent-encodes what the URL standard's path
// percent-encode set holds (besides space, # and ?, which a pattern
// cannot hold there) and every byte of a non-ASCII character, in upper
// case as browsers write them, leaving everything else, * and escapes
// typed already included.
func escapePathLikeBrowsers(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c >= 0x80, c == '"', c == '<', c == '>', c == '`', c == '{', c == '}':
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// PageError returns why p is not a usable page pattern, or "".
func PageError(p string) string {
	return pageError(p, "Start the page pattern with /, such as /pricing or /blog/*, or use * for every page.")
}

// goalPageError is PageError for the page whose visit counts as a
// conversion. Its advice leaves * out: a goal page of every page would
// count every visitor, and Validate refuses it.
func goalPageError(p string) string {
	return pageError(p, "Start the page pattern with /, such as /thanks or /thanks*.")
}

// pageError returns why p is not a usable page pattern, or "", with
// noSlash as the advice for a pattern that does not start with /.
func pageError(p, noSlash string) string {
	switch {
	case p == "":
		return "Enter the page to test on, such as /pricing or * for every page."
	case chars.Count(PageShown(p)) > MaxPageLen:
		// Counted as the person reads the pattern, not as stored: /料金
		// is 3 characters, and 18 bytes percent-encoded.
		return fmt.Sprintf("Keep the page pattern to at most %d characters (this is %d).", MaxPageLen, chars.Count(PageShown(p)))
	case len(p) > MaxPageBytes:
		return fmt.Sprintf("This page pattern takes %s bytes as browsers write it (percent-encoded), more than the %s copylab stores: shorten it, or use fewer emoji and accent marks (6 to 12 bytes each there).",
			thousands(int64(len(p))), thousands(MaxPageBytes))
	case p != "*" && !strings.HasPrefix(p, "/"):
		return noSlash
	}
	for _, r := range p {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '#' {
			return "Page patterns cannot contain spaces or #."
		}
	}
	return ""
}

// MatchPage reports whether a page matches a URL pattern as the tag does
// (static's compilePattern turns the pattern into a regexp, snippet.js's
// match tests it); testdata/page_match_vectors.json holds the cases, and
// static/snippet's TestPageMatchVectors checks them in Chromium. path and
// rawQuery are the page's location.pathname and location.search without
// its "?", as the browser writes them (percent-encoded, no line breaks).
//   - "" and "*" match every page;
//   - before the first "?", a glob on the whole path where * matches any run
//     of characters (slashes too) and every other character is literal and
//     case-sensitive, a single trailing slash ignored on either side (but
//     for the root);
//   - after it, pairs joined by "&" (empty ones skipped) that must all be in
//     the query: k=* is the key k with any value or none; k=v, and k alone
//     (read as k=), is the key followed by "=" and that whole value. Keys
//     and values are compared as spelled in the query, not decoded: the
//     pattern's k or v in each of the spellings querySpellings gives, so
//     q=a+b matches q=a%20b, but a page's own needless escape (utm%5Fsource)
//     or lower-case hex (%c3%a9) matches only a pattern written so. A pair
//     may start after any "?" or "&" of the query.
func MatchPage(pattern, path, rawQuery string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	glob, query, _ := strings.Cut(pattern, "?")
	if !globMatch(trimSlash(glob), trimSlash(path)) {
		return false
	}
	search := ""
	if rawQuery != "" {
		search = "?" + rawQuery // location.search is "" for an empty query
	}
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if !hasPair(search, k, v) {
			return false
		}
	}
	return true
}

// hasPair reports whether search holds, right after one of its "?" or "&",
// a spelling of the key k followed by "=", "&" or the end when v is "*",
// or else followed by "=", a spelling of v, and "&" or the end: the
// lookahead the tag's regexp has for the pair.
func hasPair(search, k, v string) bool {
	keys := querySpellings(k)
	var vals []string
	if v != "*" {
		vals = querySpellings(v)
	}
	for i := 0; i < len(search); i++ {
		if search[i] != '?' && search[i] != '&' {
			continue
		}
		for _, key := range keys {
			rest, ok := strings.CutPrefix(search[i+1:], key)
			if !ok {
				continue
			}
			if v == "*" {
				if rest == "" || rest[0] == '=' || rest[0] == '&' {
					return true
				}
				continue
			}
			if v == "" {
				// A key with no value (?trial, ?a=) is there with an
				// empty value or none, as the tag reads it.
				rest = strings.TrimPrefix(rest, "=")
				if rest == "" || rest[0] == '&' {
					return true
				}
				continue
			}
			if rest, ok = strings.CutPrefix(rest, "="); !ok {
				continue
			}
			for _, val := range vals {
				if end, ok := strings.CutPrefix(rest, val); ok && (end == "" || end[0] == '&') {
					return true
				}
			}
		}
	}
	return false
}

// querySpellings returns the ways a pattern's key or value s may appear in
// a query string, as static's spellings does for the tag: as written,
// decoded (+ as a space; s itself when it does not decode), and the
// decoded text encoded with + and with %20 for spaces, without repeats.
func querySpellings(s string) []string {
	dec := s
	if u, err := url.QueryUnescape(s); err == nil {
		dec = u
	}
	enc := url.QueryEscape(dec)
	out := []string{s}
	for _, a := range []string{dec, enc, strings.ReplaceAll(enc, "+", "%20")} {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func trimSlash(p string) string {
	if len(p) > 1 && strings.HasSuffix(p, "/") {
		return p[:len(p)-1]
	}
	return p
}

// globMatch matches s against a glob whose only wildcard is * (any run of
// characters). It is iterative with one backtrack point, so it is linear
// in practice and cannot blow up on hostile patterns.
func globMatch(glob, s string) bool {
	gi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case gi < len(glob) && glob[gi] == '*':
			star, mark = gi, si
			gi++
		case gi < len(glob) && glob[gi] == s[si]:
			gi++
			si++
		case star >= 0:
			gi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for gi < len(glob) && glob[gi] == '*' {
		gi++
	}
	return gi == len(glob)
}

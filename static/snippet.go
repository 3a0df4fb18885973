// Package static holds copylab's embedded front-end assets: the snippet that
// sites load from GET /s/{site_key}.js, the CSS, and vendored scripts.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"
)

// SnippetFS holds the snippet's files under snippet/: snippet.js, the
// readable source that NewSnippet minifies. (The browser tests live in the
// same folder; the pattern leaves them out.)
//
//go:embed snippet/*.js
var SnippetFS embed.FS

// configPlaceholder is the identifier in snippet.js that Render replaces with
// the site's config. esbuild keeps it as is because it is a free (global) name.
const configPlaceholder = "__COPYLAB_CONFIG__"

// DefaultTimeoutMS is how long the snippet keeps tested elements hidden when
// SnippetConfig.TimeoutMS is zero.
const DefaultTimeoutMS = 1000

// SnippetConfig is a site's config, inlined into the served script. Every
// visitor of the site downloads it, so Render writes it as positional JSON
// arrays rather than objects (snippet.js names the slots), leaves out
// trailing slots that are empty, zero or false, and turns booleans into 1:
//
//	config:     [Site, experiments, Endpoint, TimeoutMS, HonorGPC, PreviewLabel, PreviewWhy]
//	PreviewWhy: [OffPage, Missing, Late, Holds, Shows]  (the QA build only)
//	experiment: [ID, Seed, Selector, CoverageBP, variants, Goal.Type, Goal.Value, Page, VisibleOnly]
//	variant:    [Key, WeightBP, Text]  (the control has no Text)
//
// Page, and Goal.Value of a page-view goal, are URL patterns, sent compiled
// to a regexp (see compilePattern); a pattern that matches every page is
// sent as "" (the script's RegExp matches it, as it does a slot left out,
// anywhere), and a Seed equal to the ID as 0. A TimeoutMS equal to the
// default is left out.
type SnippetConfig struct {
	// Site is the site key; events carry it as "site".
	Site string
	// Endpoint is the absolute URL of POST /e. When empty the script posts
	// to "e" next to its own "s/KEY.js", which is origin + "/e" for the
	// usual /s/KEY.js (and keeps a path prefix behind a proxy).
	Endpoint string
	// TimeoutMS is how long tested elements may stay hidden
	// (DefaultTimeoutMS when zero).
	TimeoutMS int
	// HonorGPC treats navigator.globalPrivacyControl as no consent: such a
	// visitor gets the original page, and nothing is stored or sent.
	HonorGPC    bool
	Experiments []SnippetExperiment
	// Recorders names the session recorders the site uses, any of
	// RecorderNames (experiments/recorders' Settings.Names gives them).
	// The script then carries the code that tags each one's recordings
	// with the experiment and variant and reports its session id in a
	// "recording" event; a site with none carries none of that code (the
	// "#if" regions of snippet.js). Order and repeats do not matter.
	Recorders []string
	// Shipped are variants shown to every visitor of their page, with no
	// assignment and no events: experiments that ended with a variant
	// shipped, until the site's own copy is updated.
	Shipped []SnippetShipped
	// Preview renders the QA build instead, the script a live tag loads
	// (as a module) for a QA link, ?copylab=EXPERIMENT:VARIANT. It shows
	// the link's variant of its experiment, which may be one the live tag
	// does not carry (a draft, or a paused one), and never stores or sends
	// anything; it carries no recorder code (Recorders are ignored), and it
	// does not step aside for a tag already on the page: it takes over
	// from the live tag that loaded it.
	Preview bool
	// PreviewLabel is the text of the QA build's notice, which says that
	// a preview is on and offers to exit it: "copylab preview: EXPERIMENT
	// · Variant C", say ("copylab preview" when empty). The notice keeps
	// the part after the last " · ", the variant, whole, and cuts what is
	// before it short ("…") when the line is too wide for it: a long
	// experiment name must not hide which variant the page shows. The
	// tooltip has the whole label. Only the QA build carries it: Render
	// leaves it out of the live tag, whose bytes it would otherwise
	// change.
	PreviewLabel string
	// PreviewWhy is what the QA build's notice adds when the link's
	// experiment shows nothing on the page at hand, so that a preview of
	// the original copy is not taken for a broken link. Like
	// PreviewLabel, only the QA build carries it.
	PreviewWhy PreviewWhy
	// Guard renders the tag of the guarded async install (GuardedTag): it
	// takes GuardClass off <html> as soon as it has run (its elements
	// hidden or swapped, or nothing to do, or an error). The QA build
	// ignores it: the live tag that loads it has already taken the class
	// off.
	Guard bool
}

// PreviewWhy holds the words of the QA build's notice for why the
// experiment of the QA link (the experiment whose id the link names) shows
// nothing on a page. The QA build picks one while the preview lasts, or
// none when the variant is on the page; an empty PreviewWhy adds nothing
// to the config.
type PreviewWhy struct {
	// OffPage: the page does not match the experiment's page pattern.
	OffPage string
	// Missing: the page matches, and the tag stopped waiting for the
	// element with none on the page.
	Missing string
	// Late: the element came after the tag stopped waiting for it, so it
	// keeps the page's copy, as it would for a visitor.
	Late string
	// Holds: the copy shows, but the element held more than a single
	// piece of text when the tag first put its copy on it: two pieces of
	// text (React's {a}{b}), a comment (React's separator between them
	// from the server, Vue's v-if placeholder) or any element (a spinner,
	// a loading placeholder). The tag's textContent replaces all of them,
	// and a framework that later updates the nodes it made finds them
	// gone: React then throws and takes the whole page down, for visitors
	// in a variant only. The QA build says Holds[0], then what the
	// element held ("2 pieces of text, 1 comment and 1 element"), then
	// Holds[1], on the notice and once in the console. The other three
	// come first: they say why the copy shows nothing.
	Holds [2]string
	// Shows: the element is one whose text the tag's copy does not show
	// (an <input>, whose label is its value attribute; an <img>, a
	// <select>, a <video>, an <audio>, a <canvas>, an <iframe>, an
	// <object>, an <embed>; an <svg> or any SVG element but a <text> and
	// what is inside one). A selector that finds one by an attribute
	// ([type=submit], .buy) passes the server's check, and the notice
	// would otherwise name the variant over the page's own label. The QA
	// build says Shows[0], the element ("an <input>"), Shows[1], the
	// element again, Shows[2], Shows[3] for an <input> only, then
	// Shows[4], in place of Holds (which such an element may meet too:
	// a <select>'s options), on the notice and once in the console.
	Shows [5]string
}

// GuardClass is the class of <html> that hides the whole page in the
// guarded async install (GuardedTag), until the tag has run or
// GuardTimeoutMS passed.
const GuardClass = "copylab-wait"

// GuardTimeoutMS is the longest the guarded async install hides the page
// when the tag is slow, fails or never comes.
const GuardTimeoutMS = 1000

// GuardLateClass is the class of <html> that the guarded async install's
// inline script sets when its timeout shows the page before the tag has
// run. The tag, when it comes later, then leaves the page view alone: the
// visitor keeps the original copy they already see, and is not counted.
const GuardLateClass = "copylab-late"

// Inline parts of the guarded async install. They hold neither the site
// key nor the URL, so every site pastes the same bytes, and a strict CSP
// can allow them by hash (GuardCSP) instead of with 'unsafe-inline'. The
// script is ES5 and calls only classList's add, remove and contains
// (not replace, which older browsers lack), so that browsers too old for
// the tag (which then runs nothing) still get the page back at the
// timeout: a script that threw would leave the page hidden. At the
// timeout it marks the page late (GuardLateClass) only when GuardClass is
// still there, so a page whose tag ran in time carries no mark; and it
// drops the class attribute that the tag's removal of GuardClass may have
// left empty (class=""), which the tag has no bytes to spare for.
var (
	guardStyle  = "." + GuardClass + "{opacity:0!important}"
	guardScript = `(function(h,c){h.classList.add(c);setTimeout(function(){` +
		`if(h.classList.contains(c))h.classList.add("` + GuardLateClass + `");` +
		`h.classList.remove(c);h.className||h.removeAttribute("class")},` +
		strconv.Itoa(GuardTimeoutMS) + `)})(document.documentElement,"` + GuardClass + `")`
)

// GuardedTag is the guarded async install of the tag at src (a site's
// /s/KEY.js URL), for tag managers and sites that allow no synchronous
// third-party script: an inline style that hides the page while <html>
// has GuardClass, an inline script that adds the class and takes it off
// after GuardTimeoutMS whatever happens, and the tag with async from
// src?guard=1, whose build (SnippetConfig.Guard) takes the class off as
// soon as it has run. The page is hidden at most until the timeout, then
// only the tested elements until they get their copy. A tag that comes
// after the timeout finds the page marked late (GuardLateClass) and
// leaves it as the visitor already sees it: the original copy, no event.
func GuardedTag(src string) string {
	return "<style>" + guardStyle + "</style>\n<script>" + guardScript + "</script>\n" +
		`<script async src="` + src + `?guard=1"></script>`
}

// GuardCSP is what a Content-Security-Policy needs to allow the inline
// parts of GuardedTag without 'unsafe-inline': the hash of the script for
// script-src and of the style for style-src.
func GuardCSP() (script, style string) {
	return cspHash(guardScript), cspHash(guardStyle)
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// SnippetShipped is one shipped variant: its page pattern and element, as
// in SnippetExperiment, and its copy.
type SnippetShipped struct {
	Page     string
	Selector string
	Text     string
}

// RecorderNames are the session recorders the snippet knows, in the order
// of their code in snippet.js. They are also the "recorder" of the
// "recording" events it sends.
var RecorderNames = []string{"posthog", "clarity", "fullstory", "logrocket", "hotjar", "custom"}

// SnippetExperiment is one running experiment of a site.
//
// URL patterns (Page, and the value of a page-view goal): "" or "*" match
// every page. Otherwise the part before the first "?" is a glob matched
// against the whole path, where "*" matches any run of characters
// (including "/") and every other character is literal; a single trailing
// "/" is ignored on both sides, except for the root "/". The part after "?"
// is "k=v&k2=v2": each pair must be in the query string with exactly that
// value, or any value when v is "*" (see compilePattern for how encodings
// compare). Matching is case-sensitive.
type SnippetExperiment struct {
	ID string
	// Seed is the assignment seed; the ID when empty.
	Seed string
	// Page is the URL pattern of the pages the experiment runs on.
	Page string
	// Selector is the CSS selector of the tested element(s). The script
	// writes it into a style rule, so Render refuses braces and semicolons
	// outside quotes, and unclosed brackets, parentheses or quotes (see
	// cssSafe).
	Selector   string
	CoverageBP int
	// VisibleOnly sends the exposure only once an element was in the
	// viewport. The script carries the code for it only when an
	// experiment needs it (visibleBuild).
	VisibleOnly bool
	Goal        SnippetGoal
	// Variants lists the control first; weights sum to 10000.
	Variants []SnippetVariant
}

// SnippetGoal is what counts as a conversion: {Type: "click", Value: selector},
// {Type: "pageview", Value: URL pattern} or {Type: "event", Value: name}.
type SnippetGoal struct {
	Type  string
	Value string
}

// SnippetVariant is one variant of an experiment. The first one is the
// control: it keeps the page's own copy, so Render leaves its Text out of
// the script.
type SnippetVariant struct {
	Key      string
	WeightBP int
	Text     string
}

// Snippet renders the script served at GET /s/{site_key}.js. Make one with
// NewSnippet at start and share it; Render is safe for concurrent use.
type Snippet struct {
	source []byte
	test   bool
	// head and tail are the minified runtime before and after the config,
	// for a site with no recorder and no visible-only experiment.
	head, tail []byte

	// builds holds the other runtimes, by build set (a bit per
	// RecorderNames entry, visibleBuild and guardBuild, or previewBuild
	// alone), minified on first use: 257 sets are possible, a few are used.
	mu     sync.Mutex
	builds map[uint]runtime
}

// previewBuild is the build set of the QA build (SnippetConfig.Preview):
// the source's "qa" regions instead of its "live" ones, and no recorder.
var previewBuild uint = 1 << len(RecorderNames)

// visibleBuild is the bit of the build set for a site with a visible-only
// experiment (SnippetExperiment.VisibleOnly): the source's "visible"
// regions, the IntersectionObserver that waits for the element to be in
// view, which other sites do without (about 62 bytes gzipped). The QA
// build sends no exposure, so it needs none.
var visibleBuild uint = previewBuild << 1

// guardBuild is the bit of the build set for the tag of the guarded
// async install (SnippetConfig.Guard): the source's "guard" region, which
// takes GuardClass off <html> once the tag has run.
var guardBuild uint = visibleBuild << 1

// recorderBuilds are the bits of the build set that stand for recorders.
var recorderBuilds uint = previewBuild - 1

// runtime is one minified build of the script, cut around the config.
type runtime struct{ head, tail []byte }

// NewSnippet minifies the embedded snippet source once. The builds with
// recorder code are minified the first time Render needs each.
func NewSnippet() (*Snippet, error) {
	return newSnippet(false)
}

// NewSnippetForTest is NewSnippet for tests: its script also exposes the
// snippet's pure functions and its config as window.copylab._t (assign,
// match, uuid, c), so browser tests can check them against the shared
// vectors. The hook sits behind the __TEST__ constant, which esbuild folds
// away in NewSnippet's build: it costs the served script nothing. Never
// serve this build.
func NewSnippetForTest() (*Snippet, error) {
	return newSnippet(true)
}

func newSnippet(test bool) (*Snippet, error) {
	src, err := SnippetFS.ReadFile("snippet/snippet.js")
	if err != nil {
		return nil, fmt.Errorf("static: read snippet: %w", err)
	}
	s := &Snippet{source: src, test: test, builds: map[uint]runtime{}}
	rt, err := s.minify(0)
	if err != nil {
		return nil, err
	}
	s.head, s.tail = rt.head, rt.tail
	return s, nil
}

// runtime returns the build for a recorder set, minifying it on first use.
func (s *Snippet) runtime(set uint) (runtime, error) {
	if set == 0 {
		return runtime{s.head, s.tail}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt, ok := s.builds[set]; ok {
		return rt, nil
	}
	rt, err := s.minify(set)
	if err != nil {
		return runtime{}, err
	}
	s.builds[set] = rt
	return rt, nil
}

// minify builds the runtime for a build set: the source without the
// regions of the recorders outside the set, without the "visible" regions
// unless the set has visibleBuild, without the "guard" region unless it
// has guardBuild, and without the "qa" regions (the live build) or the
// "live" ones (previewBuild), minified.
func (s *Snippet) minify(set uint) (runtime, error) {
	src, err := cutRegions(s.source, func(name string) (bool, error) {
		switch name {
		case "recorders":
			return set&recorderBuilds != 0, nil
		case "visible":
			return set&visibleBuild != 0, nil
		case "guard":
			return set&guardBuild != 0, nil
		case "live":
			return set&previewBuild == 0, nil
		case "qa":
			return set&previewBuild != 0, nil
		}
		i := slices.Index(RecorderNames, name)
		if i < 0 {
			return false, fmt.Errorf("unknown region %q", name)
		}
		return set&(1<<i) != 0, nil
	})
	if err != nil {
		return runtime{}, fmt.Errorf("static: snippet regions: %w", err)
	}
	res := api.Transform(string(src), api.TransformOptions{
		Sourcefile: "snippet.js",
		Loader:     api.LoaderJS,
		// ES2021 (?., ??, ||=): a browser that cannot parse it runs
		// nothing, which is the snippet's usual fail-open (the original
		// page, no events).
		Target:            api.ES2021,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Define:            map[string]string{"__TEST__": fmt.Sprint(s.test)},
		LogLevel:          api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		msgs := make([]string, len(res.Errors))
		for i, m := range res.Errors {
			msgs[i] = m.Text
			if m.Location != nil {
				msgs[i] = fmt.Sprintf("%d:%d: %s", m.Location.Line, m.Location.Column, m.Text)
			}
		}
		return runtime{}, fmt.Errorf("static: minify snippet: %s", strings.Join(msgs, "; "))
	}
	code := bytes.TrimSpace(res.Code)
	head, tail, ok := bytes.Cut(code, []byte(configPlaceholder))
	if !ok || bytes.Contains(tail, []byte(configPlaceholder)) {
		return runtime{}, errors.New("static: minify snippet: want exactly one " + configPlaceholder)
	}
	return runtime{head, append(tail, '\n')}, nil
}

// cutRegions returns src without the lines of the regions that keep
// refuses. A region starts with a line "// #if NAME…" (kept when any of
// the names is) and ends with the next "// #endif" at its depth; regions
// nest, and a line stays only when every region around it is kept. The
// marker lines always go. Cutting text, rather than letting esbuild drop
// dead code behind a define, gives a build exactly the bytes it would
// have without the cut code: esbuild picks short names by the letter
// frequencies of the whole source, dead code included.
func cutRegions(src []byte, keep func(name string) (bool, error)) ([]byte, error) {
	var out []byte
	var stack []bool // kept, per open region
	kept := func() bool { return !slices.Contains(stack, false) }
	for n, line := range bytes.SplitAfter(src, []byte("\n")) {
		t := string(bytes.TrimSpace(line))
		switch {
		case strings.HasPrefix(t, "// #if "):
			on := false
			for _, name := range strings.Fields(strings.TrimPrefix(t, "// #if ")) {
				k, err := keep(name)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", n+1, err)
				}
				on = on || k
			}
			stack = append(stack, on)
		case t == "// #endif":
			if len(stack) == 0 {
				return nil, fmt.Errorf("line %d: #endif without #if", n+1)
			}
			stack = stack[:len(stack)-1]
		case kept():
			out = append(out, line...)
		}
	}
	if len(stack) > 0 {
		return nil, errors.New("#if without #endif")
	}
	return out, nil
}

// Source returns the readable snippet source, for docs and debugging.
func (s *Snippet) Source() []byte {
	return bytes.Clone(s.source)
}

// Render returns the full script for a site: the minified runtime, called
// with cfg as a literal. It fails on a config the script cannot run
// correctly, reporting every problem; serve nothing rather than a
// half-valid config.
func (s *Snippet) Render(cfg SnippetConfig) ([]byte, error) {
	w, set, err := wire(cfg)
	if err != nil {
		return nil, err
	}
	j, err := scriptJSON(w)
	if err != nil {
		return nil, err
	}
	rt, err := s.runtime(set)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(rt.head)+len(j)+len(rt.tail))
	out = append(out, rt.head...)
	out = append(out, j...)
	return append(out, rt.tail...), nil
}

// scriptJSON encodes v as JSON that is safe inside a script, even an inline
// one: encoding/json escapes <, > and & (so no "</script>" or "<!--"), and
// the line separators U+2028 and U+2029, which are line terminators in
// JavaScript before ES2019. The explicit replace keeps the second true
// should the encoder ever change.
func scriptJSON(v any) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("static: encode snippet config: %w", err)
	}
	j = bytes.ReplaceAll(j, []byte("\u2028"), []byte(`\u2028`))
	return bytes.ReplaceAll(j, []byte("\u2029"), []byte(`\u2029`)), nil
}

// slots returns v without its trailing empty slots (nil, "", 0, false), so
// optional settings cost nothing when unset. The script reads a missing
// slot as undefined, which it treats like the zero value.
func slots(v ...any) []any {
	for len(v) > 0 {
		switch x := v[len(v)-1].(type) {
		case nil:
		case string:
			if x != "" {
				return v
			}
		case int:
			if x != 0 {
				return v
			}
		case bool:
			if x {
				return v
			}
		default:
			return v
		}
		v = v[:len(v)-1]
	}
	return v
}

// bit is 1 for true: one byte instead of four in the config.
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// wire checks cfg and converts it to the positional form; set names the
// build: a bit per recorder of cfg (by its index in RecorderNames),
// visibleBuild when an experiment is visible-only and guardBuild for
// cfg.Guard, or previewBuild alone.
func wire(cfg SnippetConfig) (config []any, set uint, err error) {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("static: snippet config: "+format, args...))
	}
	if cfg.Site == "" {
		bad("no site key")
	}
	timeout := cfg.TimeoutMS
	if timeout < 0 {
		bad("negative timeout %d", timeout)
	}
	if timeout == DefaultTimeoutMS {
		timeout = 0 // the script's default
	}
	exps := make([]any, 0, len(cfg.Experiments))
	for _, x := range cfg.Experiments {
		if x.ID == "" {
			bad("experiment with no id")
		}
		if !cssSafe(x.Selector) {
			bad("experiment %s: selector %q is empty, has a brace, or leaves a bracket, parenthesis or quote open", x.ID, x.Selector)
		}
		if x.CoverageBP < 0 || x.CoverageBP > 10000 {
			bad("experiment %s: coverage %d outside 0..10000", x.ID, x.CoverageBP)
		}
		var goal any = x.Goal.Value
		switch x.Goal.Type {
		case "click", "event":
			if x.Goal.Value == "" {
				bad("experiment %s: %s goal with no value", x.ID, x.Goal.Type)
			}
		case "pageview":
			goal = compilePattern(x.Goal.Value)
		default:
			bad("experiment %s: unknown goal type %q", x.ID, x.Goal.Type)
		}
		if len(x.Variants) < 2 {
			bad("experiment %s: %d variants, want a control and at least one more", x.ID, len(x.Variants))
		}
		// The seed defaults to the id; the script reads a 0 seed as the id,
		// which saves a second copy of the id in the common case.
		var seed any = x.Seed
		if x.Seed == "" || x.Seed == x.ID {
			seed = 0
		}
		vars := make([]any, len(x.Variants))
		sum := 0
		keys := map[string]bool{}
		for i, v := range x.Variants {
			if v.Key == "" || keys[v.Key] {
				bad("experiment %s: variant %d: empty or repeated key %q", x.ID, i, v.Key)
			}
			keys[v.Key] = true
			if v.WeightBP < 0 {
				bad("experiment %s: variant %s: negative weight", x.ID, v.Key)
			}
			sum += v.WeightBP
			if i == 0 {
				vars[i] = []any{v.Key, v.WeightBP} // the control keeps the page's copy
			} else {
				vars[i] = []any{v.Key, v.WeightBP, v.Text}
			}
		}
		if len(x.Variants) > 0 && sum != 10000 {
			bad("experiment %s: weights sum to %d, want 10000", x.ID, sum)
		}
		exps = append(exps, slots(x.ID, seed, x.Selector, x.CoverageBP, vars,
			x.Goal.Type, goal, compilePattern(x.Page), bit(x.VisibleOnly)))
		if x.VisibleOnly {
			set |= visibleBuild
		}
	}
	// A shipped variant is an experiment of one variant for everyone,
	// whose id is 0: the script sends no event for an experiment without
	// an id, and remembers no assignment for it.
	for _, x := range cfg.Shipped {
		if !cssSafe(x.Selector) {
			bad("shipped variant: selector %q is empty, has a brace, or leaves a bracket, parenthesis or quote open", x.Selector)
		}
		if x.Text == "" {
			bad("shipped variant on %q: no text", x.Selector)
		}
		exps = append(exps, slots(0, 0, x.Selector, 10000, []any{[]any{0, 10000, x.Text}}, "", "", compilePattern(x.Page)))
	}
	for _, r := range cfg.Recorders {
		i := slices.Index(RecorderNames, r)
		if i < 0 {
			bad("unknown recorder %q", r)
			continue
		}
		set |= 1 << i
	}
	if cfg.Guard {
		set |= guardBuild
	}
	label := ""
	var why any // nil: no slot
	if cfg.Preview {
		set = previewBuild
		label = cfg.PreviewLabel
		if w := cfg.PreviewWhy; w != (PreviewWhy{}) {
			var shows any // nil: no slot
			if w.Shows != ([5]string{}) {
				shows = w.Shows
			}
			why = slots(w.OffPage, w.Missing, w.Late, w.Holds, shows)
		}
	}
	return slots(cfg.Site, exps, cfg.Endpoint, timeout, bit(cfg.HonorGPC), label, why), set, errors.Join(errs...)
}

// cssSafe reports whether selector can be written into the script's hiding
// style rule ("SELECTOR{visibility:hidden!important}") without changing
// the stylesheet's structure: not empty, no "{", "}" or ";" outside quotes,
// and every bracket, parenthesis and quote closed. A brace would end the
// rule early (and style the whole page with what follows); an open bracket
// or quote would swallow the rules after it. The browser may still reject
// the selector itself; then only its own rule is dropped.
func cssSafe(selector string) bool {
	var open []rune // closers expected, innermost last
	quote := rune(0)
	escaped := false
	for _, r := range selector {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\n' {
				return false
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[':
			open = append(open, ']')
		case r == '(':
			open = append(open, ')')
		case r == ']' || r == ')':
			if len(open) == 0 || open[len(open)-1] != r {
				return false
			}
			open = open[:len(open)-1]
		case r == '{' || r == '}' || r == ';':
			return false
		}
	}
	return selector != "" && len(open) == 0 && quote == 0 && !escaped
}

// compilePattern turns a URL pattern (see SnippetExperiment) into the one
// regexp the script tests against "PATH\nSEARCH" (the page's path, less one
// trailing "/" unless it is the root, a newline, then location.search), or
// "" for every page (the script's RegExp("") matches any URL, so the
// config needs no special value). Parsing here keeps it out of the bytes
// every visitor downloads. The path glob becomes "^glob\n" ("." never matches the
// newline, so "*" stays inside the path); each k=v of the query becomes a
// lookahead for "[?&]k=v" ending at "&" or the end, and k=* for "[?&]k"
// followed by "=", "&" or the end. Keys and values are compared as they
// appear in URLs: a value written "a b" or "a%20b" also matches "a+b" and
// "a%20b". regexp.QuoteMeta escapes only characters that JavaScript's
// RegExp also reads escaped.
func compilePattern(p string) string {
	if p == "" || p == "*" {
		return ""
	}
	path, query, _ := strings.Cut(p, "?")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	// Each * between two literals takes the first place its literal fits,
	// held there by a lookahead and a backreference, so that the browser's
	// engine cannot backtrack through every split of the path: with plain
	// .* three stars on a long path that does not match froze the tab for
	// seconds. The first fit is enough for a glob (a later one only leaves
	// less room for the rest); only the last star is a plain .*.
	parts := strings.Split(path, "*")
	re := "^" + regexp.QuoteMeta(parts[0])
	for i := 1; i < len(parts)-1; i++ {
		re += "(?=(.*?" + regexp.QuoteMeta(parts[i]) + `))\` + strconv.Itoa(i)
	}
	if len(parts) > 1 {
		re += ".*" + regexp.QuoteMeta(parts[len(parts)-1])
	}
	re += `\n`
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		switch v {
		case "*":
			re += `(?=.*[?&]` + spellings(k) + `(?:[=&]|$))`
		case "":
			// A key with no value (?trial, ?a=) is there with an empty
			// value or none: browsers read ?trial and ?trial= alike.
			re += `(?=.*[?&]` + spellings(k) + `=?(?:&|$))`
		default:
			re += `(?=.*[?&]` + spellings(k) + "=" + spellings(v) + `(?:&|$))`
		}
	}
	return re
}

// spellings is a regexp for the ways s can appear in a query string: as
// written, decoded, and encoded with "+" or "%20" for spaces.
func spellings(s string) string {
	dec := s
	if u, err := url.QueryUnescape(s); err == nil {
		dec = u
	}
	enc := url.QueryEscape(dec)
	var alts []string
	for _, a := range []string{s, dec, enc, strings.ReplaceAll(enc, "+", "%20")} {
		if q := regexp.QuoteMeta(a); !slices.Contains(alts, q) {
			alts = append(alts, q)
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

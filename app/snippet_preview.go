package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"copylab/experiments"
	"copylab/static"
	"copylab/views"
)

// snippetPreview answers GET /s/{site_key}.js?p=EXPERIMENT:VARIANT (the
// pinned URL too): the script a live tag imports for a QA link
// (?copylab=EXPERIMENT:VARIANT on a page of the site; see snippet.js). It
// is the QA build with the site's running experiments and shipped
// variants, plus the link's experiment whatever its status, so that a
// draft can be checked on the real page before it starts, and a paused or
// stopped one looked at again. The QA build shows the link's variant,
// never stores or sends anything, and says so in a notice on the page
// (PreviewLabel's words, with a button that exits the preview).
//
// Who may see a draft's copy this way: whoever has its QA link. The link
// holds the site key and the experiment's id, a UUIDv7 with 74 random bits
// that no public page or script shows before the experiment runs.
//
// What the link names but cannot show (no such experiment on this site, a
// variant it does not have, a draft the tag cannot run yet) is said in the
// browser's console, where the person checking looks, and in the
// X-Copylab header; the page then shows the live experiments, as without
// the link. It is never cached: a draft changes while it is edited.
//
// A link that spells its experiment's id otherwise than the canonical
// UUID (capitals, braces, urn:uuid:), or its variant's key with capitals,
// is answered with a redirect to the link as the QA build compares it
// (canonicalQA): without it, the build would find the draft but not the
// link's variant, and show the visitor's own.
func (a *App) snippetPreview(c *fiber.Ctx, key, qa string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx := c.UserContext()
	site, err := a.store.SiteByKey(ctx, key)
	if errors.Is(err, experiments.ErrNotFound) {
		return a.snippetUnknown(c)
	}
	if err != nil {
		return err
	}
	if canon, ok := canonicalQA(qa); ok && canon != qa {
		// The QA build reads the link from its own URL and compares it
		// with the ids and keys it carries, exactly: send it to its URL
		// with the link spelled as they are. The path is relative, so a
		// prefix before /s/ stays, and import.meta.url is the URL
		// redirected to. (The pin, if any, is left out: the QA build is
		// never cached.)
		return c.Redirect(key+".js?"+url.Values{"p": {canon}}.Encode(), fiber.StatusFound)
	}
	running, err := a.store.RunningExperiments(ctx, site.ID)
	if err != nil {
		return err
	}
	shipped, err := a.store.ShippedExperiments(ctx, site.ID)
	if err != nil {
		return err
	}
	id, variant, _ := strings.Cut(cutURN(qa), ":")
	x, problem, err := a.previewed(ctx, site, id)
	if err != nil {
		return err
	}
	label := previewCantShow
	var why static.PreviewWhy
	if problem == "" {
		if v, ok := x.Variant(variant); ok {
			label = previewLabel(x, v)
			why = previewWhy(x, site)
		} else {
			problem = "experiment " + x.ID + " has no variant with the key after the colon; the page shows the visitor's own variant."
		}
		// The link's experiment decides its element's copy: a running
		// test of the same element would write its own copy over it (and a
		// shipped variant steps aside for it in renderSnippet).
		running = slices.DeleteFunc(running, func(r experiments.Experiment) bool { return r.Selector == x.Selector })
		running = append(running, x)
	}
	cfg := a.snippetConfig(site)
	cfg.Preview = true
	cfg.PreviewLabel = label
	cfg.PreviewWhy = why
	out := a.renderSnippet(cfg, running, shipped)
	if problem != "" {
		c.Set("X-Copylab", problem)
		out = append([]byte("console.warn("+quoteJS("copylab QA link: "+problem)+");\n"), out...)
	}
	return c.Send(out)
}

// previewCantShow is the QA build's notice when the link names nothing
// it can show: the preview is still on (nothing is stored or sent), and
// the console says why.
const previewCantShow = "copylab preview: this link cannot be shown (the browser console says why)"

// previewLabel is the QA build's notice for a link that shows variant v of
// x: "copylab preview: Pricing headline · Variant C". The notice is on
// every page of the tab while the preview lasts, so that a preview is
// never taken for the live test. The variant comes last, after " · ": the
// notice keeps that part whole and shortens the name before it when the
// line is too wide (static.SnippetConfig.PreviewLabel).
func previewLabel(x experiments.Experiment, v experiments.Variant) string {
	name := x.Name
	if strings.TrimSpace(name) == "" {
		name = x.ID
	}
	return "copylab preview: " + name + " · " + views.VariantLabel(v.Key, v.Key == experiments.ControlKey)
}

// previewWhy is what the QA build's notice adds when x shows nothing on
// the page at hand: the most common surprise of a preview is a page the
// pattern does not match (/pricing/* misses /pricing/ itself) or an
// element the selector does not find there, and the page then shows its
// original copy with nothing else to say why. It also warns, when the
// copy does show, of an element that held more than one piece of text:
// the tag replaces all of it, which the page's framework may not survive
// (see static.PreviewWhy's Holds); the QA build puts what the element held
// between the two parts. Before that, it warns of an element whose text
// the page does not show, an <input> found by [type=submit] or a class,
// which no check of the selector here can tell (Shows; the QA build names
// the element between the parts, and adds the fourth for an <input>).
// The page pattern is written as a person reads it (experiments.PageShown),
// as the address bar shows the page; the tag still compares the stored one.
func previewWhy(x experiments.Experiment, site experiments.Site) static.PreviewWhy {
	timeout := site.HideTimeoutMS
	if timeout <= 0 {
		timeout = static.DefaultTimeoutMS
	}
	return static.PreviewWhy{
		OffPage: "This page is not one the test runs on (it runs on " + experiments.PageShown(x.Page) + ").",
		Missing: "The element " + x.Selector + " is not on this page.",
		Late: "The element " + x.Selector + " appeared after the hide timeout (" + strconv.Itoa(timeout) +
			" ms), so it keeps its original copy, as it would for visitors.",
		Holds: [2]string{
			"The element " + x.Selector + " holds more than its text (",
			"): copylab replaces all of it, so a framework such as React that updates it later may break the page " +
				"for visitors in a variant. Give the copy an element of its own that holds one string and nothing else, " +
				"such as " + ownElement(x.Selector) + ".",
		},
		Shows: [5]string{
			"The element " + x.Selector + " is ",
			": copylab's tag writes text, which ",
			" does not show",
			" (a button input shows its value attribute)",
			". Test the text of a <button>, an <a> or a <label> instead.",
		},
	}
}

// dataCopylab matches a selector of an element by its data-copylab name
// alone, [data-copylab="hero"], quoted either way or not at all.
var dataCopylab = regexp.MustCompile(`^\[data-copylab=(?:"([^"\\]*)"|'([^'\\]*)'|([A-Za-z_][\w-]*))\]$`)

// ownElement is the example of an element of the copy's own that the
// preview's warning gives: for the data-copylab name the README suggests,
// a span that takes the name over, whose content is one JSX expression
// (React's {a}{b} are two texts, a template literal one); for any other
// selector, a span the test would then select.
func ownElement(selector string) string {
	m := dataCopylab.FindStringSubmatch(selector)
	if m == nil {
		return "a <span> around the copy alone, and test that element"
	}
	return `<span data-copylab="` + m[1] + m[2] + m[3] + `">{headline}</span>`
}

// canonicalQA is a QA link's EXPERIMENT:VARIANT as the QA build compares
// it: the experiment's id in the canonical form of a UUID (lower case,
// with dashes), whichever spelling uuid.Parse reads (capitals, braces,
// urn:uuid:), and the variant's key in lower case, as every key is. ok is
// false when the link names no experiment, or after the colon holds what
// no variant's key could be in any case (longer than a key, or not
// ASCII): there is nothing to respell, and the QA build says the variant
// is unknown. That also keeps the redirect short: lower-casing junk could
// make a URL longer than the one that came in, past what the server reads.
func canonicalQA(qa string) (string, bool) {
	id, variant, hasKey := strings.Cut(cutURN(qa), ":")
	u, err := uuid.Parse(id)
	if err != nil {
		return "", false
	}
	if !hasKey {
		return u.String(), true
	}
	if len(variant) > maxVariantKey {
		return "", false
	}
	for i := 0; i < len(variant); i++ {
		if variant[i] >= utf8.RuneSelf {
			return "", false
		}
	}
	return u.String() + ":" + strings.ToLower(variant), true
}

// cutURN takes a leading urn:uuid: (any case) off a QA link: that
// spelling of the id holds colons of its own, before EXPERIMENT:VARIANT's.
func cutURN(qa string) string {
	const urn = "urn:uuid:"
	if len(qa) >= len(urn) && strings.EqualFold(qa[:len(urn)], urn) {
		return qa[len(urn):]
	}
	return qa
}

// maxVariantKey is the longest a variant's key can be (experiments'
// validation allows 32 characters).
const maxVariantKey = 32

// previewed finds the experiment a QA link names and checks that the QA
// build can run it. problem says in a sentence why it cannot be shown.
func (a *App) previewed(ctx context.Context, site experiments.Site, id string) (x experiments.Experiment, problem string, err error) {
	u, perr := uuid.Parse(id)
	if perr != nil {
		return x, "it names no experiment (want ?copylab=EXPERIMENT_ID:VARIANT); showing the live experiments.", nil
	}
	id = u.String()
	x, err = a.store.Experiment(ctx, id)
	if errors.Is(err, experiments.ErrNotFound) || err == nil && x.SiteID != site.ID {
		return x, "this site has no experiment " + id + "; showing the live experiments.", nil
	}
	if err != nil {
		return x, "", err
	}
	if x.Status == experiments.StatusRunning {
		return x, "", nil
	}
	if len(x.Variants) < 2 {
		return x, "experiment " + id + " has only the original copy so far; add a variant, then open the link again.", nil
	}
	if !x.Complete() {
		// A draft saved to draft copy for before these were chosen
		// (Store.CreateDraft): the tag has no element to put copy on.
		return x, "experiment " + id + " has no " + unsetWords(x) + " yet; choose its page, element and goal on its edit page, then open the link again.", nil
	}
	// Anything else the tag cannot run (the store validates what it
	// saves, so this is a safety net): render it alone to find out.
	one := a.snippetConfig(site)
	one.Preview = true
	one.Experiments = []static.SnippetExperiment{snippetExperiment(x)}
	if _, rerr := a.snippet.Render(one); rerr != nil {
		why := strings.ReplaceAll(rerr.Error(), "static: snippet config: ", "")
		return x, "experiment " + id + " cannot be shown yet: " + strings.ReplaceAll(why, "\n", "; ") + ".", nil
	}
	return x, "", nil
}

// quoteJS is s as a JavaScript string literal. encoding/json escapes
// quotes, backslashes, control characters, <, >, & and U+2028/U+2029, so
// the literal is safe in any script.
func quoteJS(s string) string {
	j, _ := json.Marshal(s)
	return string(j)
}

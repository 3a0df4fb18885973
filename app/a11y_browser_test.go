package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/static/browsertest"
)

// TestA11yPages walks the admin pages in headless Chromium the way a
// keyboard and screen-reader user meets them: sign-in and setup, the
// experiments list and its search, sites and a site, the experiment form
// sent with errors, copy drafting while it runs, when it is done, while a
// draft is rewritten and when the model fails, an experiment, settings,
// recordings and its filter. Each page passes a11yPageJS, checks written
// here (no audit library): labels, one h1 and main, lang and title,
// headings in order, errors tied to their fields, table headers, contrast
// of text and field edges, underlined links in sentences. The live parts
// are checked for what a screen reader hears (the page's announcer) and
// where the focus goes after each htmx swap, and one form is walked with
// the Tab key, checking every stop shows its focus.
func TestA11yPages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	llm := newFakeLLM(t)
	base, store := serveGenerating(t, llm.generator(10*time.Second))
	ctx := context.Background()
	exceptions := browsertest.Exceptions(t, tab)

	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
		}
	}
	submit := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("submit %s: %v", sel, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	// check runs the page checks; app is false for the demo page, which
	// plays a customer's site and has none of the app's frame.
	check := func(name string, app bool) {
		t.Helper()
		problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string]("("+a11yPageJS+")("+strconv.FormatBool(app)+")"))
		if err != nil {
			t.Fatalf("%s: checks: %v", name, err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
	}
	// focusOn waits for the focus to be on the element at sel (htmx
	// settles a swap after it, and app.js moves the focus then; a busy
	// machine may take a while), and says where it is if it is not.
	focusOn := func(sel string) (bool, string) {
		_, err := chromedp.Run(tab, chromedp.Poll[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel),
			chromedp.WithPollingTimeout(10*time.Second)))
		return err == nil, eval(`document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : ""`)
	}
	announced := func() string {
		return eval(`(function () { var a = document.getElementById("announcer"); return a ? a.textContent : ""; })()`)
	}
	// waitAnnounced waits for the announcer to say want.
	waitAnnounced := func(what, want string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](fmt.Sprintf(`(document.getElementById("announcer") || {}).textContent === %q`, want),
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Errorf("%s: the announcer says %q, want %q", what, announced(), want)
		}
	}

	// Signed out: sign-in, setup, setup sent with errors.
	do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("h1")))
	check("sign-in", true)
	do(chromedp.Navigate(base+"/setup?token="+testSetupToken), chromedp.WaitVisible(chromedp.CSS("#f-email")))
	check("setup", true)
	do(chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@example.com"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "short"), chromedp.SendKeys(chromedp.CSS("#f-password2"), "other"))
	submit("form .btn-primary")
	check("setup with errors", true)
	if ok, where := focusOn(`#f-password[aria-invalid="true"]`); !ok {
		t.Errorf("setup with errors: the focus is on %s, want the first field with an error", where)
	}
	do(chromedp.Navigate(base+"/setup?token="+testSetupToken), chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@example.com"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword), chromedp.SendKeys(chromedp.CSS("#f-password2"), testPassword))
	submit("form .btn-primary")

	// The lists.
	check("experiments", true)
	do(chromedp.Navigate(base+"/experiments?q=demo"), chromedp.WaitVisible(chromedp.CSS("td a")))
	check("experiments search", true)
	do(chromedp.Navigate(base+"/experiments?q=nothing-like-this"), chromedp.WaitVisible(chromedp.CSS(".empty")))
	check("experiments search without a match", true)
	do(chromedp.Navigate(base+"/sites"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Shop"), chromedp.SendKeys(chromedp.CSS("#f-domain"), "not a domain!"))
	submit("form.form-grid .btn-primary")
	check("sites with errors", true)

	// A site, its recorder form sent with an error.
	sites, err := store.Sites(ctx)
	if err != nil || len(sites) != 1 {
		t.Fatalf("sites %v %v", sites, err)
	}
	demoSite := sites[0]
	do(chromedp.Navigate(base+"/sites/"+demoSite.ID), chromedp.WaitVisible(chromedp.CSS("#f-posthog-host")))
	check("site", true)
	do(chromedp.SendKeys(chromedp.CSS("#f-posthog-host"), "not an address"))
	submit("#recorders .btn-primary")
	check("site with a recorder error", true)

	// The experiment form, sent with errors: every message beside its
	// field, the focus on the first. Then walked with the Tab key.
	do(chromedp.Navigate(base+"/experiments/new"), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	check("new experiment", true)
	tabWalk(t, tab, "new experiment", true)
	do(chromedp.SetValue(chromedp.CSS("#f-page"), "pricing"),
		chromedp.SendKeys(chromedp.CSS("#f-variants-1-text"), "<b>Bold</b> claim"),
		chromedp.SendKeys(chromedp.CSS("#f-variants-0-weight"), "70"),
		chromedp.SendKeys(chromedp.CSS("#f-variants-1-weight"), "70"))
	submit(`.form-actions button[value="save"]`)
	check("new experiment with errors", true)
	if ok, where := focusOn("#f-name"); !ok {
		t.Errorf("experiment form with errors: the focus is on %s, want the first field with an error", where)
	}
	for _, id := range []string{"f-goal-selector", "f-variants-0-weight", "f-variants-1-weight"} {
		if got := eval(fmt.Sprintf(`String(document.getElementById(%q).getAttribute("aria-invalid"))`, id)); got != "true" {
			t.Errorf("experiment form: %s is not marked invalid", id)
		}
	}
	tabWalk(t, tab, "new experiment with errors", false)

	// Drafting copy: errors in the brief, then a run, then the drafts.
	do(chromedp.Navigate(base+"/experiments/new"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Homepage hero"), chromedp.SendKeys(chromedp.CSS("#f-page"), "/"),
		chromedp.SendKeys(chromedp.CSS("#f-selector"), "#hero"),
		chromedp.SendKeys(chromedp.CSS("#f-variants-0-text"), "Project management for busy teams"),
		chromedp.SendKeys(chromedp.CSS("#f-goal-selector"), "#signup"))
	submit(".ai-panel button")
	genURL := eval(`location.pathname`)
	check("brief", true)
	do(chromedp.Evaluate[chromedp.Void](`document.getElementById("f-current-copy").value = ""`),
		chromedp.Click(chromedp.CSS(briefSubmit)), chromedp.WaitVisible(chromedp.CSS("#brief-form .flash-error")))
	check("brief with errors", true)
	if ok, where := focusOn("#f-current-copy"); !ok {
		t.Errorf("brief sent with errors: the focus is on %s, want the field with the error", where)
	}

	do(chromedp.Navigate(base+genURL), chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SendKeys(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"), chromedp.SetValue(chromedp.CSS("#f-n"), "3"))
	release := llm.hold()
	do(chromedp.Focus(chromedp.CSS(briefSubmit)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"] .spinner`)))
	check("drafting, running", true)
	waitAnnounced("drafting, running", "Writing 3 drafts with test-model…")
	if ok, where := focusOn(briefSubmit); !ok {
		t.Errorf("drafting, running: the focus is on %s, want the brief's button, where it was", where)
	}
	// A poll that brings nothing new swaps nothing: the region stays the
	// same element, so a reader's place in it stays.
	do(chromedp.Evaluate[chromedp.Void](`document.getElementById("generation").a11yMark = 1`), chromedp.Sleep(2500*time.Millisecond))
	if eval(`String(document.getElementById("generation").a11yMark)`) != "1" {
		t.Error("drafting, running: a poll with the same progress replaced the region")
	}
	release()
	do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)))
	check("drafting, done", true)
	waitAnnounced("drafting, done", "3 drafts are ready below.")
	if ok, where := focusOn(briefSubmit); !ok {
		t.Errorf("drafting, done: the focus is on %s, want the brief's button", where)
	}

	// Rewrite draft 2: its button goes away, so the focus goes to its text
	// and stays there through the polls, and the outcome is announced.
	release = llm.hold()
	do(chromedp.Evaluate[chromedp.Void](`document.getElementById("draft-1").scrollIntoView({block: "center"})`),
		chromedp.Focus(chromedp.CSS(`#draft-1 [data-instruction="shorter"]`)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#draft-1.draft-busy`)))
	check("drafting, rewriting", true)
	waitAnnounced("drafting, rewriting", "Rewriting draft 2…")
	if ok, where := focusOn("#f-drafts-1-text"); !ok {
		t.Errorf("rewriting: the focus is on %s, want the draft's text", where)
	}
	do(chromedp.Evaluate[chromedp.Void](`document.getElementById("f-drafts-1-text").a11yMark = 1`), chromedp.Sleep(2500*time.Millisecond))
	if eval(`String(document.getElementById("f-drafts-1-text").a11yMark)`) != "1" {
		t.Error("rewriting: a poll with nothing new replaced the draft under the focus")
	}
	release()
	do(chromedp.WaitVisible(chromedp.CSS(`#draft-1 .regen-message`)))
	waitAnnounced("drafting, rewritten", "Draft 2: Rewritten shorter.")
	if ok, where := focusOn("#f-drafts-1-text"); !ok {
		t.Errorf("rewritten: the focus is on %s, want the draft's text", where)
	}

	// The model fails: said, and the focus stays on the button. Draft 2
	// was rewritten, so the new brief first asks before it replaces the
	// drafts, in the page's dialog.
	llm.setReply(failWith(http.StatusUnauthorized, nil, "Incorrect API key provided"))
	do(chromedp.Navigate(base+genURL), chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SendKeys(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.Focus(chromedp.CSS(briefSubmit)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog .confirm-ok`)))
	check("drafting, replace question", true)
	do(chromedp.Click(chromedp.CSS(`#confirm-dialog .confirm-ok`)),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="failed"]`)))
	check("drafting, failed", true)
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`(document.getElementById("announcer") || {}).textContent.indexOf("The drafts could not be written. ") === 0`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("drafting, failed: the announcer says %q", announced())
	}
	if ok, where := focusOn(briefSubmit); !ok {
		t.Errorf("drafting, failed: the focus is on %s, want the brief's button", where)
	}
	llm.setReply(nil)

	// An experiment, its edit form; settings and the connection test.
	x := strings.TrimSuffix(genURL, "/generate")
	do(chromedp.Navigate(base+x), chromedp.WaitVisible(chromedp.CSS("#draft-results")))
	check("draft experiment", true)
	do(chromedp.Navigate(base+x+"/edit"), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	check("edit experiment", true)
	// Another browser signed in as the owner: settings lists it with its Sign out button.
	owner, _, err := store.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateSession(ctx, "a11y-other", owner.ID, "csrf", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	do(chromedp.Navigate(base+"/settings"), chromedp.WaitVisible(chromedp.CSS("#sessions form")))
	check("settings", true)
	do(chromedp.Focus(chromedp.CSS(`#llm button[type="submit"]`)), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(".llm-test-outcome")),
		chromedp.Sleep(100*time.Millisecond))
	if ok, where := focusOn(`#llm button[type="submit"]`); !ok {
		t.Errorf("connection test: the focus is on %s, want the button", where)
	}
	do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("form").forEach(function (f) { f.noValidate = true })`))
	submit(`form[action="/settings/password"] .btn-primary`)
	check("settings with errors", true)

	// Recordings of the running demo, and a filter that swaps the list.
	running, err := store.RunningExperiments(ctx, demoSite.ID)
	if err != nil || len(running) == 0 {
		t.Fatalf("running %v %v", running, err)
	}
	demo := running[0]
	do(chromedp.Navigate(base+"/sites/"+demoSite.ID), chromedp.WaitVisible(chromedp.CSS("#f-posthog-host")),
		chromedp.SendKeys(chromedp.CSS("#f-posthog-host"), "https://us.posthog.com"),
		chromedp.SendKeys(chromedp.CSS("#f-posthog-project-id"), "12345"))
	submit("#recorders .btn-primary")
	for i, v := range []string{"control", "b", "c", "b"} {
		body := evBodyOf(demoSite.Key, fmt.Sprintf("visitor-%d", i), exposureEv(demo.ID, v), recEvent(demo.ID, v, "posthog", fmt.Sprintf("ph-%d", i), ""))
		resp, err := uaClient.Post(base+"/e", "text/plain", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("events: %d", resp.StatusCode)
		}
	}
	do(chromedp.Navigate(base+"/experiments/"+demo.ID+"/recordings"), chromedp.WaitVisible(chromedp.CSS(".rec-table")))
	check("recordings", true)
	do(chromedp.Focus(chromedp.CSS("#rec-variant")), chromedp.SetValue(chromedp.CSS("#rec-variant"), "b"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("rec-variant").dispatchEvent(new Event("change", {bubbles: true}))`))
	waitAnnounced("recordings filtered", "Showing 2 sessions.")
	if ok, where := focusOn("#rec-variant"); !ok {
		t.Errorf("recordings filtered: the focus is on %s, want the filter", where)
	}
	check("recordings filtered", true)

	do(chromedp.Navigate(base+"/r/"+demo.ShareToken), chromedp.WaitVisible(chromedp.CSS("h1")))
	check("share page", true)

	do(chromedp.Navigate(base+"/no/such/page"), chromedp.WaitVisible(chromedp.CSS("h1")))
	check("not found", true)
	do(chromedp.Navigate(base+"/demo"), chromedp.WaitVisible(chromedp.CSS("h1")))
	check("demo", false)

	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}

// briefSubmit is the button that sends the brief.
const briefSubmit = `#brief-form button[type="submit"]`

// tabWalk presses Tab until the focus leaves the page, from where it is:
// on a fresh page (top) the first stop is the skip link, shown. Every stop
// shows where the focus is with an opaque outline or ring of 3:1 or more
// against what is around it.
func tabWalk(t *testing.T, tab context.Context, name string, top bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](a11yFocusJS))
		if err != nil {
			t.Fatal(err)
		}
		if got == "" { // past the last stop
			if i < 5 {
				t.Errorf("%s: only %d Tab stops", name, i)
			}
			return
		}
		if top && i == 0 && !strings.HasPrefix(got, "ok a.skip") {
			t.Errorf("%s: the first Tab stop is %q, want the skip link, shown", name, got)
		}
		if !strings.HasPrefix(got, "ok ") {
			t.Errorf("%s: Tab stop %d: %s", name, i+1, got)
		}
	}
	t.Errorf("%s: the Tab key never leaves the page", name)
}

// a11yColorJS parses colours and measures contrast as WCAG does; the
// other scripts start with it.
const a11yColorJS = `
	function parse(c) {
		var m = /rgba?\(([^)]+)\)/.exec(c || "");
		if (!m) return null;
		var p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
		return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
	}
	function lum(c) {
		function f(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
		return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
	}
	function ratio(a, b) {
		var x = lum(a), y = lum(b);
		return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
	}
	function blend(fg, bg) {
		return [0, 1, 2].map(function (i) { return fg[i] * fg[3] + bg[i] * (1 - fg[3]); }).concat([1]);
	}
	// bgOf is the colour behind an element: its own background and its
	// ancestors', blended down to the first opaque one.
	function bgOf(el) {
		var layers = [];
		for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
			var c = parse(getComputedStyle(e).backgroundColor);
			if (c && c[3] > 0) { layers.push(c); if (c[3] === 1) break; }
		}
		var bg = [255, 255, 255, 1];
		for (var i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
		return bg;
	}
	function describe(el) {
		if (!el) return "";
		var s = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
		if (el.classList.length) s += "." + Array.prototype.join.call(el.classList, ".");
		return s;
	}
`

// a11yFocusJS says how the focused element shows its focus: "ok …", or
// what is wrong.
const a11yFocusJS = `(function () {` + a11yColorJS + `
	var el = document.activeElement;
	if (!el || el === document.body) return "";
	// Read the focus style as it ends, not halfway through a transition.
	document.getAnimations().forEach(function (a) { try { a.finish(); } catch (e) {} });
	var cs = getComputedStyle(el), around = bgOf(el.parentElement || el);
	var r = el.getBoundingClientRect();
	if (r.width === 0 || r.height === 0 || r.right < 0 || r.bottom < 0) return describe(el) + " is focused but not shown";
	var c = parse(cs.outlineColor);
	if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2 && c && c[3] === 1 && ratio(c, around) >= 3) return "ok " + describe(el);
	var rings = (cs.boxShadow || "").match(/rgba?\([^)]+\)/g) || [];
	for (var i = 0; i < rings.length; i++) {
		var k = parse(rings[i]);
		if (k[3] === 1 && ratio(k, around) >= 3) return "ok " + describe(el);
	}
	return describe(el) + " shows no clear focus (outline " + cs.outlineStyle + " " + cs.outlineWidth + " " + cs.outlineColor + "; shadow " + cs.boxShadow + ")";
})()`

// a11yPageJS checks the page in front of it and returns its problems. Its
// argument is true for the app's own pages, whose frame (skip link,
// announcer, title) is checked too.
const a11yPageJS = `function (app) {` + a11yColorJS + `
	var problems = [];
	function say(el, what) { problems.push((el ? describe(el) + ": " : "") + what); }
	function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
	function visible(el) { return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length) && getComputedStyle(el).visibility !== "hidden"; }
	function text(el) { return el ? (el.textContent || "").replace(/\s+/g, " ").trim() : ""; }
	function byIds(ids) { return (ids || "").split(/\s+/).filter(Boolean).map(function (id) { return document.getElementById(id); }); }
	function nameOf(el) {
		if (el.getAttribute("aria-label")) return el.getAttribute("aria-label").trim();
		if (el.getAttribute("aria-labelledby")) return byIds(el.getAttribute("aria-labelledby")).map(text).join(" ").trim();
		if (el.labels && el.labels.length) return Array.prototype.map.call(el.labels, text).join(" ").trim();
		if (/^(BUTTON|A|SUMMARY)$/.test(el.tagName)) {
			var img = el.querySelector("img[alt]");
			return text(el) || (img ? img.alt : "");
		}
		return "";
	}

	// The page: its language, one main, one h1, headings in order, and
	// for the app a title that says where you are and a skip link.
	if (!document.documentElement.lang) say(null, "no lang on <html>");
	if (all("main").length !== 1) say(null, all("main").length + " <main> elements");
	if (all("h1").length !== 1) say(null, all("h1").length + " <h1> elements");
	var last = 0;
	all("h1, h2, h3, h4, h5, h6").forEach(function (h) {
		if (!visible(h)) return;
		var level = +h.tagName[1];
		if (last && level > last + 1) say(h, "the headings jump from h" + last + " to h" + level + ": " + text(h));
		last = level;
	});
	// A modal dialog stands on its own above the inert page, as a
	// landmark would (axe's region rule takes dialogs as regions too).
	all("body > *").forEach(function (el) {
		if (!visible(el) || el.matches("main, header, footer, nav, aside, .skip, .sr-only, script, dialog[open]")) return;
		say(el, "content outside the landmarks");
	});
	if (app) {
		if (!/\S · copylab$/.test(document.title)) say(null, "the title does not say where you are: " + document.title);
		if (document.querySelector("nav")) {
			var first = document.querySelector("a[href], button, input:not([type=hidden]), select, textarea");
			var to = first && (first.getAttribute("href") || "").charAt(0) === "#" ? document.getElementById(first.getAttribute("href").slice(1)) : null;
			if (!to || to.tagName !== "MAIN") say(first, "the first stop is not a skip link to <main>");
		}
		var live = document.getElementById("announcer");
		if (!live || live.getAttribute("aria-live") !== "polite" || live.closest("[hx-get], [hx-post], [hx-target], main")) {
			say(null, "no polite announcer outside the swapped content");
		}
	}

	// Ids are unique and every reference to one finds it.
	var seen = {};
	all("[id]").forEach(function (el) {
		if (seen[el.id]) say(el, "the id is used twice");
		seen[el.id] = true;
	});
	all("[aria-describedby], [aria-labelledby]").forEach(function (el) {
		["aria-describedby", "aria-labelledby"].forEach(function (a) {
			byIds(el.getAttribute(a)).forEach(function (ref) {
				if (!ref) say(el, a + " names a missing element: " + el.getAttribute(a));
			});
		});
	});

	// Every control has a name, and two fields of one form (and one
	// fieldset) never share it.
	all("input, select, textarea, button, a[href], summary").forEach(function (el) {
		if (el.type === "hidden" || el.closest("[aria-hidden=true]")) return;
		if (!nameOf(el)) say(el, "has no name");
	});
	var names = {};
	all("main input:not([type=hidden]):not([type=radio]):not([type=checkbox]), main select, main textarea").forEach(function (el) {
		var fs = el.closest("fieldset");
		var k = (el.form ? el.form.getAttribute("action") : "") + "|" + (fs ? text(fs.querySelector("legend")) : "") + "|" + nameOf(el);
		if (names[k]) say(el, "has the same label as another field of its form: " + nameOf(el));
		names[k] = true;
	});

	// Errors: an invalid field is described by its message; every message
	// shown belongs to a field, and the fields it describes are invalid.
	all("[aria-invalid=true]").forEach(function (el) {
		if (!byIds(el.getAttribute("aria-describedby")).some(function (r) { return r && r.classList.contains("field-error") && text(r); })) {
			say(el, "is invalid but no error message describes it");
		}
	});
	all(".field-error").forEach(function (msg) {
		var by = msg.id ? all('[aria-describedby~="' + msg.id + '"]') : [];
		if (by.length === 0) say(msg, "an error tied to no field: " + text(msg));
		by.forEach(function (el) {
			if (el.matches("input, select, textarea") && !el.disabled && el.getAttribute("aria-invalid") !== "true") say(el, "described by an error but not invalid");
		});
	});

	// Tables have header cells and a caption.
	all("table").forEach(function (tb) {
		if (!tb.querySelector("th")) say(tb, "a table without header cells");
		if (!tb.querySelector("caption") && !tb.getAttribute("aria-label") && !tb.getAttribute("aria-labelledby")) say(tb, "a table without a caption");
	});

	// Images: a text alternative, or hidden.
	all("img").forEach(function (img) { if (!img.hasAttribute("alt")) say(img, "an image without alt"); });
	all("svg").forEach(function (svg) {
		if (svg.closest("[aria-hidden=true]")) return;
		if (svg.getAttribute("role") !== "img" || !(svg.getAttribute("aria-label") || svg.getAttribute("aria-labelledby"))) say(svg, "an svg neither named nor hidden");
	});

	// Work under way is marked busy.
	all("[data-state=running], .draft-busy").forEach(function (el) {
		if (el.getAttribute("aria-busy") !== "true") say(el, "running but not aria-busy");
	});

	// Links inside sentences are underlined, not told by colour alone.
	all("main p a[href], main li a[href], main dd a[href], .crumbs a[href]").forEach(function (a) {
		if (a.classList.contains("btn") || !visible(a)) return;
		if (getComputedStyle(a).textDecorationLine.indexOf("underline") < 0) say(a, "a link in a sentence is not underlined: " + text(a));
	});

	// Contrast: text 4.5:1 (3:1 when large), a field's edge 3:1.
	all("body *").forEach(function (el) {
		if (!visible(el) || el.closest(".sr-only, [aria-hidden=true], option, select, :disabled, [hidden]")) return;
		var own = Array.prototype.some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
		if (!own) return;
		var cs = getComputedStyle(el), fg = parse(cs.color);
		var op = 1;
		for (var e = el; e && e.nodeType === 1; e = e.parentElement) op *= +getComputedStyle(e).opacity;
		fg[3] *= op;
		var bg = bgOf(el), size = parseFloat(cs.fontSize), bold = +cs.fontWeight >= 700;
		var need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
		var got = ratio(blend(fg, bg), bg);
		if (got < need - 0.005) say(el, "text contrast " + got.toFixed(2) + ":1, needs " + need + ":1: " + text(el).slice(0, 40));
	});
	all(".input").forEach(function (el) {
		if (!visible(el) || el.disabled || el === document.activeElement) return;
		var got = ratio(parse(getComputedStyle(el).borderTopColor), bgOf(el.parentElement));
		if (got < 3) say(el, "the field's edge has " + got.toFixed(2) + ":1 contrast, needs 3:1");
	});
	return problems;
}`

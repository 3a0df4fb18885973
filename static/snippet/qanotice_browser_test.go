package snippet_test

import (
	"context"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/static"
	"copylab/static/browsertest"
)

// noticeJS finds the QA build's notice: its host element, whose open
// shadow root holds the words and the buttons.
const noticeJS = `document.querySelector("copylab-preview")`

// noticeState is what a person (and a screen reader) gets of the notice.
type noticeState struct {
	Text      string    `json:"text"`      // the words
	Role      string    `json:"role"`      // of the box
	Label     string    `json:"label"`     // its aria-label
	Buttons   []string  `json:"buttons"`   // each button's text
	HideLabel string    `json:"hideLabel"` // the hide button's aria-label
	Position  string    `json:"position"`  // the host's computed position
	Display   string    `json:"display"`   // the box's computed display
	FontSize  string    `json:"fontSize"`  // the words' computed font size
	Rect      []float64 `json:"rect"`      // the host: left, top, right, bottom
	Viewport  []float64 `json:"viewport"`  // innerWidth, innerHeight
	HitSelf   bool      `json:"hitSelf"`   // a click on its middle reaches it
	HitPage   bool      `json:"hitPage"`   // a click at the top left reaches the page
}

func notice(t *testing.T, ctx context.Context) noticeState {
	t.Helper()
	return eval[noticeState](t, ctx, `(h => {
		const r = h.shadowRoot, box = r.querySelector("div"), b = h.getBoundingClientRect();
		const bs = [...r.querySelectorAll("button")];
		return {
			text: r.querySelector("span").textContent, role: box.getAttribute("role"),
			label: box.getAttribute("aria-label"), buttons: bs.map(b => b.textContent),
			hideLabel: bs[1]?.getAttribute("aria-label") ?? "",
			position: getComputedStyle(h).position, display: getComputedStyle(box).display,
			fontSize: getComputedStyle(r.querySelector("span")).fontSize,
			rect: [b.left, b.top, b.right, b.bottom], viewport: [innerWidth, innerHeight],
			hitSelf: document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2) == h,
			hitPage: document.elementFromPoint(5, 5) != h,
		};
	})(`+noticeJS+`)`)
}

// clickNotice clicks the notice's button i (0 Exit, 1 hide) with the
// mouse, at its middle.
func clickNotice(t *testing.T, ctx context.Context, i int) {
	t.Helper()
	xy := eval[[]float64](t, ctx, `(r => [(r.left + r.right) / 2, (r.top + r.bottom) / 2])(`+
		noticeJS+`.shadowRoot.querySelectorAll("button")[`+strconv.Itoa(i)+`].getBoundingClientRect())`)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
}

// TestQANotice: while a QA link's preview is on, every page of the tab
// shows a notice with the server's words (PreviewLabel), fixed at the
// bottom right over the page, whatever the page's CSS does to divs, spans
// and buttons, and under a CSP that allows no inline style; only the
// notice takes clicks. Its hide button hides it for the page view and the
// preview goes on; its Exit, reached with the keyboard, ends the preview
// as ?copylab= does, keeping the page's other parameters: the page then
// shows the visitor's own copy, and neither it nor the tab's next page
// has a notice.
func TestQANotice(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	const label = "copylab preview: Pricing headline · Variant C"
	s := newSite(t, prod, static.SnippetConfig{Site: "test", PreviewLabel: label, Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 10000, 0, 0)}})
	s.mux.HandleFunc("GET /hostile.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		io.WriteString(w, `copylab-preview, div, span, button { display: none !important; visibility: hidden !important; }
copylab-preview { position: static !important; opacity: 0 !important; }
* { pointer-events: none !important; }
body { font: 40px serif; color: red; }`)
	})
	s.page("/pricing", tag+`<link rel="stylesheet" href="/hostile.css">`,
		`<h1 data-copylab="hero">`+original+`</h1><p><a href="/elsewhere">A link of the page</a></p>`,
		"Content-Security-Policy", "default-src 'self'; style-src 'self'")

	navigate(t, ctx, s.URL+"/pricing?x=1&copylab="+expID+":c")
	waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textC))
	waitJS(t, ctx, noticeJS)
	n := notice(t, ctx)
	if n.Text != label || n.Role != "region" || n.Label != "copylab preview" {
		t.Errorf("notice %q, role %q, label %q; want %q, region, copylab preview", n.Text, n.Role, n.Label, label)
	}
	if !slices.Equal(n.Buttons, []string{"Exit preview", "×"}) || n.HideLabel != "Hide this notice" {
		t.Errorf("notice buttons %q (hide labelled %q), want Exit preview and × labelled Hide this notice", n.Buttons, n.HideLabel)
	}
	if n.Position != "fixed" || n.Display != "flex" || n.FontSize != "13px" {
		t.Errorf("the page's CSS reached the notice: position %s, display %s, font size %s", n.Position, n.Display, n.FontSize)
	}
	if w, h := n.Viewport[0], n.Viewport[1]; math.Abs(n.Rect[2]-(w-12)) > 1 || math.Abs(n.Rect[3]-(h-12)) > 1 || n.Rect[0] < w/2 || n.Rect[1] < h-60 {
		t.Errorf("notice at %v in a %v viewport, want a small box 12px from the bottom right", n.Rect, n.Viewport)
	}
	if !n.HitSelf || !n.HitPage {
		t.Errorf("clicks: on the notice reach it %v, at the top left reach the page %v; want both", n.HitSelf, n.HitPage)
	}

	// Hide: the notice goes for this page view; the preview stays.
	clickNotice(t, ctx, 1)
	waitJS(t, ctx, `!`+noticeJS)
	if text, vis := heroState(t, ctx); text != textC || vis != "visible" {
		t.Errorf("after hiding the notice hero %q %s, want %q", text, vis, textC)
	}

	// The tab's next page is still a preview, and says so again.
	navigate(t, ctx, s.URL+"/pricing?y=a%20b&z")
	waitJS(t, ctx, noticeJS)
	if text, _ := heroState(t, ctx); text != textC {
		t.Errorf("next page hero %q, want %q", text, textC)
	}

	// Exit with the keyboard: Tab reaches it (the page's own link first),
	// Enter presses it.
	exit := `document.activeElement == ` + noticeJS + ` && ` + noticeJS + `.shadowRoot.activeElement?.textContent == "Exit preview"`
	for i := 0; i < 5 && !eval[bool](t, ctx, exit); i++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
	}
	if !eval[bool](t, ctx, exit) {
		t.Fatalf("Tab never reached Exit preview")
	}
	pressed, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(pressed, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatalf("Enter on Exit preview opened no page: %v", err)
	}
	if got := eval[string](t, ctx, `location.search`); got != "?y=a%20b&z&copylab=" {
		t.Errorf("Exit opened %q, want the page's own parameters and copylab=", got)
	}
	waitJS(t, ctx, `document.readyState == "complete" && window.copylab?.variant`)
	if got := eval[string](t, ctx, `copylab.variant("`+expID+`")`); got != "control" {
		t.Errorf("after Exit variant %q, want the visitor's own, control", got)
	}
	if text, vis := heroState(t, ctx); text != original || vis != "visible" {
		t.Errorf("after Exit hero %q %s, want the original", text, vis)
	}
	time.Sleep(300 * time.Millisecond) // time enough for a QA build to come and show its notice
	if eval[bool](t, ctx, `!!`+noticeJS) {
		t.Errorf("after Exit the page still shows the notice")
	}
	navigate(t, ctx, s.URL+"/pricing")
	waitJS(t, ctx, `window.copylab?.variant`)
	time.Sleep(300 * time.Millisecond)
	if eval[bool](t, ctx, `!!`+noticeJS) {
		t.Errorf("the page after Exit shows the notice")
	}
	if text, _ := heroState(t, ctx); text != original {
		t.Errorf("the page after Exit hero %q, want the original", text)
	}
	noExceptions(t, exceptions)

	// Only the two preview pages loaded the QA build.
	s.mu.Lock()
	defer s.mu.Unlock()
	if qa := expID + ":c"; !slices.Equal(s.qa, []string{"", qa, "", qa, "", ""}) {
		t.Errorf("tag requests' p %q, want the QA string on the two preview pages", s.qa)
	}
}

// TestQANoticeLive: the live tag shows no notice, also for a site whose
// QA build has words for one.
func TestQANoticeLive(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", PreviewLabel: "copylab preview: Pricing headline · Variant C",
		Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 0, 0, 10000)}})
	s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)
	navigate(t, ctx, s.URL+"/pricing")
	waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textC))
	s.waitEvents(1) // the tag has run through: the exposure went out
	if eval[bool](t, ctx, `!!`+noticeJS+` || [...document.querySelectorAll("*")].some(el => el.shadowRoot)`) {
		t.Errorf("the live tag shows a notice")
	}
}

// TestQANoticeSurvivesBody: a page that replaces its body, or empties it,
// gets the notice back (a single-page app's first render often does); one
// the person hid stays hidden; and a page that removes whatever it did not
// make wins after a few rounds instead of fighting it forever.
func TestQANoticeSurvivesBody(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", PreviewLabel: "copylab preview: Pricing headline · Variant C",
		Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 10000, 0, 0)}})
	s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)

	navigate(t, ctx, s.URL+"/pricing?copylab="+expID+":c")
	waitJS(t, ctx, noticeJS)
	eval[bool](t, ctx, `document.body.replaceWith(Object.assign(document.createElement("body"), {innerHTML: '<h1 data-copylab="hero">`+original+`</h1>'})), true`)
	waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textC))
	waitJS(t, ctx, noticeJS+`?.parentNode == document.body`)
	eval[bool](t, ctx, `document.body.textContent = "", true`)
	waitJS(t, ctx, noticeJS+`?.isConnected`)

	// Hidden by the person: the next body does not bring it back.
	clickNotice(t, ctx, 1)
	waitJS(t, ctx, `!`+noticeJS)
	eval[bool](t, ctx, `document.body.replaceWith(document.createElement("body")), true`)
	time.Sleep(200 * time.Millisecond)
	if eval[bool](t, ctx, `!!`+noticeJS) {
		t.Errorf("the notice came back after the person hid it")
	}

	// A page that removes every element it did not make.
	navigate(t, ctx, s.URL+"/pricing?copylab="+expID+":c")
	waitJS(t, ctx, noticeJS)
	rounds := eval[float64](t, ctx, `new Promise(done => {
		let n = 0;
		new MutationObserver(() => { const h = document.querySelector("copylab-preview"); if (h) { n++; h.remove(); } }).observe(document, {subtree: true, childList: true});
		document.querySelector("copylab-preview").remove(); n++;
		setTimeout(() => done(n), 300);
	})`)
	if rounds < 2 || rounds > 12 {
		t.Errorf("the page removed the notice %v times, want a few rounds, then the page wins", rounds)
	}
	if text, _ := heroState(t, ctx); text != textC {
		t.Errorf("hero %q during the fight over the notice, want %q", text, textC)
	}
	noExceptions(t, exceptions)
}

// TestQANoticeExitBack: Exit takes the preview's page out of the tab's
// history, so Back goes to the page before it, not into the preview
// again.
func TestQANoticeExitBack(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", PreviewLabel: "copylab preview: Pricing headline · Variant C",
		Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 10000, 0, 0)}})
	s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)
	s.page("/before", "", `<p>The page before the preview</p>`)

	// until waits for expr to hold, through the moments a navigation
	// leaves the driver without a page to evaluate in (those errors are
	// retried, not failures).
	until := func(expr, what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if v, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")")); err == nil && v {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	navigate(t, ctx, s.URL+"/before")
	navigate(t, ctx, s.URL+"/pricing?copylab="+expID+":c")
	until(`document.readyState == "complete" && `+noticeJS, "the preview's notice")
	eval[bool](t, ctx, `history.replaceState(null, "", "#plans"), true`) // a hash, no new entry
	entries := eval[float64](t, ctx, `history.length`)
	pressed, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	xy := eval[[]float64](t, ctx, `(r => [(r.left + r.right) / 2, (r.top + r.bottom) / 2])(`+
		noticeJS+`.shadowRoot.querySelector("button").getBoundingClientRect())`)
	if _, err := chromedp.RunResponse(pressed, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatalf("Exit preview opened no page: %v", err)
	}
	until(`document.readyState == "complete" && location.search == "?copylab="`, "the page Exit opens")
	if got := eval[string](t, ctx, `location.search + location.hash`); got != "?copylab=#plans" {
		t.Errorf("Exit opened %q, want ?copylab= with the page's hash", got)
	}
	if n := eval[float64](t, ctx, `history.length`); n != entries {
		t.Errorf("history holds %v entries after Exit, want %v: the page after Exit in place of the preview", n, entries)
	}
	// Back by script: the driver's own Back waits for a load event that a
	// page restored this way may not send it.
	eval[bool](t, ctx, `setTimeout(() => history.back()), true`)
	until(`location.pathname != "/pricing" && document.readyState == "complete"`, "Back")
	if got := eval[string](t, ctx, `location.pathname + location.search`); got != "/before" {
		t.Errorf("Back after Exit went to %q, want /before", got)
	}
}

package app

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
)

// Drafts in Arabic, as a model writes them for an Arabic page: two to keep
// and one with markup in it, which copylab leaves out.
var (
	rtlDraftA     = "خطط لكل إطلاق في مكان واحد هادئ"
	rtlDraftB     = "توقف عن ملاحقة التحديثات عبر خمسة تطبيقات"
	rtlDropped    = "ابدأ تجربتك <b>المجانية</b> اليوم"
	rtlRationale  = "يبدأ بالهدوء الذي يريده صاحب العمل المشغول."
	rtlBriefCopy  = "إدارة المشاريع للفرق المشغولة"
	rtlRewriteAsk = "أقصر من فضلك"
)

// TestBrowserRightToLeftDraftsReadRightToLeft: drafts written in Arabic
// read from the right in their boxes, as do the draft left out, the
// model's reason for a draft, and what the marketer types in Arabic into
// a draft's request box and the brief's copy fields. Each box takes its
// direction from its own text (dir="auto"), so English copy on the same
// page stays left to right.
func TestBrowserRightToLeftDraftsReadRightToLeft(t *testing.T) {
	r := draftingTab(t)
	r.llm.setReply(func(int, int) (int, map[string]string, string) {
		var vs []map[string]string
		for _, text := range []string{rtlDraftA, rtlDropped, rtlDraftB} {
			vs = append(vs, map[string]string{"text": text, "angle": "benefit first", "rationale": rtlRationale})
		}
		b, _ := json.Marshal(map[string]any{"variants": vs})
		return 0, nil, completion(string(b))
	})
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "2"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-1`)))

	// dir reads the direction an element's text is laid out in.
	dir := func(sel string) string {
		t.Helper()
		return r.eval(`(function () { var el = document.querySelector(` + jsString(sel) + `);
			return el ? getComputedStyle(el).direction : "missing"; })()`)
	}
	if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != rtlDraftA {
		t.Fatalf("draft 1 reads %q, want the model's %q", got, rtlDraftA)
	}
	for _, sel := range []string{"#f-drafts-0-text", "#f-drafts-1-text", ".dropped-text", "#draft-0 .rationale [dir]"} {
		if got := dir(sel); got != "rtl" {
			t.Errorf("%s is laid out %s, want rtl for Arabic text", sel, got)
		}
	}
	// The English parts around them stay as they were.
	for _, sel := range []string{"#draft-0 .draft-head", "#f-goal"} {
		if got := dir(sel); got != "ltr" {
			t.Errorf("%s is laid out %s, want ltr", sel, got)
		}
	}

	// What the marketer types in Arabic: a request for a rewrite, and the
	// brief's current copy.
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.SendKeys(chromedp.CSS("#f-drafts-0-note"), rtlRewriteAsk),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-current-copy").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-current-copy")),
		chromedp.SendKeys(chromedp.CSS("#f-current-copy"), rtlBriefCopy),
		chromedp.Clear(chromedp.CSS("#f-tone")),
		chromedp.SendKeys(chromedp.CSS("#f-tone"), rtlRewriteAsk))
	for _, sel := range []string{"#f-drafts-0-note", "#f-current-copy", "#f-tone"} {
		if got := dir(sel); got != "rtl" {
			t.Errorf("%s, typed in Arabic, is laid out %s, want rtl", sel, got)
		}
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

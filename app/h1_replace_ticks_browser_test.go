package app

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// briefQuestion is the question the brief's button asks before it
// leaves (data-confirm), "" when it asks none.
func (r *rewriteTab) briefQuestion() string {
	r.t.Helper()
	return r.eval(`document.querySelector("#brief-submit").getAttribute("data-confirm") || ""`)
}

// TestBrowserReplaceQuestionCountsOnlyTheMarketersTicks: the first two
// drafts start ticked, and those ticks are not the marketer's: the
// brief's question names only what they did, counted in the singular or
// plural, and goes once they undo it.
func TestBrowserReplaceQuestionCountsOnlyTheMarketersTicks(t *testing.T) {
	r := draftingTab(t)
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "4"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-3`)))
	const ask = "Get new drafts for this brief? "
	steps := []struct {
		name string
		do   []chromedp.Action[chromedp.Void]
		want string
	}{
		{name: "as written"},
		{name: "draft 1 unticked", do: []chromedp.Action[chromedp.Void]{tickBox(0)}},
		{name: "draft 1 ticked again", do: []chromedp.Action[chromedp.Void]{tickBox(0)}},
		{name: "draft 3 ticked", do: []chromedp.Action[chromedp.Void]{tickBox(2)},
			want: ask + "Your tick on 1 draft will be replaced."},
		{name: "draft 4 ticked", do: []chromedp.Action[chromedp.Void]{tickBox(3)},
			want: ask + "Your ticks on 2 drafts will be replaced."},
		{name: "draft 2 edited", do: []chromedp.Action[chromedp.Void]{
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
			chromedp.SendKeys(chromedp.CSS("#f-drafts-1-text"), " now")},
			want: ask + "Your edits to 1 draft and your ticks on 2 drafts will be replaced."},
		{name: "draft 3 and 4 unticked", do: []chromedp.Action[chromedp.Void]{tickBox(2), tickBox(3)},
			want: ask + "Your edits to 1 draft will be replaced."},
	}
	for _, s := range steps {
		r.do(s.do...)
		if got := r.briefQuestion(); got != s.want {
			t.Errorf("%s: the brief asks %q, want %q", s.name, got, s.want)
		}
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// tickBox clicks draft i's tick box, scrolled to the middle first: the
// sticky approve bar covers the bottom of the window.
func tickBox(i int) chromedp.Action[chromedp.Void] {
	sel := "#draft-" + strconv.Itoa(i)
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](`document.querySelector("`+sel+`").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(sel+" [data-include]")),
	)
}

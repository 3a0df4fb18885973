package app

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
	"copylab/static/browsertest"
	"copylab/variants"
)

// TestBrowserOfflineDrafts walks the review's path in Chromium with no
// model: the experiment form's "Draft copy with AI" lands on the drafting
// page with its "Draft saved" notice and the goal filled in; once the
// drafts arrive the notice goes; the first two drafts start ticked and
// the split beside the add button follows the boxes as they are ticked.
func TestBrowserOfflineDrafts(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	base, _, site := offlineDraftingSite(t)
	exceptions := browsertest.Exceptions(t, tab)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
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

	// The experiment form's "Draft copy with AI", posted as the form does
	// (op=generate, only the original copy typed).
	signInTab(t, tab, base+"/login?next=/experiments/new", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	do(chromedp.WaitReady(chromedp.CSS(`input[name="_csrf"]`)))
	post := `(function () {
		var f = document.createElement("form");
		f.method = "post";
		f.action = "/experiments";
		var v = {_csrf: document.querySelector('input[name="_csrf"]').value, op: "generate", site_id: ` + strconv.Quote(site.ID) + `,
			name: "Hero", page: "/", selector: '[data-copylab="hero"]', goal_type: "click", goal_selector: "#signup", coverage: "100",
			"variants[0].key": "", "variants[0].text": "Project management for busy teams", "variants[1].key": "", "variants[1].text": ""};
		for (var k in v) {
			var i = document.createElement("input");
			i.type = "hidden"; i.name = k; i.value = v[k];
			f.appendChild(i);
		}
		document.body.appendChild(f);
		f.submit();
	})()`
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[chromedp.Void](post))); err != nil {
		t.Fatal(err)
	}
	do(chromedp.WaitVisible(chromedp.CSS("#brief-form")))
	if got := eval(`(document.querySelector("#main > .flash-ok") || {}).textContent || ""`); !strings.HasPrefix(got, "Draft saved.") {
		t.Fatalf("the drafting page's notice is %q", got)
	}
	if got := eval(`document.querySelector("#f-goal").value`); got != "A click on #signup" {
		t.Errorf("goal %q, want the experiment's", got)
	}

	do(chromedp.SendKeys(chromedp.CSS("#f-product"), "Acme Boards, a kanban tool"),
		chromedp.SendKeys(chromedp.CSS("#f-audience"), "small agency owners"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-4`)))
	// htmx fires its load event (which drops the notice and counts the
	// ticks) a settle delay after the drafts are swapped in, so the notice
	// may still be there for a moment when the last draft shows.
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelectorAll("#main > .flash").length === 0`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Errorf("the notice from before the drafts is still there: %q", eval(`(document.querySelector("#main > .flash") || {}).textContent`))
	}
	if got := eval(`document.querySelector("#f-drafts-0-text").value`); got != "See what Acme Boards can do for small agency owners" {
		t.Errorf("draft 1 %q", got)
	}
	if got := eval(`String(document.querySelectorAll("[data-instruction=custom], .regen-custom").length)`); got != "0" {
		t.Errorf("%s boxes for a written request with the offline generator", got)
	}

	split := func() string { return eval(`document.querySelector("[data-split]").textContent`) }
	button := func() string { return eval(`document.querySelector("[data-approve]").textContent`) }
	ticked := eval(`Array.from(document.querySelectorAll("[data-include]")).map(function (b) { return b.checked ? "x" : "-" }).join("")`)
	if ticked != "xx---" {
		t.Errorf("ticks %q, want the first two", ticked)
	}
	if got := split(); got != "Original and 2 variants: about 33% of the test's visitors each." {
		t.Errorf("split %q", got)
	}
	if got := button(); got != "Add 2 drafts to the experiment" {
		t.Errorf("button %q", got)
	}
	// Scrolled to the middle first: the sticky approve bar covers the
	// bottom of the window, and a click there would add the drafts.
	tick := func(i string) {
		t.Helper()
		do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-`+i+`").scrollIntoView({block: "center"})`),
			chromedp.Click(chromedp.CSS(`#draft-`+i+` [data-include]`)))
	}
	tick("2")
	if got := split(); got != "Original and 3 variants: 25% of the test's visitors each." {
		t.Errorf("split after ticking draft 3: %q", got)
	}
	tick("3")
	tick("4")
	if got := split(); got != "Original and 5 variants: about 17% of the test's visitors each." {
		t.Errorf("split with every draft ticked: %q", got)
	}
	for _, i := range []string{"0", "1", "2", "3", "4"} {
		tick(i)
	}
	if got := split(); got != "No drafts ticked." {
		t.Errorf("split with none ticked: %q", got)
	}
	if got := button(); got != "Tick the drafts to add" {
		t.Errorf("button with none ticked: %q", got)
	}

	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// offlineDraftingSite serves copylab with the offline generator, with Ann
// (ann@example.com, testPassword) and her site Acme Boards.
func offlineDraftingSite(t *testing.T) (string, *experiments.Store, experiments.Site) {
	t.Helper()
	gen, err := variants.New(variants.Config{})
	if err != nil || !gen.Offline() {
		t.Fatalf("offline generator: %v", err)
	}
	base, store := serveGenerating(t, gen)
	if _, _, err := addUser(context.Background(), store, "ann@example.com", "Ann", testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	site, err := store.CreateSite(context.Background(), experiments.Site{Name: "Acme Boards", Domain: "acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	return base, store, site
}

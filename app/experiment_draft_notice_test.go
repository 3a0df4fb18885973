package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// draftNotice is the text of the experiment page's draft notice, its
// white space folded ("" when the page has none).
func draftNotice(t *testing.T, body string) string {
	t.Helper()
	for _, n := range findAll(parseHTML(t, body), hasClass("notice")) {
		if s := strings.Join(strings.Fields(textOf(n)), " "); strings.HasPrefix(s, "This is a draft:") {
			return s
		}
	}
	return ""
}

// TestDraftNoticeSaysWhatVisitorsSee: a draft's notice says what visitors
// see on its element until it starts, as Stop and Pause say it: the
// original copy, or the copy that a variant shipped on the element or
// another running test of it puts there (on the pages that test
// reaches). While another test has the element on the same pages, the
// start is refused: the page offers no Start button (nor the notice
// "press Start"), the notice of that test says why, and a posted start is
// still refused. A paused test in that state offers Stop but not Resume.
func TestDraftNoticeSaysWhatVisitorsSee(t *testing.T) {
	const check = "Check each variant on the real page with the preview links below, then press Start."
	for _, tc := range []struct {
		name   string
		setup  func(e *env, siteID string)
		page   string
		notice string
		start  bool // the page offers Start
	}{
		{
			name:   "nothing else on the element",
			setup:  func(*env, string) {},
			page:   "/pricing",
			notice: "This is a draft: visitors see the original copy until you start it. " + check,
			start:  true,
		},
		{
			name:   "a variant shipped on the element",
			setup:  func(e *env, siteID string) { e.shipped(siteID, "Shipped headline") },
			page:   "/pricing",
			notice: "This is a draft: visitors see the shipped copy of “Old” (Variant B) until you start it. " + check,
			start:  true,
		},
		{
			name: "a test of the element on pages that may meet these",
			setup: func(e *env, siteID string) {
				e.transition(e.experimentOn(siteID, "Comments", "/*/comments", heroSelector).ID, experiments.ActionStart)
			},
			page: "/blog/*",
			notice: "This is a draft: visitors see the copy “Comments” tests on the same element on pages matching /*/comments, " +
				"and the original copy elsewhere, until you start it. " + check,
			start: true,
		},
		{
			name: "a test of the element on the same pages",
			setup: func(e *env, siteID string) {
				e.shipped(siteID, "Shipped headline")
				e.transition(e.experimentOn(siteID, "Running", "/pricing", heroSelector).ID, experiments.ActionStart)
			},
			page: "/pricing",
			notice: "This is a draft: visitors see the copy “Running” tests on the same element until you start it. " +
				"Check each variant on the real page with the preview links below.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			tc.setup(e, site.ID)
			x := e.experimentOn(site.ID, "Draft", tc.page, heroSelector)

			resp, body := c.get("/experiments/" + x.ID)
			wantStatus(t, resp, http.StatusOK, body)
			if got := draftNotice(t, body); got != tc.notice {
				t.Errorf("the draft notice reads\n%q\nwant\n%q", got, tc.notice)
			}
			b := pageButtons(t, body, x.ID, "/start")
			if tc.start && (len(b) != 1 || !strings.Contains(b[0].class, "btn-primary") || b[0].confirm == "") {
				t.Errorf("Start buttons %+v, want one primary that asks first", b)
			}
			if tc.start {
				return
			}
			if len(b) != 0 {
				t.Errorf("Start buttons %+v on a draft that cannot start, want none", b)
			}
			if text, _ := elementInTestNotice(t, body); !strings.Contains(text, "so this one cannot start until that test stops") {
				t.Errorf("no notice says why it cannot start: %q", text)
			}
			body = flashAfter(t, c, "/experiments/"+x.ID+"/start", nil)
			wantContains(t, withoutBdi(body), `<div class="flash flash-error" role="alert">“Running” already tests this element`, "badge-draft")
		})
	}
}

// TestPausedWhileElementInTestOffersNoResume: a paused test whose element
// another test took over on the same pages cannot resume: its page offers
// Stop but no Resume until that test stops.
func TestPausedWhileElementInTestOffersNoResume(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	paused := e.transition(e.experimentOn(site.ID, "Paused", "/pricing", heroSelector).ID, experiments.ActionStart)
	e.transition(paused.ID, experiments.ActionPause)
	other := e.transition(e.experimentOn(site.ID, "Newer", "/pricing", heroSelector).ID, experiments.ActionStart)

	actions := func() (resume, stop []button) {
		t.Helper()
		_, body := c.get("/experiments/" + paused.ID)
		return pageButtons(t, body, paused.ID, "/resume"), pageButtons(t, body, paused.ID, "/stop")
	}
	if resume, stop := actions(); len(resume) != 0 || len(stop) != 1 {
		t.Errorf("while “Newer” runs: Resume %+v, Stop %+v; want no Resume, one Stop", resume, stop)
	}
	e.transition(other.ID, experiments.ActionStop)
	if resume, stop := actions(); len(resume) != 1 || !strings.Contains(resume[0].class, "btn-primary") || len(stop) != 1 {
		t.Errorf("once “Newer” stopped: Resume %+v, Stop %+v; want both", resume, stop)
	}
}

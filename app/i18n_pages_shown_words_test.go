package app

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
	"copylab/experiments/chars"
)

// A running test's page typed with letters outside ASCII that only may
// meet a draft's pages (/*/plan), and the form it is stored in.
const (
	shownSubPage  = "/料金/*"
	storedSubPage = "/%E6%96%99%E9%87%91/*"
)

// TestSentencesShowPageLetters: every sentence a person reads that names
// a page pattern writes it with its letters, as the pages and the form
// do (TestPagesShowTheirLetters), not in the escapes it is stored and
// compared in: the History's line for an edit, the notice and refusal
// that another test has the element, the draft's notice and Start's
// question, the share page, the results' warnings that the element is
// missing, the webhook's message and the preview's notice. What a
// browser follows and what the tag compares keep the escapes.
func TestSentencesShowPageLetters(t *testing.T) {
	for _, tc := range []struct {
		name string
		// run sets the case up and returns what a person reads, which
		// must say every sentence in want and never the stored form.
		run  func(t *testing.T, e *env, c *client, site experiments.Site) read
		want []string
	}{
		{
			name: "history of an edit",
			run: func(t *testing.T, e *env, c *client, site experiments.Site) read {
				x := e.experiment(site.ID, "Preise")
				form := editFormOf(x)
				form.Set("page", shownPage)
				form.Set("goal_type", experiments.GoalPageview)
				form.Set("goal_url", shownGoalPage)
				c.get("/experiments/" + x.ID + "/edit")
				resp, body := c.post("/experiments/"+x.ID+"/edit", form)
				wantStatus(t, resp, http.StatusSeeOther, body)
				_, h := countAction(t, e, x.ID, experiments.ChangeEdited)
				_, page := c.get("/experiments/" + x.ID)
				return read{texts: []string{h[0].Detail}, pages: []string{page}}
			},
			want: []string{"Page changed from /pricing to " + shownPage + ".",
				"Goal changed from a click on #buy to a visit to " + shownGoalPage + "."},
		},
		{
			name: "another test has the element",
			run: func(t *testing.T, e *env, c *client, site experiments.Site) read {
				e.transition(e.experimentOn(site.ID, "Tarife", shownPage, heroSelector).ID, experiments.ActionStart)
				x := e.experimentOn(site.ID, "Everywhere", "*", heroSelector)
				_, page := c.get("/experiments/" + x.ID)
				notice, _ := elementInTestNotice(t, page)
				return read{texts: []string{notice}, pages: []string{page, flashAfter(t, c, "/experiments/"+x.ID+"/start", nil)}}
			},
			want: []string{"on pages this one reaches too (it runs on " + shownPage + ")"},
		},
		{
			name: "draft notice and Start's question",
			run: func(t *testing.T, e *env, c *client, site experiments.Site) read {
				e.transition(e.experimentOn(site.ID, "Tarife", shownSubPage, heroSelector).ID, experiments.ActionStart)
				x := e.experimentOn(site.ID, "Plan", "/*/plan", heroSelector)
				_, page := c.get("/experiments/" + x.ID)
				b := pageButtons(t, page, x.ID, "/start")
				if len(b) != 1 {
					t.Fatalf("Start buttons %+v, want one", b)
				}
				return read{texts: []string{draftNotice(t, page), b[0].confirm}, pages: []string{page}}
			},
			want: []string{"“Tarife” tests on the same element on pages matching " + shownSubPage + ", and the original copy elsewhere",
				"“Tarife” tests this element too, on pages that may meet these (it runs on " + shownSubPage + ")"},
		},
		{
			name: "share page",
			run: func(t *testing.T, e *env, c *client, site experiments.Site) read {
				x := e.transition(e.experimentOn(site.ID, "Preise", shownPage, heroSelector).ID, experiments.ActionStart)
				_, page := e.client().get("/r/" + x.ShareToken)
				return read{pages: []string{page}}
			},
			want: []string{"<code>" + shownPage + "</code>"},
		},
		{
			name: "results: the element never found",
			run: func(t *testing.T, e *env, c *client, site experiments.Site) read {
				x := e.transition(e.experimentOn(site.ID, "Preise", shownPage, "#missing").ID, experiments.ActionStart)
				e.tagSees(site.Key, x.ID, "control", 6, false)
				e.tagSees(site.Key, x.ID, "b", 13, false)
				e.app.now = func() time.Time { return x.StartedAt.Add(2 * time.Minute) }
				_, page := c.get("/experiments/" + x.ID + "/results")
				_, share := e.client().get("/r/" + x.ShareToken)
				return read{pages: []string{page, share}}
			},
			want: []string{"The tag ran on 19 page views matching " + shownPage + ", but the element #missing"},
		},
		{
			name: "results: the element going missing",
			run: func(t *testing.T, e *env, c *client, site experiments.Site) read {
				x := e.transition(e.experimentOn(site.ID, "Preise", shownPage, "#hero").ID, experiments.ActionStart)
				e.setRecentHealth(x, [2]int64{30, 20}, [2]int64{1, 11})
				_, page := c.get("/experiments/" + x.ID + "/results")
				return read{pages: []string{page}}
			},
			want: []string{"the element #hero on " + shownPage + " was not found"},
		},
		{
			name: "webhook message",
			run: func(t *testing.T, e *env, c *client, site experiments.Site) read {
				h := newHook(t)
				x := e.transition(e.experimentOn(site.ID, "Preise", shownPage, "#hero").ID, experiments.ActionStart)
				e.setRecentHealth(x, [2]int64{30, 20}, [2]int64{1, 11})
				setWebhook(t, e, site.ID, h.URL+"/hook")
				e.app.notifyOnce(context.Background())
				got := h.received()
				if len(got) != 1 {
					t.Fatalf("webhook got %v, want one message", got)
				}
				v, _ := got[0]["verdict"].(map[string]any)
				text, _ := v["text"].(string)
				plain, _ := got[0]["text"].(string)
				return read{texts: []string{text, plain}}
			},
			want: []string{"The element #hero on " + shownPage + " is going missing."},
		},
		{
			name: "preview notice",
			run: func(t *testing.T, e *env, c *client, site experiments.Site) read {
				x := e.transition(e.experimentOn(site.ID, "Preise", shownPage, "#hero").ID, experiments.ActionStart)
				resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(x.ID+":b"), nil))
				body := readBody(t, resp)
				wantStatus(t, resp, http.StatusOK, body)
				// The tag still compares the stored pattern (compiled to
				// a regexp); the notice reads it with its letters.
				wantContains(t, body, `"^`+strings.TrimSuffix(storedPage, "*"))
				wantNotContains(t, body, quoteJS("This page is not one the test runs on (it runs on "+storedPage+")."))
				return read{other: []string{body}}
			},
			want: []string{quoteJS("This page is not one the test runs on (it runs on " + shownPage + ").")},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // the webhook's receiver is on 127.0.0.1
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			r := tc.run(t, e, c, site)
			all := strings.Join(append(append(r.texts, r.other...), r.pages...), "\n")
			// HTML escapes nothing in these sentences but the quotes,
			// which none of them holds.
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("nothing says %q", w)
				}
			}
			for _, s := range r.texts {
				if strings.Contains(s, "%E6%96%99") {
					t.Errorf("it reads %q", s)
				}
			}
			for _, p := range r.pages {
				wantShownNotStored(t, tc.name, p)
			}
		})
	}
}

// read is what a person reads in a case of TestSentencesShowPageLetters:
// texts (sentences), pages (HTML, whose links may keep the escapes) and
// other (what machines read too: only searched for the sentences).
type read struct {
	texts, pages, other []string
}

// TestHistoryPlansSayUTC: the History's lines for a planned start or
// stop say its time and that it is UTC, as the experiment page words a
// plan ("Stops at 00:00 UTC on 25 Nov 2026"), whether the form set it
// (00:00 UTC of the day chosen) or the API (17:30 UTC): "Planned to stop
// on 25 Nov 2026" read as the reader's own midnight.
func TestHistoryPlansSayUTC(t *testing.T) {
	day, later := h1Day(20), h1Day(30)
	at := func(t time.Time) string { return t.UTC().Format("15:04") + " UTC on " + t.UTC().Format("2 Jan 2006") }
	for _, tc := range []struct {
		name  string
		patch []string // the API's PATCH bodies, in order
		start bool     // a person starts the draft after them
		want  string   // the last History line
	}{
		{name: "stop planned for a day", patch: []string{`{"stops_at": "` + day.Format(time.RFC3339) + `"}`},
			want: "Planned to stop at " + at(day) + "."},
		{name: "stop planned within a day", patch: []string{`{"stops_at": "` + day.Add(17*time.Hour+30*time.Minute).Format(time.RFC3339) + `"}`},
			want: "Planned to stop at 17:30 UTC on " + day.Format("2 Jan 2006") + "."},
		{name: "stop moved", patch: []string{`{"stops_at": "` + day.Format(time.RFC3339) + `"}`, `{"stops_at": "` + later.Format(time.RFC3339) + `"}`},
			want: "Planned stop moved from " + at(day) + " to " + at(later) + "."},
		{name: "start removed", patch: []string{`{"starts_at": "` + day.Format(time.RFC3339) + `"}`, `{"starts_at": null}`},
			want: "Planned start removed (it was " + at(day) + ")."},
		{name: "started ahead of the plan", patch: []string{`{"starts_at": "` + day.Format(time.RFC3339) + `"}`}, start: true,
			want: "Started ahead of its planned start at " + at(day) + "; the plan is removed."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tok := e.token("api@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			for _, p := range tc.patch {
				resp, out := e.api("PATCH", "/api/v1/experiments/"+x.ID, tok, p)
				wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
			}
			if tc.start {
				resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/start", tok, "")
				wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
			}
			h, err := e.store.History(context.Background(), x.ID)
			if err != nil || len(h) == 0 {
				t.Fatalf("history %v, %v", h, err)
			}
			if h[0].Detail != tc.want {
				t.Errorf("History says %q, want %q", h[0].Detail, tc.want)
			}
		})
	}
}

// TestEditFormBriefCountsCharacters: the edit form holds typed copy to
// the brief's length in characters as people count them (chars.Count),
// as every other limit does: copy at the brief's 60 with flags and a
// family emoji (each one character, several code points) is saved, and
// copy one character over is refused with its count in characters.
func TestEditFormBriefCountsCharacters(t *testing.T) {
	// 21 letters and spaces, 20 flags (2 code points each) and 19
	// families (5 each): 60 characters, 156 code points.
	atLimit := "Plan with your teams " + strings.Repeat("🇩🇪", 20) + strings.Repeat("👨‍👩‍👧", 19)
	for _, tc := range []struct {
		name   string
		text   string
		status int
		want   string
	}{
		{"at the limit", atLimit, http.StatusSeeOther, ""},
		{"one over", atLimit + "🇫🇷", http.StatusUnprocessableEntity, "Variant B is 61 characters; the brief asks for at most 60. Shorten it."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n := chars.Count(atLimit); n != 60 {
				t.Fatalf("the copy at the limit is %d characters", n)
			}
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			x := briefExperiment(t, e, e.site("Shop").ID, briefRulesJSON)
			form := editFormOf(x)
			form.Set(variantKey(1, "text"), tc.text)
			c.get("/experiments/" + x.ID + "/edit")
			resp, body := c.post("/experiments/"+x.ID+"/edit", form)
			wantStatus(t, resp, tc.status, body)
			if tc.want != "" {
				wantContains(t, html.UnescapeString(body), tc.want)
			} else if got := h1Stored(t, e, x.ID); got.Variants[1].Text != tc.text {
				t.Errorf("saved %q, want %q", got.Variants[1].Text, tc.text)
			}
		})
	}
}

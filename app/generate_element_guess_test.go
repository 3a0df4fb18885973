package app

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	selectorFieldRe = regexp.MustCompile(`<input type="hidden" name="selector" value="([^"]*)"`)
	currentCopyRe   = regexp.MustCompile(`(?s)<textarea[^>]*name="current_copy"[^>]*>(.*?)</textarea>`)
)

// TestElementGuessOnThePage: the reviewer's steps. With the brief's
// Element left at "Guess from the current copy", an experiment on #buy-now
// whose copy is "Buy now" (or "Add to basket") had its drafts written as
// headlines, 70 characters each. The brief form is posted as the page
// sends it, and the model is asked for what the guess says, with that
// kind's length limit; the page says what it guessed, beside the Element,
// and the drafts count against that limit. A kind chosen by hand is kept.
func TestElementGuessOnThePage(t *testing.T) {
	tests := []struct {
		name, selector, copy, kind string
		wantAsk                    string // the model's task
		wantLimit                  string
		wantGuess                  string // "" when the page should say none
	}{
		{"the reviewer's Buy now", "#buy-now", "Buy now", "",
			"of the button (a short call to action)", "at most 30 characters", "button"},
		{"the reviewer's Add to basket", "#buy-now", "Add to basket", "",
			"of the button (a short call to action)", "at most 30 characters", "button"},
		{"a selector that names a button", "a.btn-primary", "Ride with us", "",
			"of the button (a short call to action)", "at most 30 characters", "button"},
		{"a headline's words", `[data-copylab="hero"]`, "Bikes built for every road in Leeds", "",
			"of the headline (one line)", "at most 70 characters", "headline"},
		{"a kind chosen by hand", "#buy-now", "Buy now", "headline",
			"of the headline (one line)", "at most 70 characters", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			e := newEnv(t, WithGenerator(llm.generator(10*time.Second)))
			c := e.signIn("ann@example.com")
			site := e.site("Leeds Bikes")
			x := e.experimentOn(site.ID, "Buy button", "/bikes/*", tt.selector, tt.copy, "Order your bike")
			base := generateURL(x.ID)

			// The brief form as the page has it: the current copy, and
			// the element's selector sent back with it.
			resp, page := c.get(base)
			wantStatus(t, resp, http.StatusOK, page)
			m := selectorFieldRe.FindStringSubmatch(page)
			if m == nil || html.UnescapeString(m[1]) != tt.selector {
				t.Fatalf("the brief form does not send the selector %q back: %v", tt.selector, m)
			}
			cc := currentCopyRe.FindStringSubmatch(page)
			if cc == nil || html.UnescapeString(strings.TrimSpace(cc[1])) != tt.copy {
				t.Fatalf("the brief form's current copy is %v, want %q", cc, tt.copy)
			}
			v := url.Values{
				"current_copy": {html.UnescapeString(strings.TrimSpace(cc[1]))},
				"goal":         {"Get visitors to buy a bike"},
				"element_kind": {tt.kind},
				"product":      {"Leeds Bikes"},
				"n":            {"3"},
				"selector":     {html.UnescapeString(m[1])},
			}
			resp, body := c.hx(http.MethodPost, base, v)
			wantStatus(t, resp, http.StatusOK, body)
			jm := jobRe.FindStringSubmatch(resp.Header.Get("HX-Push-Url"))
			if jm == nil {
				t.Fatalf("no job started; body: %s", body)
			}
			g := &genFixture{e: e, c: c, base: base}
			done := g.wait(t, base+"/jobs/"+jm[1])

			ask := llm.lastRequest()
			wantContains(t, ask, "Write 3 variants "+tt.wantAsk, "Each variant: "+tt.wantLimit)
			limit := strings.Fields(strings.TrimPrefix(tt.wantLimit, "at most "))[0]
			wantContains(t, done, " / "+limit+" characters</span>")

			// The page shown again, as a reload or the job's link has it.
			_, again := c.get(jobPageURL(x.ID, jm[1]))
			for _, page := range []string{body, again} {
				page = html.UnescapeString(page)
				if tt.wantGuess == "" {
					wantNotContains(t, page, "Guessed:")
					continue
				}
				wantContains(t, page,
					`<p class="help" id="f-element-kind-guess">Guessed: `+tt.wantGuess+` — change it if that is wrong.</p>`,
					`aria-describedby="f-element-kind-guess f-element-kind-help"`)
			}
		})
	}
}

// TestElementGuessThroughTheAPI: an API call without a brief of its own
// uses the experiment's saved brief, which leaves the element to guess;
// the guess reads the experiment's selector as the page's does.
func TestElementGuessThroughTheAPI(t *testing.T) {
	llm := newFakeLLM(t)
	e := newEnv(t, WithGenerator(llm.generator(10*time.Second)))
	token := e.token("ann@example.com")
	site := e.site("Leeds Bikes")
	x := e.experimentOn(site.ID, "Ride button", "/bikes/*", "button.primary", "Ride with us", "Order your bike")
	if err := e.store.SaveBrief(t.Context(), x.ID, `{"goal":"Get visitors to book a test ride","n":2}`); err != nil {
		t.Fatal(err)
	}
	resp, out := e.api(http.MethodPost, "/api/v1/experiments/"+x.ID+"/generate", token, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", resp.StatusCode, out)
	}
	wantContains(t, llm.lastRequest(), "Write 2 variants of the button (a short call to action)", "Each variant: at most 30 characters")

	// A brief of the call's own carries no selector: the experiment's
	// element still decides, over copy that would read as a headline.
	resp, out = e.api(http.MethodPost, "/api/v1/experiments/"+x.ID+"/generate", token,
		`{"n":2,"brief":{"current_copy":"Our bikes for every road","goal":"Get visitors to book a test ride"}}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d with a brief of its own: %v", resp.StatusCode, out)
	}
	wantContains(t, llm.lastRequest(), "variants of the button (a short call to action)")
}

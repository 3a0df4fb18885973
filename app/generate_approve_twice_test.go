package app

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestGenerateApproveTwice: a second press of "Add drafts" (a double
// click, a resent form, the Back button) adds nothing more and says what
// the first press did, instead of claiming the drafts are gone.
func TestGenerateApproveTwice(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	form := draftsForm(texts, []int{0, 1}, nil)

	resp, body := g.c.post(statusURL+"/approve", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	g.c.get("/experiments/" + g.x.ID) // reads the first flash

	resp, body = g.c.post(statusURL+"/approve", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); loc != "/experiments/"+g.x.ID {
		t.Errorf("the second press went to %s, want the experiment", loc)
	}
	_, page := g.c.get("/experiments/" + g.x.ID)
	wantContains(t, page, "Added 2 drafts to the experiment as variants C and D.")
	wantNotContains(t, page, "no longer here", "drafts are not here")

	// The job's page (Back, or a reload) says where the drafts went.
	_, page = g.c.get(strings.Replace(statusURL, "/jobs/", "?job=", 1))
	wantContains(t, page, "Added 2 drafts to the experiment as variants C and D.", `href="/experiments/`+g.x.ID+`"`)
	wantNotContains(t, page, "no longer here", "drafts are not here", `id="drafts-form"`)

	x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
	if len(x.Variants) != 4 {
		t.Errorf("%d variants after two presses, want 4", len(x.Variants))
	}
}

// TestGenerateApproveRace: two approvals of one job at the same moment add
// its drafts once.
func TestGenerateApproveRace(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	form := draftsForm(texts, []int{0, 1}, nil)
	form.Set("_csrf", g.c.csrf)

	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := newRequest(http.MethodPost, statusURL+"/approve", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range g.c.cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			resp, err := g.e.app.Fiber().Test(req, -1)
			if err != nil {
				t.Error(err) // not Fatal: this is not the test's goroutine
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("approval %d answered %d", i, c)
		}
	}
	x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
	if len(x.Variants) != 4 {
		t.Errorf("%d variants after four simultaneous approvals, want 4", len(x.Variants))
	}
}

package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestH4ApproveHTMX: "Add selected drafts" sent by htmx is answered as its
// siblings answer htmx: an added set sends the page on with HX-Redirect
// (the flash waits on the experiment page), and a refusal is the
// workspace fragment, 200 so that htmx swaps it in, rather than a whole
// page with a 303 or a 422 that htmx would follow or drop. The plain form
// is answered as before.
func TestH4ApproveHTMX(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))

	t.Run("a refusal is the workspace fragment", func(t *testing.T) {
		resp, body := g.c.hx(http.MethodPost, statusURL+"/approve", draftsForm(texts, nil, nil))
		wantStatus(t, resp, http.StatusOK, body)
		if strings.Contains(strings.ToLower(body), "<html") || resp.Header.Get("HX-Redirect") != "" {
			t.Errorf("htmx got a whole page or a redirect (HX-Redirect %q): %.300s", resp.Header.Get("HX-Redirect"), body)
		}
		wantContains(t, body, "Tick at least one draft to add it to the experiment.", `id="drafts-form"`)
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
	})

	t.Run("the plain form's refusal is still a whole page", func(t *testing.T) {
		resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, nil, nil))
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, strings.ToLower(body), "<html")
	})

	t.Run("an added set is an HX-Redirect with the flash", func(t *testing.T) {
		resp, body := g.c.hx(http.MethodPost, statusURL+"/approve", draftsForm(texts, []int{0}, nil))
		wantStatus(t, resp, http.StatusOK, body)
		if to := resp.Header.Get("HX-Redirect"); to != "/experiments/"+g.x.ID {
			t.Fatalf("HX-Redirect %q, want the experiment; body: %.300s", to, body)
		}
		if loc := resp.Header.Get("Location"); loc != "" {
			t.Errorf("Location %q beside HX-Redirect", loc)
		}
		_, page := g.c.get("/experiments/" + g.x.ID)
		wantContains(t, page, "Added 1 draft to the experiment as variant C.")
		x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
		if len(x.Variants) != 3 {
			t.Errorf("%d variants, want 3", len(x.Variants))
		}
	})

	t.Run("a second press says what the first did, by HX-Redirect too", func(t *testing.T) {
		resp, body := g.c.hx(http.MethodPost, statusURL+"/approve", draftsForm(texts, []int{0}, nil))
		wantStatus(t, resp, http.StatusOK, body)
		if to := resp.Header.Get("HX-Redirect"); to != "/experiments/"+g.x.ID {
			t.Errorf("HX-Redirect %q, want the experiment", to)
		}
		_, page := g.c.get("/experiments/" + g.x.ID)
		wantContains(t, page, "Added 1 draft to the experiment as variant C.")
	})

	t.Run("a plain form's press still answers 303", func(t *testing.T) {
		resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0}, nil))
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != "/experiments/"+g.x.ID {
			t.Errorf("Location %q", loc)
		}
	})

	t.Run("a job that is gone is an HX-Redirect to the drafting page", func(t *testing.T) {
		resp, body := g.c.hx(http.MethodPost, g.base+"/jobs/no-such-job/approve", draftsForm(texts, []int{0}, nil))
		wantStatus(t, resp, http.StatusOK, body)
		if to := resp.Header.Get("HX-Redirect"); to != g.base {
			t.Errorf("HX-Redirect %q, want %q", to, g.base)
		}
	})

	t.Run("an experiment deleted is said in the workspace", func(t *testing.T) {
		if _, err := g.e.store.DeleteExperiment(t.Context(), g.x.ID); err != nil {
			t.Fatal(err)
		}
		resp, body := g.c.hx(http.MethodPost, statusURL+"/approve", draftsForm(texts, []int{0}, nil))
		if got := resp.Header.Get("HX-Retarget"); got != "#generate-workspace" || strings.Contains(strings.ToLower(body), "<html") {
			t.Errorf("%d, HX-Retarget %q: %.300s", resp.StatusCode, got, body)
		}
	})
}

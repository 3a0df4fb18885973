package app

import (
	"fmt"
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestShareLinkDraftRefused: a draft has no share link to replace (the API
// gives it share_url null, the page no button), so asking for a new one is
// refused, through the API with 409 not_started and a sentence, and by a
// forged page form with that sentence back on the draft's page; neither
// changes the token nor writes a history row saying a link was replaced.
// Once the test has started, a new link works as before.
func TestShareLinkDraftRefused(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	const sentence = "A draft has no share link yet: it gets one when the test starts."

	unchanged := func(t *testing.T, when string) {
		t.Helper()
		y, err := e.store.Experiment(t.Context(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if y.ShareToken != x.ShareToken {
			t.Errorf("%s: the draft's share token changed", when)
		}
		hist, err := e.store.History(t.Context(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hist {
			if h.Action == experiments.ChangeShareLink {
				t.Errorf("%s: history says %q", when, h.Detail)
			}
		}
	}

	t.Run("api", func(t *testing.T) {
		resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/share-link", tok, "")
		wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
		if code, _ := errorShape(t, out); code != "not_started" {
			t.Errorf("code %q, want not_started", code)
		}
		if msg := out["error"].(map[string]any)["message"]; msg != sentence {
			t.Errorf("message %q, want %q", msg, sentence)
		}
		unchanged(t, "api")
	})

	t.Run("page", func(t *testing.T) {
		resp, body := c.post("/experiments/"+x.ID+"/share-link", nil)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if to := loc(resp); to != "/experiments/"+x.ID {
			t.Errorf("redirected to %q", to)
		}
		_, body = c.get(loc(resp))
		wantContains(t, body, sentence)
		wantNotContains(t, body, "A new share link is ready.")
		unchanged(t, "page")
	})

	t.Run("started", func(t *testing.T) {
		e.transition(x.ID, experiments.ActionStart)
		resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/share-link", tok, "")
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if u, _ := out["share_url"].(string); u == "" || u == testPublicURL+"/r/"+x.ShareToken {
			t.Errorf("share_url %q after a new link", u)
		}
		hist, err := e.store.History(t.Context(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) == 0 || hist[0].Action != experiments.ChangeShareLink {
			t.Errorf("no share_link history row after a started test's new link: %v", hist)
		}
	})
}

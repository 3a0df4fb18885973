package app

import (
	"fmt"
	"net/http"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestShareNotStartedConflict: a draft's share link exists but has nothing
// to give yet, and every answer says so alike: asking the API for a new
// link is 409 not_started, and so are the link's CSV exports and
// recordings, whose page is the draft's share page (the test has not
// started, nothing of its copy, no link into the app) with the code in
// X-Copylab, not the page of a link that no longer works. Once started,
// they are served.
func TestShareNotStartedConflict(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Original", "Variant copy")
	share := "/r/" + x.ShareToken

	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/share-link", tok, "")
	wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
	if code, _ := errorShape(t, out); code != "not_started" {
		t.Errorf("share-link: code %q, want not_started", code)
	}

	for _, path := range []string{share + "/results.csv", share + "/daily.csv", share + "/recordings"} {
		t.Run(path[len(share):], func(t *testing.T) {
			resp := e.do(newRequest(http.MethodGet, path, nil))
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusConflict, body)
			if got := resp.Header.Get("X-Copylab"); got != "not_started" {
				t.Errorf("X-Copylab %q, want not_started", got)
			}
			for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store"} {
				if got := resp.Header.Get(h); got != want {
					t.Errorf("%s %q, want %q", h, got, want)
				}
			}
			wantContains(t, body, "This test has not started yet", "Open this link again once the test has started.")
			wantNotContains(t, body, "Variant copy", "Original", "Link no longer works", "text/csv")
			for _, a := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "a" || n.Data == "form" || n.Data == "button" }) {
				if a.Data != "a" || attrOf(a, "href") != "#main" {
					t.Errorf("<%s href=%q> on a public page", a.Data, attrOf(a, "href"))
				}
			}
		})
	}

	e.transition(x.ID, experiments.ActionStart)
	for _, path := range []string{share + "/results.csv", share + "/daily.csv", share + "/recordings"} {
		resp := e.do(newRequest(http.MethodGet, path, nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
		if got := resp.Header.Get("X-Copylab"); got != "" {
			t.Errorf("%s: X-Copylab %q once started", path, got)
		}
	}
}

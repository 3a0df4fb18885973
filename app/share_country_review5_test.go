package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestShareCountryNoAdvice: with no visitor's country known, a share link's
// Country segment says so as a fact, as its recordings card does: whoever
// holds the link has no account and runs no server, so the options that
// teach copylab countries (--country-header, --trusted-proxies,
// --geoip-db) are a member's advice. The page and its polled fragment
// agree.
func TestShareCountryNoAdvice(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	for i := range 4 {
		wantStatus(t, e.postEvents(eventBody(site.Key, "v"+itoa(i), x.ID, []string{"control", "b"}[i%2], i == 0)), http.StatusNoContent, "")
	}
	for _, path := range []string{"/r/" + x.ShareToken, "/r/" + x.ShareToken + "/trends"} {
		t.Run(path, func(t *testing.T) {
			resp := e.do(newRequest(http.MethodGet, path, nil))
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusOK, body)
			got := strings.Join(strings.Fields(textOf(find1(t, parseHTML(t, body), "seg-country"))), " ")
			if want := "No visitor’s country is known in this test."; !strings.Contains(got, want) {
				t.Errorf("the Country segment says %q, want %q", got, want)
			}
			wantNotContains(t, body, "--country-header", "--trusted-proxies", "--geoip-db", "COPYLAB_")
		})
	}
}

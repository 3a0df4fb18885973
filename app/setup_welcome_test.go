package app

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var flashRe = regexp.MustCompile(`(?s)<div class="flash flash-(?:ok|error)" role="(?:status|alert)">(.*?)</div>`)

// TestSetupWelcomeLinks: after setup the newcomer lands on the running
// demo experiment, where the demo page is a link and the results are
// live; the welcome names no place that the page does not link.
func TestSetupWelcomeLinks(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/setup?token=" + testSetupToken)
	resp, body := c.post("/setup", url.Values{"token": {testSetupToken}, "email": {"owner@example.com"},
		"password": {testPassword}, "password2": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	demo, ok, err := e.app.demoExperiment(t.Context())
	if err != nil || !ok {
		t.Fatalf("the demo experiment: %v %v", ok, err)
	}
	if loc := resp.Header.Get("Location"); loc != "/experiments/"+demo.ID {
		t.Fatalf("Location %q, want the demo experiment, /experiments/%s", loc, demo.ID)
	}

	resp, page := c.get(resp.Header.Get("Location"))
	wantStatus(t, resp, http.StatusOK, page)
	m := flashRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no welcome on the page:\n%s", page)
	}
	welcome := html.UnescapeString(m[1])
	if !strings.HasPrefix(welcome, "Welcome to copylab!") {
		t.Errorf("welcome %q", welcome)
	}
	// Words that point somewhere must be links: the flash is plain text,
	// so it may not use them at all.
	for _, w := range []string{"demo page", "here", "open it", "below"} {
		if strings.Contains(strings.ToLower(welcome), w) {
			t.Errorf("the welcome %q says %q, which it cannot link", welcome, w)
		}
	}
	// The page under it links the demo page and shows the results live.
	wantContains(t, page, `href="/demo"`, "This is the demo experiment", "/experiments/"+demo.ID+"/results/live")

	// The link works for anyone: the demo page is public.
	resp, body = e.client().get("/demo")
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, demo.ID)
}

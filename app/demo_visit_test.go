package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestDemoPageVisitNotes: the demo page carries a note for each thing that
// can become of a click, and marks a visit whose user agent copylab takes
// for a bot's, so that its script never says "counted" for a click that
// is not.
func TestDemoPageVisitNotes(t *testing.T) {
	e := newEnv(t)
	owner := e.addUser("owner@example.com")
	if err := e.app.createDemo(t.Context(), owner.ID); err != nil {
		t.Fatal(err)
	}
	demo, ok, err := e.app.demoExperiment(t.Context())
	if err != nil || !ok {
		t.Fatalf("demo: %v %v", ok, err)
	}
	get := func(ua string) (*http.Response, string) {
		t.Helper()
		req := newRequest(http.MethodGet, "/demo", nil)
		req.Header.Set("User-Agent", ua)
		resp := e.do(req)
		return resp, readBody(t, resp)
	}
	resp, body := get(browserUA)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `data-experiment="`+demo.ID+`"`,
		`data-note="counted:control"`, "the headline you saw (Original)",
		`data-note="counted:b"`, "the headline you saw (Variant B)",
		`href="/experiments/`+demo.ID+`"`,
		`data-note="again"`, `data-note="bot"`, `data-note="preview"`, `data-note="out"`, `data-note="off"`)
	wantNotContains(t, body, `data-bot=`, "was counted")
	if v := resp.Header.Get("Vary"); !strings.Contains(v, "User-Agent") {
		t.Errorf("Vary %q: the page differs by user agent", v)
	}

	for _, ua := range []string{headlessUA, "curl/8.5.0", ""} {
		resp, body := get(ua)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `data-bot="1"`)
	}
}

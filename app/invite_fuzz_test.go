package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzInviteLink sends arbitrary invite links, and arbitrary forms to
// them, through the whole HTTP stack and a real database: a link that is
// no invite answers the one 404 page (never a 5xx), the token never comes
// back in the answer, and a form posted without the sign-in form's token
// is refused before anything is read.
func FuzzInviteLink(f *testing.F) {
	a, _, _ := newFuzzApp(f, false)
	for _, seed := range []struct{ token, form string }{
		{"abcdefghijklmnopqrstuvwxyz234567", "password=x&password2=x"},
		{strings.Repeat("a", 32), "name=%00&password=" + strings.Repeat("p", 100)},
		{"../../users", "csrf=x"},
		{"%2e%2e%2f", ""},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "name=<script>"},
		{strings.Repeat("z", 5000), "password=\xff\xfe"},
		{"\x00", "a=b&a=c"},
	} {
		f.Add(seed.token, seed.form)
	}
	f.Fuzz(func(t *testing.T, token, form string) {
		// Opening a dead link counts against the sign-in limiter
		// (reserveInviteTry): a fresh one per input keeps every input a
		// first try, or past the limit all would stop at the 429, before
		// the lookup under test.
		a.logins = newLimiter(loginMaxFailures, loginWindow)
		path := "/invite/" + url.PathEscape(token)
		resp, ok := fuzzTest(t, a.fiber, newRequest(http.MethodGet, path, nil))
		if !ok {
			return
		}
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMovedPermanently &&
			resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("GET %q: status %d", path, resp.StatusCode)
		}
		if len(token) >= 8 && strings.Contains(body, token) {
			t.Fatalf("GET %q: the answer repeats the token", path)
		}
		req := newRequest(http.MethodPost, path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, ok = fuzzTest(t, a.fiber, req); !ok {
			return
		}
		readBody(t, resp)
		if resp.StatusCode >= 500 || resp.StatusCode < 400 {
			t.Fatalf("POST %q %q: status %d, want a refusal", path, form, resp.StatusCode)
		}
	})
}

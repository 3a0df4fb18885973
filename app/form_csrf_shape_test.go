package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFormCSRFShape: the sign-in form's double-submit token counts only
// in the shape copylab issues it (formCSRF: 43 characters of URL-safe
// base64). A cookie planted with another value, repeated in the form
// (copylab_csrf=x and _csrf=x), gets the 403 of a token that does not
// match; and the sign-in page replaces such a cookie instead of
// repeating it in its form.
func TestFormCSRFShape(t *testing.T) {
	e := newEnv(t)
	e.addUser("ann@example.com")
	signIn := url.Values{"email": {"ann@example.com"}, "password": {testPassword}}
	post := func(cookie, field string) (*http.Response, string) {
		t.Helper()
		c := e.client()
		c.cookies["copylab_csrf"] = cookie
		v := url.Values{"_csrf": {field}}
		for k, vs := range signIn {
			v[k] = vs
		}
		return c.post("/login", v)
	}
	issued := func() string {
		t.Helper()
		c := e.client()
		c.get("/login")
		return c.cookies["copylab_csrf"]
	}
	good := issued()
	if len(good) != 43 {
		t.Fatalf("an issued token is %q; this test expects 43 characters", good)
	}
	_, mismatch := post(good, issued())

	tests := []struct {
		name  string
		token string
	}{
		{"one letter", "x"},
		{"one short", good[:42]},
		{"one long", good + "A"},
		{"32 characters", good[:32]},
		{"outside the alphabet", strings.Repeat(".", 43)},
		{"padded", good[:42] + "="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := post(tt.token, tt.token)
			wantStatus(t, resp, http.StatusForbidden, body)
			if body != mismatch {
				t.Errorf("a planted token's page differs from a mismatch's:\n%.600s\nwant\n%.600s", body, mismatch)
			}
		})
	}
	t.Run("issued", func(t *testing.T) {
		resp, body := post(good, good)
		wantStatus(t, resp, http.StatusSeeOther, body)
	})
	t.Run("planted, then the page opened", func(t *testing.T) {
		c := e.client()
		planted := strings.Repeat(".", 40)
		c.cookies["copylab_csrf"] = planted
		c.get("/login")
		if c.csrf == planted || c.cookies["copylab_csrf"] == planted {
			t.Fatalf("the sign-in page kept the planted token %q (form %q)", c.cookies["copylab_csrf"], c.csrf)
		}
		resp, body := c.post("/login", signIn)
		wantStatus(t, resp, http.StatusSeeOther, body)
	})
}

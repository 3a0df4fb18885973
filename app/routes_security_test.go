package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestEveryUnsafeRouteIsGuarded walks the route table, so that a route
// added later is checked too: every route that can change something
// (any method but GET, HEAD and OPTIONS) is either public by design (the
// events endpoint), behind an API token, behind the signed-out forms'
// double-submit token (sign-in, setup, invite links; setup, once done,
// only sends someone signed in to the app), or behind a session
// and its CSRF token with the app's own Origin. A group of routes this
// test does not know fails it: say here which guard it has.
func TestEveryUnsafeRouteIsGuarded(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	fill := func(path string) string {
		id := x.ID
		if strings.HasPrefix(path, "/sites/") || strings.HasPrefix(path, "/api/v1/sites/") {
			id = site.ID
		}
		return strings.NewReplacer(":id", id, ":job", "job", ":n", "0", ":token", strings.Repeat("a", inviteTokenLen),
			":key", "control", "*", "x").Replace(path)
	}
	send := func(method, path string, header map[string]string, form url.Values, cookies map[string]string) (*http.Response, string) {
		req := newRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		for k, v := range cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		resp := e.do(req)
		return resp, readBody(t, resp)
	}
	seen := map[string]bool{}
	for _, r := range e.app.Fiber().GetRoutes(true) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodConnect, http.MethodTrace:
			continue
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		path := fill(r.Path)
		t.Run(key, func(t *testing.T) {
			switch {
			case r.Path == "/e":
				// Public by design: no cookie is read, CORS * without
				// credentials (TestEvents).
				return
			case strings.HasPrefix(r.Path, "/api/"):
				resp, body := send(r.Method, path, nil, nil, c.cookies) // a session is no token
				if r.Path == "/api/*" {
					if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
						t.Errorf("unknown API path: %d %.200s", resp.StatusCode, body)
					}
					return
				}
				if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"unauthorized"`) {
					t.Errorf("without a token: %d %.200s", resp.StatusCode, body)
				}
			case r.Path == "/setup":
				// Once set up, a session leads to the app, changing
				// nothing (setupSignedIn: the setup form sent again by
				// the browser that made the first account); without
				// one, the form needs its own double-submit token.
				resp, body := send(r.Method, path, nil, url.Values{"_csrf": {c.csrf}}, c.cookies)
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/experiments" {
					t.Errorf("signed in: %d %q %.200s", resp.StatusCode, resp.Header.Get("Location"), body)
				}
				resp, body = send(r.Method, path, nil, url.Values{"_csrf": {c.csrf}}, nil)
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired") {
					t.Errorf("without the form's token: %d %.200s", resp.StatusCode, body)
				}
			case r.Path == "/login" || strings.HasPrefix(r.Path, invitePrefix):
				// A session is not enough: these forms need their own
				// double-submit token.
				resp, body := send(r.Method, path, nil, url.Values{"_csrf": {c.csrf}}, c.cookies)
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired") {
					t.Errorf("without the form's token: %d %.200s", resp.StatusCode, body)
				}
			default:
				resp, body := send(r.Method, path, nil, url.Values{"_csrf": {c.csrf}}, nil)
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
					t.Errorf("without a session: %d %q %.200s", resp.StatusCode, resp.Header.Get("Location"), body)
				}
				resp, body = send(r.Method, path, nil, url.Values{"_csrf": {""}}, c.cookies)
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired") {
					t.Errorf("without the CSRF token: %d %.200s", resp.StatusCode, body)
				}
				resp, body = send(r.Method, path+"?_csrf="+url.QueryEscape(c.csrf), nil, nil, c.cookies)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("with the token in the URL only: %d %.200s", resp.StatusCode, body)
				}
				resp, body = send(r.Method, path, map[string]string{"Origin": "https://evil.example"}, url.Values{"_csrf": {c.csrf}}, c.cookies)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("from another origin: %d %.200s", resp.StatusCode, body)
				}
			}
		})
	}
	// Nothing above changed anything.
	if got, err := e.store.Experiment(t.Context(), x.ID); err != nil || got.Status != experiments.StatusDraft || got.Name != "Hero" {
		t.Errorf("the experiment changed: %+v %v", got, err)
	}
	if sites, _ := e.store.Sites(t.Context()); len(sites) != 1 {
		t.Errorf("%d sites, want 1", len(sites))
	}
	if n, _ := e.store.UserCount(t.Context()); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
	if resp, _ := c.get("/settings"); resp.StatusCode != http.StatusOK {
		t.Errorf("Ann was signed out: %d", resp.StatusCode)
	}
}

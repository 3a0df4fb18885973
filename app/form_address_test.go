package app

import (
	"net/http"
	"testing"
)

// TestFormAddressOpenedAgain: a form's address opened with GET (a reload or
// a restored tab after the page a form answered with, such as the invite
// link shown once at /users/invites; a bookmark; a copied address) leads
// to the page the form is on, not to a 405 "This address does not accept
// that method". It changes nothing: a GET of /experiments/ID/start does not
// start the test. Unknown paths stay 404s, and the API keeps its 405.
func TestFormAddressOpenedAgain(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Buy now", "Start today")

	for _, tt := range []struct{ path, want string }{
		{"/users/invites", "/users"},
		{"/users/invites/0190/delete", "/users"},
		{"/settings/tokens", "/settings"},
		{"/settings/password", "/settings"},
		{"/settings/llm/test", "/settings"},
		{"/settings/sessions/delete-others", "/settings"},
		{"/sites/" + site.ID + "/notifications/test", "/sites/" + site.ID},
		{"/sites/" + site.ID + "/settings", "/sites/" + site.ID},
		{"/experiments/" + x.ID + "/start", "/experiments/" + x.ID},
		{"/experiments/" + x.ID + "/duplicate", "/experiments/" + x.ID},
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := c.get(tt.path)
			wantStatus(t, resp, http.StatusSeeOther, body)
			if loc := resp.Header.Get("Location"); loc != tt.want {
				t.Errorf("Location %q, want %q", loc, tt.want)
			}
		})
	}
	if got, err := e.store.Experiment(t.Context(), x.ID); err != nil || got.Status != "draft" {
		t.Errorf("after GET .../start: status %q (%v), want draft", got.Status, err)
	}
	// Signed out, the page it leads to asks to sign in, as it would.
	resp, body := e.client().get("/users/invites")
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); loc != "/users" {
		t.Errorf("signed out: Location %q, want /users", loc)
	}

	resp, body = c.get("/users/no-such-page")
	wantStatus(t, resp, http.StatusNotFound, body)
	resp, _ = e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/start", e.token("api@example.com"), "")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("API GET of a POST route: %d, want 405", resp.StatusCode)
	}
}

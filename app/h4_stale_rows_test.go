package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// h4PageForm returns the hidden fields of the form on page whose action
// is action, as the browser would send them when its button is pressed.
func h4PageForm(t *testing.T, page, action string) url.Values {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form[^>]*action="` + regexp.QuoteMeta(action) + `"[^>]*>(.*?)</form>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form posting to %s on the page:\n%s", action, page)
	}
	v := url.Values{}
	for _, in := range regexp.MustCompile(`<input[^>]*>`).FindAllString(m[1], -1) {
		if !regexp.MustCompile(`type="hidden"`).MatchString(in) {
			continue
		}
		name := regexp.MustCompile(`name="([^"]*)"`).FindStringSubmatch(in)
		value := regexp.MustCompile(`value="([^"]*)"`).FindStringSubmatch(in)
		if name != nil && value != nil {
			v.Add(html.UnescapeString(name[1]), html.UnescapeString(value[1]))
		}
	}
	return v
}

// TestUserRemoveStaleRow: users.id is given again after a removal, so a
// Remove button on a page drawn before must not remove the newer user
// who has the old id now; it says the one it named is gone.
func TestUserRemoveStaleRow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lead := e.signIn("lead@team.test")
	ann := e.signIn("ann@team.test")
	e.makeAdmin("ann@team.test") // ann removes gina: an admin's
	gina := e.addUser("gina@team.test")

	action := "/users/" + itoa64(gina.ID) + "/delete"
	_, stale := lead.get("/users")
	staleForm := h4PageForm(t, stale, action)

	// ann removes gina, then adds henry, who gets gina's id.
	_, page := ann.get("/users")
	body := flashAfter(t, ann, action, h4PageForm(t, page, action))
	wantContains(t, body, "gina@team.test was removed and signed out.")
	henry := e.addUser("henry@team.test")
	if henry.ID != gina.ID {
		t.Fatalf("henry got id %d, not gina's %d: the test shows nothing", henry.ID, gina.ID)
	}

	body = flashAfter(t, lead, action, staleForm)
	wantContains(t, body, "gina@team.test was already removed.")
	wantNotContains(t, body, "henry@team.test was removed")
	if _, _, err := e.store.UserByEmail(ctx, "henry@team.test"); err != nil {
		t.Fatalf("henry was removed by a button that named gina: %v", err)
	}
}

// TestUserRemoveTwice: two people press Remove on the same user; the
// second is told the user was already removed, not shown a 404.
func TestUserRemoveTwice(t *testing.T) {
	e := newEnv(t)
	lead := e.signIn("lead@team.test")
	ann := e.signIn("ann@team.test")
	e.makeAdmin("ann@team.test") // ann removes bob: an admin's
	bob := e.addUser("bob@team.test")
	action := "/users/" + itoa64(bob.ID) + "/delete"
	_, leadPage := lead.get("/users")
	_, annPage := ann.get("/users")
	body := flashAfter(t, ann, action, h4PageForm(t, annPage, action))
	wantContains(t, body, "bob@team.test was removed and signed out.")
	resp, body := lead.post(action, h4PageForm(t, leadPage, action))
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = lead.get(resp.Header.Get("Location"))
	wantContains(t, body, "bob@team.test was already removed.")
}

// TestTokenRevokeStaleRow: api_tokens.id is given again too: a Revoke
// button on a page drawn before the token was revoked (in another tab)
// must not revoke the newer token that has its id; it says the token it
// named is gone.
func TestTokenRevokeStaleRow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.signIn("lead@team.test")
	tab2 := e.client()
	tab2.cookies, tab2.csrf = c.cookies, c.csrf

	resp, body := c.post("/settings/tokens", url.Values{"name": {"Old CI"}})
	wantStatus(t, resp, http.StatusOK, body)
	me := sessionUser(t, e, "lead@team.test")
	tokens, err := e.store.APITokens(ctx, me)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v, %v", tokens, err)
	}
	action := "/settings/tokens/" + itoa64(tokens[0].ID) + "/delete"
	_, stale := c.get("/settings")
	staleForm := h4PageForm(t, stale, action)

	// In the other tab: revoke it, then make a new one, which gets its id.
	_, page := tab2.get("/settings")
	flashAfter(t, tab2, action, h4PageForm(t, page, action))
	resp, body = tab2.post("/settings/tokens", url.Values{"name": {"New CI"}})
	wantStatus(t, resp, http.StatusOK, body)
	newer := regexp.MustCompile(`(cl_[a-z2-7]{40})`).FindStringSubmatch(body)
	if newer == nil {
		t.Fatal("no token shown")
	}
	tokens, _ = e.store.APITokens(ctx, me)
	if len(tokens) != 1 || "/settings/tokens/"+itoa64(tokens[0].ID)+"/delete" != action {
		t.Fatalf("the new token did not get the old id: %+v", tokens)
	}

	body = flashAfter(t, c, action, staleForm)
	wantContains(t, body, "That token was already revoked.")
	if r, _ := e.api(http.MethodGet, "/api/v1/sites", newer[1], ""); r.StatusCode != http.StatusOK {
		t.Errorf("the new token was revoked by a button that named the old one: status %d", r.StatusCode)
	}
}

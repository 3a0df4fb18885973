package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// TestUserRemoveCancelsInvites: removing a teammate from the Users page
// cancels the invite links they sent. The Remove button's question says
// how many beforehand, the flash says so afterwards; their links get the
// 404 of an unknown link and make no account, while another teammate's
// invite and the command line's still work.
func TestUserRemoveCancelsInvites(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := e.signIn("owner@example.com")
	ann := e.signIn("ann@example.com")
	cat := e.signIn("cat@example.com")
	e.makeAdmin("ann@example.com") // ann and cat invite: an admin's
	e.makeAdmin("cat@example.com")
	e.addUser("bob@example.com")

	annLinks := []string{}
	for _, email := range []string{"x1@example.com", "x2@example.com"} {
		token, _ := invite(t, ann, email, "")
		annLinks = append(annLinks, token)
	}
	catLink, _ := invite(t, cat, "y1@example.com", "")
	ownerLink, _ := invite(t, owner, "keep@example.com", "")
	cliPath, _, _, err := InviteUser(ctx, e.store, "cli@example.com", "")
	if err != nil {
		t.Fatal(err)
	}

	_, body := owner.get("/users")
	wantContains(t, body,
		`data-confirm="Remove ann@example.com? They are signed out at once, and the 2 invite links they sent stop working."`,
		`data-confirm="Remove cat@example.com? They are signed out at once, and the invite link they sent stops working."`,
		`data-confirm="Remove bob@example.com? They are signed out at once."`)

	remove := func(email string) string {
		t.Helper()
		u, _, err := e.store.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		action := "/users/" + itoa64(u.ID) + "/delete"
		_, page := owner.get("/users")
		resp, body := owner.post(action, h4PageForm(t, page, action))
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, body = owner.get("/users")
		return body
	}
	body = remove("ann@example.com")
	wantContains(t, body, "ann@example.com was removed and signed out; the 2 invite links they sent no longer work.",
		"y1@example.com", "keep@example.com", "cli@example.com")
	wantNotContains(t, body, "x1@example.com", "x2@example.com")

	// ann's links answer exactly as a link never made does, page and form.
	_, gone := e.client().get("/invite/" + newInviteToken())
	for _, token := range annLinks {
		resp, body := e.client().get("/invite/" + token)
		wantStatus(t, resp, http.StatusNotFound, body)
		if body != gone {
			t.Errorf("ann's link has a page of its own:\n%s\nwant\n%s", body, gone)
		}
		_, resp, body = accept(e, token, "X", testPassword)
		wantStatus(t, resp, http.StatusNotFound, body)
	}
	for _, email := range []string{"x1@example.com", "x2@example.com"} {
		if _, _, err := e.store.UserByEmail(ctx, email); err == nil {
			t.Errorf("%s got an account through ann's link", email)
		}
	}
	// Signed out, ann cannot make a new link either.
	ann.post("/users/invites", url.Values{"invite_email": {"late@example.com"}})
	pending, err := e.store.Invites(ctx, e.app.now())
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range pending {
		if inv.Email == "late@example.com" {
			t.Errorf("ann made an invite after her removal: %+v", inv)
		}
	}

	body = remove("cat@example.com")
	wantContains(t, body, "cat@example.com was removed and signed out; the invite link they sent no longer works.")
	if resp, _ := e.client().get("/invite/" + catLink); resp.StatusCode != http.StatusNotFound {
		t.Errorf("cat's link after her removal: status %d, want 404", resp.StatusCode)
	}
	body = remove("bob@example.com")
	wantContains(t, body, "bob@example.com was removed and signed out.")
	wantNotContains(t, body, "bob@example.com was removed and signed out;")

	// The owner's invite and the command line's were nobody else's to cancel.
	for _, path := range []string{invitePrefix + ownerLink, cliPath} {
		_, resp, body := accept(e, path[len(invitePrefix):], "", testPassword)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sites" {
			t.Errorf("accept %s: status %d to %q, want 303 to /sites: %s", path, resp.StatusCode, resp.Header.Get("Location"), body)
		}
	}
}

// TestUserRemoveVoidsInviteToThem: an invite to someone who was then
// added by hand waits unused (an account has its email); removing them
// must not bring that link back to life, or they could let themselves in
// again.
func TestUserRemoveVoidsInviteToThem(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := e.signIn("owner@example.com")
	token, _ := invite(t, owner, "ana@example.com", "")
	resp, body := owner.post("/users", url.Values{"email": {"ana@example.com"}, "password": {testPassword}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	ana, _, err := e.store.UserByEmail(ctx, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	action := "/users/" + itoa64(ana.ID) + "/delete"
	_, page := owner.get("/users")
	resp, body = owner.post(action, h4PageForm(t, page, action))
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = owner.get("/users")
	wantContains(t, body, "ana@example.com was removed and signed out.")
	wantNotContains(t, body, "Pending invites")

	if resp, body := e.client().get("/invite/" + token); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the link to ana after her removal: status %d, want 404: %s", resp.StatusCode, body)
	}
	if _, resp, body := accept(e, token, "", testPassword); resp.StatusCode != http.StatusNotFound {
		t.Errorf("accepting it: status %d, want 404: %s", resp.StatusCode, body)
	}
	if _, _, err := e.store.UserByEmail(ctx, "ana@example.com"); err == nil {
		t.Errorf("ana let herself in again through the old link")
	}
}

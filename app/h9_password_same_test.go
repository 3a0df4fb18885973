package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestPasswordChangeSame: a "new" password that is the current one is
// refused beside the new password's field, the revoke-tokens box is left
// as it was sent, and nothing changes: the other browser stays signed in.
func TestPasswordChangeSame(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	other := e.client()
	other.get("/login")
	other.post("/login", url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
	c.get("/settings")

	resp, body := c.post("/settings/password", url.Values{"current_password": {testPassword}, "password": {testPassword}, "password2": {testPassword}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-password-error"`, "That is your current password; choose a new one.")
	wantNotContains(t, body, "Your password is changed.", `name="revoke_tokens" value="1" checked`)
	if _, hash, err := e.store.UserByEmail(context.Background(), "ann@example.com"); err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(testPassword)) != nil {
		t.Errorf("the stored password changed (%v)", err)
	}
	if resp, _ := other.get("/sites"); resp.StatusCode != http.StatusOK {
		t.Errorf("the other browser was signed out: %d", resp.StatusCode)
	}
}

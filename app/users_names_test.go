package app

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestUsersListShowsNames: the Users page shows each person's name beside
// their email, as they gave it when they joined through an invite (or as
// user add set it), escaped as text.
func TestUsersListShowsNames(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	if _, _, err := addUser(context.Background(), e.store, "jane@example.com", "Jane <b>Doe</b>", testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	_, body := owner.get("/users")
	wantContains(t, body, `jane@example.com <span class="muted">· <bdi>Jane &lt;b&gt;Doe&lt;/b&gt;</bdi></span>`)
}

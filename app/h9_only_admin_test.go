package app

import (
	"context"
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestH9OnlyAdminNoMakeMember: the only admin is offered no Make member
// button for themselves, which the server would refuse (they stay an
// admin), as they are offered no Remove; once another admin exists, each
// admin's row has it again.
func TestH9OnlyAdminNoMakeMember(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	owner := e.signIn("owner@example.com")
	e.signIn("bob@example.com")
	ownerUser, _, _ := e.store.UserByEmail(ctx, "owner@example.com")
	bobUser, _, _ := e.store.UserByEmail(ctx, "bob@example.com")
	ownerRole := `action="/users/` + itoa64(ownerUser.ID) + `/role"`
	bobRole := `action="/users/` + itoa64(bobUser.ID) + `/role"`

	resp, body := owner.get("/users")
	wantStatus(t, resp, http.StatusOK, body)
	wantNotContains(t, body, ownerRole, "Make member")
	wantContains(t, body, bobRole, "Make admin")

	if _, err := e.store.SetRole(ctx, bobUser.ID, bobUser.Email, experiments.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	_, body = owner.get("/users")
	wantContains(t, body, ownerRole, bobRole, "Make member<span class=\"sr-only\"> owner@example.com</span>",
		"Make member<span class=\"sr-only\"> bob@example.com</span>")
	wantNotContains(t, body, "Make admin")
}

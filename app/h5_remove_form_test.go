package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// TestRemoveRevokeNeedTheirFields: a Remove or Revoke form that does not
// name its row the way the page does (the user's email; the token's
// prefix and creation time) acts on nothing, since its id alone may be
// another row's by now. It is answered with a 400 page that says what to
// do, never a 500 and never a removal.
func TestRemoveRevokeNeedTheirFields(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lead := e.signIn("lead@team.test")
	gina := e.addUser("gina@team.test")
	secret, err := CreateToken(ctx, e.store, "lead@team.test", "CI")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := e.store.APITokens(ctx, sessionUser(t, e, "lead@team.test"))
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v, %v", tokens, err)
	}
	tok := tokens[0]
	userAction := "/users/" + itoa64(gina.ID) + "/delete"
	tokenAction := "/settings/tokens/" + itoa64(tok.ID) + "/delete"

	tests := []struct {
		name, action string
		form         url.Values
		want         string
	}{
		{"remove without email", userAction, nil, "This Remove button did not say whom to remove"},
		{"remove with an empty email", userAction, url.Values{"email": {" "}}, "This Remove button did not say whom to remove"},
		{"remove of an unknown id", "/users/999/delete", nil, "This Remove button did not say whom to remove"},
		{"revoke without fields", tokenAction, nil, "This Revoke button did not say which token to revoke"},
		{"revoke without created", tokenAction, url.Values{"prefix": {tok.Prefix}}, "This Revoke button did not say which token to revoke"},
		{"revoke without prefix", tokenAction, url.Values{"created": {itoa64(tok.CreatedAt.UnixMilli())}}, "This Revoke button did not say which token to revoke"},
		{"revoke with a broken time", tokenAction, url.Values{"prefix": {tok.Prefix}, "created": {"yesterday"}}, "This Revoke button did not say which token to revoke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := lead.post(tt.action, tt.form)
			wantStatus(t, resp, http.StatusBadRequest, body)
			wantContains(t, body, tt.want, "Reload")
		})
	}
	if _, err := e.store.User(ctx, gina.ID); err != nil {
		t.Errorf("gina was removed by a form that did not name her: %v", err)
	}
	if r, _ := e.api(http.MethodGet, "/api/v1/sites", secret, ""); r.StatusCode != http.StatusOK {
		t.Errorf("the token was revoked by a form that did not name it: status %d", r.StatusCode)
	}
}

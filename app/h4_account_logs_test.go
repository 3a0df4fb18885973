package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestAccountChangesLogged: removing a user, creating an API token and
// revoking one each write one INFO line that says who did it and to whom
// or what, as "invite created" does, and never the token.
func TestAccountChangesLogged(t *testing.T) {
	logs := &syncBuffer{}
	e := newEnvConfig(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	lead := e.signIn("lead@team.test")
	gina := e.addUser("gina@team.test")

	resp, body := lead.post("/settings/tokens", url.Values{"name": {"CI deploy"}})
	wantStatus(t, resp, http.StatusOK, body)
	secret := regexp.MustCompile(`(cl_[a-z2-7]{40})`).FindString(body)
	if secret == "" {
		t.Fatal("no token shown")
	}
	tokens, err := e.store.APITokens(context.Background(), sessionUser(t, e, "lead@team.test"))
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v, %v", tokens, err)
	}
	action := "/settings/tokens/" + itoa64(tokens[0].ID) + "/delete"
	_, page := lead.get("/settings")
	flashAfter(t, lead, action, h4PageForm(t, page, action))

	action = "/users/" + itoa64(gina.ID) + "/delete"
	_, page = lead.get("/users")
	flashAfter(t, lead, action, h4PageForm(t, page, action))

	out := logs.String()
	for _, want := range [][]string{
		{`msg="api token created"`, "user=lead@team.test", `name="CI deploy"`},
		{`msg="api token revoked"`, "user=lead@team.test", `name="CI deploy"`},
		{`msg="user removed"`, "email=gina@team.test", "by=lead@team.test"},
	} {
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, want[0]) {
				if line != "" {
					t.Errorf("two lines for %s:\n%s\n%s", want[0], line, l)
				}
				line = l
			}
		}
		if line == "" {
			t.Errorf("no line with %s in the log:\n%s", want[0], out)
			continue
		}
		if !strings.Contains(line, "level=INFO") {
			t.Errorf("not at INFO: %s", line)
		}
		for _, w := range want[1:] {
			if !strings.Contains(line, w) {
				t.Errorf("%s lacks %s: %s", want[0], w, line)
			}
		}
	}
	if strings.Contains(out, secret) || strings.Contains(out, secret[:len(TokenPrefix)+4]) {
		t.Errorf("the log holds the token or its prefix:\n%s", out)
	}
}

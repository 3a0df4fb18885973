package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/app"
	"copylab/experiments"
)

// roleOf reads the role of the account with that email from the database
// at db, as the app does on each request.
func roleOf(t *testing.T, db, email string) experiments.Role {
	t.Helper()
	ctx := context.Background()
	s, err := experiments.OpenExisting(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, _, err := s.UserByEmail(ctx, email)
	if err != nil {
		t.Fatalf("%s: %v", email, err)
	}
	r, err := s.UserRole(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// addAccounts adds the accounts with the default role, one after the
// other: on a new database the first is an admin and the others members.
func addAccounts(t *testing.T, db string, emails ...string) {
	t.Helper()
	for _, e := range emails {
		if _, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", e); err != nil {
			t.Fatalf("add %s: %v", e, err)
		}
	}
}

// exitStatus is the status copylab exits with after err.
func exitStatus(err error) int { return exitMessage(io.Discard, err) }

// TestH9UserAddRole: copylab user add gives the account the role --role
// picks, else the store's default (an admin while there is none, else a
// member), and says which in its first line. A member cannot be the
// first account (nobody could manage people); an unknown role is a
// mistake in the command line. Neither refusal makes an account.
func TestH9UserAddRole(t *testing.T) {
	for _, tc := range []struct {
		name     string
		before   []string // accounts added first, with the default role
		args     []string
		want     string // in stdout
		role     experiments.Role
		refusal  string // in the error, when the command refuses
		exitCode int
	}{
		{"first account, default", nil, nil, "created user new@example.com, an admin, in ", experiments.RoleAdmin, "", 0},
		{"later account, default", []string{"ana@example.com"}, nil, "created user new@example.com, a member, in ", experiments.RoleMember, "", 0},
		{"later account, admin", []string{"ana@example.com"}, []string{"--role", "admin"}, "created user new@example.com, an admin, in ", experiments.RoleAdmin, "", 0},
		{"later account, member", []string{"ana@example.com"}, []string{"--role", "member"}, "created user new@example.com, a member, in ", experiments.RoleMember, "", 0},
		{"first account, admin", nil, []string{"--role=admin"}, "created user new@example.com, an admin, in ", experiments.RoleAdmin, "", 0},
		{"first account, member", nil, []string{"--role", "member"}, "", "", "no admin yet", 1},
		{"unknown role", []string{"ana@example.com"}, []string{"--role", "owner"}, "", "", `--role (COPYLAB_ROLE) "owner" is not a role: use admin or member`, 2},
		{"role in capitals", []string{"ana@example.com"}, []string{"--role", "Admin"}, "created user new@example.com, an admin, in ", experiments.RoleAdmin, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "copylab.db")
			createDB(t, db)
			addAccounts(t, db, tc.before...)
			out, _, err := runCmd(t, env(nil), "", append([]string{"user", "add", "--db", db, "--email", "new@example.com"}, tc.args...)...)
			if tc.refusal != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refusal) || exitStatus(err) != tc.exitCode {
					t.Fatalf("error %v (exit %d); want %q, exit %d", err, exitStatus(err), tc.refusal, tc.exitCode)
				}
				s, err := experiments.OpenExisting(context.Background(), db)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, _, err := s.UserByEmail(context.Background(), "new@example.com"); err == nil {
					t.Error("the refused account was made")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out, tc.want+db+"\n") {
				t.Errorf("stdout %q, want it to begin %q", out, tc.want+db)
			}
			if got := roleOf(t, db, "new@example.com"); got != tc.role {
				t.Errorf("role %q, want %q", got, tc.role)
			}
		})
	}
}

// TestH9UserInviteRole: the link copylab user invite prints makes an
// account with the role --role picks, else the store's default, when the
// invitee uses it in the app; stderr says which. An unknown role is
// refused before any invite is made.
func TestH9UserInviteRole(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before []string
		args   []string
		says   string
		role   experiments.Role
	}{
		{"default with an admin", []string{"ana@example.com"}, nil, "to create their account, as a member", experiments.RoleMember},
		{"default with nobody", nil, nil, "to create their account, as an admin", experiments.RoleAdmin},
		{"admin", []string{"ana@example.com"}, []string{"--role", "admin"}, "to create their account, as an admin", experiments.RoleAdmin},
		{"member", []string{"ana@example.com"}, []string{"--role", "member"}, "to create their account, as a member", experiments.RoleMember},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "copylab.db")
			createDB(t, db)
			addAccounts(t, db, tc.before...)
			out, errOut, err := runCmd(t, env(nil), "", append([]string{"user", "invite", "--db", db, "--email", "new@example.com"}, tc.args...)...)
			if err != nil {
				t.Fatalf("%v (%s)", err, errOut)
			}
			if !strings.Contains(errOut, tc.says) {
				t.Errorf("stderr lacks %q: %s", tc.says, errOut)
			}
			path := regexp.MustCompile(`^(/invite/[a-z2-7]{32})\n$`).FindStringSubmatch(out)
			if path == nil {
				t.Fatalf("stdout %q, want the link's path alone", out)
			}
			acceptInvite(t, db, path[1])
			if got := roleOf(t, db, "new@example.com"); got != tc.role {
				t.Errorf("role %q, want %q", got, tc.role)
			}
		})
	}

	t.Run("unknown role", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "copylab.db")
		createDB(t, db)
		out, _, err := runCmd(t, env(nil), "", "user", "invite", "--db", db, "--email", "new@example.com", "--role", "boss")
		if err == nil || !strings.Contains(err.Error(), `--role (COPYLAB_ROLE) "boss" is not a role: use admin or member`) || exitStatus(err) != 2 || out != "" {
			t.Fatalf("stdout %q, error %v; want the role refused, exit 2", out, err)
		}
		s, err := experiments.OpenExisting(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if inv, err := s.Invites(context.Background(), time.Now()); err != nil || len(inv) != 0 {
			t.Errorf("invites %+v, %v; want none", inv, err)
		}
	})
}

// acceptInvite uses the invite link at path in the app on db, as the
// invitee's browser does: it opens the page, then sends the form with a
// password.
func acceptInvite(t *testing.T, db, path string) {
	t.Helper()
	ctx := context.Background()
	store, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	defer ing.Close(ctx)
	a, err := app.New(app.Config{Addr: "127.0.0.1:0", DBPath: db, PublicURL: "http://copylab.test", Logger: slog.New(slog.DiscardHandler)}, store, ing)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.Fiber().Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	csrf := ""
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "csrf") {
			csrf = c.Value
		}
	}
	const pw = "correct horse battery staple"
	v := url.Values{"_csrf": {csrf}, "password": {pw}, "password2": {pw}}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range resp.Cookies() {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err = a.Fiber().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sites" {
		t.Fatalf("POST %s: %d %s, want a redirect to /sites\n%s", path, resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

// TestH9UserRole: copylab user role makes a user an admin or a member
// through the store, so the only admin stays one; it says what changed,
// or that nothing did. An unknown email is refused as user password
// refuses one (exit 1); a missing or unknown role, or a missing email,
// is a mistake in the command line (exit 2).
func TestH9UserRole(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db)
	addAccounts(t, db, "ana@example.com", "bo@example.com") // ana is the admin
	for _, tc := range []struct {
		name     string
		args     []string
		want     string // in stdout, or in the error when exit is not 0
		exit     int
		anaRole  experiments.Role
		boRole   experiments.Role
		emptyOut bool
	}{
		{"promote", []string{"--email", "Bo@Example.com", "--role", "admin"}, "bo@example.com is now an admin in " + db, 0, experiments.RoleAdmin, experiments.RoleAdmin, false},
		{"again", []string{"--email", "bo@example.com", "--role", "admin"}, "bo@example.com is already an admin in " + db + "; nothing changed", 0, experiments.RoleAdmin, experiments.RoleAdmin, false},
		{"demote", []string{"--email", "ana@example.com", "--role", "member"}, "ana@example.com is now a member in " + db, 0, experiments.RoleMember, experiments.RoleAdmin, false},
		{"the only admin", []string{"--email", "bo@example.com", "--role", "member"}, "bo@example.com is the only admin, so they stay one: make someone else an admin first", 1, experiments.RoleMember, experiments.RoleAdmin, true},
		{"unknown email", []string{"--email", "nobody@example.com", "--role", "admin"}, `no user has the email "nobody@example.com": check the spelling, or add them (copylab user add)`, 1, experiments.RoleMember, experiments.RoleAdmin, true},
		{"unknown role", []string{"--email", "ana@example.com", "--role", "owner"}, `--role (COPYLAB_ROLE) "owner" is not a role: use admin or member`, 2, experiments.RoleMember, experiments.RoleAdmin, true},
		{"no role", []string{"--email", "ana@example.com"}, "--role is required: admin or member", 2, experiments.RoleMember, experiments.RoleAdmin, true},
		{"no email", []string{"--role", "admin"}, "--email is required", 2, experiments.RoleMember, experiments.RoleAdmin, true},
		{"the twin", []string{"--email", "ana@example.com"}, "ana@example.com is now an admin", 0, experiments.RoleAdmin, experiments.RoleAdmin, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := env(nil)
			if tc.name == "the twin" {
				e = env(map[string]string{"COPYLAB_ROLE": "admin"})
			}
			out, _, err := runCmd(t, e, "", append([]string{"user", "role", "--db", db}, tc.args...)...)
			if got := exitStatus(err); got != tc.exit {
				t.Fatalf("exit %d (%v), want %d", got, err, tc.exit)
			}
			if tc.exit != 0 && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want %q", err, tc.want)
			}
			if tc.exit == 0 && !strings.Contains(out, tc.want) {
				t.Errorf("stdout %q, want %q", out, tc.want)
			}
			if tc.emptyOut && out != "" {
				t.Errorf("stdout %q after a refusal", out)
			}
			if got := roleOf(t, db, "ana@example.com"); got != tc.anaRole {
				t.Errorf("ana is %q, want %q", got, tc.anaRole)
			}
			if got := roleOf(t, db, "bo@example.com"); got != tc.boRole {
				t.Errorf("bo is %q, want %q", got, tc.boRole)
			}
		})
	}
}

// TestH9UserRoleInvitesCancelled: a demotion from the command line
// cancels the invite links the user sent, as on the Users page, and says
// so.
func TestH9UserRoleInvitesCancelled(t *testing.T) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	createDB(t, db)
	addAccounts(t, db, "ana@example.com")
	if _, _, err := runCmd(t, env(nil), "", "user", "add", "--db", db, "--email", "bo@example.com", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := experiments.OpenExisting(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, e := range []string{"x@example.com", "y@example.com"} {
		if _, _, err := s.CreateInvite(ctx, "hash-"+e, e, "", "bo@example.com", now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	out, _, err := runCmd(t, env(nil), "", "user", "role", "--db", db, "--email", "bo@example.com", "--role", "member")
	if err != nil || !strings.Contains(out, "bo@example.com is now a member") || !strings.Contains(out, "the 2 invite links they sent no longer work") {
		t.Fatalf("stdout %q, error %v", out, err)
	}
}

// TestH9UserRoleHelp: copylab help, copylab help user and each command's
// --help list --role and the new command, in the Users page's words.
func TestH9UserRoleHelp(t *testing.T) {
	const pageWords = "Members run sites and experiments. Admins also add, invite and remove people, and change roles."
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"copylab user role --email EMAIL --role ROLE", "[--role ROLE]"}},
		{[]string{"help", "user"}, []string{"copylab user role --email EMAIL --role ROLE"}},
		{[]string{"user", "add", "--help"}, []string{"--role", "admin or member", pageWords, "COPYLAB_ROLE"}},
		{[]string{"user", "invite", "--help"}, []string{"--role", "admin or member", pageWords, "COPYLAB_ROLE"}},
		{[]string{"user", "role", "--help"}, []string{"Usage: copylab user role [flags]", "--email", "--role", "admin or member", pageWords, "the only admin stays one"}},
	} {
		out, _, err := runCmd(t, env(nil), "", tc.args...)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		norm := strings.Join(strings.Fields(out), " ")
		for _, w := range tc.want {
			if !strings.Contains(norm, w) {
				t.Errorf("copylab %s lacks %q:\n%s", strings.Join(tc.args, " "), w, out)
			}
		}
	}
	_, _, err := runCmd(t, env(nil), "", "user", "frob")
	if err == nil || !strings.Contains(err.Error(), "use add, password, invite or role") {
		t.Errorf("unknown user command: %v", err)
	}
}

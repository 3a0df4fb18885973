package app

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
	"copylab/experiments/schematest"
)

// h10ReadOnlyMessage is the sentence of every write refused to a
// read-only token.
const h10ReadOnlyMessage = "This token can only read: make a full token under Settings → API tokens to change things."

var h10SecretRe = regexp.MustCompile(`cl_[a-z2-7]{40}`)

// h10MakeToken makes an API token with the Settings form, as its user
// would, and returns the secret the page shows once. access is the
// form's choice ("full", "read"), or "" to leave it out, as a page drawn
// before the choice existed does.
func h10MakeToken(t *testing.T, c *client, name, access string) (secret, page string) {
	t.Helper()
	c.get("/settings")
	v := url.Values{"name": {name}}
	if access != "" {
		v.Set("access", access)
	}
	resp, body := c.post("/settings/tokens", v)
	wantStatus(t, resp, http.StatusOK, body)
	secret = h10SecretRe.FindString(body)
	if secret == "" {
		t.Fatalf("no token shown after making %q:\n%s", name, body)
	}
	return secret, body
}

// h10Fixture is a user with a read-only and a full token, a site, a draft
// and a running experiment.
type h10Fixture struct {
	e               *env
	c               *client
	ro, full        string
	site            experiments.Site
	draft, running  experiments.Experiment
	historyOfDraft  int
	historyOfRunner int
}

func newH10Fixture(t *testing.T) *h10Fixture {
	t.Helper()
	e := newEnv(t)
	f := &h10Fixture{e: e, c: e.signIn("dash@example.com")}
	f.ro, _ = h10MakeToken(t, f.c, "BI dashboard", "read")
	f.full, _ = h10MakeToken(t, f.c, "CI", "full")
	f.site = e.site("Shop")
	f.draft = e.experiment(f.site.ID, "Hero")
	f.running = e.experiment(f.site.ID, "Pricing")
	f.running = e.transition(f.running.ID, experiments.ActionStart)
	f.historyOfDraft, f.historyOfRunner = f.history(f.draft.ID), f.history(f.running.ID)
	return f
}

func (f *h10Fixture) history(id string) int {
	f.e.t.Helper()
	h, err := f.e.store.History(context.Background(), id)
	if err != nil {
		f.e.t.Fatal(err)
	}
	return len(h)
}

// send sends a request without a body, with token, and returns the
// status and the body, which need not be JSON (the CSVs, the exports).
func (f *h10Fixture) send(method, path, token string) (int, string) {
	f.e.t.Helper()
	req := newRequest(method, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp := f.e.do(req)
	return resp.StatusCode, readBody(f.e.t, resp)
}

// fill puts the fixture's ids in a route: the site's, or the experiment's
// (x) and its second variant's key.
func (f *h10Fixture) fill(route string, x experiments.Experiment) string {
	id := x.ID
	if strings.HasPrefix(route, "/api/v1/sites/") {
		id = f.site.ID
	}
	path := strings.NewReplacer(":id", id, ":key", x.Variants[1].Key).Replace(route)
	if route == "/api/v1/experiments/:id/recordings" {
		path += "?variant=" + x.Variants[1].Key // its one required parameter
	}
	return path
}

// apiRoutes lists the API's routes whose method is (or, with !want, is
// not) among methods, once each, as the router has them.
func (f *h10Fixture) apiRoutes(want bool, methods ...string) [][2]string {
	var out [][2]string
	for _, r := range f.e.app.fiber.GetRoutes(true) {
		c := [2]string{r.Method, r.Path}
		if strings.HasPrefix(r.Path, "/api/v1/") && slices.Contains(methods, r.Method) == want && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// unchanged fails the test when anything the fixture made changed.
func (f *h10Fixture) unchanged(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for _, x := range []experiments.Experiment{f.draft, f.running} {
		got, err := f.e.store.Experiment(ctx, x.ID)
		if err != nil {
			t.Fatalf("%s after the refused calls: %v", x.Name, err)
		}
		if got.Name != x.Name || got.Status != x.Status || len(got.Variants) != len(x.Variants) || !got.UpdatedAt.Equal(x.UpdatedAt) ||
			got.ShippedVariant != x.ShippedVariant || got.ShareToken != x.ShareToken || got.ShareOff != x.ShareOff ||
			got.CoverageBP != x.CoverageBP || got.Variants[1].WeightBP != x.Variants[1].WeightBP || got.Variants[1].Text != x.Variants[1].Text {
			t.Errorf("%s changed: %+v\nwas %+v", x.Name, got, x)
		}
	}
	if n := f.history(f.draft.ID); n != f.historyOfDraft {
		t.Errorf("the draft's history has %d lines, was %d", n, f.historyOfDraft)
	}
	if n := f.history(f.running.ID); n != f.historyOfRunner {
		t.Errorf("the running test's history has %d lines, was %d", n, f.historyOfRunner)
	}
	if n := countExperiments(t, f.e); n != 2 {
		t.Errorf("%d experiments, want 2", n)
	}
	sites, err := f.e.store.Sites(ctx)
	if err != nil || len(sites) != 1 || sites[0].Name != f.site.Name || sites[0].Domain != f.site.Domain {
		t.Errorf("sites after the refused calls: %+v, %v", sites, err)
	}
}

// TestH10ReadOnlyTokenReads: a read-only token reads every GET (and HEAD)
// of the API as a full token of the same user does: the sites, the
// experiments, their variants, history, results, CSVs and exports. The
// routes are read from the router, so a GET added later is held to it
// too.
func TestH10ReadOnlyTokenReads(t *testing.T) {
	f := newH10Fixture(t)
	reads := f.apiRoutes(true, http.MethodGet, http.MethodHead)
	for _, want := range []string{"/api/v1/sites", "/api/v1/sites/:id", "/api/v1/experiments", "/api/v1/experiments/:id",
		"/api/v1/experiments/:id/variants/:key", "/api/v1/experiments/:id/history", "/api/v1/experiments/:id/results",
		"/api/v1/experiments/:id/results.csv", "/api/v1/experiments/:id/daily.csv"} {
		if !slices.Contains(reads, [2]string{http.MethodGet, want}) {
			t.Fatalf("GET %s is not among the API's reads %v", want, reads)
		}
	}
	for _, r := range reads {
		for _, x := range []experiments.Experiment{f.draft, f.running} {
			path := f.fill(r[1], x)
			t.Run(r[0]+" "+path, func(t *testing.T) {
				want, _ := f.send(r[0], path, f.full)
				got, body := f.send(r[0], path, f.ro)
				if got != want || got != http.StatusOK {
					t.Errorf("read-only token: %d %.300s; full token: %d, want 200 for both", got, body, want)
				}
			})
		}
	}
	f.unchanged(t)
}

// TestH10ReadOnlyTokenRefusedWrites: every POST, PATCH and DELETE of the
// API answers a read-only token 403 token_read_only, right after the
// token is checked: before its query and its body are read, and before an
// Idempotency-Key is taken. Nothing is done. The routes are read from the
// router, so a write added later is held to it too.
func TestH10ReadOnlyTokenRefusedWrites(t *testing.T) {
	f := newH10Fixture(t)
	writes := f.apiRoutes(false, http.MethodGet, http.MethodHead)
	for _, want := range []string{"POST /api/v1/sites", "PATCH /api/v1/sites/:id", "DELETE /api/v1/sites/:id",
		"POST /api/v1/experiments", "PATCH /api/v1/experiments/:id", "DELETE /api/v1/experiments/:id",
		"POST /api/v1/experiments/:id/stop", "POST /api/v1/experiments/:id/ship", "POST /api/v1/experiments/:id/generate",
		"POST /api/v1/experiments/:id/share-link", "DELETE /api/v1/experiments/:id/variants/:key"} {
		m, p, _ := strings.Cut(want, " ")
		if !slices.Contains(writes, [2]string{m, p}) {
			t.Fatalf("%s is not among the API's writes %v", want, writes)
		}
	}
	// Bodies a full token's call would be answered with a change.
	bodies := map[string]string{
		"POST /api/v1/sites":                           `{"name":"Blog","domain":"blog.example.com"}`,
		"PATCH /api/v1/sites/:id":                      `{"name":"Renamed"}`,
		"POST /api/v1/experiments":                     `{"site_id":"` + f.site.ID + `","name":"New","variants":[{"text":"One"},{"text":"Two"}]}`,
		"PATCH /api/v1/experiments/:id":                `{"name":"Renamed","traffic_bp":5000}`,
		"POST /api/v1/experiments/:id/variants":        `{"text":"Third headline"}`,
		"PATCH /api/v1/experiments/:id/variants/:key":  `{"weight_bp":2000}`,
		"POST /api/v1/experiments/:id/ship":            `{"variant":"` + f.running.Variants[1].Key + `"}`,
		"POST /api/v1/experiments/:id/generate":        `{"n":2}`,
		"POST /api/v1/experiments/:id/duplicate":       `{}`,
		"DELETE /api/v1/experiments/:id/variants/:key": ``,
	}
	for _, w := range writes {
		for _, x := range []experiments.Experiment{f.draft, f.running} {
			path := f.fill(w[1], x)
			t.Run(w[0]+" "+path, func(t *testing.T) {
				for _, tc := range []struct{ name, query, body string }{
					{"a body that works", "", bodies[w[0]+" "+w[1]]},
					{"a query it does not take", "?dry_run=1", bodies[w[0]+" "+w[1]]},
					{"a broken body", "", `{"name":`},
					{"a body with a member no call takes", "", `{"force":true}`},
				} {
					resp, out := f.e.api(w[0], path+tc.query, f.ro, tc.body)
					if resp.StatusCode != http.StatusForbidden {
						t.Fatalf("%s: %d %v, want 403", tc.name, resp.StatusCode, out)
					}
					code, field := errorShape(t, out)
					msg, _ := out["error"].(map[string]any)["message"].(string)
					if code != "token_read_only" || field != "" || msg != h10ReadOnlyMessage {
						t.Errorf("%s: code %q field %q message %q", tc.name, code, field, msg)
					}
					if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
						t.Errorf("%s: Cache-Control %q", tc.name, cc)
					}
				}
			})
		}
	}
	f.unchanged(t)

	// A refused create did not take its Idempotency-Key: the same user's
	// full token makes the experiment with it, not a replay of the 403.
	body := bodies["POST /api/v1/experiments"]
	resp, out, _ := f.e.apiKeyed(http.MethodPost, "/api/v1/experiments", f.ro, "dash-1", body)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("keyed create with the read-only token: %d %v", resp.StatusCode, out)
	}
	resp, _, raw := f.e.apiKeyed(http.MethodPost, "/api/v1/experiments", f.full, "dash-1", body)
	wantStatus(t, resp, http.StatusCreated, raw)
	if resp.Header.Get("Idempotent-Replayed") != "" {
		t.Error("the full token's create was answered as a replay")
	}
	// Without a token, or with a revoked one, the answer is still 401:
	// the token is checked before what it may do.
	if resp, _ := f.e.api(http.MethodDelete, "/api/v1/experiments/"+f.draft.ID, "cl_"+strings.Repeat("a", 40), ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an unknown token's DELETE: %d, want 401", resp.StatusCode)
	}
}

// TestH10FullTokenWrites: a token made as "Can change things", one made
// from a form that had no choice, and one made by the command line's
// CreateToken all still change things.
func TestH10FullTokenWrites(t *testing.T) {
	f := newH10Fixture(t)
	plain, _ := h10MakeToken(t, f.c, "Old form", "")
	cli := f.e.token("ci@example.com")
	for i, tok := range []string{f.full, plain, cli} {
		resp, out := f.e.api(http.MethodPatch, "/api/v1/experiments/"+f.draft.ID, tok, `{"name":"Hero `+string(rune('A'+i))+`"}`)
		if resp.StatusCode != http.StatusOK || out["name"] != "Hero "+string(rune('A'+i)) {
			t.Errorf("token %d: PATCH answered %d %v", i, resp.StatusCode, out)
		}
	}
	resp, out := f.e.api(http.MethodPost, "/api/v1/experiments/"+f.running.ID+"/stop", f.full, "")
	if resp.StatusCode != http.StatusOK || out["status"] != "stopped" {
		t.Errorf("stop with the full token: %d %v", resp.StatusCode, out)
	}
	resp, _ = f.e.api(http.MethodDelete, "/api/v1/experiments/"+f.running.ID, plain, "")
	wantStatus(t, resp, http.StatusNoContent, "")
}

// TestH10TokenFromBeforeTheUpgradeIsFull: a token made before tokens had
// a kind keeps doing what it did: it changes things.
func TestH10TokenFromBeforeTheUpgradeIsFull(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	schematest.Older(t, path, h10LastMigrationWithoutKinds(t))
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	secret := TokenPrefix + strings.Repeat("b", 40)
	if _, err := db.Exec(`insert into users (email, password_hash, created_at) values ('old@example.com', 'hash', 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`insert into api_tokens (user_id, name, token_hash, prefix, created_at) values (1, 'old script', ?, ?, 1)`,
		hashSecret(secret), secret[:len(TokenPrefix)+4]); err != nil {
		t.Fatal(err)
	}
	db.Close()

	store, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{MaxBody: maxEventBody, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ing.Close(cctx)
		store.Close()
	})
	a, err := newApp(Config{Addr: "127.0.0.1:0", DBPath: path, PublicURL: testPublicURL, BcryptCost: bcrypt.MinCost,
		Logger: slog.New(slog.DiscardHandler)}.withDefaults(), store, ing)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, app: a, store: store, ing: ing}
	resp, out := e.api(http.MethodPost, "/api/v1/sites", secret, `{"name":"Shop","domain":"shop.example.com"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("the old token's create: %d %v, want 201", resp.StatusCode, out)
	}
	resp, _ = e.api(http.MethodDelete, "/api/v1/sites/"+out["id"].(string), secret, "")
	wantStatus(t, resp, http.StatusNoContent, "")
}

// h10LastMigrationWithoutKinds is the last migration before API tokens
// had a kind: the one before the migration that adds api_tokens.access.
func h10LastMigrationWithoutKinds(t *testing.T) int {
	t.Helper()
	hasAccess := func(v int) bool {
		path := filepath.Join(t.TempDir(), "probe.db")
		schematest.Older(t, path, v)
		db, err := sql.Open("sqlite3", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`select count(*) from pragma_table_info('api_tokens') where name = 'access'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	v := schematest.Latest(t)
	if !hasAccess(v) {
		t.Fatal("no migration adds api_tokens.access")
	}
	for hasAccess(v) {
		v--
	}
	return v
}

// TestH10SettingsTokenKinds: Settings → API tokens offers "Can change
// things" (picked at first) and "Read only"; the shown-once message says
// which kind the new token is, the list shows each token's, and the API
// holds each to it. Another value is refused beside the choice, with
// nothing made.
func TestH10SettingsTokenKinds(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("lead@example.com")
	site := e.site("Shop")

	_, page := c.get("/settings")
	form := regexp.MustCompile(`(?s)<form[^>]*action="/settings/tokens"[^>]*>.*?</form>`).FindString(page)
	wantContains(t, form, `Can change things`, `Read only`,
		`<input type="radio" name="access" value="full" checked`, `<input type="radio" name="access" value="read"`)
	wantNotContains(t, form, `value="read" checked`)

	ro, page := h10MakeToken(t, c, "BI dashboard", "read")
	wantContains(t, page, "Your new read-only token.")
	h10WantRow(t, page, "BI dashboard", "Read only")
	full, page := h10MakeToken(t, c, "CI deploy", "full")
	wantContains(t, page, "Your new token, which can change things.")
	wantNotContains(t, page, "Your new read-only token.")
	h10WantRow(t, page, "CI deploy", "Can change things")
	h10WantRow(t, page, "BI dashboard", "Read only")

	_, page = c.get("/settings") // the list alone, after the shown-once page
	h10WantRow(t, page, "CI deploy", "Can change things")
	h10WantRow(t, page, "BI dashboard", "Read only")

	resp, out := e.api(http.MethodPatch, "/api/v1/sites/"+site.ID, ro, `{"name":"Renamed"}`)
	if code, _ := errorShape(t, out); resp.StatusCode != http.StatusForbidden || code != "token_read_only" {
		t.Errorf("the read-only token's PATCH: %d %v", resp.StatusCode, out)
	}
	resp, _ = e.api(http.MethodGet, "/api/v1/sites/"+site.ID, ro, "")
	wantStatus(t, resp, http.StatusOK, "")
	resp, out = e.api(http.MethodPatch, "/api/v1/sites/"+site.ID, full, `{"name":"Renamed"}`)
	if resp.StatusCode != http.StatusOK || out["name"] != "Renamed" {
		t.Errorf("the full token's PATCH: %d %v", resp.StatusCode, out)
	}

	// Another value: refused beside the choice, the name and the choice
	// kept, nothing made.
	c.get("/settings")
	resp, page = c.post("/settings/tokens", url.Values{"name": {"Sheets"}, "access": {"admin"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, page)
	wantContains(t, page, "Choose what the token may do: change things, or only read.", `value="Sheets"`)
	if h10SecretRe.MatchString(page) {
		t.Error("a token was shown after a refused form")
	}
	tokens, err := e.store.APITokens(context.Background(), sessionUser(t, e, "lead@example.com"))
	if err != nil || len(tokens) != 2 {
		t.Errorf("%d tokens after the refused form, want 2 (%v)", len(tokens), err)
	}
	// A refused name keeps the kind picked.
	resp, page = c.post("/settings/tokens", url.Values{"name": {""}, "access": {"read"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, page)
	wantContains(t, page, `<input type="radio" name="access" value="read" checked`)
}

// h10WantRow fails the test unless the tokens list has a row for name
// that shows kind.
func h10WantRow(t *testing.T, page, name, kind string) {
	t.Helper()
	for _, row := range regexp.MustCompile(`(?s)<tr role="row">.*?</tr>`).FindAllString(page, -1) {
		if strings.Contains(row, `<td role="cell" class="card-name" dir="auto">`+name+`</td>`) {
			if !strings.Contains(row, ">"+kind+"<") {
				t.Errorf("the row of %q does not say %q:\n%s", name, kind, row)
			}
			return
		}
	}
	t.Errorf("no row for the token %q", name)
}

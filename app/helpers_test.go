package app

import (
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/valyala/fasthttp"
	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

const (
	testPublicURL  = "http://copylab.test"
	testSetupToken = "setup-token-0123456789abcdef"
	testPassword   = "correct horse battery"
)

// env is one app on its own SQLite file in t.TempDir(), opened with the
// production DSN and migrations.
type env struct {
	t     *testing.T
	app   *App
	store *experiments.Store
	ing   *experiments.Ingester
}

func newEnv(t *testing.T, opts ...Option) *env {
	t.Helper()
	return newEnvConfig(t, nil, opts...)
}

// newEnvConfig is newEnv with its Config changed by change first (nil
// changes nothing): a test's own logger, say.
func newEnvConfig(t *testing.T, change func(*Config), opts ...Option) *env {
	t.Helper()
	ctx := context.Background()
	path := t.TempDir() + "/copylab.db"
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
	cfg := Config{
		Addr:       "127.0.0.1:0",
		DBPath:     path,
		PublicURL:  testPublicURL,
		BcryptCost: bcrypt.MinCost,
		SetupToken: testSetupToken,
		Logger:     slog.New(slog.DiscardHandler),
	}
	if change != nil {
		change(&cfg)
	}
	a, err := newApp(cfg.withDefaults(), store, ing, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, app: a, store: store, ing: ing}
}

// do sends one request through the app. -1: no timeout; the default one
// second flakes under -race.
func (e *env) do(req *http.Request) *http.Response {
	e.t.Helper()
	resp, err := e.app.Fiber().Test(req, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return resp
}

func newRequest(method, path string, body io.Reader) *http.Request {
	req, err := http.NewRequest(method, testPublicURL+path, body)
	if err != nil {
		panic(err)
	}
	return req
}

// fuzzTest sends req through app.Test for a fuzz target. ok is false when
// the request line and headers are longer than the server's read buffer:
// the HTTP server answers such a request 431 before copylab sees it, and
// app.Test reports it as an error, not as that answer.
func fuzzTest(t *testing.T, f *fiber.App, req *http.Request) (resp *http.Response, ok bool) {
	t.Helper()
	resp, err := f.Test(req, -1)
	if small := (*fasthttp.ErrSmallBuffer)(nil); errors.As(err, &small) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("%s %.200s: %v", req.Method, req.URL, err)
	}
	return resp, true
}

// readBody reads and closes a response body.
func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// client is a browser: it keeps cookies between requests.
type client struct {
	e       *env
	cookies map[string]string
	csrf    string // the last CSRF token seen in a page
}

func (e *env) client() *client { return &client{e: e, cookies: map[string]string{}} }

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

func (c *client) send(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp := c.e.do(req)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	body := readBody(c.e.t, resp)
	if m := csrfRe.FindStringSubmatch(body); m != nil {
		c.csrf = html.UnescapeString(m[1])
	}
	return resp, body
}

func (c *client) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	return c.send(newRequest(http.MethodGet, path, nil))
}

// post sends a form with the last CSRF token seen, unless the values carry
// their own _csrf (or an explicit empty one to leave it out).
func (c *client) post(path string, v url.Values) (*http.Response, string) {
	c.e.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	if _, ok := v["_csrf"]; !ok {
		v.Set("_csrf", c.csrf)
	}
	req := newRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req)
}

// addUser creates a user the quick way (the lowest bcrypt cost).
func (e *env) addUser(email string) experiments.User {
	e.t.Helper()
	u, _, err := addUser(context.Background(), e.store, email, "", testPassword, bcrypt.MinCost)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// signIn makes a user and returns a client signed in as them.
func (e *env) signIn(email string) *client {
	e.t.Helper()
	e.addUser(email)
	c := e.client()
	c.get("/login")
	resp, body := c.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in: status %d: %s", resp.StatusCode, body)
	}
	c.get("/experiments") // picks up the session's CSRF token
	return c
}

// site creates a site in the store.
func (e *env) site(name string) experiments.Site {
	e.t.Helper()
	s, err := e.store.CreateSite(context.Background(), experiments.Site{Name: name, Domain: "example.com"})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// setWebhook saves a site's notification webhook.
func setWebhook(t *testing.T, e *env, siteID, url string) {
	t.Helper()
	if _, err := e.store.SetSiteWebhook(context.Background(), siteID, url); err != nil {
		t.Fatal(err)
	}
}

// heroSelector is the element of a site's first experiment (experiment).
const heroSelector = `[data-copylab="hero"]`

// experiment creates a draft with a control and one variant on /pricing:
// the site's first on the element [data-copylab="hero"], each later one on
// an element of its own ([data-copylab="hero-2"], …), since two tests of
// one element on the same page cannot run at once (element_in_test).
func (e *env) experiment(siteID, name string, texts ...string) experiments.Experiment {
	e.t.Helper()
	selector := heroSelector
	if xs, err := e.store.Experiments(context.Background(), experiments.ExperimentFilter{SiteID: siteID}); err != nil {
		e.t.Fatal(err)
	} else if len(xs) > 0 {
		selector = `[data-copylab="hero-` + strconv.Itoa(len(xs)+1) + `"]`
	}
	return e.experimentOn(siteID, name, "/pricing", selector, texts...)
}

// experimentOn creates a draft with a control and one variant (or texts)
// on the page pattern and element given.
func (e *env) experimentOn(siteID, name, page, selector string, texts ...string) experiments.Experiment {
	e.t.Helper()
	if len(texts) == 0 {
		texts = []string{"Original headline", "New headline"}
	}
	var vs []experiments.Variant
	for _, t := range texts {
		vs = append(vs, experiments.Variant{Text: t})
	}
	x, err := e.store.CreateExperiment(context.Background(), experiments.Experiment{
		SiteID: siteID, Name: name, Page: page, Selector: selector,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000, Variants: vs,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return x
}

func (e *env) transition(id, action string) experiments.Experiment {
	e.t.Helper()
	x, err := e.store.Transition(context.Background(), id, action)
	if err != nil {
		e.t.Fatal(err)
	}
	return x
}

// eventBody is a POST /e body with one exposure (and a conversion when
// convert is set) for a visitor.
func eventBody(siteKey, visitor, expID, variant string, convert bool) string {
	evs := []map[string]any{{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": expID, "variant": variant, "url": "/pricing"}}
	if convert {
		evs = append(evs, map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": "conversion", "experiment": expID, "variant": variant, "goal": "click", "url": "/pricing"})
	}
	b, _ := json.Marshal(map[string]any{"site": siteKey, "visitor": visitor, "events": evs})
	return string(b)
}

// postEvents sends a body to POST /e as the snippet does.
func (e *env) postEvents(body string) *http.Response {
	e.t.Helper()
	req := newRequest(http.MethodPost, "/e", strings.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36")
	return e.do(req)
}

// api sends a JSON API request with a token ("" for none).
func (e *env) api(method, path, token, body string) (*http.Response, map[string]any) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := newRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp := e.do(req)
	raw := readBody(e.t, resp)
	var out map[string]any
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &out); err != nil {
			e.t.Fatalf("%s %s: not JSON (%d): %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp, out
}

// token makes an API token for a new user.
func (e *env) token(email string) string {
	e.t.Helper()
	e.addUser(email)
	secret, err := CreateToken(context.Background(), e.store, email, "tests")
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// wantStatus fails the test when the status differs.
func wantStatus(t *testing.T, resp *http.Response, want int, body string) {
	t.Helper()
	if resp.StatusCode != want {
		if len(body) > 2000 {
			body = body[:2000] + "…"
		}
		t.Fatalf("status %d, want %d; body: %s", resp.StatusCode, want, body)
	}
}

func wantContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
}

func wantNotContains(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("body contains %q", s)
		}
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
func itoa(n int) string     { return strconv.Itoa(n) }

// startedWithCounts is a running test "Hero" with the given counts per
// variant, a signed-in member and an API token: the set-up of the tests
// that read one state of the results on the page and in the document.
func startedWithCounts(t *testing.T, counts ...[2]int64) (e *env, c *client, tok string, x experiments.Experiment) {
	t.Helper()
	e = newEnv(t)
	c = e.signIn("ann@example.com")
	tok = e.token("api@example.com")
	x = e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, counts...)
	return e, c, tok, x
}

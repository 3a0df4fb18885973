package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// publicHeadersOK checks what every answer of the public group carries.
func publicHeadersOK(t *testing.T, resp *http.Response) {
	t.Helper()
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q", got)
	}
	if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("Access-Control-Allow-Credentials %q", got)
	}
	if got := resp.Header.Get("Cross-Origin-Resource-Policy"); got != "cross-origin" {
		t.Errorf("Cross-Origin-Resource-Policy %q", got)
	}
	if sc := resp.Header.Values("Set-Cookie"); len(sc) > 0 {
		t.Errorf("Set-Cookie %q", sc)
	}
}

func TestSnippet(t *testing.T) {
	e := newEnv(t)
	site := e.site("Marketing")
	running := e.experiment(site.ID, "Running", "Old headline", "Running variant text")
	e.transition(running.ID, "start")
	draft := e.experiment(site.ID, "Draft", "Old headline", "Draft variant text")
	paused := e.experiment(site.ID, "Paused", "Old headline", "Paused variant text")
	e.transition(paused.ID, "start")
	e.transition(paused.ID, "pause")
	_ = draft

	get := func(path string, hdr map[string]string) (*http.Response, string) {
		t.Helper()
		req := newRequest(http.MethodGet, path, nil)
		req.Header.Set("Cookie", "copylab_session=should-be-ignored")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp := e.do(req)
		return resp, readBody(t, resp)
	}

	var etag string
	t.Run("running experiments only", func(t *testing.T) {
		resp, body := get("/s/"+site.Key+".js", nil)
		wantStatus(t, resp, http.StatusOK, body)
		publicHeadersOK(t, resp)
		wantContains(t, body, running.ID, "Running variant text", site.Key, testPublicURL+"/e")
		wantNotContains(t, body, draft.ID, "Draft variant text", paused.ID, "Paused variant text")
		if ct := resp.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=60, stale-if-error=86400" {
			t.Errorf("Cache-Control %q", cc)
		}
		etag = resp.Header.Get("ETag")
		if len(etag) < 10 || !strings.HasPrefix(etag, `W/"`) {
			t.Fatalf("ETag %q", etag)
		}
	})

	t.Run("304 on a matching ETag", func(t *testing.T) {
		resp, body := get("/s/"+site.Key+".js", map[string]string{"If-None-Match": etag})
		wantStatus(t, resp, http.StatusNotModified, body)
		if body != "" || resp.Header.Get("ETag") != etag {
			t.Errorf("304 body %q, ETag %q", body, resp.Header.Get("ETag"))
		}
		publicHeadersOK(t, resp)
	})

	t.Run("gzip", func(t *testing.T) {
		resp, body := get("/s/"+site.Key+".js", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
		wantStatus(t, resp, http.StatusOK, "")
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		wantContains(t, string(plain), "Running variant text")
	})

	t.Run("pinned URL", func(t *testing.T) {
		hash := strings.Trim(strings.TrimPrefix(etag, "W/"), `"`)
		resp, body := get("/s/"+site.Key+"."+hash+".js", nil)
		wantStatus(t, resp, http.StatusOK, body)
		// As long as the plain tag, not immutable: a stopped test must
		// reach returning visitors (TestPinnedTagRevalidates).
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=60, stale-if-error=86400" {
			t.Errorf("Cache-Control %q", cc)
		}
		resp, _ = get("/s/"+site.Key+".0123456789abcdef.js", nil)
		wantStatus(t, resp, http.StatusFound, "")
		if loc := resp.Header.Get("Location"); loc != "/s/"+site.Key+".js" {
			t.Errorf("Location %q", loc)
		}
	})

	t.Run("changes show after a transition", func(t *testing.T) {
		c := e.signIn("ann@example.com")
		resp, _ := c.post("/experiments/"+paused.ID+"/resume", nil)
		wantStatus(t, resp, http.StatusSeeOther, "")
		resp, body := get("/s/"+site.Key+".js", map[string]string{"If-None-Match": etag})
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "Paused variant text")
	})

	t.Run("unknown site", func(t *testing.T) {
		for path, want := range map[string]string{
			"/s/aaaaaaaaaaaaaaaa.js":  "/* copylab: unknown site */\n",
			"/s/nope.js":              "/* copylab: unknown site */\n",
			"/s/.js":                  "/* copylab: unknown site */\n",
			"/s/" + site.Key + ".css": "/* copylab: not a tag address; the tag is /s/SITE_KEY.js */\n",
			"/s/" + site.Key:          "/* copylab: not a tag address; the tag is /s/SITE_KEY.js */\n",
		} {
			resp, body := get(path, nil)
			wantStatus(t, resp, http.StatusNotFound, body)
			publicHeadersOK(t, resp)
			if body != want {
				t.Errorf("%s: body %q, want %q", path, body, want)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
				t.Errorf("%s: Content-Type %q", path, ct)
			}
		}
	})

	t.Run("json twin", func(t *testing.T) {
		resp, body := get("/s/"+site.Key+".json", nil)
		wantStatus(t, resp, http.StatusOK, body)
		publicHeadersOK(t, resp)
		var cfg struct {
			Site        string `json:"site"`
			Experiments []struct {
				ID       string `json:"id"`
				Seed     string `json:"seed"`
				Variants []struct {
					Key      string `json:"key"`
					WeightBP int    `json:"weight_bp"`
					Text     string `json:"text"`
				} `json:"variants"`
			} `json:"experiments"`
		}
		if err := json.Unmarshal([]byte(body), &cfg); err != nil {
			t.Fatal(err)
		}
		if cfg.Site != site.Key || len(cfg.Experiments) != 2 || cfg.Experiments[0].ID != running.ID || cfg.Experiments[0].Variants[1].Key != "b" ||
			cfg.Experiments[0].Variants[1].Text != running.Variants[1].Text {
			t.Errorf("config %+v", cfg)
		}
		wantContains(t, body, `"visible_only":false`)

		// An experiment that counts only visitors who see its element
		// says so, for a server that sends its exposures itself.
		other := e.site("Below the fold")
		x, err := e.store.CreateExperiment(context.Background(), experiments.Experiment{SiteID: other.ID, Name: "Footer", Page: "/",
			Selector: "footer p", Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000, VisibleOnly: true,
			Variants: []experiments.Variant{{Text: "Old footer"}, {Text: "New footer"}}})
		if err != nil {
			t.Fatal(err)
		}
		e.transition(x.ID, "start")
		resp, body = get("/s/"+other.Key+".json", nil)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `"visible_only":true`)

		resp, body = get("/s/aaaaaaaaaaaaaaaa.json", nil)
		wantStatus(t, resp, http.StatusNotFound, body)
		wantContains(t, body, `"code":"unknown_site"`)
	})
}

func TestEvents(t *testing.T) {
	e := newEnv(t)
	site := e.site("Marketing")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, "start")

	t.Run("204 after commit, counted", func(t *testing.T) {
		resp := e.postEvents(eventBody(site.Key, "v1", x.ID, "b", true))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusNoContent, body)
		publicHeadersOK(t, resp)
		// Every page view gets this answer: it carries what a fetch needs
		// and no page policies.
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "",
			"Referrer-Policy": "", "X-Frame-Options": "", "Cache-Control": ""} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Error("no X-Request-Id")
		}
		got, err := e.store.Experiment(context.Background(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		counts, err := e.store.Counts(context.Background(), got)
		if err != nil {
			t.Fatal(err)
		}
		if counts.Variants[1].Exposures != 1 || counts.Variants[1].Conversions != 1 {
			t.Errorf("counts %+v", counts.Variants)
		}
	})

	t.Run("application/json too", func(t *testing.T) {
		req := newRequest(http.MethodPost, "/e", strings.NewReader(eventBody(site.Key, "v2", x.ID, "control", false)))
		req.Header.Set("Content-Type", "application/json")
		resp := e.do(req)
		wantStatus(t, resp, http.StatusNoContent, readBody(t, resp))
	})

	t.Run("rejections", func(t *testing.T) {
		tests := []struct {
			name, ctype, body string
			status            int
			code              string
		}{
			{"malformed", "text/plain", "{not json", http.StatusBadRequest, "invalid_json"},
			{"unknown site", "text/plain", eventBody("aaaaaaaaaaaaaaaa", "v", x.ID, "b", false), http.StatusNotFound, "unknown_site"},
			{"wrong type", "application/x-www-form-urlencoded", "a=b", http.StatusUnsupportedMediaType, "unsupported_media_type"},
			{"too large", "text/plain", `{"site":"` + strings.Repeat("x", maxEventBody) + `"}`, http.StatusRequestEntityTooLarge, "too_large"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := newRequest(http.MethodPost, "/e", strings.NewReader(tt.body))
				req.Header.Set("Content-Type", tt.ctype)
				resp := e.do(req)
				raw := readBody(t, resp)
				wantStatus(t, resp, tt.status, raw)
				publicHeadersOK(t, resp)
				var out struct {
					Error apiErrorBody `json:"error"`
				}
				if err := json.Unmarshal([]byte(raw), &out); err != nil || out.Error.Code != tt.code || out.Error.Message == "" {
					t.Errorf("body %s (%v)", raw, err)
				}
				if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: "+tt.code) {
					t.Errorf("X-Copylab %q", h)
				}
				if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "X-Copylab") {
					t.Error("X-Copylab is not exposed to scripts")
				}
			})
		}
	})

	t.Run("draft experiment", func(t *testing.T) {
		draft := e.experiment(site.ID, "Draft")
		resp := e.postEvents(eventBody(site.Key, "v3", draft.ID, "b", false))
		raw := readBody(t, resp)
		wantStatus(t, resp, http.StatusUnprocessableEntity, raw)
		wantContains(t, raw, `"field":"events[0].experiment"`)
	})

	t.Run("preflight", func(t *testing.T) {
		req := newRequest(http.MethodOptions, "/e", nil)
		req.Header.Set("Origin", "https://example.com")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp := e.do(req)
		wantStatus(t, resp, http.StatusNoContent, readBody(t, resp))
		publicHeadersOK(t, resp)
		if !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") || !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Content-Type") {
			t.Errorf("preflight headers %v", resp.Header)
		}
	})

	t.Run("retry-after on 503", func(t *testing.T) {
		e2 := newEnv(t)
		s2 := e2.site("Two")
		x2 := e2.experiment(s2.ID, "Hero")
		e2.transition(x2.ID, "start")
		e2.ing.Close(context.Background()) // a closed ingester defers everything
		resp := e2.postEvents(eventBody(s2.Key, "v", x2.ID, "b", false))
		raw := readBody(t, resp)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Skipf("closed ingester answered %d (%s); nothing to check", resp.StatusCode, raw)
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Errorf("no Retry-After on 503: %s", raw)
		}
	})
}

func TestDemo(t *testing.T) {
	t.Run("before setup: the page, no tag", func(t *testing.T) {
		e := newEnv(t)
		resp, body := e.client().get("/demo")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `data-copylab="hero"`, DemoHeadline, "does not exist")
		wantNotContains(t, body, "/s/")
	})
	t.Run("after setup: the real tag in <head>", func(t *testing.T) {
		e := newEnv(t)
		e.addUser("ann@example.com")
		if err := e.app.createDemo(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		site, _, _ := e.app.demoSite(context.Background())
		resp, body := e.client().get("/demo")
		wantStatus(t, resp, http.StatusOK, body)
		tag := `<script src="` + testPublicURL + `/s/` + site.Key + `.js"></script>`
		head, _, _ := strings.Cut(body, "</head>")
		wantContains(t, head, tag)
		wantContains(t, body, `data-copylab="signup"`, "?copylab=", `:control">Original</a>`, `:b">Variant B</a>`)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self' "+testPublicURL) || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		// The tag it names serves the demo experiment.
		resp2 := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js", nil))
		js := readBody(t, resp2)
		wantContains(t, js, demoVariants[0], demoVariants[1])
		// No session cookie on a public page.
		if len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("Set-Cookie on /demo: %v", resp.Header.Values("Set-Cookie"))
		}
	})
}

func TestAssetsAndHeaders(t *testing.T) {
	e := newEnv(t)
	css := e.app.assets.url("css/app.css")
	resp := e.do(newRequest(http.MethodGet, css, nil))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", cc)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	resp = e.do(newRequest(http.MethodGet, strings.Replace(css, e.app.assets.files["css/app.css"].hash, "000000000000", 1), nil))
	wantStatus(t, resp, http.StatusOK, readBody(t, resp))
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("old hash: Cache-Control %q", cc)
	}
	for _, p := range []string{"/static/x/css/nope.css", "/static/x/../go.mod", "/static/x/vendor/refresh.sh"} {
		resp = e.do(newRequest(http.MethodGet, p, nil))
		wantStatus(t, resp, http.StatusNotFound, readBody(t, resp))
	}
	if b, _ := io.ReadAll(bytes.NewReader(e.app.assets.files["vendor/htmx.min.js"].body)); !bytes.Contains(b, []byte("htmx")) {
		t.Error("htmx is not vendored")
	}

	t.Run("page security headers", func(t *testing.T) {
		resp := e.do(newRequest(http.MethodGet, "/login", nil))
		readBody(t, resp)
		want := map[string]string{
			"Content-Security-Policy": pageCSP,
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "same-origin",
		}
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s: %q, want %q", k, got, v)
			}
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Error("no X-Request-Id")
		}
	})

	t.Run("request id is echoed when sane", func(t *testing.T) {
		req := newRequest(http.MethodGet, "/healthz", nil)
		req.Header.Set("X-Request-Id", "abc-123")
		resp := e.do(req)
		wantStatus(t, resp, http.StatusOK, readBody(t, resp))
		if got := resp.Header.Get("X-Request-Id"); got != "abc-123" {
			t.Errorf("X-Request-Id %q", got)
		}
		req.Header.Set("X-Request-Id", "bad id <script>")
		resp = e.do(req)
		if got := resp.Header.Get("X-Request-Id"); got == "" || strings.ContainsAny(got, " <") {
			t.Errorf("X-Request-Id %q", got)
		}
	})

	t.Run("404 page in the app's look", func(t *testing.T) {
		resp := e.do(newRequest(http.MethodGet, "/no/such/page", nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusNotFound, body)
		wantContains(t, body, "Page not found", e.app.assets.url("css/app.css"))
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
	})

	t.Run("signed in: the 404 keeps the navigation", func(t *testing.T) {
		c := e.signIn("nav@example.com")
		resp, body := c.get("/no/such/page")
		wantStatus(t, resp, http.StatusNotFound, body)
		wantContains(t, body, "Page not found", "Sign out", `href="/sites"`)
	})

	t.Run("compressed when accepted", func(t *testing.T) {
		req := newRequest(http.MethodGet, css, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp := e.do(req)
		readBody(t, resp)
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
		}
	})

	t.Run("panics become a 500 page without internals", func(t *testing.T) {
		e.app.fiber.Get("/test-panic", func(c *fiber.Ctx) error { panic("secret internals") })
		resp := e.do(newRequest(http.MethodGet, "/test-panic", nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusInternalServerError, body)
		wantContains(t, body, "Something went wrong", "Request id")
		wantNotContains(t, body, "secret internals")
	})
}

func TestHousekeeping(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	sess := hashSecret(c.cookies["copylab_session"])
	if err := e.store.ExtendSession(context.Background(), sess, e.app.now().Add(-1)); err != nil {
		t.Fatal(err)
	}
	e.app.housekeeping(context.Background())
	var n int
	if err := e.store.Reader().QueryRow(`select count(*) from sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d sessions left after housekeeping", n)
	}

	// An invite a week past its expiry (experiments.ExpiredInviteKept) goes
	// too, on the hourly round, not only when the Users page is read.
	now := e.app.now()
	if _, _, err := e.store.CreateInvite(context.Background(), "hash", "fay@example.com", "", "ann@example.com", now.Add(-15*24*time.Hour), now.Add(-8*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.app.housekeeping(context.Background())
	if err := e.store.Reader().QueryRow(`select count(*) from invites`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d expired invites left after housekeeping", n)
	}
}

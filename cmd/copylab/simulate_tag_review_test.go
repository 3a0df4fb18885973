package main

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"copylab/app"
	"copylab/experiments"
)

// TestSimulateSnippetNamesNoPage: copylab simulate --snippet fetches the
// tag as a tool, naming no page (no Referer, no Origin). It used to send
// Referer: https://shop.example/pricing, so the site page of a site on
// any other domain said "Loaded on https://shop.example, not …" under a
// "Check the domain" badge, a page that never existed. Now the page says
// the tag was fetched without a page, as the README says of simulate.
func TestSimulateSnippetNamesNoPage(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Acme", Domain: "www.acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.AddUser(ctx, s, "owner@example.com", "Owner", "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	base := serveInProcess(t, db)

	stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", site.Key, "--snippet", "20", "--concurrency", "2")
	if err != nil || !strings.Contains(stdout, "snippet 20 requests") {
		t.Fatalf("simulate --snippet: %v\n%s", err, stdout)
	}

	page := signedInGet(t, base, "owner@example.com", "correct horse battery staple", "/sites/"+site.ID)
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, ""))
	var said []string
	for _, bad := range []string{"shop.example", "Loaded on", "Check the domain"} {
		if strings.Contains(text, bad) {
			said = append(said, bad)
		}
	}
	if len(said) > 0 {
		t.Errorf("the site page says %q after a simulate run:\n%s", said, tagStatusText(text))
	}
	if !strings.Contains(text, "The requests named no page") {
		t.Errorf("the site page does not say the tag was fetched without a page:\n%s", tagStatusText(text))
	}
}

// tagStatusText is the site page's text from the tag status on, for a
// failure message that shows what the page said.
func tagStatusText(text string) string {
	if i := strings.Index(text, "Tag loaded"); i >= 0 {
		text = text[i:]
	}
	return strings.Join(strings.Fields(text[:min(len(text), 600)]), " ")
}

// signedInGet signs in to the copylab at base as a browser would (the
// sign-in form with its double-submit token, cookies kept) and returns
// the body of path.
func signedInGet(t *testing.T, base, email, password, path string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	get := func(p string) (*http.Response, string) {
		t.Helper()
		resp, err := c.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	_, login := get("/login")
	m := regexp.MustCompile(`name="_csrf" value="([^"]*)"`).FindStringSubmatch(login)
	if m == nil {
		t.Fatalf("the sign-in page has no CSRF token:\n%s", login)
	}
	resp, err := c.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}, "_csrf": {html.UnescapeString(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, body := get(path)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != path {
		t.Fatalf("GET %s after signing in: %d at %s", path, resp.StatusCode, resp.Request.URL)
	}
	return body
}

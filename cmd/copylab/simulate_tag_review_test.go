package main

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestSimulateSnippetNotSeenOnSite: copylab simulate --snippet fetches
// the tag as a tool, naming no page (no Referer, no Origin), and names
// itself (simulate.Header), so that copylab does not count its fetches as
// the tag seen on the site. It used to send Referer:
// https://shop.example/pricing, so the site page of a site on any other
// domain said "Loaded on https://shop.example, not …" under a "Check the
// domain" badge, a page that never existed; and, without it, the page
// still said "Installed" and "Tag loaded just now" when no page of the
// site had the tag. Now the page still says "Not seen yet", until a page
// of the site loads the tag.
func TestSimulateSnippetNotSeenOnSite(t *testing.T) {
	var site experiments.Site
	base, _ := simulateServer(t, func(d simulateDB) {
		site = d.site("Acme", "www.acme.test")
	})

	stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", base, "--site", site.Key, "--snippet", "20", "--concurrency", "2")
	if err != nil || !strings.Contains(stdout, "snippet 20 requests") {
		t.Fatalf("simulate --snippet: %v\n%s", err, stdout)
	}
	text := sitePageText(t, base, site)
	var said []string
	for _, bad := range []string{"shop.example", "Loaded on", "Check the domain", "Installed", "Tag loaded"} {
		if strings.Contains(text, bad) {
			said = append(said, bad)
		}
	}
	if len(said) > 0 {
		t.Errorf("the site page says %q after a simulate run:\n%s", said, tagStatusText(text))
	}
	if !strings.Contains(text, "Not seen yet") {
		t.Errorf("the site page does not say the tag is not seen yet:\n%s", tagStatusText(text))
	}

	// A page of the site loads the tag: that is seen.
	req, err := http.NewRequest(http.MethodGet, base+"/s/"+site.Key+".js", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Referer", "https://www.acme.test/pricing")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if text := sitePageText(t, base, site); !strings.Contains(text, "Installed") || !strings.Contains(text, "Tag loaded just now on https://www.acme.test") {
		t.Errorf("after a page of the site loaded the tag:\n%s", tagStatusText(text))
	}
}

// sitePageText is the text of site's page in the copylab at base, as its
// owner (simulateServer's) sees it.
func sitePageText(t *testing.T, base string, site experiments.Site) string {
	t.Helper()
	page := signedInGet(t, base, simulateOwner, simulatePassword, "/sites/"+site.ID)
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, ""))
	return strings.ReplaceAll(text, "\u00a0", " ") // "on&nbsp;https://…"
}

// tagStatusText is the site page's text from the tag status on, for a
// failure message that shows what the page said.
func tagStatusText(text string) string {
	for _, from := range []string{"Tag loaded", "Not seen yet:"} {
		if i := strings.Index(text, from); i >= 0 {
			text = text[i:]
			break
		}
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

package app

import (
	"crypto/sha512"
	"encoding/base64"
	"html"
	"net/http"
	"regexp"
	"testing"

	"copylab/experiments"
)

var pinnedTagRe = regexp.MustCompile(`src="http://copylab\.test(/s/[a-z0-9]+\.[0-9a-f]+\.js)" integrity="(sha384-[A-Za-z0-9+/=]+)" crossorigin="anonymous"`)

// TestPinnedTagIntegrity: the site page offers the pinned tag with a
// Subresource Integrity hash that matches the bytes the pinned URL serves.
func TestPinnedTagIntegrity(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Headline")
	e.transition(x.ID, experiments.ActionStart)
	c := e.signIn("owner@example.com")

	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, http.StatusOK, body)
	m := pinnedTagRe.FindStringSubmatch(html.UnescapeString(body))
	if m == nil {
		t.Fatalf("no pinned tag with an integrity hash on the site page")
	}
	resp = e.do(newRequest(http.MethodGet, m[1], nil))
	served := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, served)
	sum := sha512.Sum384([]byte(served))
	if got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); got != m[2] {
		t.Fatalf("integrity %s, but the pinned URL serves bytes hashing to %s", m[2], got)
	}
}

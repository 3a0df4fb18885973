package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// TestTagOriginHostRules: the page a tag request names (Referer) is kept
// on the site page only when its host is a host as browsers send one, by
// the rule the events' referrers use (experiments.WebHost): an empty
// label, a label past 63 characters or something that only looks like an
// IPv6 address names no page.
func TestTagOriginHostRules(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	// One fetch a second is recorded: each fetch here is a second later.
	now := time.Now().Unix()
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return now }
	for _, referer := range []string{
		"https://evil..example/",
		"https://.evil.example/",
		"https://evil" + strings.Repeat("e", 61) + ".example/",
		"https://[evil::]/",
	} {
		now++
		e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", referer)
	}
	now++
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://good.example/")
	_, body := c.get("/sites/" + site.ID)
	if got := tagStatusText(t, body, "tag-status"); strings.Contains(got, "evil") {
		t.Errorf("the site page names a page no browser sends: %q", got)
	} else if !strings.Contains(got, "https://good.example") {
		t.Errorf("the site page does not name the page a browser sent: %q", got)
	}
}

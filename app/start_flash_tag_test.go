package app

import (
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// TestStartFlashWhileTagNotSeen: the message after Start follows what the
// Start question said. While copylab has seen nothing of the site's tag,
// it no longer promises visitors "within a minute" (the running page
// warns that the tag was never seen right below it); once a page has
// loaded the tag, it does.
func TestStartFlashWhileTagNotSeen(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")

	first := e.experiment(site.ID, "Hero")
	body := flashAfter(t, c, "/experiments/"+first.ID+"/start", nil)
	wantContains(t, body, "Started. copylab has not seen the tag on Shop yet: visitors see the variants once your pages load it.")
	wantNotContains(t, body, "Within a minute")

	// A fetch that names no page (curl checking the URL) is no page
	// loading the tag.
	e.transition(first.ID, experiments.ActionStop)
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK)
	curled := e.experiment(site.ID, "Hero, curled")
	body = flashAfter(t, c, "/experiments/"+curled.ID+"/start", nil)
	wantContains(t, body, "Started. copylab has not seen the tag on Shop yet: visitors see the variants once your pages load it.")

	// The tag's loads are noted once a second: the page's load comes a
	// second after the curl.
	e.transition(curled.ID, experiments.ActionStop)
	later := time.Now().Add(2 * time.Second).Unix()
	e.app.snippets.tags.clock = func(*fiber.Ctx) int64 { return later }
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/pricing")
	second := e.experiment(site.ID, "Hero again")
	body = flashAfter(t, c, "/experiments/"+second.ID+"/start", nil)
	wantContains(t, body, "Started. Within a minute, visitors see the variants.")
}

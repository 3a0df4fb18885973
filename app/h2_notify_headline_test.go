package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestNotifyHeadlineAsThePage: a webhook message heads a verdict with the
// words of the results page it links to, and of the results document's
// verdict.headline: a reader who follows the link finds the same
// headline above the same sentence. A broken split is "Results can’t be
// trusted yet" there, not another name for it.
func TestNotifyHeadlineAsThePage(t *testing.T) {
	for _, tc := range []struct {
		name      string
		threshold float64 // 0 for the default
		days      int
		counts    [][2]int64
		headline  string
	}{
		{"winner", 0, 14, calledWinner, "We have a winner"},
		{"the original best", 0, 14, [][2]int64{{100000, 6500}, {100000, 5000}}, "Keep the original"},
		{"no meaningful difference", 0, 14, [][2]int64{{1000000, 50000}, {1000000, 50100}}, "No meaningful difference"},
		{"probably a winner", 0.5, 8, [][2]int64{{800, 80}, {800, 102}}, "Probably a winner"},
		{"the original probably best", 0.5, 8, [][2]int64{{800, 102}, {800, 80}}, "The original is probably best"},
		{"broken split", 0, 2, [][2]int64{{10000, 500}, {8000, 400}}, "Results can’t be trusted yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			h := newHook(t)
			site := e.site("Shop")
			x := e.experiment(site.ID, "Hero")
			if tc.threshold > 0 {
				if _, err := e.store.Writer().Exec(`update experiments set threshold = ? where id = ?`, tc.threshold, x.ID); err != nil {
					t.Fatal(err)
				}
			}
			x = e.transition(x.ID, experiments.ActionStart)
			backdate(e, x, tc.days)
			e.setCounts(x, tc.counts...)
			setWebhook(t, e, site.ID, h.URL+"/hook")

			c := e.signIn("ann@example.com")
			resp, body := c.get("/experiments/" + x.ID + "/results")
			wantStatus(t, resp, http.StatusOK, body)
			title, _, early, _ := verdictOn(t, body)
			if early || title != tc.headline {
				t.Fatalf("the page heads it %q (early %v); the case wants %q", title, early, tc.headline)
			}
			_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", e.token("api@example.com"), "")
			if v, _ := doc["verdict"].(map[string]any); v["headline"] != title {
				t.Fatalf("verdict.headline %#v, the page %q", v["headline"], title)
			}

			if n := e.app.notifyOnce(context.Background()); n != 1 {
				t.Fatalf("sent %d, want 1", n)
			}
			got := h.received()
			if want := title + ": “Hero” on Shop"; len(got) != 1 || got[0]["title"] != want {
				t.Errorf("webhook got %v, want the title %q", got, want)
			}
		})
	}
}

// TestNotifyElementMissingAsThePage: the message that the tag stopped
// finding the tested element is headed as the results page's banner
// about it.
func TestNotifyElementMissingAsThePage(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	h := newHook(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	setWebhook(t, e, site.ID, h.URL+"/hook")
	// Found once, then missed: the page warns that it is going missing
	// (never found, it would say so in the verdict instead).
	wantStatus(t, e.postEvents(eventBody(site.Key, "seen", x.ID, "b", false)), http.StatusNoContent, "")
	for i := range 12 {
		body := `{"site":"` + site.Key + `","visitor":"gone` + itoa(i) + `","events":[{"id":"` + uuid.Must(uuid.NewV7()).String() +
			`","type":"exposure","experiment":"` + x.ID + `","variant":"b","matched":false,"url":"/pricing"}]}`
		wantStatus(t, e.postEvents(body), http.StatusNoContent, "")
	}
	c := e.signIn("ann@example.com")
	_, body := c.get("/experiments/" + x.ID + "/results")
	banner := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "element-missing" })
	if len(banner) != 1 {
		t.Fatalf("the results page shows no element-missing banner:\n%s", body)
	}
	title := strings.TrimSpace(textOf(findAll(banner[0], hasClass("banner-title"))[0]))
	if n := e.app.notifyOnce(context.Background()); n != 1 {
		t.Fatalf("sent %d, want the missing element's message", n)
	}
	got := h.received()
	if want := title + ": “Hero” on Shop"; len(got) != 1 || got[0]["title"] != want {
		t.Errorf("webhook got %v, want the title %q", got, want)
	}
}

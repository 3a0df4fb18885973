package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// tagWarning is the experiment page's warning that copylab has not seen
// the site's tag, its words and its link ("", "" when it has none).
func tagWarning(t *testing.T, body string) (text, href string) {
	t.Helper()
	nodes := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "tag-not-seen" })
	switch len(nodes) {
	case 0:
		return "", ""
	case 1:
	default:
		t.Fatalf("%d warnings #tag-not-seen", len(nodes))
	}
	for _, a := range findAll(nodes[0], func(n *xhtml.Node) bool { return n.Data == "a" }) {
		href = attrOf(a, "href")
	}
	return strings.Join(strings.Fields(textOf(nodes[0])), " "), href
}

// TestExperimentTagNotSeen: while copylab has seen nothing of a site's
// tag (the site page's "Not seen yet": no load, no event), a draft's page
// says so, links to the site page's install instructions and still offers
// Start, whose question says that visitors enter once the pages load the
// tag rather than "within a minute"; a running test that nobody has
// entered names the tag as the likely reason. Once the tag has loaded, or
// the site's events arrive, none of that shows: the draft says where the
// tag was last seen instead of asking to make sure it is installed.
func TestExperimentTagNotSeen(t *testing.T) {
	const (
		draftWarning = "copylab has not seen the tag on Shop yet. Until your pages load it, nobody enters this test " +
			"and the preview links show the page unchanged. You can start it all the same. See how to install it."
		runningWarning = "copylab has not seen the tag on Shop yet: that is the likely reason nobody has entered this test. " +
			"See how to install it."
		draft = "This is a draft: visitors see the original copy until you start it. "
		check = "Check each variant on the real page with the preview links below, then press Start."
		split = "visitors are split Original 50% / Variant B 50%. Variants cannot be edited after this, nor can the page, element or goal."
	)
	for _, tc := range []struct {
		name    string
		setup   func(e *env, site experiments.Site, x experiments.Experiment) // after the experiment is created
		start   bool                                                          // start it before the page is read
		warning string
		notice  string // the draft notice
		asks    string // Start's question
	}{
		{
			name:    "draft, tag never seen",
			setup:   func(*env, experiments.Site, experiments.Experiment) {},
			warning: draftWarning,
			notice:  draft + check,
			asks:    "Start this experiment? copylab has not seen the tag on Shop yet. Once your pages load it, " + split,
		},
		{
			name: "draft, tag loaded on the site",
			setup: func(e *env, site experiments.Site, _ experiments.Experiment) {
				e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/pricing")
			},
			notice: draft + "The tag was last seen on https://shop.example just now. " + check,
			asks:   "Start this experiment? Within a minute, " + split,
		},
		{
			name: "draft, tag loaded by a request that named no page",
			setup: func(e *env, site experiments.Site, _ experiments.Experiment) {
				e.fetchTag("/s/"+site.Key+".js", http.StatusOK)
			},
			notice: draft + "The tag was fetched just now, by a request that named no page: a tool such as curl, " +
				"or a page whose Referrer-Policy hides it. " + check,
			asks: "Start this experiment? copylab has not seen the tag on Shop yet. Once your pages load it, " + split,
		},
		{
			name: "draft, events only",
			setup: func(e *env, site experiments.Site, _ experiments.Experiment) {
				other := e.transition(e.experiment(site.ID, "Other").ID, experiments.ActionStart)
				if resp := e.postEvents(eventBody(site.Key, "v1", other.ID, "control", false)); resp.StatusCode != http.StatusNoContent {
					e.t.Fatalf("POST /e: %d", resp.StatusCode)
				}
			},
			notice: draft + "The site’s last event arrived just now. " + check,
			asks:   "Start this experiment? Within a minute, " + split,
		},
		{
			name:    "running without visitors, tag never seen",
			setup:   func(*env, experiments.Site, experiments.Experiment) {},
			start:   true,
			warning: runningWarning,
		},
		{
			// curl checking the tag's URL is no page loading it.
			name: "running without visitors, tag fetched by a request that named no page",
			setup: func(e *env, site experiments.Site, _ experiments.Experiment) {
				e.fetchTag("/s/"+site.Key+".js", http.StatusOK)
			},
			start:   true,
			warning: runningWarning,
		},
		{
			name: "running without visitors, tag loaded",
			setup: func(e *env, site experiments.Site, _ experiments.Experiment) {
				e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/")
			},
			start: true,
		},
		{
			name: "running with visitors, tag never seen",
			setup: func(e *env, _ experiments.Site, x experiments.Experiment) {
				e.setCounts(x, [2]int64{3, 0}, [2]int64{2, 0})
			},
			start: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site, err := e.store.CreateSite(context.Background(), experiments.Site{Name: "Shop", Domain: "shop.example"})
			if err != nil {
				t.Fatal(err)
			}
			x := e.experiment(site.ID, "Hero")
			if tc.start {
				x = e.transition(x.ID, experiments.ActionStart)
			}
			tc.setup(e, site, x)

			resp, body := c.get("/experiments/" + x.ID)
			wantStatus(t, resp, http.StatusOK, body)
			text, href := tagWarning(t, body)
			if text != tc.warning {
				t.Errorf("warning\n%q\nwant\n%q", text, tc.warning)
			}
			if tc.warning != "" && href != "/sites/"+site.ID+"#install" {
				t.Errorf("the warning links to %q, want the site page's install card", href)
			}
			if tc.warning != "" {
				resp, page := c.get("/sites/" + site.ID)
				wantStatus(t, resp, http.StatusOK, page)
				wantContains(t, page, `<section class="card" id="install"><div class="section-head"><h2>Install the tag</h2>`)
			}
			if got := draftNotice(t, body); got != tc.notice {
				t.Errorf("draft notice\n%q\nwant\n%q", got, tc.notice)
			}
			if tc.start {
				return
			}
			b := pageButtons(t, body, x.ID, "/start")
			if len(b) != 1 {
				t.Fatalf("Start buttons %+v, want one", b)
			}
			if b[0].confirm != tc.asks {
				t.Errorf("Start asks\n%q\nwant\n%q", b[0].confirm, tc.asks)
			}
			// The warning does not stand in the way.
			body = flashAfter(t, c, "/experiments/"+x.ID+"/start", nil)
			wantContains(t, body, "Started.", "badge-running")
		})
	}
}

package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentsListVerdicts: the list and a site's page show, for each
// started experiment, its counted visitors, its verdict and the variant in
// the lead; a draft says it has not started.
func TestExperimentsListVerdicts(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
	e.experiment(site.ID, "Next idea")
	e.transition(x.ID, experiments.ActionStart)
	// 100 visitors each, enough for a verdict that names a leader; b
	// converts 50 times, the original 25 times.
	for i := range 100 {
		wantStatus(t, e.postEvents(eventBody(site.Key, fmt.Sprintf("c%d", i), x.ID, "control", i < 25)), http.StatusNoContent, "")
		wantStatus(t, e.postEvents(eventBody(site.Key, fmt.Sprintf("b%d", i), x.ID, "b", i < 50)), http.StatusNoContent, "")
	}
	for _, path := range []string{"/experiments", "/sites/" + site.ID} {
		_, body := c.get(path)
		wantContains(t, body, `scope="col" class="num">Visitors</th>`, ">200<", "verdict-chip verdict-", "Variant B leads", "(+100.0%)",
			"Not started")
	}
	// New visitors change the verdict's inputs: the list is not stale.
	wantStatus(t, e.postEvents(eventBody(site.Key, "late", x.ID, "control", true)), http.StatusNoContent, "")
	_, body := c.get("/experiments")
	wantContains(t, body, ">201<")
	wantNotContains(t, body, ">200<")
}

// TestExperimentsListFilter: ?status= shows one status, with every tab's
// count; a status with none says so; an unknown one shows them all.
func TestExperimentsListFilter(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	run := e.experiment(site.ID, "Running one")
	e.transition(run.ID, experiments.ActionStart)
	e.experiment(site.ID, "Draft one")
	e.experiment(site.ID, "Draft two")

	_, body := c.get("/experiments")
	wantContains(t, body, `class="tab tab-active" aria-current="page">All <span class="tab-count">3</span>`,
		`href="/experiments?status=running" class="tab">Running <span class="tab-count">1</span>`,
		`Drafts <span class="tab-count">2</span>`, `Paused <span class="tab-count">0</span>`, "Running one", "Draft two")
	_, body = c.get("/experiments?status=draft")
	wantContains(t, body, `aria-current="page">Drafts`, "Draft one", "Draft two")
	wantNotContains(t, body, "Running one")
	_, body = c.get("/experiments?status=paused")
	wantContains(t, body, "No paused experiments right now.")
	wantNotContains(t, body, "Running one", "Draft one", "No experiments yet")
	_, body = c.get("/experiments?status=%3Cscript%3E")
	wantContains(t, body, `aria-current="page">All`, "Running one", "Draft one")
}

// TestExperimentsListSearchAndPages: a long list comes fifty at a time,
// newest first, with links between the pages (by position, see
// TestExperimentsListPagesByPosition; old page numbers still work) that
// keep the tab, the site and the search; the search matches every word in the name, page or site;
// a site's page shows its newest fifty and links to the rest.
func TestExperimentsListSearchAndPages(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	shop, blog := e.site("Shop"), e.site("Blog")
	for i := range 120 {
		e.experiment(shop.ID, fmt.Sprintf("Shop test %03d", i))
	}
	e.experiment(blog.ID, "Newsletter <b>signup</b>")
	run := e.experiment(blog.ID, "Pricing headline")
	e.transition(run.ID, experiments.ActionStart)

	_, body := c.get("/experiments")
	wantContains(t, body, "1–50 of 122 experiments", "<title>Experiments · copylab</title>", `href="/experiments?after=`, `rel="next">Older →`,
		"Pricing headline", "Shop test 119", "Shop test 072")
	wantNotContains(t, body, "Shop test 071", `rel="prev"`)
	_, body = c.get("/experiments?page=3")
	wantContains(t, body, "101–122 of 122 experiments", `href="/experiments?before=`, `rel="prev">← Newer`, "Shop test 000")
	wantNotContains(t, body, `rel="next"`, "Shop test 022")
	_, last := c.get("/experiments?page=99")
	wantContains(t, last, "101–122 of 122 experiments")
	_, body = c.get("/experiments?page=-4")
	wantContains(t, body, "1–50 of 122 experiments")

	// Words in any order, any case, across name, page and site.
	_, body = c.get("/experiments?q=" + url.QueryEscape("blog /pricing"))
	wantContains(t, body, "Pricing headline", "Newsletter")
	wantNotContains(t, body, "Shop test")
	_, body = c.get("/experiments?q=" + url.QueryEscape("blog HEADLINE"))
	wantContains(t, body, "Pricing headline", `value="blog HEADLINE"`, `All <span class="tab-count">1</span>`,
		`href="/experiments?q=blog+HEADLINE&amp;status=running" class="tab">Running <span class="tab-count">1</span>`)
	wantNotContains(t, body, "Shop test", "Newsletter", `class="pager"`)
	_, body = c.get("/experiments?q=" + url.QueryEscape("<b>"))
	wantContains(t, body, "Newsletter &lt;b&gt;signup&lt;/b&gt;")
	_, body = c.get("/experiments?status=running&q=" + url.QueryEscape("\"><script>"))
	wantContains(t, body, "No running experiments match “&#34;&gt;&lt;script&gt;”.", `href="/experiments?status=running">Clear the search`,
		"<title>Running experiments matching “&#34;&gt;&lt;script&gt;” · copylab</title>")
	wantNotContains(t, body, "<script>")

	// One site's experiments, its tabs and pages kept to it.
	_, body = c.get("/experiments?site=" + shop.ID + "&page=2")
	wantContains(t, body, "<h1>Experiments on <bdi>Shop</bdi></h1>", "51–100 of 120 experiments",
		"<title>Experiments on Shop, 51–100 of 120 · copylab</title>",
		`&amp;site=`+shop.ID+`" rel="next"`, `href="/experiments/new?site=`+shop.ID+`"`)
	wantNotContains(t, body, "Pricing headline", `scope="col">Site</th>`)
	_, body = c.get("/experiments?site=nope")
	wantContains(t, body, "<h1>Experiments</h1>", "1–50 of 122 experiments")

	// The site's page: its newest fifty, the rest on the list; deleting it
	// still counts them all.
	_, body = c.get("/sites/" + shop.ID)
	wantContains(t, body, "1–50 of 120 experiments", "with its 120 experiments")
	older := pagerLink(t, body, "next")
	if !strings.HasPrefix(older, "/experiments?after=") || !strings.Contains(older, "site="+shop.ID) {
		t.Errorf("the site page's Older link is %q, want the list after its last row, for the site", older)
	}
	_, body = c.get(older)
	wantContains(t, body, "51–100 of 120 experiments")
	_, body = c.get("/sites/" + blog.ID)
	wantContains(t, body, "Stop its running experiments first: “<bdi>Pricing headline</bdi>”.")
	wantNotContains(t, body, `class="pager"`)
}

// TestExperimentsListLeader: the variant in the lead is the one with
// visitors most likely the best, the original included; a tie names no
// leader, and neither does a verdict of not enough data (TestExperimentsListNoLeaderWithoutData).
func TestExperimentsListLeader(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	send := func(x experiments.Experiment, variant string, n, conv int) {
		for i := range n {
			wantStatus(t, e.postEvents(eventBody(site.Key, fmt.Sprintf("%s-%s-%d", x.ID[:8], variant, i), x.ID, variant, i < conv)), http.StatusNoContent, "")
		}
	}
	start := func(name string) experiments.Experiment {
		x := e.experiment(site.ID, name)
		return e.transition(x.ID, experiments.ActionStart)
	}
	original := start("Original ahead")
	e.setCounts(original, [2]int64{100, 60}, [2]int64{100, 10})
	_, body := c.get("/experiments")
	wantContains(t, body, "The original leads")
	wantNotContains(t, body, "Variant B leads")

	e.transition(original.ID, experiments.ActionStop)
	empty := start("Nobody on B")
	send(empty, "control", 20, 2)
	tie := start("Dead heat")
	e.setCounts(tie, [2]int64{100, 25}, [2]int64{100, 25})
	_, body = c.get("/experiments?status=running")
	wantContains(t, body, "Nobody on B", "Dead heat")
	if n := strings.Count(body, " leads"); n != 0 {
		t.Errorf("%d leaders among the two running tests, want none (not enough data where B has nobody; a tie)", n)
	}
}

// TestExperimentsListNoLeaderWithoutData: while the verdict is "Not
// enough data yet" the list names no leader: one visitor who converted on
// B would otherwise make B "lead" beside a chip that says nothing can be
// told yet. Once the verdict has data, the leader is back.
func TestExperimentsListNoLeaderWithoutData(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.transition(e.experiment(site.ID, "One visitor").ID, experiments.ActionStart)
	wantStatus(t, e.postEvents(eventBody(site.Key, "only", x.ID, "b", true)), http.StatusNoContent, "")
	for _, path := range []string{"/experiments", "/sites/" + site.ID} {
		_, body := c.get(path)
		wantContains(t, body, "verdict-not_enough_data", "Not enough data yet", ">1<")
		wantNotContains(t, body, " leads")
	}
	e.setCounts(x, [2]int64{200, 20}, [2]int64{200, 40})
	_, body := c.get("/experiments")
	wantContains(t, body, "Variant B leads", "(+100.0%)")
	wantNotContains(t, body, "Not enough data")
}

// TestExperimentsListSearchCounts: with a search, every tab counts the
// experiments it matches (on the site the list is narrowed to), the pager
// counts the tab's matches, and the search ignores case beyond ASCII
// letters ("ÉTÉ" finds "Été"), as the API's does.
func TestExperimentsListSearchCounts(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	shop, blog := e.site("Shop"), e.site("Blog")
	for i := range 60 {
		x := e.experiment(shop.ID, fmt.Sprintf("Soldes d’été %02d", i))
		if i%4 == 0 {
			e.transition(x.ID, experiments.ActionStart)
		}
	}
	e.experiment(shop.ID, "Winter sale")
	e.transition(e.experiment(blog.ID, "Été sur le blog").ID, experiments.ActionStart)

	_, body := c.get("/experiments?q=" + url.QueryEscape("ÉTÉ"))
	wantContains(t, body, `All <span class="tab-count">61</span>`, `Running <span class="tab-count">16</span>`,
		`Drafts <span class="tab-count">45</span>`, `Paused <span class="tab-count">0</span>`,
		"1–50 of 61 experiments", "Été sur le blog", "Soldes d’été 59")
	wantNotContains(t, body, "Winter sale")
	_, body = c.get("/experiments?page=2&q=" + url.QueryEscape("ÉTÉ"))
	wantContains(t, body, "51–61 of 61 experiments", "Soldes d’été 00")

	_, body = c.get("/experiments?site=" + shop.ID + "&status=running&page=7&q=" + url.QueryEscape("d’ÉTÉ"))
	wantContains(t, body, `All <span class="tab-count">60</span>`, `aria-current="page">Running <span class="tab-count">15</span>`,
		"Soldes d’été 56", "Soldes d’été 00")
	wantNotContains(t, body, "Été sur le blog", "Soldes d’été 01", `class="pager"`)

	// A search that matches nothing still knows the site has experiments.
	_, body = c.get("/experiments?site=" + blog.ID + "&q=winter")
	wantContains(t, body, `All <span class="tab-count">0</span>`, "No experiments match “winter”.")
	wantNotContains(t, body, "No experiments yet")
}

package app

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"copylab/experiments"
)

// listedNames are the experiments a page's table lists, in its order.
func listedNames(body string) []string {
	var out []string
	for _, m := range listedRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

var listedRe = regexp.MustCompile(`class="list-name"><a href="/experiments/[^"]+">([^<]*)</a></td>`)

// TestSitePageExperiments: a site's page lists its newest fifty
// experiments, newest first, counts them all, links to the rest, names
// every running one (the oldest too) before it can be deleted, and takes
// its preview example from the newest experiment with a variant besides
// the original, even one older than the fifty; a site of a few shows them
// without a pager, and an empty site says it has none. No other site's
// experiment shows.
func TestSitePageExperiments(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	shop, blog, empty := e.site("Shop"), e.site("Blog"), e.site("Empty")
	// Shop: five with a new variant (the first and fourth running), then
	// fifty-one drafts with only the original, the newest fifty of them
	// on its page.
	var withVariants []experiments.Experiment
	for i := range 5 {
		withVariants = append(withVariants, e.experiment(shop.ID, fmt.Sprintf("Shop test %03d", i)))
	}
	e.transition(withVariants[0].ID, experiments.ActionStart)
	e.transition(withVariants[3].ID, experiments.ActionStart)
	for i := 5; i < 56; i++ {
		e.experiment(shop.ID, fmt.Sprintf("Shop test %03d", i), "Original headline")
	}
	// Blog: the newest has only the original; the older one gives the
	// example.
	blogOld := e.experiment(blog.ID, "Blog older", "Original headline", "Newer headline")
	e.experiment(blog.ID, "Blog newest", "Original headline")

	t.Run("more than a page", func(t *testing.T) {
		resp, body := c.get("/sites/" + shop.ID)
		wantStatus(t, resp, 200, body)
		var want []string
		for i := 55; i >= 6; i-- {
			want = append(want, fmt.Sprintf("Shop test %03d", i))
		}
		if got := listedNames(body); !slices.Equal(got, want) {
			t.Errorf("listed %d experiments %q, want the newest fifty %q", len(got), got, want)
		}
		wantContains(t, body, "1–50 of 56 experiments", `rel="next">Older →`,
			"Stop its running experiments first: “<bdi>Shop test 003</bdi>”, “<bdi>Shop test 000</bdi>”.",
			`For example: <code class="break">https://example.com/pricing?copylab=`+withVariants[4].ID+`:`+withVariants[4].Variants[1].Key+`</code>`)
		wantNotContains(t, body, `rel="prev"`, "Blog", "No experiments on this site yet")

		e.transition(withVariants[0].ID, experiments.ActionStop)
		e.transition(withVariants[3].ID, experiments.ActionStop)
		_, body = c.get("/sites/" + shop.ID)
		wantContains(t, body, "Removes the site for good, with its 56 experiments, their results and events")
		wantNotContains(t, body, "Stop its running experiments first")

		// Older continues after the last row shown: a test created
		// since the page was read is not listed again on the next.
		older := pagerLink(t, body, "next")
		e.experiment(shop.ID, "Shop test 056", "Original headline")
		_, next := c.get(older)
		want = []string{"Shop test 005", "Shop test 004", "Shop test 003", "Shop test 002", "Shop test 001", "Shop test 000"}
		if got := listedNames(next); !slices.Equal(got, want) {
			t.Errorf("Older (%s) listed %q, want the six after the page %q", older, got, want)
		}
	})

	t.Run("a few", func(t *testing.T) {
		_, body := c.get("/sites/" + blog.ID)
		if got, want := listedNames(body), []string{"Blog newest", "Blog older"}; !slices.Equal(got, want) {
			t.Errorf("listed %q, want %q", got, want)
		}
		wantContains(t, body, "with its 2 experiments",
			`For example: <code class="break">https://example.com/pricing?copylab=`+blogOld.ID+`:`+blogOld.Variants[1].Key+`</code>`)
		wantNotContains(t, body, `class="pager"`, "Shop test", "Stop its running experiments first")
	})

	t.Run("empty", func(t *testing.T) {
		_, body := c.get("/sites/" + empty.ID)
		if got := listedNames(body); len(got) != 0 {
			t.Errorf("listed %q", got)
		}
		wantContains(t, body, "No experiments on this site yet", `href="/experiments/new?site=`+empty.ID+`"`,
			"Removes the site for good, with its recorder settings.")
		wantNotContains(t, body, `class="pager"`, "For example:", "Shop test", "Blog")
	})

	t.Run("with a webhook", func(t *testing.T) {
		setWebhook(t, e, empty.ID, "https://hooks.example.com/services/T0/B0/x")
		_, body := c.get("/sites/" + empty.ID)
		wantContains(t, body, "Removes the site for good, with its recorder and notification settings.")
	})

	t.Run("only drafts with the original", func(t *testing.T) {
		lone := e.site("Lone")
		e.experiment(lone.ID, "Lone draft", "Original headline")
		_, body := c.get("/sites/" + lone.ID)
		wantContains(t, body, "Lone draft", "with its 1 experiment,")
		wantNotContains(t, body, "For example:")
	})
}

// TestSitesListCounts: the sites list counts each site's experiments and
// its running ones, a site without any as 0, each site only its own.
func TestSitesListCounts(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	shop, blog, empty := e.site("Shop"), e.site("Blog"), e.site("Empty")
	for i := range 53 {
		x := e.experiment(shop.ID, fmt.Sprintf("Shop test %03d", i))
		if i%20 == 0 {
			e.transition(x.ID, experiments.ActionStart)
		}
	}
	paused := e.experiment(blog.ID, "Blog paused")
	e.transition(paused.ID, experiments.ActionStart)
	e.transition(paused.ID, experiments.ActionPause)
	e.experiment(blog.ID, "Blog draft")

	_, body := c.get("/sites")
	for _, tt := range []struct {
		name string
		site experiments.Site
		cell string
	}{
		{"running ones", shop, `<td role="cell" data-label="Experiments" class="card-wide">53 <span class="badge badge-running">3 running</span></td>`},
		{"none running", blog, `<td role="cell" data-label="Experiments" class="card-wide">2 </td>`},
		{"no experiments", empty, `<td role="cell" data-label="Experiments" class="card-wide">0 </td>`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			row := regexp.MustCompile(`<tr role="row"><td role="cell" class="card-name"><a href="/sites/` + tt.site.ID + `" dir="auto">` + tt.site.Name +
				`</a><div class="small muted">example.com</div></td>(<td.*?</td>)<td role="cell" data-label="Key"><code>`).
				FindStringSubmatch(body)
			if row == nil || row[1] != tt.cell {
				t.Errorf("%s's experiments: %q, want %q", tt.site.Name, row, tt.cell)
			}
		})
	}
}

// TestSitePageManyRunning: a site with more running experiments than a
// sentence can hold names the newest few, counts the rest and links to the
// list of them all.
func TestSitePageManyRunning(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	for i := range 7 {
		x := e.experiment(site.ID, fmt.Sprintf("Card label %d", i))
		e.transition(x.ID, experiments.ActionStart)
	}
	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, 200, body)
	wantContains(t, body, "Stop its 7 running experiments first: “<bdi>Card label 6</bdi>”, “<bdi>Card label 5</bdi>”, “<bdi>Card label 4</bdi>”, “<bdi>Card label 3</bdi>”, “<bdi>Card label 2</bdi>” and 2 more",
		`href="/experiments?site=`+site.ID+`&amp;status=running">see them all</a>`)
	wantNotContains(t, body, "“Card label 1”", "“Card label 0”")
}

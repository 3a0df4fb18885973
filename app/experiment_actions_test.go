package app

import (
	"net/http"
	"net/url"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// button is one action button of the experiment page, as a browser reads
// it: its label, its class and the question its data-confirm asks.
type button struct {
	label, class, confirm string
}

// pageButtons reads the buttons of an experiment page's forms that post
// to path (such as "/ship" or "/start"), in order.
func pageButtons(t *testing.T, body, id, path string) []button {
	t.Helper()
	var out []button
	for _, f := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
		return n.Data == "form" && attrOf(n, "action") == "/experiments/"+id+path
	}) {
		for _, b := range findAll(f, func(n *xhtml.Node) bool { return n.Data == "button" }) {
			out = append(out, button{label: textOf(b), class: attrOf(b, "class"), confirm: attrOf(b, "data-confirm")})
		}
	}
	return out
}

// flashAfter posts a form of the experiment page and returns the page it
// leads back to, with the flash.
func flashAfter(t *testing.T, c *client, path string, v url.Values) string {
	t.Helper()
	resp, body := c.post(path, v)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get(resp.Header.Get("Location"))
	return body
}

// TestStartAsksFirst: Start asks before the test begins, saying the split
// and that the variants are fixed from then on, and what it does to copy
// shipped on the same element or to another test of it. A draft with only
// the original asks nothing: the start is refused, with the reason.
func TestStartAsksFirst(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	// A page has loaded the tag: the question while it has not is
	// TestExperimentTagNotSeen's.
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://example.com/pricing")
	start := func(id string) button {
		t.Helper()
		_, body := c.get("/experiments/" + id)
		got := pageButtons(t, body, id, "/start")
		if len(got) != 1 {
			t.Fatalf("%d Start buttons", len(got))
		}
		return got[0]
	}
	const asks = "Start this experiment? Within a minute, visitors are split Original 50% / Variant B 50%. " +
		"Variants cannot be edited after this, nor can the page, element or goal."

	x := e.experiment(site.ID, "Hero")
	if got := start(x.ID); got.confirm != asks {
		t.Errorf("Start asks %q, want %q", got.confirm, asks)
	}
	if got := start(e.experiment(site.ID, "Bare", "Only the original").ID); got.confirm != "" {
		t.Errorf("a draft without a variant asks %q before a start that is refused", got.confirm)
	}
	// Nor does a draft whose share or split leaves nobody to compare.
	for name, set := range map[string]func(x *experiments.Experiment){
		"a 0% share":          func(x *experiments.Experiment) { x.CoverageBP = 0 },
		"the original at 0%":  func(x *experiments.Experiment) { x.Variants[0].WeightBP, x.Variants[1].WeightBP = 0, 10000 },
		"every variant at 0%": func(x *experiments.Experiment) { x.Variants[0].WeightBP, x.Variants[1].WeightBP = 10000, 0 },
	} {
		d := e.experiment(site.ID, "Nobody "+name)
		set(&d)
		if _, err := e.store.UpdateExperiment(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		if got := start(d.ID); got.confirm != "" {
			t.Errorf("a draft with %s asks %q before a start that is refused", name, got.confirm)
		}
	}

	e.shipped(site.ID, "Shipped headline")
	want := asks + " While it runs, the tag stops showing Variant B of “Old”, shipped on this element: visitors given the original see your page's own copy."
	if got := start(x.ID); got.confirm != want {
		t.Errorf("with copy shipped on the element, Start asks\n%q\nwant\n%q", got.confirm, want)
	}
	// A test of the element on pages that may meet these (any page with
	// a plan parameter that starts /pricing): a warning. One on the same
	// pages is refused (TestStartRefusedWhileElementInTest).
	other := e.transition(e.experimentOn(site.ID, "Other", "/pricing*?plan=*", heroSelector).ID, experiments.ActionStart)
	want = asks + " “Other” tests this element too, on pages that may meet these (it runs on /pricing*?plan=*): on a page both reach, the two tests undo each other’s copy. Start it only if no page of your site matches both."
	if got := start(x.ID); got.confirm != want {
		t.Errorf("with another test of the element running, Start asks\n%q\nwant\n%q", got.confirm, want)
	}

	// Confirmed, it starts as before.
	e.transition(other.ID, experiments.ActionStop)
	body := flashAfter(t, c, "/experiments/"+x.ID+"/start", nil)
	wantContains(t, body, "Started. Within a minute, visitors see the variants.", "badge-running")
}

// TestStopSaysWhatVisitorsSee: when a variant of another experiment is
// shipped on the same element, the tag shows it once this test no longer
// runs, so Stop's question, and the messages after Pause and Stop, name
// it instead of claiming the original copy; the tag agrees.
func TestStopSaysWhatVisitorsSee(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	e.shipped(site.ID, "Shipped headline")
	x := e.transition(e.experimentOn(site.ID, "Next", "/pricing", heroSelector, "Shipped headline", "Newer headline").ID, experiments.ActionStart)
	wantNotContains(t, e.tagBody(site.Key), "Shipped headline")

	_, body := c.get("/experiments/" + x.ID)
	stop := pageButtons(t, body, x.ID, "/stop")
	const stopAsks = "Stop this experiment for good? Visitors will see the shipped copy of “Old” (Variant B); the results are kept, but it cannot be started again."
	if len(stop) != 1 || stop[0].confirm != stopAsks {
		t.Errorf("Stop buttons %+v, want one asking %q", stop, stopAsks)
	}

	body = flashAfter(t, c, "/experiments/"+x.ID+"/pause", nil)
	wantContains(t, withoutBdi(body), "Paused. Visitors see the shipped copy of “Old” (Variant B); results are kept.")
	wantContains(t, e.tagBody(site.Key), "Shipped headline")
	e.transition(x.ID, experiments.ActionResume)

	body = flashAfter(t, c, "/experiments/"+x.ID+"/stop", nil)
	wantContains(t, withoutBdi(body), "Stopped for good. Visitors see the shipped copy of “Old” (Variant B); the results stay here.")
	wantNotContains(t, body, "Visitors see the original copy")
	wantContains(t, e.tagBody(site.Key), "Shipped headline")

	// Nothing else on the element: the original copy, as before.
	y := e.transition(e.experiment(site.ID, "Elsewhere").ID, experiments.ActionStart)
	if _, err := e.store.Writer().Exec(`update experiments set selector = '#other' where id = ?`, y.ID); err != nil {
		t.Fatal(err)
	}
	body = flashAfter(t, c, "/experiments/"+y.ID+"/stop", nil)
	wantContains(t, body, "Stopped for good. Visitors see the original copy; the results stay here.")
}

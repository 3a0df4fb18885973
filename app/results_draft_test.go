package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// TestResultsDraftPages: a draft has no results, so its full results page
// and its share page say when they come instead of showing a table of
// zeros, a "Not enough data yet" verdict, empty charts and segments, and
// polling every 5 s for results that cannot exist. The full page leads
// back to the experiment and has no share box or exports; the share page
// is public, so it says plainly that the test has not started and links
// nowhere into the app. Their polled fragments, asked for directly, say
// the same without polling. Once started, both pages have the live results.
func TestResultsDraftPages(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Original", "Variant copy")
	full, share := "/experiments/"+x.ID+"/results", "/r/"+x.ShareToken

	// What neither page shows of a draft: the panel, its polling, the
	// verdict, the zero table, the trends, the recordings, the guide to
	// numbers that are not there, the exports.
	empty := []string{`id="results"`, "hx-get", "hx-trigger", "refreshes every 5 seconds",
		`class="verdict`, "Not enough data yet", "visitors in the test", "table-results", "plan-line",
		`id="results-trends"`, "Over time", `id="segments"`, `id="recordings"`, "How to read this",
		"Results as CSV", "results.csv", "daily.csv"}

	resp, body := c.get(full)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `id="draft-results"`, "No results yet",
		"Results appear here once you start the test",
		"This is a draft: nobody is counted until you start it.",
		`<a class="btn btn-primary" href="/experiments/`+x.ID+`">Back to the experiment</a>`)
	wantNotContains(t, body, empty...)
	wantNotContains(t, body, "Share link", share, "A read-only copy of this page")

	resp, body = c.get(share)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `id="draft-results"`, "This test has not started yet", "· not started yet",
		"Results appear here once it starts", "Open this link again once the test has started.")
	wantNotContains(t, body, empty...)
	wantNotContains(t, body, "started —", "Back to the experiment")
	// Public: the only link is the skip link to the content.
	for _, a := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "a" || n.Data == "form" || n.Data == "button" }) {
		if a.Data != "a" || attrOf(a, "href") != "#main" {
			t.Errorf("the public page of a draft has <%s href=%q>", a.Data, attrOf(a, "href"))
		}
	}

	// The polled fragments of a draft, if asked for, neither show zeros
	// nor ask to be polled again.
	for _, path := range []string{full + "/live", share + "/live"} {
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `id="results"`, "The test has not started yet: results appear once it starts.")
		wantNotContains(t, body, "hx-trigger", `class="verdict`, "table-results", "No visitors yet")
	}

	// Nor do the share link's exports and recordings: its copy may still
	// change, and nobody saw it (409 not_started: TestShareNotStartedConflict).
	for _, path := range []string{share + "/results.csv", share + "/daily.csv", share + "/recordings"} {
		resp := e.do(newRequest(http.MethodGet, path, nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusConflict, body)
		wantNotContains(t, body, "Variant copy", "Original")
	}

	// Started: the live results, their polling, the share box and the
	// exports.
	e.transition(x.ID, experiments.ActionStart)
	resp, body = c.get(full)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `id="results"`, `hx-get="`+full+`/live"`, `hx-trigger="every 5s"`, `class="verdict`,
		`id="results-trends"`, "Share link", share, "Results as CSV")
	wantNotContains(t, body, `id="draft-results"`, "No results yet")
	resp, body = c.get(share)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `id="results"`, `hx-get="`+share+`/live"`, `hx-trigger="every 5s"`, "· started ", "Results as CSV")
	wantNotContains(t, body, `id="draft-results"`, "not started yet")
	resp = e.do(newRequest(http.MethodGet, share+"/results.csv", nil))
	body = readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Variant copy")
}

// TestResultsDraftTrends: the trends fragments of a draft (the charts and
// segments htmx polls on a started test's results and share pages), asked
// for directly, draw no empty charts: they answer with the draft's empty
// state, as its results page and share page do (a member's leads back to
// the experiment; the share link's links nowhere), and do not poll. Once
// started, the same fragments draw the charts and poll.
func TestResultsDraftTrends(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Original", "Variant copy")
	full, share := "/experiments/"+x.ID+"/results/trends", "/r/"+x.ShareToken+"/trends"
	charts := []string{"<svg", "chart-svg", "chart-axis", "No visitors yet", "Over time", `id="segments"`, "No segments yet",
		"Data table", "hx-get", "hx-trigger"}
	for _, tc := range []struct {
		name, path string
		want       []string
		links      []string // every link in the fragment
	}{
		{"results", full, []string{"No results yet", "Results appear here once you start the test",
			"This is a draft: nobody is counted until you start it."}, []string{"/experiments/" + x.ID}},
		{"share", share, []string{"This test has not started yet", "Results appear here once it starts",
			"Open this link again once the test has started."}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.get(tc.path)
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, append([]string{`id="results-trends"`, `id="draft-results"`}, tc.want...)...)
			wantNotContains(t, body, charts...)
			var links []string
			for _, a := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "a" }) {
				links = append(links, attrOf(a, "href"))
			}
			if strings.Join(links, " ") != strings.Join(tc.links, " ") {
				t.Errorf("links %v, want %v", links, tc.links)
			}
		})
	}

	e.transition(x.ID, experiments.ActionStart)
	for _, path := range []string{full, share} {
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `id="results-trends"`, `hx-get="`+path+`"`, `hx-trigger="every 30s"`, "Over time", "chart-svg")
		wantNotContains(t, body, `id="draft-results"`)
	}
}

// TestResultsDraftAPI: the results document of a draft keeps its
// contract (200, every field, verdict.status not_enough_data, zeros and
// nulls where nothing is counted), and its sentences say that the test
// has not started rather than that no visitor came. The CSV says the same.
func TestResultsDraftAPI(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Original", "Variant copy")

	resp, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", resp.StatusCode, out)
	}
	wantKeys(t, "document", out, "id", "name", "status", "threshold", "started_at", "days_running", "days_paused",
		"shipped_variant", "shipped_at", "variants", "srm", "excluded", "verdict", "caution", "plan", "daily",
		"segments", "segment_flags", "generated_at")
	if out["status"] != "draft" || out["started_at"] != nil || out["days_running"] != 0.0 || out["caution"] != nil {
		t.Errorf("status %v, started_at %v, days_running %v, caution %v", out["status"], out["started_at"], out["days_running"], out["caution"])
	}
	const (
		verdict = "The test has not started yet: nobody is counted until it starts."
		plan    = "The test has not started yet, so there is no estimate of how long it needs."
	)
	v := out["verdict"].(map[string]any)
	if v["status"] != stats.StatusNotEnoughData || v["text"] != verdict {
		t.Errorf("verdict %v, want %s: %q", v, stats.StatusNotEnoughData, verdict)
	}
	p := out["plan"].(map[string]any)
	if p["text"] != plan || p["sample_size_per_variant"] != nil || p["days_remaining"] != nil || p["reached"] != false {
		t.Errorf("plan %v", p)
	}
	vs := out["variants"].([]any)
	if len(vs) != 2 {
		t.Fatalf("%d variants", len(vs))
	}
	for _, raw := range vs {
		rv := raw.(map[string]any)
		if rv["exposures"] != 0.0 || rv["conversions"] != 0.0 || rv["uplift"] != nil {
			t.Errorf("variant %v", rv)
		}
	}

	resp, body := c.get("/experiments/" + x.ID + "/results.csv")
	wantStatus(t, resp, http.StatusOK, body)
	if !strings.Contains(body, verdict) {
		t.Errorf("the CSV does not say the test has not started:\n%s", body)
	}
}

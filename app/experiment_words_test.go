package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentWordsVariantsNotVersions: once copy is in an experiment it
// is a variant (the first one the original) on every page, message and
// file about it: the list, the form, the draft and running pages, the
// results with their plan, charts and verdict, the recordings, the ship
// panel and its history, the flashes, the CSV files and the API's errors.
// None says "version" (the generation pages have their own test,
// TestGenerateWordsDraftsAndVariants; "version" stays for the script's
// pinned build on the site page).
func TestExperimentWordsVariantsNotVersions(t *testing.T) {
	f := newRecordingsFixture(t) // a running test, recordings of both variants
	e, site, x := f.e, f.site, f.x
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	bare := e.experiment(site.ID, "Bare", "Only the original")
	draft := e.experiment(site.ID, "Draft", "Original headline", "Draft headline")
	quiet := e.experiment(site.ID, "Quiet", "Quiet original", "Quiet new")

	page := func(path string) string {
		t.Helper()
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		return body
	}
	// flash posts a form and reads the page it leads to.
	flash := func(path string, v url.Values) string {
		t.Helper()
		resp, body := c.post(path, v)
		wantStatus(t, resp, http.StatusSeeOther, body)
		return page(resp.Header.Get("Location"))
	}

	checkWords(t, "the list", page("/experiments"), "Each experiment tests variants", "Variants")
	checkWords(t, "the new form", page("/experiments/new"), "write the variants to try",
		"Write each variant as plain text. Every variant is compared against the original.",
		"+ Add a variant", "A new variant to try", "the share of the experiment's visitors each variant gets",
		"Draft copy with AI", "variants you typed above are kept")
	form := url.Values{"site_id": {site.ID}, "name": {"Form"}, "page": {"/"}, "selector": {"h1"},
		"goal_type": {"click"}, "goal_selector": {"#go"}, "variants[0].key": {""}, "variants[0].text": {"Form original"}}
	for i := 1; i < experiments.MaxVariants; i++ {
		form.Set(fmt.Sprintf("variants[%d].key", i), "")
		form.Set(fmt.Sprintf("variants[%d].text", i), fmt.Sprintf("Form variant %d", i))
	}
	form.Set("op", "add")
	_, body := c.post("/experiments", form)
	checkWords(t, "a form one row too many", body, "Test at most 10 new variants at once.")
	form.Set("op", "generate")
	checkWords(t, "a form saved for drafts", flash("/experiments", form), "Draft saved. Now describe the copy you want, and copylab writes drafts of it.")
	checkWords(t, "a draft with only the original", page("/experiments/"+bare.ID), "Add at least one variant before starting")
	checkWords(t, "its start refused", flash("/experiments/"+bare.ID+"/start", nil), "Add at least one variant of the copy before starting.")
	checkWords(t, "a draft", page("/experiments/"+draft.ID), "Check each variant on the real page", "The variant sticks for the browser tab")
	checkWords(t, "its brief form", page("/experiments/"+draft.ID+"/generate"), "Number of drafts", "How many drafts to write",
		"Words or phrases every draft has to contain", "Drafts that use them are discarded.", "The most characters a draft may have")
	checkWords(t, "its duplicate", flash("/experiments/"+draft.ID+"/duplicate", nil), "the same page, element, goal and variants")
	checkWords(t, "a running test", page("/experiments/"+x.ID), "Ship Variant B", "Show Variant B")
	checkWords(t, "its results", page("/experiments/"+x.ID+"/results"), "Results per variant",
		"Each variant’s conversion rate so far", "visitors who saw more than one variant are left out, and so are bots.")
	checkWords(t, "its trends", page("/experiments/"+x.ID+"/results/trends"), "stacked by variant")
	checkWords(t, "its recordings", page("/experiments/"+x.ID+"/recordings"), "All variants", "each variant’s visitors")
	checkWords(t, "the plan", page("/experiments/plan?threshold=10&plan_base=5&plan_variants=3"),
		"38,000 visitors per variant", "114,000 in all, the original and 2 variants")
	checkWords(t, "a test started", flash("/experiments/"+quiet.ID+"/start", nil), "Within a minute, visitors see the variants.")
	e.setCounts(quiet, [2]int64{100, 0}, [2]int64{100, 0}) // visitors, no conversion yet
	checkWords(t, "a verdict without conversions", page("/experiments/"+quiet.ID+"/results"), "each variant needs at least")
	checkWords(t, "a test paused", flash("/experiments/"+quiet.ID+"/pause", nil))
	checkWords(t, "a test resumed", flash("/experiments/"+quiet.ID+"/resume", nil), "Visitors see the variants again.")

	checkWords(t, "shipped", flash("/experiments/"+x.ID+"/ship", url.Values{"variant": {"b"}}), "Stop showing this variant?")
	checkWords(t, "unshipped", flash("/experiments/"+x.ID+"/unship", nil), "Stopped showing the shipped variant")
	// The site page keeps "version" for the tag's pinned build.
	wantContains(t, flash("/sites/"+site.ID+"/recorders", url.Values{"clarity.project_id": {"abc123"}}),
		"Each variant’s results link to its recordings.", "Only running experiments and shipped variants reach visitors.")

	for _, kind := range []string{"results", "daily"} {
		for _, row := range resultsCSVRows(t, c, x.ID, kind)[:1] {
			if m := versionRe.FindAllString(strings.Join(row, ","), -1); len(m) > 0 {
				t.Errorf("%s.csv header says %q: %v", kind, m, row)
			}
		}
	}

	apiCheck := func(name string, wantCode int, method, path, body string, want ...string) {
		t.Helper()
		resp, doc := e.api(method, path, tok, body)
		raw, _ := json.Marshal(doc)
		wantStatus(t, resp, wantCode, string(raw))
		if m := versionRe.FindAllString(string(raw), -1); len(m) > 0 {
			t.Errorf("%s says %q: %s", name, m, raw)
		}
		wantContains(t, string(raw), want...)
	}
	api := "/api/v1/experiments/"
	apiCheck("a draft's variants patched", http.StatusUnprocessableEntity, "PATCH", api+draft.ID, `{"variants": []}`,
		"Change a variant's text or weight", "add variants with POST")
	apiCheck("a started test's variants patched", http.StatusUnprocessableEntity, "PATCH", api+quiet.ID, `{"variants": []}`,
		"Change a variant's weight")
	apiCheck("a stopped test's variants patched", http.StatusUnprocessableEntity, "PATCH", api+x.ID, `{"variants": []}`,
		"A stopped experiment's variants stay as they were")
	apiCheck("shipped_variant patched", http.StatusUnprocessableEntity, "PATCH", api+x.ID, `{"shipped_variant": "b"}`,
		"Ship a variant with POST")
	apiCheck("an unknown variant shipped", http.StatusUnprocessableEntity, "POST", api+x.ID+"/ship", `{"variant": "zz"}`,
		`This experiment has no variant \"zz\".`)
	apiCheck("nothing to unship", http.StatusOK, "POST", api+x.ID+"/unship", "", `"shipped_variant":""`)
	apiCheck("a bare draft started", http.StatusConflict, "POST", api+bare.ID+"/start", "",
		"Add at least one variant of the copy before starting.")
	apiCheck("a brief asking for too many drafts", http.StatusUnprocessableEntity, "POST", api+draft.ID+"/generate",
		`{"n": 11, "brief": {"current_copy": "Original headline", "goal": "Get sign-ups"}}`, "Ask for between 1 and 10 drafts.")
	apiCheck("no drafts asked for", http.StatusUnprocessableEntity, "POST", api+draft.ID+"/generate", `{"n": 0}`,
		"Ask for between 1 and 10 drafts.")
	apiCheck("too many variants", http.StatusUnprocessableEntity, "POST", api,
		`{"site_id": "`+site.ID+`", "name": "Many", "page": "/p", "selector": "h1", "goal": {"type": "click", "selector": "#go"},
		"variants": [{"text": "a"}, {"text": "b"}, {"text": "c"}, {"text": "d"}, {"text": "e"}, {"text": "f"},
		{"text": "g"}, {"text": "h"}, {"text": "i"}, {"text": "j"}, {"text": "k"}, {"text": "l"}]}`,
		"Test at most 10 new variants at once.")
}

package app

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments/recorders"
)

// TestAPIResultsRecordedVisitors: the results page lists recordings one
// row per visitor, with a link for each of their recordings; the results
// document does the same in each variant's recordings.visitors, beside
// the sessions list it keeps (one entry per recording). Each visitor's
// links are the page's row for them, in its order; a link without a
// replay address (Clarity without a session id) has a null url and the
// page's words in text. Like sessions, visitors lists the 10 newest.
func TestAPIResultsRecordedVisitors(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
		Clarity: &recorders.Clarity{ProjectID: "clar1ty"},
		Custom:  "https://replay.example.com/sessions/{session_id}",
	}); err != nil {
		t.Fatal(err)
	}
	x := e.transition(e.experiment(site.ID, "Hero").ID, "start")
	send := func(visitor string, evs ...map[string]any) {
		t.Helper()
		resp, body := e.postEventsAs(evBodyOf(site.Key, visitor, evs...), recDesktopUA)
		wantStatus(t, resp, http.StatusNoContent, body)
	}
	// ann, in B, recorded by PostHog and the custom recorder, converts;
	// bob, in B, by PostHog alone; cat, the original's, by the custom
	// recorder and by Clarity without a session id.
	send("ann", exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-ann", ""), recEvent(x.ID, "b", "custom", "cs-ann", ""))
	send("ann", conversionEv(x.ID))
	send("bob", exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-bob", ""))
	send("cat", exposureEv(x.ID, "control"), recEvent(x.ID, "control", "custom", "cs-cat", ""), recEvent(x.ID, "control", "clarity", "no-slash", ""))

	type link struct {
		Recorder string  `json:"recorder"`
		URL      *string `json:"url"`
		Text     *string `json:"text"`
	}
	type visitor struct {
		Visitor   string `json:"visitor"`
		Converted bool   `json:"converted"`
		At        string `json:"at"`
		Links     []link `json:"links"`
	}
	tok := e.token("api@example.com")
	read := func() (visitors map[string][]visitor, sessions map[string]int) {
		t.Helper()
		resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", tok, "")
		wantStatus(t, resp, http.StatusOK, "")
		visitors, sessions = map[string][]visitor{}, map[string]int{}
		for _, v := range out["variants"].([]any) {
			v := v.(map[string]any)
			recs := v["recordings"].(map[string]any)
			raw, _ := json.Marshal(recs["visitors"])
			var vs []visitor
			if err := json.Unmarshal(raw, &vs); err != nil || vs == nil {
				t.Fatalf("%s: recordings.visitors %s (%v), want a list", v["key"], raw, err)
			}
			for _, x := range recs["visitors"].([]any) {
				for _, l := range x.(map[string]any)["links"].([]any) {
					wantKeys(t, "link", l.(map[string]any), "recorder", "url", "text")
				}
			}
			visitors[v["key"].(string)] = vs
			sessions[v["key"].(string)] = len(recs["sessions"].([]any))
		}
		return visitors, sessions
	}
	visitors, sessions := read()

	// sessions stays one entry per recording.
	if sessions["b"] != 3 || sessions["control"] != 2 {
		t.Errorf("sessions: %v, want 3 for b and 2 for the original, one per recording", sessions)
	}
	var names []string
	for _, v := range visitors["b"] {
		names = append(names, v.Visitor)
	}
	if !slices.Equal(names, []string{"bob", "ann"}) {
		t.Fatalf("b visitors %q, want bob then ann, newest first", names)
	}
	ann, bob := visitors["b"][1], visitors["b"][0]
	if !ann.Converted || bob.Converted || ann.At == "" {
		t.Errorf("ann converted %v, bob %v, ann at %q", ann.Converted, bob.Converted, ann.At)
	}
	if len(ann.Links) != 2 || len(bob.Links) != 1 || len(visitors["control"]) != 1 || len(visitors["control"][0].Links) != 2 {
		t.Fatalf("links: ann %+v, bob %+v, the original's %+v", ann.Links, bob.Links, visitors["control"])
	}
	var recs []string
	for _, l := range ann.Links {
		recs = append(recs, l.Recorder)
	}
	slices.Sort(recs)
	if !slices.Equal(recs, []string{"custom", "posthog"}) {
		t.Errorf("ann's links by %q, want custom and posthog", recs)
	}
	var clarity *link
	for i, l := range visitors["control"][0].Links {
		if l.Recorder == "clarity" {
			clarity = &visitors["control"][0].Links[i]
		}
	}
	if clarity == nil || clarity.URL != nil || clarity.Text == nil || !strings.Contains(*clarity.Text, "copylab_variant = control") {
		t.Errorf("cat's Clarity link %+v, want no url and the page's instructions", clarity)
	}

	// The page's rows: each visitor's links, watch links and words, in order.
	c := e.signIn("ann@example.com")
	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	var page []string
	for _, tb := range findAll(parseHTML(t, body), hasClass("rec-table")) {
		for _, td := range findAll(tb, func(n *xhtml.Node) bool { return n.Data == "td" && attrOf(n, "data-label") == "Recording" }) {
			var row []string
			for _, n := range findAll(td, func(n *xhtml.Node) bool { return hasClass("rec-watch")(n) || hasClass("muted")(n) }) {
				if hasClass("rec-watch")(n) {
					row = append(row, attrOf(n, "href"))
				} else {
					row = append(row, textOf(n))
				}
			}
			page = append(page, strings.Join(row, " | "))
		}
	}
	var api []string
	for _, key := range []string{"control", "b"} {
		for _, v := range visitors[key] {
			var row []string
			for _, l := range v.Links {
				if l.URL != nil {
					row = append(row, *l.URL)
				}
				if l.Text != nil {
					row = append(row, *l.Text)
				}
			}
			api = append(api, strings.Join(row, " | "))
		}
	}
	slices.Sort(page)
	slices.Sort(api)
	if !slices.Equal(page, api) {
		t.Errorf("the page's rows\n%q\nthe document's visitors\n%q", page, api)
	}

	// The 10 newest visitors, each with both links, as sessions keeps the
	// 10 newest recordings.
	for i := range 12 {
		v := "q" + itoa(i)
		send(v, exposureEv(x.ID, "control"), recEvent(x.ID, "control", "posthog", "ph-"+v, ""), recEvent(x.ID, "control", "custom", "cs-"+v, ""))
	}
	visitors, sessions = read()
	if n := len(visitors["control"]); n != apiRecordingsRecent || sessions["control"] != apiRecordingsRecent {
		t.Fatalf("the original: %d visitors and %d sessions, want %d of each", n, sessions["control"], apiRecordingsRecent)
	}
	for _, v := range visitors["control"] {
		if !strings.HasPrefix(v.Visitor, "q") || len(v.Links) != 2 {
			t.Errorf("visitor %+v, want one of the newest with two links", v)
		}
	}
	if visitors["control"][0].Visitor != "q11" {
		t.Errorf("first visitor %q, want the newest, q11", visitors["control"][0].Visitor)
	}
}

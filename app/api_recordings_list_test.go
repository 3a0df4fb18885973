package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"copylab/experiments"
	"copylab/experiments/recorders"
)

// recordingsListFixture is a running test of three variants on a site
// with PostHog and a custom recorder: 25 recorded visitors in B, b0 the
// oldest and b24 the newest (b3 recorded by both recorders, so one
// visitor with two links; b7 converted), 3 in C, and a bot recorded in
// B, which no list shows.
type recordingsListFixture struct {
	e     *env
	site  experiments.Site
	x     experiments.Experiment
	token string
}

func newRecordingsListFixture(t *testing.T) *recordingsListFixture {
	t.Helper()
	e := newEnv(t)
	site := e.site("Shop")
	if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
		Custom:  "https://replay.example.com/sessions/{session_id}",
	}); err != nil {
		t.Fatal(err)
	}
	x := e.transition(e.experiment(site.ID, "Hero", "Original", "Get started free", "Start your trial").ID, experiments.ActionStart)
	if len(x.Variants) != 3 || x.Variants[1].Key != "b" || x.Variants[2].Key != "c" {
		t.Fatalf("variants %+v, want control, b and c", x.Variants)
	}
	send := func(visitor, ua string, evs ...map[string]any) {
		t.Helper()
		resp, body := e.postEventsAs(evBodyOf(site.Key, visitor, evs...), ua)
		wantStatus(t, resp, http.StatusNoContent, body)
	}
	for i := range 25 {
		v := "b" + itoa(i)
		evs := []map[string]any{exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-"+v, "")}
		if i == 3 {
			evs = append(evs, recEvent(x.ID, "b", "custom", "cs-"+v, ""))
		}
		send(v, recDesktopUA, evs...)
		if i == 7 {
			send(v, recDesktopUA, conversionEv(x.ID))
		}
		if i == 12 {
			send("robot", testBotUA, exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-robot", ""))
		}
	}
	for i := range 3 {
		v := "c" + itoa(i)
		send(v, recDesktopUA, exposureEv(x.ID, "c"), recEvent(x.ID, "c", "posthog", "ph-"+v, ""))
	}
	return &recordingsListFixture{e: e, site: site, x: x, token: e.token("api@example.com")}
}

// path is the call's path for the fixture's experiment.
func (f *recordingsListFixture) path(query string) string {
	return "/api/v1/experiments/" + f.x.ID + "/recordings" + query
}

// recordingsAnswer is one answer of GET …/recordings, as sent.
type recordingsAnswer struct {
	Visitors []json.RawMessage `json:"visitors"`
	Next     *string           `json:"next"`
	link     string
}

// getRecordings sends GET path with token and reads a 200's answer,
// checking its members are exactly visitors and next, and each visitor
// has exactly the results document's members.
func getRecordings(t *testing.T, e *env, path, token string) recordingsAnswer {
	t.Helper()
	resp, out := e.api(http.MethodGet, path, token, "")
	raw, _ := json.Marshal(out)
	wantStatus(t, resp, http.StatusOK, string(raw))
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	wantKeys(t, "answer", out, "visitors", "next")
	var p recordingsAnswer
	if err := json.Unmarshal(raw, &p); err != nil || p.Visitors == nil {
		t.Fatalf("answer %s (%v), want visitors as a list", raw, err)
	}
	for _, v := range out["visitors"].([]any) {
		wantKeys(t, "visitor", v.(map[string]any), "visitor", "converted", "at", "links")
	}
	p.link = resp.Header.Get("Link")
	return p
}

// visitorNames are the visitor ids of a page's items, in order.
func visitorNames(t *testing.T, items []json.RawMessage) []string {
	t.Helper()
	var out []string
	for _, raw := range items {
		var v struct {
			Visitor string `json:"visitor"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v.Visitor)
	}
	return out
}

// TestAPIRecordingsListPages: GET /api/v1/experiments/{id}/recordings
// pages through every recorded visitor of a variant, newest first, in
// the results document's items, with next (and a Link header) until the
// last page, whose next is null; the results document's visitors_url is
// the call's first page and visitors_total the page's count.
func TestAPIRecordingsListPages(t *testing.T) {
	f := newRecordingsListFixture(t)
	e := f.e

	var want []string // newest first
	for i := 24; i >= 0; i-- {
		want = append(want, "b"+itoa(i))
	}
	var got []string
	var sizes []int
	path := f.path("?variant=b&limit=10")
	for range 10 {
		p := getRecordings(t, e, path, f.token)
		sizes = append(sizes, len(p.Visitors))
		got = append(got, visitorNames(t, p.Visitors)...)
		if p.Next == nil {
			if p.link != "" {
				t.Errorf("last page: Link %q, want none", p.link)
			}
			break
		}
		if p.link != "<"+*p.Next+`>; rel="next"` {
			t.Errorf("Link %q, next %q", p.link, *p.Next)
		}
		if !strings.HasPrefix(*p.Next, testPublicURL+"/api/v1/experiments/"+f.x.ID+"/recordings?") {
			t.Fatalf("next %q, want this call on the public URL", *p.Next)
		}
		u, err := url.Parse(*p.Next)
		if err != nil {
			t.Fatal(err)
		}
		if q := u.Query(); q.Get("variant") != "b" || q.Get("limit") != "10" || q.Get("before") == "" {
			t.Errorf("next %q, want the variant, the limit and before", *p.Next)
		}
		path = u.RequestURI()
	}
	if !slices.Equal(sizes, []int{10, 10, 5}) {
		t.Errorf("page sizes %v, want 10, 10, 5", sizes)
	}
	if !slices.Equal(got, want) {
		t.Errorf("visitors\n%q\nwant every visitor of B once, newest first\n%q", got, want)
	}

	// The results document: the same items as its 10 newest visitors,
	// the total the page says, and the URL of the full list.
	resp, doc := e.api(http.MethodGet, "/api/v1/experiments/"+f.x.ID+"/results", f.token, "")
	wantStatus(t, resp, http.StatusOK, "")
	recs := map[string]map[string]any{}
	for _, v := range doc["variants"].([]any) {
		v := v.(map[string]any)
		recs[v["key"].(string)] = v["recordings"].(map[string]any)
		wantKeys(t, "recordings", recs[v["key"].(string)], "list_url", "instructions", "sessions", "visitors", "visitors_total", "visitors_url")
	}
	for key, total := range map[string]float64{"control": 0, "b": 25, "c": 3} {
		if recs[key]["visitors_total"] != total {
			t.Errorf("%s visitors_total %v, want %v", key, recs[key]["visitors_total"], total)
		}
		if u := recs[key]["visitors_url"]; u != testPublicURL+"/api/v1/experiments/"+f.x.ID+"/recordings?variant="+key {
			t.Errorf("%s visitors_url %v", key, u)
		}
	}
	first := getRecordings(t, e, f.path("?variant=b&limit=10"), f.token)
	docRaw, _ := json.Marshal(recs["b"]["visitors"])
	pageRaw, _ := json.Marshal(first.Visitors)
	if string(docRaw) != string(pageRaw) {
		t.Errorf("the document's visitors\n%s\nthe call's first 10\n%s", docRaw, pageRaw)
	}
	c := e.signIn("ann@example.com")
	_, page := c.get("/experiments/" + f.x.ID + "/results")
	wantContains(t, page, "25 visitors recorded", "3 visitors recorded")

	// visitors_url as given: the default page of 50 holds all of B.
	all := getRecordings(t, e, strings.TrimPrefix(recs["b"]["visitors_url"].(string), testPublicURL), f.token)
	if !slices.Equal(visitorNames(t, all.Visitors), want) || all.Next != nil || all.link != "" {
		t.Errorf("visitors_url: %q, next %v, Link %q; want all of B and no next", visitorNames(t, all.Visitors), all.Next, all.link)
	}
	// C's, and a limit that ends exactly on the last visitor: no next.
	cs := getRecordings(t, e, f.path("?variant=c"), f.token)
	if n := visitorNames(t, cs.Visitors); !slices.Equal(n, []string{"c2", "c1", "c0"}) || cs.Next != nil {
		t.Errorf("C: %q, next %v", n, cs.Next)
	}
	exact := getRecordings(t, e, f.path("?variant=b&limit=25"), f.token)
	if len(exact.Visitors) != 25 || exact.Next != nil {
		t.Errorf("limit=25: %d visitors, next %v; want 25 and null", len(exact.Visitors), exact.Next)
	}
	most := getRecordings(t, e, f.path("?variant=b&limit=500"), f.token)
	if len(most.Visitors) != 25 || most.Next != nil {
		t.Errorf("limit=500: %d visitors, next %v; want 25 and null", len(most.Visitors), most.Next)
	}

	// b3's two recordings are one visitor with two links; b7 converted.
	for _, raw := range all.Visitors {
		var v struct {
			Visitor   string            `json:"visitor"`
			Converted bool              `json:"converted"`
			Links     []json.RawMessage `json:"links"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		if n := len(v.Links); (v.Visitor == "b3") != (n == 2) || n == 0 {
			t.Errorf("%s has %d links", v.Visitor, n)
		}
		if v.Converted != (v.Visitor == "b7") {
			t.Errorf("%s converted %v", v.Visitor, v.Converted)
		}
	}
}

// TestAPIRecordingsListRefusals: the call's mistakes, each with its code
// and field, as the API's other list calls answer them.
func TestAPIRecordingsListRefusals(t *testing.T) {
	f := newRecordingsListFixture(t)
	for _, tc := range []struct {
		name, path  string
		status      int
		code, field string
		message     string
	}{
		{"no variant", f.path(""), 400, "required", "variant", "Name the variant by its key, such as ?variant=b."},
		{"empty variant", f.path("?variant="), 400, "required", "variant", "Name the variant by its key, such as ?variant=b."},
		{"unknown variant", f.path("?variant=zz"), 404, "unknown_variant", "", `This experiment has no variant "zz".`},
		{"variant in another case", f.path("?variant=B"), 404, "unknown_variant", "", `This experiment has no variant "B".`},
		{"limit 0", f.path("?variant=b&limit=0"), 400, "invalid_limit", "limit", "Set limit to a whole number from 1 to 500."},
		{"limit 501", f.path("?variant=b&limit=501"), 400, "invalid_limit", "limit", "Set limit to a whole number from 1 to 500."},
		{"limit not a number", f.path("?variant=b&limit=ten"), 400, "invalid_limit", "limit", ""},
		{"before not a number", f.path("?variant=b&before=abc"), 400, "invalid_cursor", "before", "Send before as the last answer’s next link has it."},
		{"before 0", f.path("?variant=b&before=0"), 400, "invalid_cursor", "before", ""},
		{"before negative", f.path("?variant=b&before=-3"), 400, "invalid_cursor", "before", ""},
		{"unknown parameter", f.path("?variant=b&cursor=x"), 400, "unknown_parameter", "cursor", `"variant", "limit" or "before"`},
		{"repeated parameter", f.path("?variant=b&variant=c"), 400, "repeated_parameter", "variant", ""},
		{"unknown experiment", "/api/v1/experiments/00000000-0000-7000-8000-000000000000/recordings?variant=b", 404, "not_found", "", "No experiment has this id."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := f.e.api(http.MethodGet, tc.path, f.token, "")
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d %v, want %d", resp.StatusCode, out, tc.status)
			}
			code, field := errorShape(t, out)
			if code != tc.code || field != tc.field {
				t.Errorf("code %q field %q, want %q %q", code, field, tc.code, tc.field)
			}
			if tc.message != "" {
				wantContains(t, out["error"].(map[string]any)["message"].(string), tc.message)
			}
		})
	}
}

// TestAPIRecordingsListEmpty: a site without recorders, and a draft,
// answer an empty list with next null; the document's visitors_url is
// null without recorders.
func TestAPIRecordingsListEmpty(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.transition(e.experiment(site.ID, "Hero").ID, experiments.ActionStart)
	resp, body := e.postEventsAs(evBodyOf(site.Key, "ann", exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-ann", "")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	p := getRecordings(t, e, "/api/v1/experiments/"+x.ID+"/recordings?variant=b", tok)
	if len(p.Visitors) != 0 || p.Next != nil || p.link != "" {
		t.Errorf("no recorders: %d visitors, next %v, Link %q", len(p.Visitors), p.Next, p.link)
	}
	resp, doc := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	for _, v := range doc["variants"].([]any) {
		r := v.(map[string]any)["recordings"].(map[string]any)
		if r["visitors_url"] != nil || r["visitors_total"] != 0.0 {
			t.Errorf("no recorders: visitors_url %v, visitors_total %v; want null and 0", r["visitors_url"], r["visitors_total"])
		}
	}

	if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
	}); err != nil {
		t.Fatal(err)
	}
	draft := e.experiment(site.ID, "Pricing")
	p = getRecordings(t, e, "/api/v1/experiments/"+draft.ID+"/recordings?variant=b", tok)
	if len(p.Visitors) != 0 || p.Next != nil {
		t.Errorf("draft: %d visitors, next %v", len(p.Visitors), p.Next)
	}
	resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+draft.ID+"/recordings?variant=zz", tok, "")
	if code, _ := errorShape(t, out); resp.StatusCode != http.StatusNotFound || code != "unknown_variant" {
		t.Errorf("draft, unknown variant: %d %s", resp.StatusCode, code)
	}
}

// TestAPIRecordingsListAccess: a read-only token reads the list as a
// full one does; a signed-in member's session cookie is no token.
func TestAPIRecordingsListAccess(t *testing.T) {
	f := newRecordingsListFixture(t)
	c := f.e.signIn("dash@example.com")
	ro, _ := h10MakeToken(t, c, "BI dashboard", "read")
	full := getRecordings(t, f.e, f.path("?variant=c"), f.token)
	read := getRecordings(t, f.e, f.path("?variant=c"), ro)
	if !slices.Equal(visitorNames(t, read.Visitors), visitorNames(t, full.Visitors)) || len(read.Visitors) != 3 {
		t.Errorf("read-only token: %q, full token: %q", visitorNames(t, read.Visitors), visitorNames(t, full.Visitors))
	}
	resp, body := c.get(f.path("?variant=c"))
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"unauthorized"`) || strings.Contains(body, `"visitors"`) {
		t.Errorf("session cookie alone: %d %.300s, want 401 unauthorized", resp.StatusCode, body)
	}
}

// TestAPIRecordingsListFullPage: at limit=500, the most the store reads
// at once, next is still exact: null when the 500 are all there are, the
// last visitor's page when one more was recorded.
func TestAPIRecordingsListFullPage(t *testing.T) {
	e := newEnvConfig(t, func(c *Config) { c.RateIP, c.RateSite = -1, -1 }) // 501 POST /e at once
	tok := e.token("api@example.com")
	site := e.site("Shop")
	if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
	}); err != nil {
		t.Fatal(err)
	}
	x := e.transition(e.experiment(site.ID, "Hero").ID, experiments.ActionStart)
	send := func(v string) {
		t.Helper()
		resp, body := e.postEventsAs(evBodyOf(site.Key, v, exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-"+v, "")), recDesktopUA)
		wantStatus(t, resp, http.StatusNoContent, body)
	}
	for i := range apiRecordingsMaxPage {
		send("v" + itoa(i))
	}
	path := "/api/v1/experiments/" + x.ID + "/recordings?variant=b&limit=500"
	if p := getRecordings(t, e, path, tok); len(p.Visitors) != 500 || p.Next != nil {
		t.Fatalf("500 visitors: %d listed, next %v; want 500 and null", len(p.Visitors), p.Next)
	}
	send("v500")
	p := getRecordings(t, e, path, tok)
	if len(p.Visitors) != 500 || p.Next == nil {
		t.Fatalf("501 visitors: %d listed, next %v; want 500 and a next page", len(p.Visitors), p.Next)
	}
	if n := visitorNames(t, p.Visitors); n[0] != "v500" || n[499] != "v1" {
		t.Errorf("first page from %s to %s, want v500 to v1", n[0], n[499])
	}
	rest := getRecordings(t, e, strings.TrimPrefix(*p.Next, testPublicURL), tok)
	if n := visitorNames(t, rest.Visitors); !slices.Equal(n, []string{"v0"}) || rest.Next != nil {
		t.Errorf("second page %q, next %v; want v0 alone and null", n, rest.Next)
	}
}

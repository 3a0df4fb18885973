package snippet_test

import (
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
	"copylab/static"
	"copylab/static/browsertest"
)

// TestLongURLsFitABatch: a full queue of events from a page with a very
// long URL, referrer and utm_source still goes out, in one request. The
// tag cuts each to what the server keeps (the URL to 2,048 characters,
// utm_source to 128, the referrer, of which the server keeps only the
// host, to 128), so 20 events stay within the 64 KiB that keepalive
// fetch and sendBeacon carry; uncut, both refuse the batch every time
// and the visitor's queue never empties.
func TestLongURLsFitABatch(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	x := heroExperiment("/pricing*", 0, 10000, 0)
	x.Goal = static.SnippetGoal{Type: "event", Value: "signup"}
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{x}})
	ref := "https://ref.example/" + strings.Repeat("r", 10000)
	s.page("/pricing", `<script>Object.defineProperty(document, "referrer", {value: `+jsString(ref)+`})</script>`+tag,
		// The exposure, then 19 conversions in the same moment: one batch
		// of 20 events, each with the page's URL.
		`<h1 data-copylab="hero">`+original+`</h1><script>for (let i = 0; i < 19; i++) copylab.convert("signup")</script>`)
	utm := strings.Repeat("界", 200) // 3 bytes each in UTF-8, 9 characters percent-encoded
	page := s.URL + "/pricing?q=" + strings.Repeat("a", 10000) + "&utm_source=" + url.QueryEscape(utm)
	navigate(t, ctx, page)
	evs := s.waitEvents(20)
	if len(evs) != 20 {
		t.Fatalf("%d events, want 20", len(evs))
	}
	s.mu.Lock()
	posts := len(s.posts)
	s.mu.Unlock()
	if posts != 1 {
		t.Errorf("%d requests, want the 20 events in one", posts)
	}
	checkEvent(t, evs[0], "exposure", "b", "")
	for _, e := range evs[1:] {
		checkEvent(t, e, "conversion", "b", "signup")
	}
	for i, e := range evs {
		if e["url"] != page[:2048] {
			t.Errorf("event %d url: %d characters, want the page's first 2048", i, len(e["url"].(string)))
		}
	}
	if evs[0]["ref"] != ref[:128] {
		t.Errorf("ref: %d characters, want the referrer's first 128", len(evs[0]["ref"].(string)))
	}
	if want := strings.Repeat("界", 128); evs[0]["utm"] != want {
		t.Errorf("utm %q, want the first 128 characters of utm_source", evs[0]["utm"])
	}
	waitJS(t, ctx, `JSON.parse(localStorage.copylab).q.length == 0`)
	noExceptions(t, exceptions)
}

// TestIdentifyIgnoresNonIDs: identify takes a string or a number;
// anything else (an object, an array, NaN, a boolean, a function) changes
// nothing, where it once hashed "[object Object]" and the like, which put
// every visitor identified so in the same variant.
func TestIdentifyIgnoresNonIDs(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	// An experiment on another page: its assignment is the one identify
	// changes.
	other := heroExperiment("/other*", 3334, 3333, 3333)
	other.ID = "exp-two"
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0), other}})
	s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)
	navigate(t, ctx, s.URL+"/pricing")
	keys := []string{"control", "b", "c"}
	assigned := func(id string) string {
		return keys[experiments.Assign(other.ID, id, []int{3334, 3333, 3333}, 10000)]
	}
	browser := eval[string](t, ctx, `JSON.parse(localStorage.copylab).v`)
	for _, arg := range []string{`{id: "user-1"}`, `["user-1"]`, `NaN`, `true`, `() => "user-1"`, `new String("user-1")`} {
		eval[any](t, ctx, `copylab.identify(`+arg+`)`)
		if u := eval[any](t, ctx, `JSON.parse(localStorage.copylab).u`); u != nil {
			t.Errorf("identify(%s) stored the id %q", arg, u)
		}
		if got := eval[string](t, ctx, `copylab.variant("exp-two")`); got != assigned(browser) {
			t.Errorf("identify(%s): variant %q, want %q (still the browser's id)", arg, got, assigned(browser))
		}
	}
	for _, c := range []struct{ arg, id string }{{`42`, "42"}, {`"user-7"`, "user-7"}} {
		eval[any](t, ctx, `copylab.identify(`+c.arg+`)`)
		if u := eval[any](t, ctx, `JSON.parse(localStorage.copylab).u`); u != c.id {
			t.Errorf("identify(%s) stored %v, want %q", c.arg, u, c.id)
		}
		if got := eval[string](t, ctx, `copylab.variant("exp-two")`); got != assigned(c.id) {
			t.Errorf("identify(%s): variant %q, want %q (the id hashed)", c.arg, got, assigned(c.id))
		}
	}
	noExceptions(t, exceptions)
}

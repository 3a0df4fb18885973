package snippet_test

// Browser tests of pages that make the tag's life hard: frameworks that
// re-render without end, pages that fight the tag's writes, routers that
// rewrite the query string, and libraries that break JSON.stringify.

import (
	"testing"

	"copylab/static"
	"copylab/static/browsertest"
)

// TestBrokenJSON: a page whose libraries break JSON.stringify still gets
// its events, and the queue stored for the next page stays a list:
//   - Array.prototype.toJSON (Prototype.js before 1.7 has one) set before
//     the tag, which turns every array into a string of JSON;
//   - a JSON.stringify that throws, set after the tag ran.
func TestBrokenJSON(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, head, body string }{
		{"Array.prototype.toJSON", `<script>
			Array.prototype.toJSON = function () { return "[" + Array.prototype.map.call(this, v => JSON.stringify(v)).join(",") + "]" };
		</script>` + tag, ""},
		{"JSON.stringify replaced", tag, `<script>JSON.stringify = () => { throw new Error("stringify broken") }</script>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewTab(t)
			s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
				heroExperiment("/pricing*", 0, 10000, 0)}})
			s.page("/pricing", c.head, `<h1 data-copylab="hero">`+original+`</h1><button class="cta">Go</button>`+c.body)
			navigate(t, ctx, s.URL+"/pricing")
			if text, vis := heroState(t, ctx); text != textB || vis != "visible" {
				t.Errorf("hero %q %s, want %q visible", text, vis, textB)
			}
			evs := s.waitEvents(1)
			checkEvent(t, evs[0], "exposure", "b", "")
			// The click's conversion waits in the stored queue until the
			// page is left, and goes out then.
			eval[any](t, ctx, `document.querySelector(".cta").click()`)
			if got := eval[string](t, ctx, `(q => Array.isArray(q) ? "list of " + q.length : typeof q)(JSON.parse(localStorage.copylab).q)`); got != "list of 1" {
				t.Errorf("stored queue: %s, want a list of 1", got)
			}
			navigate(t, ctx, s.URL+"/pricing")
			evs = s.waitEvents(3)
			finish(t, ctx)
			if evs = s.events(); len(evs) != 3 {
				t.Fatalf("events %v, want exposure, conversion, exposure", evs)
			}
			checkEvent(t, evs[1], "conversion", "b", "click")
			checkEvent(t, evs[2], "exposure", "b", "")
			if evs[0]["visitor"] != evs[2]["visitor"] {
				t.Errorf("visitor %v on the second page, want %v", evs[2]["visitor"], evs[0]["visitor"])
			}
		})
	}
}

package snippet_test

import (
	"testing"
	"time"

	"copylab/static"
	"copylab/static/browsertest"
)

// TestVisibleOnlyPageViews: a visible-only experiment exposes once per SPA
// page view in which its element is in view, also when the element stays
// on screen across the route change; an element still in the DOM after
// the visitor left for a page the experiment does not run on exposes
// nothing when it scrolls into view there.
func TestVisibleOnlyPageViews(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	x := heroExperiment("/pricing*", 0, 10000, 0)
	x.VisibleOnly = true
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{x}})
	s.page("/pricing", tag, `<div style="height:3000px"></div><h1 data-copylab="hero">`+original+`</h1><div style="height:3000px"></div>`)
	navigate(t, ctx, s.URL+"/pricing")
	inView := `document.querySelector('` + hero + `').scrollIntoView()`
	// Observers report after a frame, all of a page's in one task: the
	// page's own observer of the hero says when the tag's have seen it
	// where it now is (a fixed wait did not, on a busy machine, and the
	// step after it then tested nothing). Two frames more let a new
	// observer of the tag's make its first report.
	eval[any](t, ctx, `window.inView = null, new IntersectionObserver((es) => inView = es[es.length - 1].isIntersecting).observe(document.querySelector('`+hero+`'))`)
	frames := `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`
	settle := func(seen string) {
		t.Helper()
		if seen != "" {
			waitJS(t, ctx, `window.inView === `+seen)
		}
		eval[bool](t, ctx, frames)
		time.Sleep(200 * time.Millisecond)
	}

	eval[any](t, ctx, inView)
	s.waitEvents(1)
	// The element stays in view: the new page view exposes again.
	eval[any](t, ctx, `history.pushState(null, "", "/pricing/2")`)
	s.waitEvents(2)
	// Out of view, a page view that is never exposed, then a page without
	// the experiment, where the element comes into view.
	eval[any](t, ctx, `scrollTo(0, 0)`)
	settle("false")
	eval[any](t, ctx, `history.pushState(null, "", "/pricing/3")`)
	settle("")
	eval[any](t, ctx, `history.pushState(null, "", "/about")`)
	eval[any](t, ctx, inView)
	settle("true")
	// Back on a page of the experiment, in view.
	eval[any](t, ctx, `history.pushState(null, "", "/pricing/4")`)
	s.waitEvents(3)
	finish(t, ctx)

	evs := s.events()
	var urls []string
	for _, e := range evs {
		urls = append(urls, e["url"].(string)[len(s.URL):])
	}
	want := []string{"/pricing", "/pricing/2", "/pricing/4"}
	if len(evs) != len(want) {
		t.Fatalf("exposures at %q, want %q", urls, want)
	}
	for i, u := range want {
		checkEvent(t, evs[i], "exposure", "b", "")
		if urls[i] != u {
			t.Errorf("exposure %d at %s, want %s", i, urls[i], u)
		}
	}
	noExceptions(t, exceptions)
}

package snippet_test

// Browser tests of pages that make the tag's life hard: frameworks that
// re-render without end, pages that fight the tag's writes, routers that
// rewrite the query string or keep the browser's own pushState, and
// libraries that break JSON.stringify, fetch or sendBeacon.

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"copylab/static"
	"copylab/static/browsertest"
)

// rerenderPage is a page whose framework renders the hero again every
// 20 ms, by turns resetting its text and replacing the whole node, and
// counts its renders in window.renders.
const rerenderPage = `<h1 data-copylab="hero">` + original + `</h1><script>
	window.renders = 0;
	setInterval(() => {
		const h = document.querySelector('[data-copylab="hero"]');
		if (renders++ % 2) { h.textContent = "` + original + `"; return }
		const e = document.createElement("h1"); e.dataset.copylab = "hero"; e.textContent = "` + original + `";
		h.replaceWith(e);
	}, 20);
</script>`

// TestConstantRerender: a framework that renders the tested element again
// every 20 ms, for far more than 100 renders, never gets its original copy
// painted, and the page view still makes one exposure.
func TestConstantRerender(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0)}})
	s.page("/pricing", probe+tag, rerenderPage)
	navigate(t, ctx, s.URL+"/pricing")
	waitJS(t, ctx, `window.renders >= 250`) // 5 s of renders
	p := readProbe(t, ctx)
	if p.Shown {
		t.Errorf("the original copy was painted after %d renders: %+v", eval[int](t, ctx, `renders`), p)
	}
	if text, vis := heroState(t, ctx); text != textB || vis != "visible" {
		t.Errorf("hero %q %s after 250 renders, want %q visible", text, vis, textB)
	}
	wantOneExposure(t, ctx, s, exceptions)
}

// wantOneExposure waits for the page view's exposure, ends the page view
// and checks that it sent only that one, to variant b, and that the page
// threw nothing. finish's moment after leaving is for late extras only:
// the exposure itself may still be on its way (a loaded machine).
func wantOneExposure(t *testing.T, ctx context.Context, s *site, exceptions func() []string) {
	t.Helper()
	s.waitEvents(1)
	finish(t, ctx)
	evs := s.events()
	if len(evs) != 1 {
		t.Fatalf("events %v, want one exposure", evs)
	}
	checkEvent(t, evs[0], "exposure", "b", "")
	noExceptions(t, exceptions)
}

// TestFightingPage: a page that writes its copy back each time the tag
// writes the variant wins, at once (in the same microtask checkpoint) or by
// timer, after a bounded number of writes: 100 passes over the elements,
// whatever the number of elements the selector matches, whether the page
// fights for all of them or for one, and however long the fight takes (a
// slow phone, a page with much to do: a fight inside one microtask
// checkpoint lets no timer run, so its second never ends). The loop ends,
// the original copy shows, and later mutations of the page (a ticking
// clock) do not start the fight again. The exposure was sent: the variant
// was applied.
func TestFightingPage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, revert string
		// n elements match; the page fights for the first fought of them,
		// and takes slow ms over each of its first 250 writes.
		n, fought, slow int
	}{
		{"in the observer", `h.textContent = "` + original + `"`, 1, 1, 0},
		{"by timer", `setTimeout(() => h.textContent = "` + original + `")`, 1, 1, 0},
		{"in the observer, slowly", `h.textContent = "` + original + `"`, 1, 1, 20},
		{"60 elements, all in the observer", `h.textContent = "` + original + `"`, 60, 60, 0},
		{"60 elements, one in the observer", `h.textContent = "` + original + `"`, 60, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewTab(t)
			exceptions := browsertest.Exceptions(t, ctx)
			s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
				heroExperiment("/pricing*", 0, 10000, 0)}})
			// The page's observer is registered before the tag's, counts
			// the tag's writes in window.fights, and the time from the
			// first to the last in window.span.
			s.page("/pricing", `<script>
				window.fights = 0;
				let first;
				new MutationObserver(() => {
					document.querySelectorAll('[data-copylab="hero"]').forEach((h, i) => {
						if (i < `+fmt.Sprint(c.fought)+` && h.textContent != "`+original+`") {
							fights++; first ??= performance.now(); window.span = performance.now() - first; `+c.revert+`
							for (const end = performance.now() + (fights > 250 ? 0 : `+fmt.Sprint(c.slow)+`); performance.now() < end;);
						}
					});
				}).observe(document, {childList: true, subtree: true, characterData: true});
			</script>`+tag, strings.Repeat(`<h1 data-copylab="hero">`+original+`</h1>`, c.n)+`<p id=clock></p><script>
				setInterval(() => document.querySelector("#clock").textContent = Date.now(), 30);
			</script>`)
			navigate(t, ctx, s.URL+"/pricing")
			// The fight ends once the tag's writes stop: a count that
			// stays the same for 2.5 s (the page's clock ticks every 30
			// ms meanwhile). A busy machine may take longer than usual
			// to get there, so the count is read until it holds, for
			// up to 20 s; a fight that never ends never holds.
			time.Sleep(1500 * time.Millisecond)
			first := eval[int](t, ctx, `fights`)
			last, ended := first, false
			for deadline := time.Now().Add(20 * time.Second); !ended && time.Now().Before(deadline); {
				time.Sleep(2500 * time.Millisecond)
				prev := last
				last = eval[int](t, ctx, `fights`)
				ended = last == prev
			}
			t.Logf("the tag wrote %d times in the first 1.5 s, %d in all, over %.0f ms", first, last, eval[float64](t, ctx, `span`))
			if last == 0 || !ended || last > 200*c.n {
				t.Errorf("the tag wrote %d times in 1.5 s and %d in all (ended: %v), want a bounded fight that ends", first, last, ended)
			}
			if text, vis := heroState(t, ctx); text != original || vis != "visible" {
				t.Errorf("hero %q %s, want the page's original copy, visible", text, vis)
			}
			onlyEvent(t, ctx, s, "exposure", "b", "")
			noExceptions(t, exceptions)
		})
	}
}

// manyPage is a page whose framework renders n tested elements (a label on
// every product card) again every 40 ms, all in one pass, by turns
// resetting their text and replacing the nodes. It counts its renders in
// window.renders, and in window.lost the most elements that showed the
// original copy at a frame.
func manyPage(n int) string {
	return fmt.Sprintf(`<ul></ul><script>
	const ul = document.querySelector("ul");
	for (let i = 0; i < %d; i++) ul.insertAdjacentHTML("beforeend", '<li><p data-copylab="hero">%s</p></li>');
	window.renders = 0; window.lost = 0;
	setInterval(() => {
		const r = renders++;
		ul.querySelectorAll("p").forEach(p => {
			if (r %% 2) { p.textContent = "%s"; return }
			const e = document.createElement("p"); e.dataset.copylab = "hero"; e.textContent = "%s";
			p.replaceWith(e);
		});
	}, 40);
	requestAnimationFrame(function frame() {
		lost = Math.max(lost, [...ul.querySelectorAll("p")].filter(p => p.textContent == "%s").length);
		requestAnimationFrame(frame);
	});
</script>`, n, original, original, original, original)
}

// TestRerenderManyElements: a selector that matches many elements (a
// label on every product card), all rendered again every 40 ms for 2 s,
// keeps the variant on every one of them: the cap on the tag's writes
// counts passes over the elements, not elements. No element shows the
// original copy at any frame, and the page view makes one exposure.
func TestRerenderManyElements(t *testing.T) {
	t.Parallel()
	for _, n := range []int{60, 120} {
		t.Run(fmt.Sprint(n, " elements"), func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewTab(t)
			exceptions := browsertest.Exceptions(t, ctx)
			s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
				heroExperiment("/pricing*", 0, 10000, 0)}})
			s.page("/pricing", tag, manyPage(n))
			navigate(t, ctx, s.URL+"/pricing")
			waitJS(t, ctx, `window.renders >= 50`) // 2 s of renders
			shown := eval[int](t, ctx, `[...document.querySelectorAll('`+hero+`')].filter(p => p.textContent == `+jsString(textB)+`).length`)
			if lost := eval[int](t, ctx, `lost`); shown != n || lost > 0 {
				t.Errorf("%d of %d elements show the variant after 50 renders; up to %d showed the original at a frame", shown, n, lost)
			}
			wantOneExposure(t, ctx, s, exceptions)
		})
	}
}

// TestReplaceStateQuery: a router's replaceState that changes only the
// query string (utm parameters stripped, a filter or tab kept in the URL)
// is not a new page view, unless it changes which experiments the page
// runs (a page pattern with a query); a replaceState that changes the path
// (a redirect) is one, and so is every pushState and popstate that changes
// the path or the query.
func TestReplaceStateQuery(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	team := heroExperiment("/plans?plan=team", 0, 0, 10000)
	team.ID, team.Selector = "team", `[data-copylab="sub"]`
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0), team}})
	s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1><p data-copylab="sub">Sub</p>`)
	navigate(t, ctx, s.URL+"/pricing?utm_source=news")
	s.waitEvents(1)
	steps := []struct{ js, url string }{
		{`history.replaceState(null, "", "/pricing")`, ""}, // utm stripped
		{`history.replaceState(null, "", "/pricing?tab=2")`, ""},
		{`history.replaceState(null, "", "/pricing?tab=2")`, ""},
		{`history.pushState(null, "", "/pricing?tab=3")`, "/pricing?tab=3"},
		{`history.replaceState(null, "", "/pricing/team")`, "/pricing/team"},
		{`history.pushState(null, "", "/plans?plan=free")`, ""}, // no experiment here
		{`history.replaceState(null, "", "/plans?plan=team")`, "/plans?plan=team"},
		{`history.replaceState(null, "", "/plans?plan=team&seats=3")`, ""},
		{`history.back()`, "/pricing/team"},
	}
	want := []string{"/pricing?utm_source=news"}
	for _, st := range steps {
		eval[any](t, ctx, st.js)
		time.Sleep(50 * time.Millisecond)
		if st.url != "" {
			want = append(want, st.url)
		}
	}
	waitJS(t, ctx, `location.pathname == "/pricing/team"`)
	s.waitEvents(len(want))
	finish(t, ctx)
	evs := s.events()
	var got []string
	for _, e := range evs {
		got = append(got, e["url"].(string)[len(s.URL):])
	}
	if len(evs) != len(want) {
		t.Fatalf("exposures at %q, want %q", got, want)
	}
	for i, u := range want {
		if got[i] != u {
			t.Errorf("exposure %d at %s, want %s", i, got[i], u)
		}
		variant, exp := "b", expID
		if u == "/plans?plan=team" {
			variant, exp = "c", "team"
		}
		checkEvent(t, evs[i], "exposure", variant, "")
		if evs[i]["experiment"] != exp {
			t.Errorf("exposure %d of %v, want %s", i, evs[i]["experiment"], exp)
		}
	}
	noExceptions(t, exceptions)
}

// TestReplaceStateGoal: a replaceState that changes only the query string
// is no page view, but the URL it reaches can be a page-view goal's (a form
// that marks its last step in the query): the goal converts, once, with no
// new exposure. A replaceState that changes the path and the query, to a
// goal page, is a page view that converts once, not twice.
func TestReplaceStateGoal(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	signup := heroExperiment("/signup*", 0, 10000, 0)
	signup.ID, signup.Goal = "signup", static.SnippetGoal{Type: "pageview", Value: "/signup?step=done"}
	cart := heroExperiment("/cart*", 0, 0, 10000)
	cart.ID, cart.Selector = "cart", `[data-copylab="sub"]`
	cart.Goal = static.SnippetGoal{Type: "pageview", Value: "/thanks?order=*"}
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{signup, cart}})
	s.page("/signup", tag, `<h1 data-copylab="hero">`+original+`</h1><p data-copylab="sub">Sub</p>`)
	navigate(t, ctx, s.URL+"/signup")
	s.waitEvents(1)
	for _, js := range []string{
		`history.replaceState(null, "", "/signup?step=done")`,
		`history.replaceState(null, "", "/signup?step=done")`, // the same URL again
		`history.pushState(null, "", "/cart")`,
		`history.replaceState(null, "", "/thanks?order=7")`,
	} {
		eval[any](t, ctx, js)
		time.Sleep(50 * time.Millisecond)
	}
	s.waitEvents(4)
	finish(t, ctx)
	evs := s.events()
	want := []struct{ experiment, typ, variant, goalOrMatched, url string }{
		{"signup", "exposure", "b", "", "/signup"},
		{"signup", "conversion", "b", "pageview", "/signup?step=done"},
		{"cart", "exposure", "c", "", "/cart"},
		{"cart", "conversion", "c", "pageview", "/thanks?order=7"},
	}
	if len(evs) != len(want) {
		t.Fatalf("events %v, want %d", evs, len(want))
	}
	for i, w := range want {
		checkEvent(t, evs[i], w.typ, w.variant, w.goalOrMatched)
		if evs[i]["experiment"] != w.experiment || evs[i]["url"] != s.URL+w.url {
			t.Errorf("event %d: %s of %v at %v, want %s at %s", i, w.typ, evs[i]["experiment"], evs[i]["url"], w.experiment, w.url)
		}
	}
	noExceptions(t, exceptions)
}

// TestCapturedPushState: a router that kept the browser's own pushState
// before the tag ran (a script above the tag, calling its saved copy)
// never calls the tag's. Its navigations still start page views, found
// when it renders the new route: the copy is swapped before that render is
// painted, and each route exposes once, also when the tag's own pushState
// or popstate sees the same navigation.
func TestCapturedPushState(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0)}})
	// The router renders the hero on /pricing pages only, and a paragraph
	// elsewhere.
	router := `<script>
		const push = history.pushState.bind(history);
		window.render = () => document.querySelector("main").innerHTML = location.pathname.startsWith("/pricing")
			? '<h1 data-copylab="hero">` + original + `</h1>' : "<p>" + location.pathname + "</p>";
		window.go = (url) => { push(null, "", url); render() };
		addEventListener("popstate", render);
	</script>`
	s.page("/app", probe+router+tag, `<main><p>/app</p></main>`)
	navigate(t, ctx, s.URL+"/app")
	// The router's navigation: the copy is set by the time the microtasks
	// after its render ran, before any paint.
	if got := eval[string](t, ctx, `(async () => {
		go("/pricing");
		await null; await null;
		return document.querySelector('`+hero+`').textContent;
	})()`); got != textB {
		t.Fatalf("after the router's pushState hero %q, want %q", got, textB)
	}
	eval[any](t, ctx, `go("/about")`)
	time.Sleep(50 * time.Millisecond)
	eval[any](t, ctx, `go("/pricing/team")`)
	time.Sleep(50 * time.Millisecond)
	// The tag's pushState and the render after it see one navigation, as
	// do the tag's popstate and the router's.
	eval[any](t, ctx, `history.pushState(null, "", "/pricing/x"); render()`)
	time.Sleep(50 * time.Millisecond)
	// The hero before Back is marked: the router's render on popstate
	// makes a new one, which may come a moment after the address changed.
	eval[any](t, ctx, `document.querySelector('`+hero+`').beforeBack = true, history.back()`)
	waitJS(t, ctx, `location.pathname == "/pricing/team"`)
	waitJS(t, ctx, `(el => el && !el.beforeBack && el.textContent == `+jsString(textB)+` && getComputedStyle(el).visibility == "visible")(document.querySelector('`+hero+`'))`)
	if text, vis := heroState(t, ctx); text != textB || vis != "visible" {
		t.Errorf("hero after back %q %s, want %q visible", text, vis, textB)
	}
	if p := readProbe(t, ctx); p.Shown || p.Seen == 0 {
		t.Errorf("the original copy was painted (or the hero never seen): %+v", p)
	}
	want := []string{"/pricing", "/pricing/team", "/pricing/x", "/pricing/team"}
	s.waitEvents(len(want))
	finish(t, ctx)
	evs := s.events()
	if len(evs) != len(want) {
		t.Fatalf("events %v, want exposures at %v", evs, want)
	}
	for i, u := range want {
		checkEvent(t, evs[i], "exposure", "b", "")
		if evs[i]["url"] != s.URL+u {
			t.Errorf("exposure %d at %v, want %s", i, evs[i]["url"], u)
		}
	}
	noExceptions(t, exceptions)
}

// TestSPASwapTime: the ms of an exposure made after a client-side
// navigation counts from that navigation, not from the document's start:
// a swap inside pushState takes a few ms, and an element rendered 300 ms
// after the navigation swaps at about 300 ms.
func TestSPASwapTime(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", TimeoutMS: 2000, Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0)}})
	s.page("/app", tag, `<main><h1 data-copylab="hero">`+original+`</h1></main>`)
	navigate(t, ctx, s.URL+"/app")
	time.Sleep(1200 * time.Millisecond)
	// The page's clock, read around each step, bounds each ms however
	// slowly the machine runs: pushed is how long the pushState call
	// took (the swap happens inside it); for the late element, from just
	// before the navigation to just after the render (an observer made
	// after the tag's runs after the tag's, in the same checkpoint), and
	// from just after the navigation to just before the render.
	pushed := eval[float64](t, ctx, `(t0 => (history.pushState(null, "", "/pricing"), performance.now() - t0))(performance.now())`)
	eval[any](t, ctx, `history.pushState(null, "", "/about"), document.querySelector("main").innerHTML = ""`)
	time.Sleep(600 * time.Millisecond)
	eval[any](t, ctx, `window.__navBefore = performance.now();
		history.pushState(null, "", "/pricing/team");
		window.__navAfter = performance.now();
		setTimeout(() => {
			new MutationObserver((l, o) => (window.__renderAfter = performance.now(), o.disconnect())).observe(document.body, {subtree: true, childList: true});
			window.__renderBefore = performance.now();
			document.querySelector("main").innerHTML = '<h1 data-copylab="hero">`+original+`</h1>';
		}, 300)`)
	waitJS(t, ctx, `document.querySelector('`+hero+`')?.textContent == `+jsString(textB))
	waitJS(t, ctx, `window.__renderAfter != null`)
	late0 := eval[[]float64](t, ctx, `[__renderBefore - __navAfter, __renderAfter - __navBefore]`)
	s.waitEvents(2)
	finish(t, ctx)
	evs := s.events()
	if len(evs) != 2 {
		t.Fatalf("events %v, want two exposures", evs)
	}
	for _, e := range evs {
		checkEvent(t, e, "exposure", "b", "")
	}
	now, late := evs[0]["ms"].(float64), evs[1]["ms"].(float64)
	t.Logf("swap inside pushState: %v ms (the call took %.1f ms); element rendered 300 ms after pushState: %v ms (rendered %.1f to %.1f ms after it)",
		now, pushed, late, late0[0], late0[1])
	// ms is whole: the time since the navigation, rounded down.
	if now > pushed {
		t.Errorf("swap inside pushState at %v ms, want the few ms since the navigation (the call took %.1f ms)", now, pushed)
	}
	if late < 300 || late < math.Floor(late0[0]) || late > late0[1] {
		t.Errorf("swap of an element rendered 300 ms after pushState at %v ms, want %.0f to %.0f ms (from the navigation to the render)", late, late0[0], late0[1])
	}
}

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

// TestThrowingSend: a page whose fetch or navigator.sendBeacon throws at
// once (a broken wrapper of a monitoring library, set after the tag) does
// not end the tag's page view, and loses no event: the copy stays applied
// when the framework renders the element again, and the batch stays queued
// for a later attempt (fetch) or goes by fetch instead (sendBeacon; see
// TestBeaconFails).
func TestThrowingSend(t *testing.T) {
	t.Parallel()
	// breaks replaces a function of the page with one that throws and
	// counts its calls in window.throws.
	breaks := func(fn string) string {
		return `<script>window.throws = 0; ` + fn + ` = () => { throws++; throw new Error("broken") }</script>`
	}
	body := `<h1 data-copylab="hero">` + original + `</h1><button class="cta">Go</button>`
	rerender := func(t *testing.T, ctx context.Context) {
		t.Helper()
		eval[any](t, ctx, `document.querySelector('`+hero+`').textContent = "`+original+`"`)
		time.Sleep(50 * time.Millisecond)
		if text, vis := heroState(t, ctx); text != textB || vis != "visible" {
			t.Errorf("hero %q %s after the framework rendered it again, want %q visible", text, vis, textB)
		}
	}
	t.Run("fetch", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		exceptions := browsertest.Exceptions(t, ctx)
		s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
			heroExperiment("/pricing*", 0, 10000, 0)}})
		s.page("/pricing", tag, body+breaks("window.fetch"))
		s.page("/pricing/next", tag, body)
		navigate(t, ctx, s.URL+"/pricing")
		waitJS(t, ctx, `throws > 0`) // the batch of the exposure
		rerender(t, ctx)
		// A conversion stores the queue again: the exposure must still be
		// in it. Leaving the page sends both by sendBeacon.
		eval[any](t, ctx, `document.querySelector(".cta").click()`)
		navigate(t, ctx, s.URL+"/pricing/next")
		evs := s.waitEvents(3)
		finish(t, ctx)
		if evs = s.events(); len(evs) != 3 {
			t.Fatalf("events %v, want exposure, conversion, exposure", evs)
		}
		checkEvent(t, evs[0], "exposure", "b", "")
		checkEvent(t, evs[1], "conversion", "b", "click")
		checkEvent(t, evs[2], "exposure", "b", "")
		noExceptions(t, exceptions)
	})
	t.Run("sendBeacon", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		exceptions := browsertest.Exceptions(t, ctx)
		s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
			heroExperiment("/pricing*", 0, 10000, 0)}})
		s.page("/pricing", tag, body+breaks("navigator.sendBeacon"))
		navigate(t, ctx, s.URL+"/pricing")
		s.waitEvents(1)
		// A conversion, then the page goes out of sight within the
		// batching second, and comes back.
		eval[any](t, ctx, `document.querySelector(".cta").click();
			Object.defineProperty(document, "hidden", {value: true, configurable: true});
			document.dispatchEvent(new Event("visibilitychange"));
			Object.defineProperty(document, "hidden", {value: false, configurable: true})`)
		if n := eval[int](t, ctx, `throws`); n != 1 {
			t.Fatalf("sendBeacon called %d times, want 1", n)
		}
		rerender(t, ctx)
		// The hide sent the conversion by fetch.
		evs := s.waitEvents(2)
		finish(t, ctx)
		if evs = s.events(); len(evs) != 2 {
			t.Fatalf("events %v, want exposure, conversion", evs)
		}
		checkEvent(t, evs[0], "exposure", "b", "")
		checkEvent(t, evs[1], "conversion", "b", "click")
		noExceptions(t, exceptions)
	})
}

// TestBeaconFails: a page hidden while its navigator.sendBeacon throws or
// refuses the batch (returns false) sends the batch in that same hide, by
// fetch with keepalive, which outlives the page: a visitor who leaves at
// once for a page without the tag loses no event, and each event arrives
// once.
func TestBeaconFails(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, beacon string }{
		{"throws", `() => { beacons++; throw new Error("broken") }`},
		{"returns false", `() => (beacons++, false)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewTab(t)
			exceptions := browsertest.Exceptions(t, ctx)
			s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
				heroExperiment("/pricing*", 0, 10000, 0)}})
			// The page counts the tag's sendBeacon calls, and notes each
			// fetch and whether it asked for keepalive.
			s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1><button class="cta">Go</button><script>
				window.beacons = 0;
				navigator.sendBeacon = `+c.beacon+`;
				window.fetches = [];
				const f = fetch;
				window.fetch = (url, init) => (fetches.push(!!init?.keepalive), f(url, init));
			</script>`)
			s.page("/away", "", `<p>No tag here.</p>`)
			navigate(t, ctx, s.URL+"/pricing")
			s.waitEvents(1) // the exposure, by the batch timer
			// A conversion, and the page goes out of sight before the
			// batching second is over: the batch leaves in that hide.
			got := eval[[]any](t, ctx, `document.querySelector(".cta").click();
				Object.defineProperty(document, "hidden", {value: true, configurable: true});
				document.dispatchEvent(new Event("visibilitychange"));
				[beacons, fetches]`)
			if got[0] != 1.0 || len(got[1].([]any)) != 2 || got[1].([]any)[1] != true {
				t.Errorf("in the hide: %v sendBeacon calls and fetches %v, want 1 and [true true] (the batch by fetch with keepalive)", got[0], got[1])
			}
			// The visitor leaves at once, for a page that has no tag to
			// send anything left behind.
			navigate(t, ctx, s.URL+"/away")
			s.waitEvents(2)
			finish(t, ctx)
			evs := s.events()
			if len(evs) != 2 {
				t.Fatalf("events %v, want exposure, conversion", evs)
			}
			checkEvent(t, evs[0], "exposure", "b", "")
			checkEvent(t, evs[1], "conversion", "b", "click")
			if evs[0]["id"] == evs[1]["id"] {
				t.Errorf("two events with one id %v", evs[0]["id"])
			}
			noExceptions(t, exceptions)
		})
	}
}

// breakParse is a page script, after the tag, that replaces JSON.parse
// with one that throws.
const breakParse = `<script>JSON.parse = () => { throw new Error("parse broken") }</script>`

// TestBrokenJSONParse: a page whose scripts replace JSON.parse with one
// that throws, after the tag ran:
//   - the visitor keeps their id and variant from page to page (the tag
//     reads its storage while it starts, before the page's scripts);
//   - Hotjar's session id, read from its cookie later, still goes out;
//   - a QA link keeps showing its variant on the next pages, where the QA
//     build, which loads after the page's scripts, finds the link.
func TestBrokenJSONParse(t *testing.T) {
	t.Parallel()
	heroHTML := `<h1 data-copylab="hero">` + original + `</h1>`
	t.Run("visitor", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
			heroExperiment("/pricing*", 0, 10000, 0)}})
		s.page("/pricing", tag, heroHTML+`<button class="cta">Go</button>`+breakParse)
		navigate(t, ctx, s.URL+"/pricing")
		s.waitEvents(1)
		navigate(t, ctx, s.URL+"/pricing")
		eval[any](t, ctx, `document.querySelector(".cta").click()`)
		s.waitEvents(3)
		finish(t, ctx)
		evs := s.events()
		if len(evs) != 3 {
			t.Fatalf("events %v, want exposure, exposure, conversion", evs)
		}
		checkEvent(t, evs[1], "exposure", "b", "")
		checkEvent(t, evs[2], "conversion", "b", "click")
		for _, e := range evs[1:] {
			if e["visitor"] != evs[0]["visitor"] {
				t.Errorf("visitor %v on the second page, want %v", e["visitor"], evs[0]["visitor"])
			}
		}
	})
	t.Run("Hotjar", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		exceptions := browsertest.Exceptions(t, ctx)
		s := newSite(t, prod, static.SnippetConfig{Site: "test", Recorders: []string{"hotjar"}, Experiments: []static.SnippetExperiment{
			heroExperiment("/pricing*", 0, 10000, 0)}})
		s.page("/pricing", `<script>window.hj = () => {};
			document.cookie = "_hjSession_3412345=" + btoa(JSON.stringify({id: "hj-sess-7", c: 1700000000000, s: 0})) + "; path=/";
		</script>`+tag, heroHTML+breakParse)
		navigate(t, ctx, s.URL+"/pricing")
		s.waitEvents(2)
		finish(t, ctx)
		exposures, recs := recordings(t, s.events(), "b")
		if len(exposures) != 1 || len(recs["hotjar"]) != 1 || recs["hotjar"][0]["session"] != "hj-sess-7" {
			t.Errorf("exposures %v, recordings %v: want one exposure and Hotjar's session hj-sess-7", exposures, recs)
		}
		noExceptions(t, exceptions)
	})
	t.Run("QA link", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		s := newSite(t, prod, static.SnippetConfig{Site: "test", Experiments: []static.SnippetExperiment{
			heroExperiment("/pricing*", 0, 10000, 0)}})
		s.page("/pricing", tag, heroHTML+breakParse)
		showsC := `document.querySelector('` + hero + `').textContent == ` + jsString(textC)
		navigate(t, ctx, s.URL+"/pricing?copylab="+expID+":c")
		waitJS(t, ctx, showsC)
		navigate(t, ctx, s.URL+"/pricing")
		waitJS(t, ctx, `document.querySelector('`+hero+`').textContent != "`+original+`"`)
		if text, vis := heroState(t, ctx); text != textC || vis != "visible" {
			t.Errorf("next page of the QA session: hero %q %s, want %q visible", text, vis, textC)
		}
		finish(t, ctx)
		if evs := s.events(); len(evs) != 0 {
			t.Errorf("QA mode sent %v", evs)
		}
	})
}

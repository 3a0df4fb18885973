package snippet_test

// Browser tests of the session recorder code: fake recorders on the page
// (posthog, clarity, FS, LogRocket, hj, and a custom one through
// copylab.recording) record every call they get in window.__calls; the
// tests check the tags set through each API and the "recording" events.

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"copylab/static"
	"copylab/static/browsertest"
)

var allRecorders = []string{"posthog", "clarity", "fullstory", "logrocket", "hotjar", "custom"}

// Fake recorders. log keeps each call as JSON-able values.
const (
	stubLog = `<script>window.__calls = []; window.log = (...a) => __calls.push(JSON.parse(JSON.stringify(a)));</script>`
	// PostHog, loaded (posthog-js sets __loaded once init ran).
	stubPostHog = `<script>window.posthog = {__loaded: true,
		capture: (n, p) => log("posthog.capture", n, p),
		get_session_id: () => "ph-session-1",
		get_session_replay_url: (o) => (log("posthog.get_session_replay_url", o), "https://eu.posthog.com/project/phc_x/replay/ph-session-1?t=3")};</script>`
	// Clarity's function, and its cookies as it writes them (%7C for "|").
	stubClarity = `<script>window.clarity = (...a) => log("clarity", ...a);
		document.cookie = "_clck=usr1x%7C2%7Cfmv%7C0%7C1520; path=/";
		document.cookie = "_clsk=ses9z%7C1700000000000%7C1%7C1%7Cz.clarity.ms%2Fcollect; path=/";</script>`
	// FullStory's v2 API: one function.
	stubFullStoryV2 = `<script>window.FS = (op, arg) => (log("FS", op, arg),
		op == "getSession" ? "https://app.fullstory.com/ui/o-1/client-session/42%3A43" : undefined);</script>`
	// Hotjar's function, and its session cookie (base64 JSON).
	stubHotjar = `<script>window.hj = (...a) => log("hj", ...a);
		document.cookie = "_hjSession_3412345=" + btoa(JSON.stringify({id: "hj-sess-7", c: 1700000000000, s: 0})) + "; path=/";</script>`
	// LogRocket loads 2 s after the page (after the exposure), and gives its
	// session URL 300 ms after it is asked.
	stubLogRocketLate = `<script>setTimeout(() => { window.__lrAt = Date.now(); window.LogRocket = {
		track: (n, p) => log("LogRocket.track", n, p),
		getSessionURL: (cb) => (log("LogRocket.getSessionURL"), setTimeout(() => cb("https://app.logrocket.com/abc123/shop/s/5-abc/0?t=1"), 300))} }, 2000);</script>`
	// The site's own recorder reports its session id.
	customSession = `<script>copylab.recording("cust-42")</script>`
)

var recordingKeys = map[string][]string{
	"posthog":   {"experiment", "id", "recorder", "replay", "session", "ts", "type", "url", "variant", "visitor"},
	"clarity":   {"experiment", "id", "recorder", "session", "ts", "type", "url", "variant", "visitor"},
	"fullstory": {"experiment", "id", "recorder", "replay", "ts", "type", "url", "variant", "visitor"},
	"logrocket": {"experiment", "id", "recorder", "replay", "ts", "type", "url", "variant", "visitor"},
	"hotjar":    {"experiment", "id", "recorder", "session", "ts", "type", "url", "variant", "visitor"},
	"custom":    {"experiment", "id", "recorder", "session", "ts", "type", "url", "variant", "visitor"},
}

// recordings splits events into the exposures and the recording events by
// recorder, checking each recording event's keys, id and experiment.
func recordings(t *testing.T, evs []map[string]any, variant string) (exposures []map[string]any, recs map[string][]map[string]any) {
	t.Helper()
	recs = map[string][]map[string]any{}
	for _, e := range evs {
		switch e["type"] {
		case "exposure":
			exposures = append(exposures, e)
		case "recording":
			r, _ := e["recorder"].(string)
			recs[r] = append(recs[r], e)
			if got := sortedKeys(e); !slices.Equal(got, recordingKeys[r]) {
				t.Errorf("%s recording event keys %v, want %v", r, got, recordingKeys[r])
			}
			if e["experiment"] != expID || e["variant"] != variant {
				t.Errorf("recording %v: want experiment %s, variant %s", e, expID, variant)
			}
			if _, ok := e["ts"].(float64); !ok {
				t.Errorf("recording ts %v", e["ts"])
			}
			checkUUIDv7(t, e["id"])
		default:
			t.Errorf("unexpected event %v", e)
		}
	}
	return exposures, recs
}

// callList returns the recorder calls a page logged (window.__calls), each
// as JSON, sorted.
func callList(calls []any) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		b, _ := json.Marshal(c)
		out[i] = string(b)
	}
	sort.Strings(out)
	return out
}

// TestRecorders: with every recorder on the page (LogRocket loading late,
// after the exposure), each gets the experiment and variant through its
// own API, once, and copylab gets one "recording" event per recorder,
// after the exposure, with the session id or replay URL each one gives.
func TestRecorders(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Recorders: allRecorders, Experiments: []static.SnippetExperiment{
		heroExperiment("/pricing*", 0, 10000, 0)}})
	s.page("/pricing", stubLog+stubPostHog+stubClarity+stubFullStoryV2+stubHotjar+stubLogRocketLate+tag+customSession,
		`<h1 data-copylab="hero">`+original+`</h1>`)
	navigate(t, ctx, s.URL+"/pricing")
	s.waitEvents(7)
	// A few more polls: nothing is sent twice, nothing tagged twice.
	time.Sleep(1500 * time.Millisecond)
	got := eval[[]any](t, ctx, `__calls`)
	lrAt := eval[float64](t, ctx, `__lrAt`)
	finish(t, ctx)
	evs := s.events()
	exposures, recs := recordings(t, evs, "b")
	if len(exposures) != 1 || evs[0]["type"] != "exposure" {
		t.Fatalf("events %v: want the exposure first, and only one", evs)
	}
	checkEvent(t, exposures[0], "exposure", "b", "")
	for _, r := range allRecorders {
		if len(recs[r]) != 1 {
			t.Errorf("%s: %d recording events, want 1: %v", r, len(recs[r]), recs[r])
			continue
		}
		if recs[r][0]["url"] != s.URL+"/pricing" || recs[r][0]["ts"].(float64) < exposures[0]["ts"].(float64) {
			t.Errorf("%s recording %v: want the page's URL, after the exposure", r, recs[r][0])
		}
	}
	// The stub's timer starts before the exposure, so compare with the
	// moment LogRocket really appeared, not with the exposure.
	if lr := recs["logrocket"]; len(lr) == 1 && lr[0]["ts"].(float64) < lrAt {
		t.Errorf("LogRocket's recording (ts %v) came before LogRocket loaded (%v)", lr[0]["ts"], lrAt)
	}
	want := map[string][2]any{ // recorder: session, replay
		"posthog":   {"ph-session-1", "https://eu.posthog.com/project/phc_x/replay/ph-session-1?t=3"},
		"clarity":   {"usr1x/ses9z", nil},
		"fullstory": {nil, "https://app.fullstory.com/ui/o-1/client-session/42%3A43"},
		"logrocket": {nil, "https://app.logrocket.com/abc123/shop/s/5-abc/0?t=1"},
		"hotjar":    {"hj-sess-7", nil},
		"custom":    {"cust-42", nil},
	}
	for r, w := range want {
		if len(recs[r]) == 1 && (recs[r][0]["session"] != w[0] || recs[r][0]["replay"] != w[1]) {
			t.Errorf("%s: session %v replay %v, want %v %v", r, recs[r][0]["session"], recs[r][0]["replay"], w[0], w[1])
		}
	}
	tags := `{"copylab_experiment":"` + expID + `","copylab_variant":"b"}`
	wantCalls := []string{
		`["FS","getSession",{"format":"url"}]`,
		`["FS","trackEvent",{"name":"copylab","properties":` + tags + `}]`,
		`["LogRocket.getSessionURL"]`,
		`["LogRocket.track","copylab",` + tags + `]`,
		`["clarity","set","copylab_experiment","` + expID + `"]`,
		`["clarity","set","copylab_variant","b"]`,
		`["hj","event","copylab:` + expID + `:b"]`,
		`["posthog.capture","copylab",` + tags + `]`,
		`["posthog.get_session_replay_url",{"withTimestamp":true}]`,
	}
	if got := callList(got); !slices.Equal(got, wantCalls) {
		t.Errorf("recorder calls\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(wantCalls, "\n     "))
	}
	noExceptions(t, exceptions)
}

// TestRecordersOtherAPIs: FullStory's v1 API, cookies written raw or
// URL-encoded as older versions did; and a new page view (SPA) tags and
// sends again, once.
func TestRecordersOtherAPIs(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Recorders: []string{"clarity", "fullstory", "hotjar"},
		Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 0, 0, 10000)}})
	s.page("/pricing", stubLog+`<script>
		window.FS = {event: (n, p) => log("FS.event", n, p), getCurrentSessionURL: (now) => (log("FS.getCurrentSessionURL", now), "https://app.fullstory.com/ui/o-1/session/1%3A2")};
		window.clarity = (...a) => log("clarity", ...a);
		document.cookie = "_clck=u2|2|fmv; path=/";
		document.cookie = "_clsk=s3|1700000000000|1; path=/";
		window.hj = (...a) => log("hj", ...a);
		document.cookie = "_hjSession_9=" + encodeURIComponent(JSON.stringify({id: "legacy-1", created: 1})) + "; path=/";
	</script>`+tag, `<h1 data-copylab="hero">`+original+`</h1>`)
	navigate(t, ctx, s.URL+"/pricing")
	s.waitEvents(4)
	eval[any](t, ctx, `history.pushState({}, "", "/pricing?plan=team")`)
	s.waitEvents(8)
	time.Sleep(1200 * time.Millisecond)
	got := eval[[]any](t, ctx, `__calls`)
	finish(t, ctx)
	exposures, recs := recordings(t, s.events(), "c")
	if len(exposures) != 2 {
		t.Errorf("%d exposures, want 2 (two page views)", len(exposures))
	}
	for r, w := range map[string][2]any{
		"clarity":   {"u2/s3", nil},
		"fullstory": {nil, "https://app.fullstory.com/ui/o-1/session/1%3A2"},
		"hotjar":    {"legacy-1", nil},
	} {
		if len(recs[r]) != 2 {
			t.Errorf("%s: %d recording events, want 2 (one per page view): %v", r, len(recs[r]), recs[r])
			continue
		}
		for i, url := range []string{"/pricing", "/pricing?plan=team"} {
			if e := recs[r][i]; e["session"] != w[0] || e["replay"] != w[1] || e["url"] != s.URL+url {
				t.Errorf("%s recording %d: %v, want session %v replay %v url %s", r, i, e, w[0], w[1], url)
			}
		}
	}
	counts := map[string]int{}
	for _, c := range callList(got) {
		counts[c]++
	}
	tags := `{"copylab_experiment":"` + expID + `","copylab_variant":"c"}`
	for call, n := range map[string]int{
		`["FS.event","copylab",` + tags + `]`:                    2,
		`["FS.getCurrentSessionURL",true]`:                       2,
		`["hj","event","copylab:` + expID + `:c"]`:               2,
		`["clarity","set","copylab_variant","c"]`:                2,
		`["clarity","set","copylab_experiment","` + expID + `"]`: 2,
	} {
		if counts[call] != n {
			t.Errorf("call %s made %d times, want %d (calls: %v)", call, counts[call], n, counts)
		}
	}
	noExceptions(t, exceptions)
}

// TestRecordersQuiet: nothing is tagged or sent where events may not be:
// with a recorder configured but none on the page; in QA mode; before
// consent (and all of it after consent(true)); and a site with no recorder
// configured leaves the recorders on its pages alone. A recorder that
// throws breaks neither the page nor the other recorders.
func TestRecordersQuiet(t *testing.T) {
	t.Parallel()
	stubs := stubLog + stubPostHog + stubClarity + stubHotjar
	heroHTML := `<h1 data-copylab="hero">` + original + `</h1>`
	cfg := func(recs ...string) static.SnippetConfig {
		return static.SnippetConfig{Site: "test", Recorders: recs, Experiments: []static.SnippetExperiment{
			heroExperiment("/pricing*", 0, 10000, 0)}}
	}
	t.Run("recorders configured, none on the page", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		exceptions := browsertest.Exceptions(t, ctx)
		s := newSite(t, prod, cfg(allRecorders...))
		s.page("/pricing", tag, heroHTML)
		navigate(t, ctx, s.URL+"/pricing")
		if text, _ := heroState(t, ctx); text != textB {
			t.Errorf("hero %q", text)
		}
		time.Sleep(2500 * time.Millisecond)
		s.waitEvents(1) // the exposure, which a busy machine may send late
		finish(t, ctx)
		if evs := s.events(); len(evs) != 1 || evs[0]["type"] != "exposure" {
			t.Errorf("events %v, want the exposure only", evs)
		}
		noExceptions(t, exceptions)
	})
	t.Run("no recorder configured", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		exceptions := browsertest.Exceptions(t, ctx)
		s := newSite(t, prod, cfg())
		s.page("/pricing", stubs+tag, heroHTML)
		navigate(t, ctx, s.URL+"/pricing")
		time.Sleep(1500 * time.Millisecond)
		if n := eval[int](t, ctx, `__calls.length`); n != 0 {
			t.Errorf("%d recorder calls, want none", n)
		}
		s.waitEvents(1)
		finish(t, ctx)
		if evs := s.events(); len(evs) != 1 || evs[0]["type"] != "exposure" {
			t.Errorf("events %v, want the exposure only", evs)
		}
		noExceptions(t, exceptions)
	})
	t.Run("QA mode", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		s := newSite(t, prod, cfg(allRecorders...))
		s.page("/pricing", stubs+tag, heroHTML)
		navigate(t, ctx, s.URL+"/pricing?copylab="+expID+":c")
		// The QA build arrives after the page.
		waitJS(t, ctx, `document.querySelector('`+hero+`').textContent == `+jsString(textC))
		time.Sleep(1500 * time.Millisecond)
		if n := eval[int](t, ctx, `__calls.length`); n != 0 {
			t.Errorf("QA mode: %d recorder calls, want none", n)
		}
		finish(t, ctx)
		if evs := s.events(); len(evs) != 0 {
			t.Errorf("QA mode sent %v", evs)
		}
	})
	t.Run("consent pending, then given", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		s := newSite(t, prod, cfg("posthog", "hotjar"))
		s.page("/pricing", stubs+`<script src="/s/test.js" data-consent="required"></script>`, heroHTML)
		navigate(t, ctx, s.URL+"/pricing")
		time.Sleep(1300 * time.Millisecond)
		if n := eval[int](t, ctx, `__calls.length`); n != 0 {
			t.Errorf("before consent: %d recorder calls, want none", n)
		}
		if evs := s.events(); len(evs) != 0 {
			t.Fatalf("sent before consent: %v", evs)
		}
		eval[any](t, ctx, `copylab.consent(true)`)
		s.waitEvents(3)
		finish(t, ctx)
		exposures, recs := recordings(t, s.events(), "b")
		if len(exposures) != 1 || len(recs["posthog"]) != 1 || len(recs["hotjar"]) != 1 {
			t.Errorf("after consent: exposures %v, recordings %v", exposures, recs)
		}
	})
	t.Run("a recorder that throws", func(t *testing.T) {
		t.Parallel()
		ctx := browsertest.NewTab(t)
		exceptions := browsertest.Exceptions(t, ctx)
		s := newSite(t, prod, cfg("posthog", "clarity", "hotjar"))
		s.page("/pricing", stubLog+`<script>
			window.posthog = {__loaded: true, capture() { throw new Error("posthog broke") }};
			window.clarity = () => { throw new Error("clarity broke") };
			document.cookie = "_clck=u%7C2; path=/"; document.cookie = "_clsk=s%7C1; path=/";
		</script>`+stubHotjar+tag, heroHTML)
		navigate(t, ctx, s.URL+"/pricing")
		s.waitEvents(2)
		time.Sleep(1200 * time.Millisecond)
		if text, vis := heroState(t, ctx); text != textB || vis != "visible" {
			t.Errorf("hero %q %s", text, vis)
		}
		// The page view goes on: a re-rendered element gets its copy.
		if got := eval[string](t, ctx, `(async () => { const h = document.querySelector('`+hero+`'); h.textContent = "x"; await null; await null; return h.textContent })()`); got != textB {
			t.Errorf("after a re-render hero %q, want %q", got, textB)
		}
		finish(t, ctx)
		_, recs := recordings(t, s.events(), "b")
		if fmt.Sprint(len(recs["hotjar"]), len(recs["posthog"]), len(recs["clarity"])) != "1 0 0" {
			t.Errorf("recordings %v, want Hotjar's only", recs)
		}
		noExceptions(t, exceptions)
	})
}

// TestPostHogTwoTestsOnOnePage: PostHog's replay filter for a test looks
// for events with its experiment and variant. With two tests on one page,
// each gets an event of its own with its own properties; super properties
// (register) would have been one set per visitor, the second test's
// taking over the first's, so that the first test's filter found none of
// its sessions. The stub keeps super properties as posthog-js does and
// records each captured event with them.
func TestPostHogTwoTestsOnOnePage(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	second := heroExperiment("/pricing*", 0, 10000, 0)
	second.ID, second.Selector = "0194f1c2-7a3b-7cde-8f01-0000000000b2", "#cta-copy"
	s := newSite(t, prod, static.SnippetConfig{Site: "test", Recorders: []string{"posthog"},
		Experiments: []static.SnippetExperiment{heroExperiment("/pricing*", 0, 0, 10000), second}})
	s.page("/pricing", `<script>window.__events = []; window.posthog = {__loaded: true, supers: {},
		register(p) { Object.assign(this.supers, p); },
		capture(name, p) { __events.push({name, props: Object.assign({}, this.supers, p)}); },
		get_session_id: () => "ph-session-2",
		get_session_replay_url: () => "https://eu.posthog.com/project/1/replay/ph-session-2"};</script>`+tag,
		`<h1 data-copylab="hero">`+original+`</h1><p id="cta-copy">`+original+`</p>`)
	navigate(t, ctx, s.URL+"/pricing")
	s.waitEvents(4) // two exposures, two recordings
	got := eval[[]map[string]any](t, ctx, `__events`)
	finish(t, ctx)
	for id, variant := range map[string]string{expID: "c", second.ID: "b"} {
		found := false
		for _, ev := range got {
			p, _ := ev["props"].(map[string]any)
			found = found || ev["name"] == "copylab" && p["copylab_experiment"] == id && p["copylab_variant"] == variant
		}
		if !found {
			t.Errorf("no PostHog event carries experiment %s, variant %s: %v", id, variant, got)
		}
	}
	noExceptions(t, exceptions)
}

// copylab snippet: served as GET /s/SITE_KEY.js with the site's running
// experiments inlined (static/snippet.go renders it), so the swap needs no
// second request. It shows each visitor the copy of their variant, without
// flicker when the tag is in <head>, and reports exposures and conversions to
// POST /e (the contract is in DESIGN.md, "Events").
//
// Ground rules, each of which some code below exists for:
//   - Never break the host page. Every entry point (start, observers, timers,
//     listeners, the JS API) runs inside G(), which swallows errors and shows
//     the original copy. No eval, no new Function: a strict CSP needs only
//     script-src for our origin (and connect-src for the events).
//   - Hide only the tested elements, and only until their copy is set or the
//     timeout passes. Fail open: after the timeout the original copy shows,
//     and nothing is swapped or exposed later in that page view.
//   - Copy is plain text: textContent only, never HTML.
//   - No cookies. State lives in localStorage (one JSON value under the key
//     "copylab"), which is not written before consent when the tag asks for
//     consent; sessionStorage holds only a QA link's choice. (The session
//     recorder part reads the recorders' own cookies; it writes none.)
//
// The tag belongs in <head>, without async or defer: the script then runs
// before the body is parsed and hides the tested elements before their first
// paint. With async (or when a tag manager injects it) everything works the
// same, except that elements painted before the script runs flicker from the
// original copy to the variant, and the timeout counts from when it runs.
// The guarded async install avoids that flicker without a synchronous
// script: an inline script of the page puts the class "copylab-wait" on
// <html>, which its inline style hides, and takes it off after a timeout
// whatever happens (static.GuardedTag writes that markup); the tag, loaded
// with async from /s/KEY.js?guard=1, takes the class off itself as soon as
// it ran (the "guard" region at the end of this file), and does nothing
// when it comes after that timeout, which marks <html> "copylab-late" (the
// guard region at the start).
//
// The syntax is ES2021 (?., ??, ||=). A browser too old to parse it runs none
// of this: its visitors see the original page and send nothing, which is the
// same fail-open as any error.
//
// Config `c` is positional (arrays are the fewest bytes; static/snippet.go
// writes it and documents each slot); the constants below name the slots,
// and esbuild inlines them. Trailing empty slots are left out. URL patterns
// (experiment pages, page-view goals) come compiled to a regexp by the
// server.
//
// Two builds come from this file (static/snippet.go cuts the "#if" regions
// out before minifying): the live tag, and the QA build that a live tag
// loads for a QA link (?copylab=EXPERIMENT:VARIANT), which shows that
// variant, can show experiments the live tag does not carry yet, and never
// stores or sends anything. The QA-only code stays out of the live tag.
// Likewise, the code of session recorders and of visible-only exposures
// is only in the tags of the sites that use them, and the guard's code only
// in the tag of the guarded install.
//
// Bytes matter (the budget is 2 KB gzipped with one experiment inlined):
// esbuild renames locals but never properties, so internal objects use
// one-letter fields and helpers are arrow functions. Some helpers take
// extra parameters only to declare locals in fewer bytes, and some calls
// hand a helper that takes no argument an expression to run first
// (persist(S.u = id), scan(hide())). WebIDL reads 1 as true, so boolean
// options of the browser's APIs get 1, not !0; the events keep true/false.
// The declarations of the tag's state and helpers are in the order that
// gzips smallest, not in reading order (see the var statement).
// #if guard
// The guarded install (see the end of this file). When the tag comes
// after the guard's timeout, the page has already shown its original
// copy, and the guard's inline script has marked <html> "copylab-late":
// swapping now would be the very flicker the guard exists to prevent, and
// the exposure would count a visitor who saw both copies. So the tag
// leaves that page view alone: no swap, no hiding, no event (those held
// from earlier pages wait for the next), no window.copylab (as when the
// tag never comes), for as long as the document lives (an SPA's later
// routes too). Conversions on it go unrecorded; lateness does not depend
// on the variant, so every arm loses such page views alike. An inline
// script pasted before the mark existed never sets it: its page views
// keep the tag's former behaviour (the late swap). The function call
// below is the if's body. (querySelector finds <html> first, and gzips 4
// bytes smaller than classList.contains.)
try {
  if (!document.querySelector(".copylab-late"))
// #endif
((c) => {
  // c: [site key, experiments, events endpoint, hide timeout ms, honor GPC]
  const SITE = 0,
    EXPERIMENTS = 1,
    ENDPOINT = 2,
    TIMEOUT = 3,
    GPC = 4,
    // #if qa
    // c[LABEL], in the QA build only: the words of its badge (see badge);
    // c[WHY], its words for why the link's experiment shows nothing here.
    LABEL = 5,
    WHY = 6,
    // #endif
    // an experiment: [id, seed (0: the id), selector, coverage_bp, variants,
    // goal type, goal value, page pattern, visible-only]; id 0 is a shipped
    // variant: one text for everyone, no goal, no events.
    ID = 0,
    SEED = 1,
    SEL = 2,
    COVERAGE = 3,
    VARIANTS = 4,
    GOAL = 5,
    GOAL_VALUE = 6,
    PAGE = 7,
    VISIBLE = 8,
    // a variant: [key, weight_bp, text]; the control has no text.
    KEY = 0,
    WEIGHT = 1,
    TEXT = 2;
  // The var statement's declarations are in the order that gzips smallest
  // (esbuild keeps it): static's TestSnippetOrder searched for it, and
  // reading order costs about 18 bytes more, which the budget does not
  // have. So each declaration's comment stands on its own. In reading
  // order: the state (NAME, d, L, X, ok, force, S, url, sheet, timer,
  // path, query, since, act), helpers (G, T, on, stringify, parse, J),
  // storage (st, persist), assignment (fnv, assign, pick), URL patterns
  // (match), ids (uuid), hiding (hide), page views (view, route, scan,
  // expose), session recorders (record), goals (goal), and delivery
  // (track, later, flush). After a change that adds code, run that search
  // again (see its comment).
  var w = window,
    // path: the page view's path as route compares it: the pathname and
    // which experiments' pages match.
    path,
    // T(f, a) is f(a), answering undefined instead of throwing. (G's shape,
    // which gzip then gets almost for free.)
    T = (f, a) => {
      try {
        return f(a);
      } catch {}
    },
    L = location,
    // view() starts a page view: at load and on each SPA route change
    // (route says when). act holds the experiments of the page view: those
    // whose page matches and that the visitor is in. Each carries its
    // page-view state:
    //   a variant, s 0 waiting for its element | 1 applied | 2 timed out,
    //   e 0 until exposed (expose counts its calls), n writing passes in the
    //   current second (see scan), m ms of the swap since the page view
    //   began, r IntersectionObserver (visible-only).
    // The observer is new in each page view (the last one disconnected):
    // observing an element already observed reports nothing, so an element
    // that stays on screen across a route change would never expose again.
    // It exposes only while its page view lasts (list == act: no route
    // change, no error since).
    // Pending elements of the previous page view are dropped without a
    // health event (the visitor left before the timeout).
    view = (nav, list) => {
      since = nav && performance.now();
      list = act = X.filter(
        (x) =>
          match(x[PAGE]) &&
          (x.a = pick(x)) &&
          !(
            // #if visible
            x.r?.disconnect(),
            (x.r =
              x[VISIBLE] &&
              new IntersectionObserver(G((l) => l.map((i) => i.isIntersecting && list == act && expose(x))))),
            // #endif
            (x.s = x.e = x.n = 0)
          ),
      );
      scan(hide());
      // The timeout fails open. An element that never appeared gives one
      // exposure event with matched:false, which the server does not count
      // but uses to warn that a selector stopped matching. (hide, like scan
      // above, takes no argument: it runs after the one it is given.)
      setTimeout(
        G(() => hide(list == act && list.map((x) => x.s || ((x.s = 2), track(x, { matched: !1 }))))),
        c[TIMEOUT] || 1e3,
      );
    },
    // persist stores S when the tag may store (ok), and the page is not
    // prerendered. A prerendered page (speculation rules, the address
    // bar's guess) runs the tag before the visitor sees it, and maybe
    // never shows it: it keeps what it did in memory, as before consent
    // (persist and flush wait while d.prerendering; true > true is false),
    // and sends it, and stores it with the send, once the visitor opens
    // it (the visibilitychange listener, at the end of the start).
    persist = () => ok > !!d.prerendering && st(0, S),
    // sheet: the constructable stylesheet that hides the tested elements
    // (hide).
    sheet,
    // goal converts the experiments with a goal of this type whose value
    // passes test, only for a visitor exposed to them in this browser (S.a
    // holds an experiment once it was exposed). The server counts one
    // conversion per visitor and experiment, so repeats need no guard here.
    // The event's goal is the name for custom events, else the type. test
    // runs guarded: a click goal whose selector the browser rejects (closest
    // throws) converts nothing.
    goal = (type, test) =>
      X.map(
        (x) =>
          x[GOAL] == type &&
          S.a[x[ID]] &&
          T(test, x[GOAL_VALUE]) &&
          track(x, { type: "conversion", goal: type == "event" ? x[GOAL_VALUE] : type }, S.a[x[ID]]),
      ),
    // pick returns the visitor's variant of experiment x, or nothing when
    // they are not in it. A QA override wins; then the variant remembered at
    // the visitor's first exposure (track), so they keep their copy when
    // weights change; else a fresh assignment, which hashes the person's id
    // once identify gave one. Being out of the experiment is not
    // remembered, so raising coverage can let the visitor in later.
    pick = (x, f = (k) => x[VARIANTS].find((y) => y[KEY] == k)) =>
      // #if qa
      (force[0] == x[ID] && f(force[1])) ||
      // #endif
      f(S.a[x[ID]]) ||
      assign(x, S.u || S.v),
    // track queues an event of experiment x (an exposure unless extra says
    // otherwise). Events wait in S.q, stored, until a flush takes them.
    // S.q keeps the 20 newest, and a batch of them must stay within the
    // 64 KiB that keepalive fetch and sendBeacon carry: both refuse a
    // bigger body, every time, and the queue would never empty. So an
    // event carries at most what the server keeps of the page's words:
    // the URL's first 2,048 characters (location.href is ASCII: the
    // browser percent-encodes the rest; the server keeps 2,048 bytes),
    // utm_source's first 128 (the server keeps 128 bytes), and the
    // referrer's first 128 (the server keeps only its host, which is in
    // them unless it is over 120 characters; expose cuts those two). An
    // event is then under 3 KB, and 20 of them under 57 KB; only URLs
    // made of what JSON escapes (a query of backslashes, a utm_source of
    // control characters) could still go over. An exposure also remembers
    // the variant in S.a: the visitor keeps it, and may now convert. A
    // shipped variant (an experiment with id 0: one variant for everyone)
    // sends nothing. track answers something falsy whatever it did
    // (persist last): the recorders' send relies on it.
    track = (x, extra, variant = x.a[KEY], experiment = x[ID]) =>
      ok >= 0 &&
      experiment &&
      (later(),
      extra.matched && (S.a[experiment] = variant),
      persist(
        (S.q = [
          ...S.q,
          { type: "exposure", ts: Date.now(), variant, url: L.href.slice(0, 2048), experiment, id: uuid(), ...extra },
        ].slice(-20)),
      )),
    d = document,
    // #if recorders
    // ---- session recorders. This part is only in the scripts of sites
    // that set up a recorder, and of each recorder only its own lines:
    // Render cuts out every "#if NAME" region whose recorder the site does
    // not use ("recorders" stands for any), so the others pay nothing.
    //
    // record(x) runs at an exposure. It polls, every 500 ms for 10 s and
    // only while the page view lasts (a == act), for the site's recorders
    // in R: one present (or loaded late, within the poll) gets the
    // experiment and variant through its own API, and once it knows its
    // session, copylab gets one "recording" event with the session id
    // and/or the replay URL (send). A recorder leaves R once it returns
    // true (it has sent, or will by callback), so each sends once per
    // experiment and page view. Nothing is tagged or sent unless events
    // may be sent (ok > 0: not in QA mode, not before consent). A recorder
    // whose code throws leaves R too; the error stays here.
    record = (
      x,
      a = act,
      i = 0,
      // #if posthog fullstory logrocket
      // p: the tag as properties.
      p = { copylab_experiment: x[ID], copylab_variant: x.a[KEY] },
      // #endif
      // #if hotjar
      tagged,
      // #endif
      // send queues the "recording" event of a recorder.
      send = (recorder, session, replay) =>
        (session || replay) && !track(x, { type: "recording", recorder, session, replay }),
      R = [
        // #if posthog
        // PostHog: one "copylab" event with the properties, which its
        // replay filters match. Not register(): super properties are one
        // set per visitor, so a second test on the page would take them
        // over, and the first test's filter would find none of its
        // sessions. The replay URL is on the host the site's posthog-js
        // links to.
        (o = w.posthog) =>
          o?.__loaded &&
          (o.capture("copylab", p), send("posthog", o.get_session_id(), o.get_session_replay_url({ withTimestamp: !0 }))),
        // #endif
        // #if clarity
        // Clarity: two custom tags. Its ids are in its cookies (the first
        // "|"-separated field, written raw or as %7C): _clck holds the
        // user, _clsk the session; its player needs both, so the session
        // is sent as "USER/SESSION". (On the first page of a new Clarity
        // session, _clsk may still name the last one until Clarity has
        // loaded; Clarity offers no other way to read its ids.)
        (o = w.clarity, k = (n) => d.cookie.match(n + "=([^|;%]+)")?.[1], u = k("_clck"), z = k("_clsk")) =>
          o && (o("set", "copylab_experiment", x[ID]), o("set", "copylab_variant", x.a[KEY]), u && z && send("clarity", u + "/" + z)),
        // #endif
        // #if fullstory
        // FullStory: its session URL exists once capture has begun (v1:
        // FS.getCurrentSessionURL; v2: FS("getSession"), which the v2 stub
        // answers with a number: hence the test); then the event, through
        // the v1 or the v2 API.
        (o = w.FS, u = o?.getCurrentSessionURL?.(!0) || o?.("getSession", { format: "url" })) =>
          /^http/.test(u) &&
          (o.event ? o.event("copylab", p) : o("trackEvent", { name: "copylab", properties: p }), send("fullstory", void 0, u)),
        // #endif
        // #if logrocket
        // LogRocket: the event now, and the session URL by callback once it
        // is ready (registered once: the recorder leaves R at once).
        (o = w.LogRocket) =>
          o?.getSessionURL && (o.track("copylab", p), o.getSessionURL((u) => send("logrocket", void 0, u)), 1),
        // #endif
        // #if hotjar
        // Hotjar: one event, named after the experiment and the variant
        // (its event names allow letters, digits, "-", "_" and ":"), once;
        // the session id is the "id" of the JSON in its _hjSession_SITE
        // cookie, written as base64 (or, in older versions, URL-encoded).
        (o = w.hj, h = d.cookie.match(/_hjSession_\d+=([^;]+)/)?.[1]) =>
          o &&
          ((tagged ||= (o("event", "copylab:" + x[ID] + ":" + x.a[KEY]), 1)),
          h && send("hotjar", parse((h = decodeURIComponent(h))[0] == "{" ? h : atob(h)).id)),
        // #endif
        // #if custom
        // custom: the site reports its own recorder's session id with
        // copylab.recording(id) (below), which keeps it in c.r.
        () => send("custom", c.r),
        // #endif
      ],
      t = setInterval(() => {
        ++i > 20 || a != act
          ? clearInterval(t)
          : ok > 0 &&
            (R = R.filter((f) => T(() => !f())));
      }, 500),
    ) => 0,
    // #endif
    // flush sends the queue. bye (page hidden or leaving): sendBeacon, which
    // outlives the page; it reports no status, so its true counts as
    // delivered. Otherwise, and when sendBeacon is missing, refuses the
    // batch (false) or throws (a broken wrapper of the page's), fetch with
    // keepalive, which outlives the page too, in the same hide: the page
    // may never come back to send it by timer. fetch's answer tells a
    // failure (network error, non-2xx) from a success. A string body goes
    // as text/plain;charset=UTF-8 with both, which needs no CORS preflight.
    // fetch sends no cookies to another origin by default (credentials
    // "same-origin"), so "omit" would change nothing but bytes: when /e is
    // on the page's own origin, its cookies are that origin's own.
    // A batch stays in the queue, stored, until its answer: a page closed
    // mid-request sends it again from the next page (ids make a repeat
    // harmless), even when events queued meanwhile stored the queue again.
    // A success takes the batch out of the front of the queue, where it
    // still is: events are only ever added behind it (track). (Only when
    // more than 20 wait does track's limit drop the oldest, batch events
    // first, and then the splice also takes out as many newer ones: the
    // limit loses events there anyway.) A batch that failed for now (a
    // network error, 429, 5xx) simply stays, and this page sends nothing
    // more by timer (url is 0): the next page retries, instead of
    // hammering a struggling server. The page tries once more when it is
    // hidden (the visibilitychange listener), by fetch only: sendBeacon's
    // true would drop the batch from the queue though the server may
    // still refuse it. One the server refuses for good (any other 4xx: an
    // experiment deleted meanwhile, a malformed event) is dropped, so that
    // it cannot hold up every later event of the visitor. A page's fetch
    // that throws at once (a broken wrapper) leaves the batch queued for a
    // later flush or the next page, and T keeps the error from ending the
    // page view. Every send of a batch carries the ids its events got when
    // queued, so the server stores each event once however often it went.
    // (The timer is over: body's default clears it. T's extra argument,
    // the body, is set before it runs the send. The success is written
    // out twice: gzip stores the repeat for less than a named function.)
    flush = (bye, b = S.q, body = (timer = 0)) =>
      ok > !!d.prerendering &&
      url &&
      b[0] &&
      T(
        () =>
          bye && T(() => navigator.sendBeacon(url, body))
            ? persist(S.q.splice(0, b.length))
            : fetch(url, { method: "POST", body, keepalive: 1 }).then(
                (r) => (r.status < 429 ? persist(S.q.splice(0, b.length)) : (url = 0)),
                () => (url = 0),
              ),
        (body = J({ visitor: S.v, site: c[SITE], events: b, bot: navigator.webdriver })),
      ),
    // G wraps an entry point: an error ends the page view (act empties) and
    // shows the original copy of whatever was still hidden. The catch itself
    // calls nothing of the page's (a broken Array.prototype.map would throw
    // again from hide() and leave the elements hidden for good). replaceSync
    // reads act's new [] as "", the empty sheet.
    G = (f) => (a) => {
      try {
        return f(a);
      } catch {
        sheet?.replaceSync((act = []));
      }
    },
    // J(v) is v as JSON, by stringify. The replacer hands back each value
    // as it is in its holder, before any toJSON of the page's ran: an
    // Array.prototype.toJSON (old Prototype.js) would otherwise send the
    // events, and store the queue, as a string.
    J = (v) =>
      stringify(v, function (k) {
        return this[k];
      }),
    // st(s) reads, st(s, v) writes our one key, in
    // localStorage or (s truthy) sessionStorage. Every access may throw
    // (storage disabled, Safari private mode, quota), so each is guarded.
    st = (s, v) =>
      T(() => ((s = s ? sessionStorage : localStorage), v == null ? JSON.parse(s.getItem(NAME)) : s.setItem(NAME, J(v)))),
    // route(nav) starts a page view when the URL changed, nav being how:
    // "pushState", "replaceState", a popstate event, the MutationObserver's
    // records, or 0 at load (see since).
    // A replaceState that changes only the query string is not a page view
    // (routers strip utm parameters and keep filters or tabs in the query
    // that way), unless it changes which experiments' pages match: a page
    // pattern may require a query parameter. (p: the path part changed.)
    // Any change of the URL, page view or not, may reach a page-view goal
    // ("/signup?step=done"): the goals are checked once, after the page
    // view's exposures. Then scan: route is the MutationObserver's callback
    // (see the SPA part of the start); after a page view, which has
    // scanned, it costs nothing more (the text matches).
    route = G(
      (nav, p) => (
        ((p = path != (path = L.pathname + X.map((x) => match(x[PAGE])))) | (query != L.search)) &&
          goal("pageview", match, (p || nav != "replaceState") && view(nav)),
        scan((query = L.search))
      ),
    ),
    // assign returns visitor v's variant of experiment x, or nothing when
    // they are not in it. The bucket b is in 0..9999 (GrowthBook's hash
    // version 2), less the weights of the variants before (so the test is
    // the spec's, less their sum * 1e4 on both sides; once b is below 0 no
    // variant can take it). The inner hash goes to TextEncoder as a
    // number, which encodes its decimal string. Each variant's range grows
    // from a fixed start as coverage rises, so raising coverage moves no
    // one who is already in.
    assign = (x, v, b = fnv(fnv((x[SEED] || x[ID]) + v)) % 1e4) =>
      x[VARIANTS].find((y) => (b >= 0 && b * 1e4 < x[COVERAGE] * y[WEIGHT]) || ((b -= y[WEIGHT]), 0)),
    // scan applies the page view's variants to every matching element. The
    // MutationObserver calls it (through route) for each batch of DOM
    // changes, before the browser paints them: during load (elements as the
    // parser adds them), and after, to re-apply the copy when a framework
    // re-creates an element or resets its text. Our own writes trigger the
    // observer again, but the text matches by then, so nothing is written.
    // A framework may render the elements again without end (every 20 ms,
    // say): the copy is set again each time, up to 100 passes a second. A
    // pass is one call that writes, to one element or to all 120 that
    // match (k counts its writes; x.n counts passes), so a label on every
    // product card costs what one headline does. A page that writes its
    // copy back whenever we write ours spends the 100 at once (in one
    // microtask checkpoint, or within the second by timer): we then stop
    // writing for the rest of the page view, and the page wins. The second
    // is a timer, started by its first pass, not a clock read: a fight
    // inside one checkpoint lets no timer run, so it ends after 100 passes
    // however slow each is (many elements, a slow phone), where a clock
    // would start a new second in the middle of it, and another, forever.
    scan = () =>
      act.map((x, v, els, k = 0) => {
        v = x.a[TEXT];
        els = T(() => d.querySelectorAll(x[SEL])); // undefined for an invalid selector
        x.s > 1 ||
          !els?.[0] ||
          x.n > 99 ||
          // #if qa
          // The QA build looks at what the link's element holds before
          // the tag first writes it (held answers undefined).
          held(x, els) ||
          // #endif
          (els.forEach(
            (el) =>
              v == null ||
              el.textContent == v ||
              ((el.textContent = v), k++ || x.n++ || setTimeout(() => x.n > 99 || (x.n = 0), 1e3)),
          ),
          x.s || ((x.s = 1), (x.m = (performance.now() - since) | 0), hide()),
          // Exposure: now, or for a visible-only experiment once one of its
          // elements is in the viewport: its observer (x.r, made by view)
          // watches them. Only the scripts of sites with a visible-only
          // experiment carry that part (the "visible" regions).
          // #if visible
          x.r
            ? els.forEach((el) => x.r.observe(el))
            :
          // #endif
          expose(x));
      }),
    // timer: the batching timer (later), 0 when none runs.
    timer,
    // on listens in the capture phase, so a handler of the page that stops
    // propagation cannot hide a click from us.
    on = (o, type, f) => o.addEventListener(type, G(f), 1),
    // #if qa
    // force: [experiment, variant] of a QA link.
    force,
    // badge puts the QA build's notice on the page: at the bottom right,
    // c[LABEL] (the server's words, "copylab preview: EXPERIMENT ·
    // Variant C"), an "Exit preview" button and one that hides the notice
    // for this page view. Without it nothing on the page tells a preview
    // from the live test. Exit ends the preview as the README says: it
    // opens this page again with ?copylab= (the page's other parameters
    // kept), which the live tag of that page stores for the tab, so its
    // later pages show the visitor's own copy too.
    // The notice lives in a shadow root, so the page's CSS cannot reach
    // its inside and its CSS cannot reach the page; the page's selectors
    // (and the experiments', in scan) do not see into it. Its style is a
    // constructable stylesheet, which a strict CSP style-src does not block
    // (see the sheet that hides); a browser that cannot adopt one shows it
    // unstyled, at the end of the body. The host's rules are !important,
    // which beats the page's own !important rules for it (inside wins
    // there), and "all: initial" keeps the page's inherited font and
    // colors out. Only the notice takes clicks: the host is its size.
    // Text goes in with textContent only. Every step runs under T, not G:
    // the notice failing must not end the preview's page view.
    // A preview can show nothing: the page is not one of the experiment's
    // (/pricing/* misses /pricing/), or its element is not there. Then a
    // line under the words says so, from the server's c[WHY]: [the page
    // does not match, no element, the element came too late]. It is
    // checked twice a second (why), as the page's own scripts may add the
    // element late and a single-page app may change its route: the page
    // does not match the link's experiment (y); the tag stopped waiting
    // for the element (y.s, see view) and there is none; or one came after
    // that, which keeps the page's copy as it would for a visitor (scan
    // leaves it). While the tag waits, or once the copy is set, the line
    // is empty, unless the element is one whose text does not show, or
    // held more than its text when the tag wrote it (held, y.h), which the
    // line then says.
    // A link that names nothing the build can show has no c[WHY].
    // A page that replaces its body (or empties it) takes the notice with
    // it: it is put back, up to 9 times a page view (a page that removes
    // whatever it did not make would otherwise fight it forever), unless
    // the person hid it (gone).
    badge = (
      host = d.createElement(NAME + "-preview"),
      root = host.attachShadow({ mode: "open" }),
      box = d.createElement("div"),
      // add appends a tag with text to the notice (or to `to`); with f, a
      // button that runs f on click (Enter and Space click a focused
      // button too).
      add = (tag, text, f, to = box, el = d.createElement(tag)) => (
        (el.textContent = text),
        f && ((el.type = "button"), el.addEventListener("click", () => T(f))),
        to.append(el),
        el
      ),
      // words: the label, and under it the line that says why (note).
      words = add("p", ""),
      // line: the label, c[LABEL] ("copylab preview: NAME · Variant C"),
      // whole in its tooltip. An experiment's name may be far wider than
      // the notice, and the variant, the label's last " · " part (see
      // static.SnippetConfig.PreviewLabel), is the one thing the person
      // must see: it goes in a span of its own that does not shrink, and
      // the name is cut short ("…") instead. The name, after the label's
      // first ": ", has a span of its own too, with dir="auto": a Hebrew
      // or Arabic name reads in its own direction, as on the app's pages,
      // and is cut at its own end, not inside the Latin words around it.
      line = add("span", "", 0, words),
      label = c[LABEL] || NAME + " preview",
      cut = label.lastIndexOf(" · "),
      at,
      note,
      y = X.find((x) => x[ID] == force[0]),
      why = c[WHY],
      // check sets the line (t: its words, "" for none).
      check = (t) =>
        T(() => {
          t = match(y[PAGE])
            ? y.s > 1
              ? why[T(() => d.querySelector(y[SEL])) ? 2 : 1]
              : (y.h?.[0] == act && y.h[1]) || ""
            : why[0];
          note.textContent == t || (note.textContent = t);
        }),
      gone,
      n = 0,
    ) => {
      T((css = new CSSStyleSheet()) => {
        css.replaceSync(
          ":host{all:initial!important;position:fixed!important;right:12px!important;bottom:12px!important;" +
            "z-index:2147483647!important;display:block!important;visibility:visible!important;" +
            "opacity:1!important;pointer-events:auto!important;max-width:min(480px,calc(100vw - 24px))!important}" +
            "div{display:flex;align-items:center;gap:8px;padding:6px 6px 6px 12px;border-radius:10px;" +
            "background:#1b1c28;color:#fff;font:13px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;" +
            "box-shadow:0 2px 10px rgba(0,0,0,.3)}" +
            "p{margin:0;min-width:0;flex:auto}" +
            "p>span{display:flex;white-space:pre}span span{flex:none}" +
            "[dir]{flex:initial;overflow:hidden;text-overflow:ellipsis}" +
            "small{display:block;font-size:12px;color:#fcd34d;overflow-wrap:anywhere}" +
            "button{flex:none;font:inherit;font-weight:600;cursor:pointer;border:0;border-radius:6px;" +
            "padding:4px 10px;background:#4f46e5;color:#fff}" +
            "button+button{background:none;padding:4px 8px;font-size:16px;line-height:1}" +
            "button:hover{background:#4338ca}button+button:hover{background:#3a3c4e}" +
            "button:focus-visible{outline:2px solid #fbbf24;outline-offset:2px}",
        );
        root.adoptedStyleSheets = [css];
      });
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", NAME + " preview");
      line.title = c[LABEL] || "";
      cut < 0 || add("span", label.slice(0, (at = label.indexOf(": ") + 2) > 1 && at <= cut ? at : (at = 0)), 0, line);
      add("span", cut < 0 ? label : label.slice(at, cut), 0, line).dir = "auto";
      cut < 0 || add("span", label.slice(cut), 0, line);
      note = add("small", "", 0, words);
      y && why && setInterval(check, 500, check());
      // Exit replaces this page in the tab's history, so Back does not
      // come back to the preview it ended.
      add("button", "Exit preview", () =>
        L.replace(
          "?" +
            [
              ...L.search
                .slice(1)
                .split("&")
                .filter((p) => p && !new URLSearchParams(p).has(NAME)),
              NAME + "=",
            ].join("&") +
            L.hash,
        ),
      );
      add("button", "\u00d7", () => host.remove((gone = 1))).setAttribute("aria-label", "Hide this notice");
      root.append(box);
      (d.body || d.documentElement).append(host);
      new MutationObserver(() => gone || host.isConnected || n++ > 8 || (d.body || d.documentElement).append(host)).observe(
        d,
        { subtree: 1, childList: 1 },
      );
    },
    // held(x, els) looks, in the QA build, at what the elements of the
    // link's experiment x hold when the tag first puts its copy on them
    // (scan, while x.s is 0; the control's too, which the tag leaves, as
    // visitors of the variants get the swap). textContent replaces every
    // child node, and the swap is safe only for an element whose one child
    // is a text: a framework keeps the nodes it made, to update them in
    // place. React renders <h1>Welcome to {brand}</h1> as two texts (from
    // the server with a comment between them), a spinner or a loading
    // placeholder as an element beside the label; Vue marks where a v-if
    // will put its element with a comment. Once the swap removed them,
    // the framework's next update (removeChild, insertBefore) throws
    // NotFoundError, and React unmounts the whole app: a blank page, for
    // visitors in a variant only. The live tag has no bytes to spare for
    // this, so the preview says it before the test starts: the first
    // element that holds more gives the notice's line (badge's check shows
    // it while the page view lasts: x.h[0] is its act) and one
    // console.warn with the same words, the element after them, which the
    // console links to. The words are the server's c[WHY][3], around what
    // the element held: "2 pieces of text, 1 comment and 1 element".
    // Before that, and in its place, it looks for an element whose text
    // does not show at all (shows, c[WHY][4]). It answers undefined, runs
    // under T, and changes nothing on the page.
    held = (x, els, w = c[WHY]?.[3]) =>
      void T(() => {
        if (x.s || x[ID] != force[0] || shows(x, els) || !w?.[0]) return;
        for (const el of els) {
          const n = [0, 0, 0]; // texts, comments, elements
          for (const k of el.childNodes) n[k.nodeType == 3 ? 0 : k.nodeType == 8 ? 1 : 2]++;
          if (n[0] < 2 && !n[1] && !n[2]) continue;
          const what = [
            [n[0], " piece of text", " pieces of text"],
            [n[1], " comment", " comments"],
            [n[2], " element", " elements"],
          ]
            .filter((p) => p[0])
            .map((p) => p[0] + p[p[0] > 1 ? 2 : 1])
            .join(", ")
            .replace(/, ([^,]*)$/, " and $1");
          x.h = [act, w[0] + what + w[1]];
          return console.warn("copylab preview: %s", x.h[1], el);
        }
      }),
    // shows(x, els) is held's first look: whether one of the elements is
    // one whose text the page does not show, which the tag's swap cannot
    // change. A selector may find one by an attribute ([type=submit],
    // .buy), which the server cannot tell from a selector: the tag then
    // writes the copy into an <input>'s text (its label is its value
    // attribute), an <img>'s, a <select>'s (its options go), the fallback
    // content of a <video>, <audio>, <canvas>, <iframe>, <object> or
    // <embed>, or an SVG element's, of which only a <text> and what it
    // holds (<tspan>, <textPath>) show text. (A <textarea> shows it, as
    // the field's content, and a <picture> in place of its image, which
    // held says.) The notice would then name the variant over the page's
    // own words, with nothing to say why. The first such element gives
    // the line, as held's do, and one console.warn: the server's
    // c[WHY][4], with the element's name and its article ("an <input>",
    // twice) and, for an <input>, the note on its value. An HTML element's tagName is in capitals (compared in
    // lower case), an SVG element's as written ("foreignObject"): the
    // line names the element by its localName, as its markup does. It
    // answers whether it found one.
    shows = (x, els, w = c[WHY]?.[4]) =>
      w?.[0] &&
      [...els].some((el) => {
        if (
          el instanceof SVGElement
            ? el.closest("text")
            : !/^(input|img|select|video|audio|canvas|iframe|object|embed)$/.test(el.tagName.toLowerCase())
        )
          return;
        const n = el.localName,
          a = (/^([aeio]|svg)/.test(n) ? "an <" : "a <") + n + ">";
        x.h = [act, w[0] + a + w[1] + a + w[2] + (n == "input" ? w[3] : "") + w[4]];
        return !console.warn("copylab preview: %s", x.h[1], el);
      }),
    // #endif
    X = c[EXPERIMENTS],
    // later batches the events of a page view: a request a second at most.
    later = () => (timer ||= setTimeout(G(flush), 1e3)),
    // fnv, assign and pick follow shared/spec/assignment.md exactly:
    // integers only, so the Go server and this script agree to the bit.
    // fnv is 32-bit FNV-1a over the UTF-8 bytes of s (the spec hashes bytes,
    // not UTF-16 code units), which TextEncoder gives as a Uint8Array, whose
    // own reduce walks them (a lone surrogate becomes U+FFFD, as in Go).
    // Math.imul multiplies modulo 2^32 (a float multiply would lose the low
    // bits); >>> 0 reads the result unsigned.
    fnv = (s) => new TextEncoder().encode(s).reduce((h, b) => Math.imul(h ^ b, 16777619), 0x811c9dc5) >>> 0,
    // act: the experiments of the current page view (see view). The first
    // view sets it before anything reads it (G's catch sets it too).
    act,
    // hide hides the elements of the page view's experiments that still
    // wait for their copy, with one rule whose selectors go in an :is(), a
    // forgiving list: a selector the CSS parser rejects drops only itself
    // (Render refuses selectors that could change the sheet's structure:
    // braces, unclosed brackets or quotes), as does the number (x.s, 1 or
    // 2, see view) that stands for an experiment no longer waiting. The
    // sheet's end closes the rule's block. The control's element is hidden
    // too: both arms then load alike (same wait, same timeout), so the
    // test measures the copy and nothing else.
    hide = () => sheet?.replaceSync(":is(" + act.map((x) => x.s || x[SEL]) + "){visibility:hidden!important"),
    // ok: 1 (or true) = may store and send; 0 (or false) = consent pending,
    // memory only; -1 = consent refused or QA mode: nothing stored or sent.
    ok,
    // match(p) tests the current URL against a URL pattern (an
    // experiment's page, a page-view goal). Render compiles a pattern to
    // one regexp over "PATH\nSEARCH": the glob up to the newline, then a
    // lookahead for each required k=v of the query; every page is "" or a
    // slot left out, and RegExp("") and RegExp(undefined) match anything.
    // The path loses one trailing "/" (except the root) first, as the
    // pattern did.
    match = (p) => RegExp(p).test(L.pathname.replace(/(.)\/$/, "$1") + "\n" + L.search),
    // expose sends x's exposure, once per page view: x.e counts the calls,
    // and the first one sends.
    expose = (x) =>
      x.e++ ||
      (
        // #if recorders
        x[ID] && record(x),
        // #endif
        track(x, {
          matched: !0,
          utm: new URLSearchParams(L.search).get("utm_source")?.slice(0, 128) ?? null,
          ms: x.m,
          ref: d.referrer.slice(0, 128),
        })
      ),
    // S: the visitor's state, stored as one JSON value:
    //   v visitor id (every event carries it), u the site's id for the
    //   person (identify), a {experiment: variant key} of the experiments
    //   the visitor was exposed to, q unsent events.
    S,
    // #if hotjar
    // parse is JSON.parse as it was, for the reason of stringify: Hotjar's
    // session id is read after the page's scripts ran. (The tag's own
    // reads of storage happen while it starts, before any later script.)
    parse = JSON.parse,
    // #endif
    // url: the events endpoint, POST /e (c[ENDPOINT] keeps it too); 0
    // once a send failed for now: this page then sends nothing more until
    // it is hidden (see flush and the visibilitychange listener).
    url,
    // query: the page view's query string, as route compares it.
    query,
    // since: when the page view began, in performance.now() ms (0, the
    // document's navigation start, for the first one: route(0) at load).
    since,
    // stringify is JSON.stringify as it was when the tag ran, so a library
    // loaded later that replaces it cannot lose our events (see J).
    stringify = JSON.stringify,
    // uuid returns a UUIDv7: a 48-bit millisecond timestamp (the first 12
    // hex digits: 2^48 + now in hex is "1" and those 12, zero-padded; the
    // replace drops the 1 and puts the dash after the 8th), then random
    // bits with the version (7) and variant (10xx) bits set. In the
    // template the 7 and the 8 (the variant, 1000) stay; each 0 becomes a
    // random nibble (0 ^ r, r below 16, cut to an integer by ^).
    // Time-ordered ids let the server's inserts append. The random bits
    // come from Math.random, not crypto.getRandomValues: ids need to be
    // unique, not secret (anyone may post events with any ids), 72 bits
    // per millisecond are plenty, and the 19 bytes pay for guards. (The
    // two bits after the variant's are 0: randomizing them took 8 bytes
    // gzipped, which the send at hide after a failure needed.)
    uuid = () =>
      (2 ** 48 + Date.now()).toString(16).replace(/.(.{8})/, "$1-") +
      "-7000-8000-000000000000".replace(/0/g, (ch) => (ch ^ (Math.random() * 16)).toString(16)),
    // our name: window.copylab, the storage key and the QA query parameter.
    NAME = "copylab";

  // Loading the tag twice (or two tags) gives one instance. (The QA build
  // is the exception: it replaces the live instance that loaded it.) An
  // element with id="copylab" is window.copylab too: it has no convert.
  // #if live
  if (w[NAME]?.convert) return;
  // #endif
  // window.copylab exists before anything can fail, and its methods are
  // guarded, so a site calling copylab.convert() never throws because of us.
  w[NAME] = {
    // convert(name): a custom goal; converts every experiment of this
    // visitor whose goal is the event `name`.
    convert: G((name) => goal("event", (y) => y == name)),
    // identify(id): the site's own id for a signed-in visitor. Assignments
    // made from now on hash this id, so a person gets the same variant on
    // every device where identify came first. Assignments already remembered
    // in this browser are kept: the visitor keeps the copy they saw (the
    // server counts a visitor in their first variant). Events keep the
    // browser's id (S.v): the server joins a conversion to its exposure by
    // that id, and sign-in is often the very moment of the conversion (a
    // signup), after the exposure went out under the browser's id.
    // Only a string or a number is an id; anything else does nothing.
    // identify(null) or identify(undefined) (a signed-out page calling
    // identify(user?.id)) would put every such visitor in the same variant
    // of every experiment as "null", identify(user) as "[object Object]",
    // identify(NaN) (a parseInt of nothing) as "NaN". (A BigInt throws at
    // +id: G ignores it.)
    identify: G((id) => (id === "" + id || id === +id) && persist((S.u = "" + id))),
    // consent(true) stores the state and sends the queue. consent(false)
    // stops sending and overwrites everything stored (queue, id,
    // assignments) with {}; the current page keeps its copy. Neither ends
    // a QA mode. Nothing remembers the answer: a site that needs consent
    // tags the script with data-consent="required" and calls consent() on
    // every page, once its consent banner knows. A QA build ignores both.
    // (persist answers something falsy: flush's bye.)
    consent: G(
      // #if live
      (yes) => S && (yes ? flush(persist((ok = 1))) : st(0, {}, (ok = -1), (S.q = []))),
      // #endif
      // #if qa
      () => {},
      // #endif
    ),
    // variant(id): the visitor's variant key for an experiment, or null.
    // The id may be in any case (copylab's are lower case); an id that is
    // not a string matches nothing. (find leaves the variant in id when
    // the visitor has one.)
    variant: G((id) => (S && X.find((x) => x[ID] === id?.toLowerCase?.() && (id = pick(x))) ? id[KEY] : null)),
  };
  // Tests only (NewSnippetForTest); esbuild drops this line otherwise.
  // #if custom
  // recording(id): the session id of the site's own recorder, for the
  // site's custom link template. It goes out in a "recording" event for
  // each experiment exposed from then on (until the page is left), and for
  // those exposed up to 10 s before the call.
  w[NAME].recording = G((id) => (c.r = "" + id));
  // #endif
  if (__TEST__) w[NAME]._t = { assign, match, uuid, c };

  G((me, m) => {
    me = d.currentScript;
    // QA: ?copylab=EXPERIMENT:VARIANT forces a variant and sends nothing;
    // ?copylab=off shows the original page; ?copylab= ends QA. The choice
    // holds for the tab (sessionStorage). st writes m when it is set and
    // reads the stored one when not.
    m = st(1, (m = new URLSearchParams(L.search).get(NAME))) ?? m;
    // Global Privacy Control, when the site honors it: the visitor gets the
    // original page; nothing is read, stored or sent. This is consent(false)
    // before anything happened; without an id the copy would change on
    // every page view, and the original page is the consistent choice.
    if (m == "off" || (c[GPC] && navigator.globalPrivacyControl)) return;
    // #if live
    // A QA link hands the page to the QA build: this tag's URL with
    // ?p=QA, which the server renders with the link's experiment in it
    // even when this tag does not carry it (a draft, a paused test), as a
    // module (import() needs no element and runs under the same CSP
    // script-src). This instance stops here; the QA one replaces
    // window.copylab. Until it runs, the page shows its own copy.
    if (m) return me && import(me.src.replace(/\?.*|$/, "?p=" + m));
    ok = me?.dataset.consent != "required";
    // #endif
    // #if qa
    // The QA build: the link's variant wins (pick), nothing is stored or
    // sent, whatever consent says. The link comes from this module's own
    // URL (the live tag wrote it there), not from m: on the next pages m
    // is read back from sessionStorage after the page's scripts ran, with
    // a JSON.parse they may have broken.
    force = new URL(import.meta.url).searchParams.get("p").split(":");
    ok = -1;
    // #endif
    // Events go to POST /e next to /s/KEY.js on the server that served this
    // script (an inline copy without c.e sends nothing). c[ENDPOINT] keeps
    // it for the visibilitychange listener, which restores url from it
    // after a failed send.
    url = c[ENDPOINT] ||= me?.src.replace(/[^/]*\/[^/]*$/, "e");
    // Reading stored state before consent writes nothing, and it exists
    // only if consent was given before.
    persist((S = { v: uuid(), a: {}, q: [], ...st() }));
    // A constructable stylesheet is CSSOM, which a strict CSP style-src does
    // not block, unlike an inline <style>. Browsers without one, or whose
    // adoptedStyleSheets has no push (Safari before 16.4, Chrome before 99),
    // hide nothing: they still get the variant, with a flicker.
    T(() => d.adoptedStyleSheets.push((sheet = new CSSStyleSheet())));

    route(0);
    new MutationObserver(route).observe(d, { subtree: 1, childList: 1, characterData: 1 });

    // SPA: a route change may be a new page view (route says when).
    // Frameworks change the URL with pushState/replaceState, which fire no
    // event, and come back with popstate. The original runs first (as
    // route's ignored argument), and its errors stay the site's; ours
    // answers undefined, as the browser's does. A router that kept the browser's own
    // pushState from before the tag ran (a script above it, calling its
    // saved copy) bypasses ours: its navigation shows when it renders the
    // new route, as the MutationObserver's route finds the URL changed,
    // still before that render is painted. That route cannot tell a push
    // from a replace, so such a router's replaceState of the query alone
    // is a page view. A navigation that both see is one page view: the
    // second route finds the URL it noted. (The Navigation API's
    // currententrychange would tell them apart, for about 30 bytes more,
    // and only in browsers since 2026.)
    ["pushState", "replaceState"].map(
      (k, o) => (
        (o = history[k]),
        (history[k] = (...a) => {
          route(k, o.apply(history, a));
        })
      ),
    );
    on(w, "popstate", route);

    // Click goals: one delegated listener, so elements added later count.
    on(d, "click", (ev) =>
      goal("click", (y) => ev.target.closest(y)),
    );
    // The page is going away or out of sight: send now. Every browser that
    // runs this fires visibilitychange (hidden) before the page unloads, on
    // mobile too, where pagehide is unreliable; pagehide adds nothing since
    // Safari 14.1. Send on "hidden" only.
    // A prerendered page turns visible when the visitor opens it: what it
    // did so far goes out within the second, and is stored with the send
    // (see persist).
    // After a send that failed for now (url 0), hiding the page tries once
    // more, as the visitor may never open another tagged page (one brief
    // 503 or 429 would otherwise lose them): url comes back from
    // c[ENDPOINT], and flush gets false (the ! of the URL) for bye, so it
    // sends by fetch with keepalive. If the page is still there for the
    // answer, a success sends on as usual and a failure stops the page
    // again; if it is gone, the batch is still stored for the next page,
    // which sends it (again: the ids make a repeat harmless). So a
    // struggling server gets one request per hide of the page, after the
    // visitor's own action, never a retry loop. (Retry-After is not read:
    // copylab's is a second or so, and a page hidden sooner than that
    // sends this once all the same.)
    on(d, "visibilitychange", () => (d.hidden ? flush(url || !(url = c[ENDPOINT])) : later()));
    // Events an earlier page could not deliver go out with this page's (a
    // flush with nothing to send does nothing).
    later();
    // #if qa
    // The QA build's notice (badge), once there is a body to hold it: the
    // module may run while the page is still being parsed.
    d.readyState == "loading" ? on(d, "DOMContentLoaded", () => T(badge)) : T(badge);
    // #endif
  })();
})(__COPYLAB_CONFIG__);
// #if guard
// The guarded install: the page is hidden (class copylab-wait on <html>)
// until the tag has run. By now it has: the tested elements already in the
// page have their copy, the rule that hides the others until they get
// theirs (or the tag's own timeout passes) is in place, and the listeners
// are set. So the page shows now, also when no experiment matched, the
// visitor opted out, a QA link handed over to the QA build (which shows
// the original copy until it runs), another instance was there first,
// the tag came too late to run (above: the class is gone already), or
// something threw (finally: the error still reaches the console).
} finally {
  document.documentElement.classList.remove("copylab-wait");
}
// #endif

package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	xhtml "golang.org/x/net/html"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/static"
)

// Session recordings from the outside: the site's recorder form, the
// snippet with and without recorder code, "recording" events through
// POST /e, and the links on the results page, the share page and in the
// results document.

const (
	recDesktopUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
	recPhoneUA   = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)

// postEventsAs sends a POST /e body with a user agent.
func (e *env) postEventsAs(body []byte, ua string) (*http.Response, string) {
	e.t.Helper()
	req := newRequest(http.MethodPost, "/e", bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("User-Agent", ua)
	resp := e.do(req)
	return resp, readBody(e.t, resp)
}

// recEvent is a "recording" event; session or replay may be "".
func recEvent(expID, variant, recorder, session, replay string) map[string]any {
	m := map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": "recording", "experiment": expID, "variant": variant,
		"recorder": recorder, "url": "https://example.com/pricing?utm_source=x", "ts": 1700000000000}
	if session != "" {
		m["session"] = session
	}
	if replay != "" {
		m["replay"] = replay
	}
	return m
}

// evBodyOf is a POST /e body with the given events.
func evBodyOf(siteKey, visitor string, events ...map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"site": siteKey, "visitor": visitor, "events": events})
	return b
}

func exposureEv(expID, variant string) map[string]any {
	return map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": expID, "variant": variant, "url": "https://example.com/pricing"}
}

func conversionEv(expID string) map[string]any {
	return map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": "conversion", "experiment": expID, "goal": "click", "url": "https://example.com/pricing"}
}

// hrefsIn returns the href of every link inside the element with the id.
func hrefsIn(t *testing.T, page, id string) []string {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var root *xhtml.Node
	var find func(n *xhtml.Node)
	find = func(n *xhtml.Node) {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id && root == nil {
				root = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if root == nil {
		t.Fatalf("no element #%s in the page", id)
	}
	var out []string
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.Data == "a" {
			for _, a := range n.Attr {
				if a.Key == "href" {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

func TestSiteRecordersForm(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	ctx := context.Background()

	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Session recordings", `action="/sites/`+site.ID+`/recorders#recorders"`, `name="posthog.host"`,
		`name="clarity.project_id"`, `name="fullstory.org_id"`, `name="logrocket.app_id"`, `name="hotjar.site_id"`, `name="custom"`,
		"Settings → Overview → Project ID", "{session_id}", "/static/")

	tests := []struct {
		name   string
		form   url.Values
		errors map[string]string // field → part of its message
	}{
		{"javascript template", url.Values{"custom": {"javascript:alert(1)"}},
			map[string]string{"custom": "must start with https://"}},
		{"template with an unknown placeholder", url.Values{"custom": {"https://rec.example/{session}"}},
			map[string]string{"custom": "Unknown placeholder"}},
		{"PostHog without a project, Clarity with a bad id", url.Values{"posthog.host": {"https://eu.posthog.com"}, "clarity.project_id": {"not an id!"}},
			map[string]string{"posthog.project_id": "project id", "clarity.project_id": "Clarity project id"}},
		{"PostHog on ftp", url.Values{"posthog.host": {"ftp://posthog.example"}, "posthog.project_id": {"1"}},
			map[string]string{"posthog.host": "https://"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.post("/sites/"+site.ID+"/recorders", tt.form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, body, "Nothing was saved")
			for field, msg := range tt.errors {
				id := "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(field)
				// The message sits beside its field: right after its input,
				// with the input pointing at it.
				wantContains(t, body, `id="`+id+`-error"`, `aria-invalid="true"`)
				i := strings.Index(body, `id="`+id+`"`)
				j := strings.Index(body, `id="`+id+`-error"`)
				if i < 0 || j < i || !strings.Contains(body[j:min(j+400, len(body))], escHTML(msg)) {
					t.Errorf("%s: no error %q beside the field", field, msg)
				}
			}
			// What was typed is shown again.
			for _, v := range tt.form {
				wantContains(t, body, escHTML(v[0]))
			}
			if got, err := e.store.SiteRecorders(ctx, site.ID); err != nil || got != (recorders.Settings{}) {
				t.Fatalf("saved %+v (%v) from an invalid form", got, err)
			}
		})
	}

	t.Run("no CSRF token", func(t *testing.T) {
		resp, _ := c.post("/sites/"+site.ID+"/recorders", url.Values{"_csrf": {""}, "clarity.project_id": {"abc123"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d, want 403", resp.StatusCode)
		}
	})

	t.Run("valid", func(t *testing.T) {
		resp, body := c.post("/sites/"+site.ID+"/recorders", url.Values{
			"posthog.host": {" https://eu.posthog.com/ "}, "posthog.project_id": {"4242"},
			"clarity.project_id": {"abc123xyz"}, "custom": {"https://replay.example.com/s/{session_id}?v={variant}"},
		})
		wantStatus(t, resp, http.StatusSeeOther, body)
		got, err := e.store.SiteRecorders(ctx, site.ID)
		if err != nil || got.PostHog == nil || got.PostHog.Host != "https://eu.posthog.com" || got.PostHog.ProjectID != "4242" ||
			got.Clarity == nil || got.Clarity.ProjectID != "abc123xyz" || got.Custom != "https://replay.example.com/s/{session_id}?v={variant}" ||
			got.FullStory != nil || got.LogRocket != nil || got.Hotjar != nil {
			t.Fatalf("saved %+v (%v)", got, err)
		}
		_, body = c.get("/sites/" + site.ID)
		wantContains(t, body, "Session recordings saved: PostHog, Microsoft Clarity, Custom link", `value="https://eu.posthog.com"`,
			`value="4242"`, `value="abc123xyz"`, "copylab.recording(sessionId)")
	})

	t.Run("emptied", func(t *testing.T) {
		resp, body := c.post("/sites/"+site.ID+"/recorders", url.Values{"posthog.host": {""}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		if got, _ := e.store.SiteRecorders(ctx, site.ID); got != (recorders.Settings{}) {
			t.Fatalf("still set up: %+v", got)
		}
	})
}

// html escapes text as templ writes it into a page.
func escHTML(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
	return r.Replace(s)
}

func TestSiteSettingsForm(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	ctx := context.Background()

	_, body := c.get("/sites/" + site.ID)
	wantContains(t, body, `action="/sites/`+site.ID+`/settings#settings"`, `name="hide_timeout_ms"`, `value="1000"`, `name="honor_gpc"`, `name="brand_voice"`)
	// The hide timeout does not govern the asynchronous install's wait for
	// the tag (static.GuardTimeoutMS, the same for every site): its help
	// and the install's both say how long that is.
	wantContains(t, body, "the whole page first waits up to one second for the tag to arrive",
		"the whole page stays hidden until the tag has run, up to one second")
	if static.GuardTimeoutMS != 1000 {
		t.Errorf("the guard waits %d ms; the site page says one second", static.GuardTimeoutMS)
	}

	resp, body := c.post("/sites/"+site.ID+"/settings", url.Values{"name": {""}, "domain": {"example.com"}, "hide_timeout_ms": {"50"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-hide-timeout-ms-error"`, "between 100 and 5000", `id="f-name-error"`, `value="50"`)
	if got, _ := e.store.Site(ctx, site.ID); got.Name != "Shop" || got.HideTimeoutMS != 1000 {
		t.Fatalf("saved from an invalid form: %+v", got)
	}

	resp, body = c.post("/sites/"+site.ID+"/settings", url.Values{"name": {"Shop EU"}, "domain": {"https://shop.example.eu/x"},
		"hide_timeout_ms": {"600"}, "honor_gpc": {"1"}, "brand_voice": {"Plain and warm."}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	got, err := e.store.Site(ctx, site.ID)
	if err != nil || got.Name != "Shop EU" || got.Domain != "shop.example.eu" || got.HideTimeoutMS != 600 || !got.HonorGPC || got.BrandVoice != "Plain and warm." {
		t.Fatalf("saved %+v (%v)", got, err)
	}
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "Settings saved", `value="600"`, "checked")
}

func TestSnippetRecorderCode(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, "start")
	get := func() []byte {
		t.Helper()
		resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js", nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
		return []byte(body)
	}
	save := func(form url.Values) {
		t.Helper()
		resp, body := c.post("/sites/"+site.ID+"/recorders", form)
		wantStatus(t, resp, http.StatusSeeOther, body)
	}

	plain := get()
	// A site without recorders gets exactly the script it got before
	// recorders existed: the runtime without any recorder region.
	sn, err := static.NewSnippet()
	if err != nil {
		t.Fatal(err)
	}
	want, err := sn.Render(static.SnippetConfig{Site: site.Key, Endpoint: testPublicURL + "/e", TimeoutMS: 1000,
		Experiments: []static.SnippetExperiment{snippetExperiment(x)}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, want) {
		t.Fatalf("without recorders the script differs from the plain build (%d vs %d bytes)", len(plain), len(want))
	}
	if bytes.Contains(plain, []byte(`"recording"`)) || bytes.Contains(plain, []byte("posthog")) {
		t.Fatal("a site without recorders carries recorder code")
	}

	save(url.Values{"posthog.host": {"https://us.posthog.com"}, "posthog.project_id": {"1"}})
	withPostHog := get()
	if !bytes.Contains(withPostHog, []byte(`"recording"`)) || !bytes.Contains(withPostHog, []byte("posthog")) {
		t.Fatal("the PostHog site's script has no recorder code")
	}
	if bytes.Contains(withPostHog, []byte("clarity")) || bytes.Contains(withPostHog, []byte("LogRocket")) {
		t.Error("the PostHog site's script carries other recorders' code")
	}
	save(url.Values{"posthog.host": {"https://us.posthog.com"}, "posthog.project_id": {"1"}, "clarity.project_id": {"abc"}})
	withBoth := get()
	if !bytes.Contains(withBoth, []byte("clarity")) || len(withBoth) <= len(withPostHog) || len(withPostHog) <= len(plain) {
		t.Errorf("sizes: plain %d, PostHog %d, PostHog and Clarity %d", len(plain), len(withPostHog), len(withBoth))
	}
	t.Logf("script bytes: plain %d, PostHog %d, PostHog and Clarity %d", len(plain), len(withPostHog), len(withBoth))

	save(url.Values{})
	if again := get(); !bytes.Equal(again, plain) {
		t.Error("with the recorders removed, the script is not the plain one again")
	}
}

func TestRecordingEvents(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, "start")

	resp, body := e.postEventsAs(evBodyOf(site.Key, "v1", exposureEv(x.ID, "b"),
		recEvent(x.ID, "b", "posthog", "ph-1", "https://us.posthog.com/project/1/replay/ph-1")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	// The next page view reports the same session again: stored once.
	resp, body = e.postEventsAs(evBodyOf(site.Key, "v1", recEvent(x.ID, "b", "posthog", "ph-1", "")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	if h := resp.Header.Get("X-Copylab"); !strings.Contains(h, "already received") {
		t.Errorf("X-Copylab %q for a repeated session", h)
	}
	var n int
	e.store.Reader().QueryRow(`select count(*) from recordings`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d recordings stored, want 1", n)
	}
	var exposures int64
	e.store.Reader().QueryRow(`select coalesce(sum(exposures), 0) from variant_counts`).Scan(&exposures)
	if exposures != 1 {
		t.Errorf("%d exposures counted, want 1: recordings never count", exposures)
	}

	tests := []struct {
		name   string
		event  map[string]any
		status int
		code   string
	}{
		// What the page's recorder chose (session, replay) is skipped, not
		// refused: TestEventsRecordingSkipped.
		{"unknown recorder", recEvent(x.ID, "b", "smartlook", "s", ""), http.StatusBadRequest, experiments.CodeInvalidRecorder},
		{"no recorder", recEvent(x.ID, "b", "", "s", ""), http.StatusBadRequest, experiments.CodeRequired},
		{"unknown variant", recEvent(x.ID, "z", "posthog", "s", ""), http.StatusUnprocessableEntity, experiments.CodeUnknownVariant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.postEventsAs(evBodyOf(site.Key, "v2", tt.event), recDesktopUA)
			wantStatus(t, resp, tt.status, body)
			var out struct {
				Error apiErrorBody `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &out); err != nil || out.Error.Code != tt.code {
				t.Errorf("body %s (%v), want code %s", body, err, tt.code)
			}
			if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: "+tt.code) {
				t.Errorf("X-Copylab %q", h)
			}
		})
	}
	e.store.Reader().QueryRow(`select count(*) from recordings`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d recordings after rejected bodies, want 1", n)
	}
}

// recordingsFixture is a running experiment on a site with PostHog and
// Clarity, and three recorded visitors: ann (b, desktop, converted,
// PostHog), bob (control, phone, Clarity) and cat (b, desktop, PostHog,
// with a replay URL on a foreign host that must never be shown), plus a
// bot's recording.
type recordingsFixture struct {
	e    *env
	site experiments.Site
	x    experiments.Experiment
}

const (
	annReplay     = "https://us.posthog.com/project/12345/replay/ph-ann?t=12"
	bobClarity    = "https://clarity.microsoft.com/player/clar1ty/u-bob/s-bob"
	catBuiltLink  = "https://us.posthog.com/project/12345/replay/ph-cat"
	foreignReplay = "https://evil.example/project/1/replay/ph-cat"
)

func newRecordingsFixture(t *testing.T) recordingsFixture {
	t.Helper()
	e := newEnv(t)
	site := e.site("Shop")
	if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
		Clarity: &recorders.Clarity{ProjectID: "clar1ty"},
	}); err != nil {
		t.Fatal(err)
	}
	x := e.experiment(site.ID, "Hero")
	x = e.transition(x.ID, "start")
	send := func(visitor, ua string, evs ...map[string]any) {
		t.Helper()
		resp, body := e.postEventsAs(evBodyOf(site.Key, visitor, evs...), ua)
		wantStatus(t, resp, http.StatusNoContent, body)
	}
	send("ann", recDesktopUA, exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-ann", annReplay))
	send("ann", recDesktopUA, conversionEv(x.ID))
	send("bob", recPhoneUA, exposureEv(x.ID, "control"), recEvent(x.ID, "control", "clarity", "u-bob/s-bob", ""))
	send("cat", recDesktopUA, exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-cat", foreignReplay))
	send("dan", testBotUA, exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-bot", ""))
	return recordingsFixture{e: e, site: site, x: x}
}

func TestResultsRecordings(t *testing.T) {
	f := newRecordingsFixture(t)
	e, x := f.e, f.x
	c := e.signIn("owner@example.com")

	resp, page := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, page)
	wantContains(t, page, "Watch recordings", "PostHog · Microsoft Clarity",
		// Clarity has no list a link can filter: instructions, per variant.
		escHTML("In Clarity, filter recordings by the custom tags copylab_variant = b and copylab_experiment = "+x.ID+"."),
		"Converted", "Not converted", "2 visitors recorded", "1 visitor recorded",
		`hx-get="/experiments/`+x.ID+`/recordings?variant=b"`)
	// The numbers, then how they moved and where (charts and segments),
	// then the sessions to watch: a long list of sessions does not push
	// the charts down the page.
	for name, body := range map[string]string{"results": page, "share": func() string {
		_, share := e.client().get("/r/" + x.ShareToken)
		return share
	}()} {
		if charts, recs := strings.Index(body, `id="over-time"`), strings.Index(body, `id="recordings"`); charts < 0 || recs < 0 || recs < charts {
			t.Errorf("%s page: the charts at %d, the recordings at %d; want the charts first", name, charts, recs)
		}
	}
	links := hrefsIn(t, page, "recordings")
	var lists, sessions []string
	for _, h := range links {
		switch {
		case strings.HasPrefix(h, "https://us.posthog.com/project/12345/replay/home?filters="):
			lists = append(lists, h)
		case strings.HasPrefix(h, "https://"):
			sessions = append(sessions, h)
		case !strings.HasPrefix(h, "/experiments/"+x.ID+"/recordings"):
			t.Errorf("unexpected link %q", h)
		}
	}
	if len(lists) != 2 { // control and b
		t.Errorf("PostHog list links %v, want one per variant", lists)
	}
	for _, l := range lists {
		u, _ := url.Parse(l)
		if f := u.Query().Get("filters"); !strings.Contains(f, `"copylab_experiment"`) || !strings.Contains(f, x.ID) {
			t.Errorf("list link without the experiment filter: %s", f)
		}
	}
	// Newest first; the foreign replay URL is replaced by the link built
	// from the session id; the bot is not listed.
	if got, want := strings.Join(sessions, " "), strings.Join([]string{catBuiltLink, bobClarity, annReplay}, " "); got != want {
		t.Errorf("session links\n got %s\nwant %s", got, want)
	}
	wantNotContains(t, page, "evil.example", "ph-bot")

	list := func(query string) (string, []string) {
		t.Helper()
		req := newRequest(http.MethodGet, "/experiments/"+x.ID+"/recordings"+query, nil)
		req.Header.Set("HX-Request", "true")
		resp, body := c.send(req)
		wantStatus(t, resp, http.StatusOK, body)
		if strings.Contains(body, "<html") {
			t.Fatalf("htmx got a whole page for %s", query)
		}
		var ext []string
		for _, h := range hrefsIn(t, body, "recording-list") {
			if strings.HasPrefix(h, "https://") {
				ext = append(ext, h)
			}
		}
		return body, ext
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"?variant=b", []string{catBuiltLink, annReplay}},
		{"?variant=control", []string{bobClarity}},
		{"?converted=1", []string{annReplay}},
		{"?converted=0", []string{catBuiltLink, bobClarity}},
		{"?device=mobile", []string{bobClarity}},
		{"?device=desktop&converted=0", []string{catBuiltLink}},
		{"?browser=Safari", []string{bobClarity}},
		{"?variant=nosuch", []string{catBuiltLink, bobClarity, annReplay}}, // an unknown variant is no filter
		{"?country=" + url.QueryEscape("-"), []string{catBuiltLink, bobClarity, annReplay}},
		{"?country=JP", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			body, got := list(tt.query)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if len(tt.want) == 0 {
				wantContains(t, body, "No recorded sessions match these filters")
			}
		})
	}
	// The filters' choices come from the visitors' segments.
	body, _ := list("")
	wantContains(t, body, `<option value="mobile">Mobile</option>`, `<option value="desktop">Desktop</option>`, `<option value="b">Variant B</option>`)

	t.Run("a page of its own", func(t *testing.T) {
		resp, body := c.get("/experiments/" + x.ID + "/recordings?variant=b&converted=1")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "Recordings: Hero", annReplay, `<option value="1" selected>`)
		wantNotContains(t, body, catBuiltLink)
	})

	t.Run("pages of 20", func(t *testing.T) {
		for i := range 25 {
			v := "p" + itoa(i)
			resp, body := e.postEventsAs(evBodyOf(f.site.Key, v, exposureEv(x.ID, "control"), recEvent(x.ID, "control", "posthog", "ph-"+v, "")), recDesktopUA)
			wantStatus(t, resp, http.StatusNoContent, body)
		}
		body, first := list("?variant=control")
		if len(first) != 20 || first[0] != "https://us.posthog.com/project/12345/replay/ph-p24" {
			t.Fatalf("first page: %d links, starting %v", len(first), first[:1])
		}
		older := regexpFind(body, `href="(/experiments/[^"]*before=[0-9]+)"`)
		if older == "" {
			t.Fatal("no link to the older sessions")
		}
		_, second := list(strings.TrimPrefix(xhtml.UnescapeString(older), "/experiments/"+x.ID+"/recordings"))
		if len(second) != 6 || second[5] != bobClarity {
			t.Fatalf("second page: %v", second)
		}
	})

	t.Run("a site without recorders", func(t *testing.T) {
		if _, err := e.store.UpdateSiteRecorders(context.Background(), f.site.ID, recorders.Settings{}); err != nil {
			t.Fatal(err)
		}
		_, page := c.get("/experiments/" + x.ID + "/results")
		wantContains(t, page, "Watch recordings", "Set up session recordings", `href="/sites/`+f.site.ID+`#recorders"`)
		wantNotContains(t, page, annReplay, "us.posthog.com")
	})
}

func TestShareRecordings(t *testing.T) {
	f := newRecordingsFixture(t)
	e, x := f.e, f.x
	anon := e.client()
	resp, page := anon.get("/r/" + x.ShareToken)
	wantStatus(t, resp, http.StatusOK, page)
	wantContains(t, page, "Watch recordings", annReplay, bobClarity, catBuiltLink, "Converted",
		`hx-get="/r/`+x.ShareToken+`/recordings?variant=b"`)
	wantNotContains(t, page, "evil.example", "Set up session recordings", `name="_csrf"`)

	req := newRequest(http.MethodGet, "/r/"+x.ShareToken+"/recordings?converted=1", nil)
	req.Header.Set("HX-Request", "true")
	resp, body := anon.send(req)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, annReplay)
	wantNotContains(t, body, bobClarity, catBuiltLink)
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("Referrer-Policy %q", resp.Header.Get("Referrer-Policy"))
	}

	resp, body = anon.get("/r/" + x.ShareToken + "/recordings?variant=control")
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Shared results", "Recordings: Hero", bobClarity)
	wantNotContains(t, body, annReplay)

	resp, _ = anon.get("/r/wrongtoken/recordings")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a wrong token: %d", resp.StatusCode)
	}
}

// TestRecordingsWithoutRecorder: for a site without a session recorder, a
// member's results and recordings pages advise setting one up and link to
// the site's recorders, while a share link's, read by someone without an
// account who cannot, says only that no recordings are linked to the test.
func TestRecordingsWithoutRecorder(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	x := e.transition(e.experiment(site.ID, "Hero").ID, "start")
	const (
		advice  = "link the results to the session recordings of the site’s recorder"
		neutral = "No session recordings are linked to this test."
	)
	setup := `href="/sites/` + site.ID + `#recorders"`
	member, anon := e.signIn("owner@example.com"), e.client()
	for _, tc := range []struct {
		name, path string
		c          *client
		want, not  []string
	}{
		{"results", "/experiments/" + x.ID + "/results", member, []string{advice, "Set up session recordings", setup}, []string{neutral}},
		{"recordings", "/experiments/" + x.ID + "/recordings", member, []string{advice, "Set up session recordings", setup}, []string{neutral}},
		{"share", "/r/" + x.ShareToken, anon, []string{neutral}, []string{advice, "Set up session recordings", "/sites/"}},
		{"share recordings", "/r/" + x.ShareToken + "/recordings", anon, []string{neutral}, []string{advice, "Set up session recordings", "/sites/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, page := tc.c.get(tc.path)
			wantStatus(t, resp, http.StatusOK, page)
			wantContains(t, page, append([]string{"Watch recordings"}, tc.want...)...)
			wantNotContains(t, page, tc.not...)
		})
	}
}

// TestRecordingsEmptyState: an experiment whose site has a recorder but no
// recorded session yet shows an empty state in place of the session list,
// with no filters to choose (on the results, recordings and share pages,
// and in the list htmx swaps in, a filter in its query or not); once a
// session is in, the filters show, and one that matches nothing says so
// and links back to every session. A stopped test's empty state says that
// none were recorded rather than "yet".
func TestRecordingsEmptyState(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
	}); err != nil {
		t.Fatal(err)
	}
	x := e.transition(e.experiment(site.ID, "Hero").ID, "start")
	member, anon := e.signIn("owner@example.com"), e.client()
	const filters = `class="rec-filters"`
	list := func(c *client, path string) string {
		t.Helper()
		req := newRequest(http.MethodGet, path, nil)
		req.Header.Set("HX-Request", "true")
		resp, body := c.send(req)
		wantStatus(t, resp, http.StatusOK, body)
		return body
	}
	get := func(c *client, path string) string {
		t.Helper()
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		return body
	}

	t.Run("nothing recorded", func(t *testing.T) {
		for name, body := range map[string]string{
			"results":          get(member, "/experiments/"+x.ID+"/results"),
			"recordings":       get(member, "/experiments/"+x.ID+"/recordings"),
			"filtered":         get(member, "/experiments/"+x.ID+"/recordings?variant=b&converted=1"),
			"list":             list(member, "/experiments/"+x.ID+"/recordings?variant=b"),
			"share":            get(anon, "/r/"+x.ShareToken),
			"share recordings": get(anon, "/r/"+x.ShareToken+"/recordings"),
		} {
			t.Run(name, func(t *testing.T) {
				wantContains(t, body, "No recorded sessions yet", `data-announce="No recorded sessions yet."`)
				wantNotContains(t, body, filters, "<select", "match these filters", "<table class=\"table rec-table")
			})
		}
	})

	resp, body := e.postEventsAs(evBodyOf(site.Key, "ann", exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-ann", annReplay)), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)

	t.Run("a filter that matches nothing", func(t *testing.T) {
		for name, body := range map[string]string{
			"list": list(member, "/experiments/"+x.ID+"/recordings?converted=1"),
			"page": get(member, "/experiments/"+x.ID+"/recordings?converted=1"),
		} {
			t.Run(name, func(t *testing.T) {
				wantContains(t, body, filters, `<option value="1" selected>`, "No recorded sessions match these filters.",
					`hx-swap="outerHTML">Show all sessions</a>`, `<a href="/experiments/`+x.ID+`/recordings" hx-get`, ">Clear</a>")
				wantNotContains(t, body, "No recorded sessions yet", annReplay)
			})
		}
		body := list(member, "/experiments/"+x.ID+"/recordings")
		wantContains(t, body, filters, annReplay)
		wantNotContains(t, body, "No recorded sessions")
	})

	t.Run("stopped without a session", func(t *testing.T) {
		y := e.transition(e.transition(e.experiment(site.ID, "Footer").ID, "start").ID, "stop")
		body := get(member, "/experiments/"+y.ID+"/recordings")
		wantContains(t, body, "No sessions were recorded", "None of this test’s visitors were recorded")
		wantNotContains(t, body, filters, "No recorded sessions yet")
	})
}

func TestAPIResultsRecordings(t *testing.T) {
	f := newRecordingsFixture(t)
	e, x := f.e, f.x
	token := e.token("api@example.com")
	resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", token, "")
	wantStatus(t, resp, http.StatusOK, "")
	type session struct {
		Recorder  string  `json:"recorder"`
		URL       *string `json:"url"`
		Converted bool    `json:"converted"`
		At        string  `json:"at"`
	}
	type recs struct {
		ListURL      *string   `json:"list_url"`
		Instructions []string  `json:"instructions"`
		Sessions     []session `json:"sessions"`
	}
	got := map[string]recs{}
	for _, v := range out["variants"].([]any) {
		v := v.(map[string]any)
		raw, _ := json.Marshal(v["recordings"])
		var r recs
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		if r.Instructions == nil || r.Sessions == nil {
			t.Errorf("%s: instructions and sessions must be arrays: %s", v["key"], raw)
		}
		got[v["key"].(string)] = r
	}
	b := got["b"]
	if b.ListURL == nil || !strings.HasPrefix(*b.ListURL, "https://us.posthog.com/project/12345/replay/home?filters=") {
		t.Errorf("b list_url %v", b.ListURL)
	}
	if len(b.Instructions) != 1 || !strings.Contains(b.Instructions[0], "copylab_variant = b") {
		t.Errorf("b instructions %v", b.Instructions)
	}
	if len(b.Sessions) != 2 || *b.Sessions[0].URL != catBuiltLink || b.Sessions[0].Converted ||
		*b.Sessions[1].URL != annReplay || !b.Sessions[1].Converted || b.Sessions[1].Recorder != "posthog" || b.Sessions[1].At == "" {
		t.Errorf("b sessions %+v", b.Sessions)
	}
	ctl := got["control"]
	if len(ctl.Sessions) != 1 || *ctl.Sessions[0].URL != bobClarity || ctl.Sessions[0].Recorder != "clarity" {
		t.Errorf("control sessions %+v", ctl.Sessions)
	}

	// Recent 10 per variant.
	for i := range 12 {
		v := "q" + itoa(i)
		resp, body := e.postEventsAs(evBodyOf(f.site.Key, v, exposureEv(x.ID, "control"), recEvent(x.ID, "control", "posthog", "ph-"+v, "")), recDesktopUA)
		wantStatus(t, resp, http.StatusNoContent, body)
	}
	_, out = e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", token, "")
	for _, v := range out["variants"].([]any) {
		v := v.(map[string]any)
		if v["key"] == "control" {
			if n := len(v["recordings"].(map[string]any)["sessions"].([]any)); n != 10 {
				t.Errorf("control: %d sessions, want the recent 10", n)
			}
		}
	}
}

// regexpFind returns the first group of pattern's first match in s, or "".
func regexpFind(s, pattern string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

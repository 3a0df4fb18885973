package app

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"copylab/experiments"
	"copylab/experiments/recorders"
)

// TestHostileTextStaysText puts markup-like text everywhere a person, a
// visitor's browser (through POST /e: URLs, referrers, utm values, visitor
// ids, recorders' sessions) or a browser's user agent can put it, then
// reads every page that shows it, the share link's included: each page
// shows it as text, never as markup or as an attribute break-out. What the
// validation refuses (HTML in copy, < in selectors) is refused before it
// gets here; the rest must come out escaped.
func TestHostileTextStaysText(t *testing.T) {
	const (
		tag   = `<zzx>`  // an element, if unescaped
		quote = `"zzq'z` // an attribute break-out, if unescaped
	)
	e := newEnv(t)
	e.addUser("ann@example.com")
	c := e.client()
	c.get("/login")
	req := newRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"email": {"ann@example.com"}, "password": {testPassword}, "_csrf": {c.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "Mozilla/5.0 "+tag+quote+" Chrome/126.0")
	if resp, body := c.send(req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d %.200s", resp.StatusCode, body)
	}
	c.get("/experiments")
	if _, _, err := addUser(t.Context(), e.store, "bob@example.com", "Bob "+tag+quote, testPassword, 4); err != nil {
		t.Fatal(err)
	}

	ctx := t.Context()
	site, err := e.store.CreateSite(ctx, experiments.Site{Name: "Shop " + tag + quote, Domain: "example.com", BrandVoice: tag + quote})
	if err != nil {
		t.Fatal(err)
	}
	x, err := e.store.CreateExperiment(ctx, experiments.Experiment{
		SiteID: site.ID, Name: "Hero " + tag + quote, Page: "/p/" + quote, Selector: `[data-x='"zzq']`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: `[data-y='"zzq']`}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Original " + quote}, {Text: "1 < 2 & " + quote}},
	})
	if err != nil {
		t.Fatal(err)
	}
	x = e.transition(x.ID, experiments.ActionStart)
	if _, err := e.store.UpdateSiteRecorders(ctx, site.ID, recorders.Settings{
		Custom: "https://rec.example/s/{session_id}?v={visitor}", PostHog: &recorders.PostHog{Host: "https://eu.posthog.com", ProjectID: "123"}}); err != nil {
		t.Fatal(err)
	}
	for i, rec := range []string{"custom", "posthog", "fullstory"} {
		evs := []map[string]any{
			{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": x.ID, "variant": "b", "url": "https://example.com/p/" + tag + "?utm_source=" + tag,
				"ref": "https://ref" + tag + ".example/" + quote, "utm": tag + quote},
			{"id": uuid.Must(uuid.NewV7()).String(), "type": "recording", "experiment": x.ID, "variant": "b", "recorder": rec, "session": "s" + tag + quote,
				"replay": "javascript:alert(1)//" + tag, "url": "https://example.com/p/" + tag},
		}
		body, _ := json.Marshal(map[string]any{"site": site.Key, "visitor": "v" + itoa(i) + tag, "events": evs})
		if resp := e.postEvents(string(body)); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("X-Copylab"))
		}
	}
	x, err = e.store.Experiment(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{
		"/experiments", "/experiments/" + x.ID, "/experiments/" + x.ID + "/edit", "/experiments/" + x.ID + "/generate",
		"/experiments/" + x.ID + "/results", "/experiments/" + x.ID + "/results/live", "/experiments/" + x.ID + "/results/trends",
		"/experiments/" + x.ID + "/recordings", "/sites", "/sites/" + site.ID, "/settings", "/users",
		"/r/" + x.ShareToken, "/r/" + x.ShareToken + "/live", "/r/" + x.ShareToken + "/trends", "/r/" + x.ShareToken + "/recordings",
		"/experiments?q=" + url.QueryEscape(tag+quote), "/experiments/new?site=" + url.QueryEscape(tag+quote),
		"/experiments/" + x.ID + "/recordings?source=" + url.QueryEscape(tag+quote),
	}
	// Pages that show the hostile text (escaped), at the least.
	shows := map[string]bool{"/experiments": true, "/experiments/" + x.ID + "/results": true, "/r/" + x.ShareToken: true,
		"/settings": true, "/sites/" + site.ID: true, "/experiments/" + x.ID + "/results/trends": true}
	for _, p := range pages {
		resp, body := c.get(p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", p, resp.StatusCode)
			continue
		}
		if shows[p] && !strings.Contains(body, "&lt;zzx&gt;") {
			t.Errorf("%s does not show the text at all: the check above proves nothing", p)
		}
		for _, raw := range []string{"<zzx", `"zzq`, `'z`, "javascript:"} {
			if i := strings.Index(body, raw); i >= 0 {
				t.Errorf("%s shows %q unescaped: …%s…", p, raw, body[max(0, i-100):min(len(body), i+40)])
			}
		}
	}
}

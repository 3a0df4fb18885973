package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// h11SettingsForm is what a browser sends for the settings form of a
// site page as rendered: its inputs and its text areas, a checkbox only
// when checked, each line break as CRLF (browsers send every line break
// of a form so, from a text area or a hidden field alike).
func h11SettingsForm(t *testing.T, page string) url.Values {
	t.Helper()
	doc := parseHTML(t, page)
	cards := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "section" && attrOf(n, "id") == "settings" })
	if len(cards) != 1 {
		t.Fatalf("%d settings cards", len(cards))
	}
	crlf := strings.NewReplacer("\r\n", "\r\n", "\n", "\r\n")
	v := url.Values{}
	for _, n := range findAll(cards[0], func(n *xhtml.Node) bool { return n.Data == "input" || n.Data == "textarea" }) {
		name := attrOf(n, "name")
		switch {
		case name == "" || name == "_csrf":
		case n.Data == "textarea":
			v.Add(name, crlf.Replace(textOf(n)))
		case attrOf(n, "type") == "checkbox":
			if _, checked := h11Attr(n, "checked"); checked {
				v.Add(name, attrOf(n, "value"))
			}
		default:
			v.Add(name, crlf.Replace(attrOf(n, "value")))
		}
	}
	return v
}

func h11Attr(n *xhtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// h11Save posts the settings form and answers the flash of the page it
// leads to.
func h11Save(t *testing.T, c *client, siteID string, form url.Values) string {
	t.Helper()
	resp, body := c.post("/sites/"+siteID+"/settings", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := c.get(resp.Header.Get("Location"))
	doc := parseHTML(t, page)
	flashes := findAll(doc, hasClass("flash")) // flash-ok, or flash-warn when a change made meanwhile was replaced
	if len(flashes) != 1 {
		t.Fatalf("%d flashes after saving", len(flashes))
	}
	return words(flashes[0])
}

// TestSiteSettingsKeepsChangesMadeMeanwhile: the settings form writes
// only the fields the person changed against the values it was rendered
// with, so a page opened before another edit (a rename through the API, a
// brand voice saved with a brief) and saved after it keeps that edit.
// Where the person changed a field that was also changed meanwhile, their
// value wins, and the flash names the field whose change it replaced.
func TestSiteSettingsKeepsChangesMadeMeanwhile(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	for i, tc := range []struct {
		name      string
		domain    string                      // the site's, as created
		voice     string                      // its brand voice, as stored
		meanwhile string                      // the PATCH body sent after the page was opened
		voiceThen string                      // a brand voice saved after the page was opened
		typed     map[string]string           // what the person changes in the form
		want      func(experiments.Site) bool // the site as saved
		wantFlash string                      // the flash after saving
	}{
		{
			name: "a rename through the API, then the hide timeout", meanwhile: `{"name":"New"}`,
			typed:     map[string]string{"hide_timeout_ms": "2000"},
			want:      func(s experiments.Site) bool { return s.Name == "New" && s.HideTimeoutMS == 2000 },
			wantFlash: "Settings saved.",
		},
		{
			name: "a move through the API, then the name", meanwhile: `{"domain":"other.example"}`,
			typed:     map[string]string{"name": "Mine"},
			want:      func(s experiments.Site) bool { return s.Name == "Mine" && s.Domain == "other.example" },
			wantFlash: "Settings saved.",
		},
		{
			name: "a brand voice saved with a brief, then GPC", voiceThen: "Warm.\nNo jargon.",
			typed:     map[string]string{"honor_gpc": ""},
			want:      func(s experiments.Site) bool { return s.BrandVoice == "Warm.\nNo jargon." && !s.HonorGPC },
			wantFlash: "Settings saved.",
		},
		{
			name: "a rename through the API, then the name", meanwhile: `{"name":"New"}`,
			typed:     map[string]string{"name": "Mine"},
			want:      func(s experiments.Site) bool { return s.Name == "Mine" },
			wantFlash: "Settings saved. Your name replaced a change saved after you opened this page.",
		},
		{
			name: "the same rename both ways", meanwhile: `{"name":"New"}`,
			typed:     map[string]string{"name": "New"},
			want:      func(s experiments.Site) bool { return s.Name == "New" },
			wantFlash: "Settings saved.",
		},
		{
			name: "a move and a brand voice meanwhile, then both", meanwhile: `{"domain":"other.example"}`, voiceThen: "Cold.",
			typed: map[string]string{"domain": "third.example", "brand_voice": "Plain."},
			want: func(s experiments.Site) bool {
				return s.Domain == "third.example" && s.BrandVoice == "Plain." && s.Name == "Shop"
			},
			wantFlash: "Settings saved. Your domain and brand voice replaced changes saved after you opened this page.",
		},
		{
			name: "a brand voice of several lines, kept", voice: "Warm.\nNo jargon.",
			typed:     map[string]string{"hide_timeout_ms": "1500"},
			want:      func(s experiments.Site) bool { return s.BrandVoice == "Warm.\nNo jargon." && s.HideTimeoutMS == 1500 },
			wantFlash: "Settings saved.",
		},
		{
			name: "a brand voice of several lines, rewritten", voice: "Warm.\nNo jargon.",
			typed:     map[string]string{"brand_voice": "Warm.\r\nNo jargon.\r\nShort."},
			want:      func(s experiments.Site) bool { return strings.Contains(s.BrandVoice, "Short.") },
			wantFlash: "Settings saved.",
		},
		{
			name: "a domain in another script, left as shown", domain: "bücher.example", meanwhile: `{"name":"New"}`,
			typed: map[string]string{"hide_timeout_ms": "900"},
			want: func(s experiments.Site) bool {
				return s.Name == "New" && s.Domain == "xn--bcher-kva.example" && s.HideTimeoutMS == 900
			},
			wantFlash: "Settings saved.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A domain of its own: one another site has is saved with a
			// warning in the flash.
			domain := tc.domain
			if domain == "" {
				domain = fmt.Sprintf("shop%d.example", i)
			}
			site, err := e.store.CreateSite(t.Context(), experiments.Site{Name: "Shop", Domain: domain, HonorGPC: true, BrandVoice: tc.voice})
			if err != nil {
				t.Fatal(err)
			}
			_, page := c.get("/sites/" + site.ID)
			form := h11SettingsForm(t, page)
			if tc.meanwhile != "" {
				resp, out := e.api(http.MethodPatch, "/api/v1/sites/"+site.ID, tok, tc.meanwhile)
				wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
			}
			if tc.voiceThen != "" {
				if err := e.store.SetBrandVoice(t.Context(), site.ID, tc.voiceThen); err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range tc.typed {
				if v == "" && k == "honor_gpc" {
					form.Del(k)
				} else {
					form.Set(k, v)
				}
			}
			flash := h11Save(t, c, site.ID, form)
			if flash != tc.wantFlash {
				t.Errorf("flash %q, want %q", flash, tc.wantFlash)
			}
			got, err := e.store.Site(t.Context(), site.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(got) {
				t.Errorf("saved %+v", got)
			}
		})
	}
}

// TestSiteSettingsAfterAProblem: a form shown again for a problem still
// carries the values the page was first opened with, so fixing the
// problem and saving keeps a rename made before the first save.
func TestSiteSettingsAfterAProblem(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	_, page := c.get("/sites/" + site.ID)
	form := h11SettingsForm(t, page)
	if resp, _ := e.api(http.MethodPatch, "/api/v1/sites/"+site.ID, tok, `{"name":"New"}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("rename: %d", resp.StatusCode)
	}
	form.Set("hide_timeout_ms", "20")
	resp, body := c.post("/sites/"+site.ID+"/settings", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	again := h11SettingsForm(t, body)
	if again.Get("hide_timeout_ms") != "20" || again.Get("name") != "Shop" {
		t.Errorf("form shown again with %v", again)
	}
	again.Set("hide_timeout_ms", "2000")
	if flash := h11Save(t, c, site.ID, again); flash != "Settings saved." {
		t.Errorf("flash %q", flash)
	}
	got, err := e.store.Site(t.Context(), site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "New" || got.HideTimeoutMS != 2000 {
		t.Errorf("saved %q, %d ms", got.Name, got.HideTimeoutMS)
	}
}

// TestSiteSettingsFormOpenedBefore: a form without the values it was
// rendered with (one opened before they were added to it) is read as
// before: what differs from the site as the save reads it is written.
func TestSiteSettingsFormOpenedBefore(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	c.get("/sites/" + site.ID)
	form := url.Values{"name": {"Shop"}, "domain": {"example.com"}, "hide_timeout_ms": {"1200"}}
	if flash := h11Save(t, c, site.ID, form); flash != "Settings saved." {
		t.Errorf("flash %q", flash)
	}
	got, err := e.store.Site(t.Context(), site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Shop" || got.HideTimeoutMS != 1200 || got.HonorGPC {
		t.Errorf("saved %+v", got)
	}
}

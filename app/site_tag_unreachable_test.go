package app

import (
	"html"
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// The words that tell the two kinds of unreachable address apart
// (views.UnreachableTag).
const (
	loopbackWords = "this computer’s own address"
	privateWords  = "an address on a private network"
)

// TestSiteTagUnreachable: a tag whose URL is on a loopback or private
// address (copylab's public URL, which defaults to the address it listens
// on) cannot load in the browsers of a site's visitors elsewhere, so the
// site page's install card says so, with the setting to change, and the
// API's answer to a site saved carries a tag_unreachable warning with the
// same sentences. It is a warning: the tag is still offered, for testing
// on this computer or network. A loopback address warns every site but
// one on this computer too (a developer's localhost); a private address
// warns only a site on a public name (under an ICANN public suffix) or
// address, since an internal site's visitors are on that network; a
// public address warns none. Found by a review: with the README's setup,
// www.shop.example's card offered
// <script src="http://127.0.0.1:19800/s/KEY.js"> without a word.
func TestSiteTagUnreachable(t *testing.T) {
	for _, tc := range []struct {
		name      string
		publicURL string // "" takes the default, from addr
		addr      string
		domain    string
		want      string // loopbackWords, privateWords, or "" for no warning
	}{
		{"the README's setup: the address copylab listens on", "", "127.0.0.1:19800", "www.shop.example", loopbackWords},
		{"a wildcard address, which defaults to 127.0.0.1", "", "0.0.0.0:19800", "www.shop.example", loopbackWords},
		{"localhost", "http://localhost:8080", "", "shop.example", loopbackWords},
		{"a name under .localhost", "http://copylab.localhost:8080", "", "shop.example", loopbackWords},
		{"IPv6 loopback", "http://[::1]:8080", "", "shop.example", loopbackWords},
		{"another loopback address", "http://127.8.9.10:8080", "", "shop.example", loopbackWords},
		{"0.0.0.0 given", "http://0.0.0.0:8080", "", "shop.example", loopbackWords},
		{"10/8", "http://10.1.2.3:8080", "", "shop.example.com", privateWords},
		{"172.16/12", "http://172.31.255.1", "", "shop.example.com", privateWords},
		{"192.168/16", "http://192.168.1.10:8080", "", "shop.example.com", privateWords},
		{"fc00::/7", "http://[fd12:3456::1]:8080", "", "shop.example.com", privateWords},
		{"link-local", "http://169.254.10.1:8080", "", "shop.example.com", privateWords},
		{"IPv6 link-local", "http://[fe80::1]:8080", "", "shop.example.com", privateWords},
		{"100.64/10, carrier-grade NAT as Tailscale uses it", "http://100.101.102.103:8080", "", "shop.example.com", privateWords},
		{"172.32.0.1 is public", "http://172.32.0.1", "", "shop.example.com", ""},
		{"100.128.0.1 is public", "http://100.128.0.1", "", "shop.example.com", ""},
		{"a public name", "https://copylab.example.com", "", "www.shop.example", ""},
		{"a site on this computer too", "http://127.0.0.1:19800", "", "localhost:3000", ""},
		{"a site under .localhost", "http://127.0.0.1:19800", "", "shop.localhost:3000", ""},
		{"a site on a loopback address", "http://localhost:19800", "", "127.0.0.1:3000", ""},
		{"a site on the private network too", "http://192.168.1.10:8080", "", "192.168.1.20:8000", ""},
		// copylab on this computer: every site's visitors but this
		// computer's own look for the tag on their own computer, be the
		// site on the office network or the internet. Found by a review:
		// http://127.0.0.1:19900 with a site on 10.1.2.3 was not warned.
		{"loopback, a site on a private address", "http://127.0.0.1:19900", "", "10.1.2.3", loopbackWords},
		{"loopback, a site on another private address", "http://localhost:19800", "", "192.168.1.20:8000", loopbackWords},
		{"loopback, a site on carrier-grade NAT", "http://[::1]:19800", "", "100.64.0.7", loopbackWords},
		{"loopback, an intranet name", "http://127.0.0.1:19800", "", "wiki.corp", loopbackWords},
		{"loopback, a name under .local", "http://0.0.0.0:19800", "", "intranet.local", loopbackWords},
		// copylab on a private network: a site on a name no public suffix
		// holds, or on a private address, is visited from that network,
		// and only a site on a public name or address is warned. Found by
		// a review: http://10.0.0.5:19906 warned a site on wiki.corp.
		{"private, an intranet name", "http://10.0.0.5:19906", "", "wiki.corp", ""},
		{"private, a name under .local", "http://10.0.0.5:19906", "", "intranet.local", ""},
		{"private, a name under .internal", "http://10.0.0.5:19906", "", "app.internal", ""},
		{"private, a name under .lan", "http://192.168.1.10:8080", "", "host.lan:8000", ""},
		{"private, a name under home.arpa", "http://192.168.1.10:8080", "", "nas.home.arpa", ""},
		{"private, a reserved example name", "http://10.0.0.5:19906", "", "www.shop.example", ""},
		{"private, a site on carrier-grade NAT", "http://10.0.0.5:19906", "", "100.100.1.2:8080", ""},
		{"private, a site on a link-local address", "http://10.0.0.5:19906", "", "169.254.3.4", ""},
		{"private, a site on this computer", "http://10.0.0.5:19906", "", "localhost:3000", ""},
		{"carrier-grade NAT, an intranet name", "http://100.101.102.103:8080", "", "wiki.corp", ""},
		{"private, a name under a country's suffix", "http://10.0.0.5:19906", "", "shop.co.uk", privateWords},
		{"private, a name under a private suffix under .com", "http://10.0.0.5:19906", "", "shop.blogspot.com", privateWords},
		{"private, a public address", "http://10.0.0.5:19906", "", "203.0.113.5", privateWords},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvWith(t, func(c *Config) {
				c.PublicURL = tc.publicURL
				if tc.addr != "" {
					c.Addr = tc.addr
				}
			})
			origin := e.app.cfg.PublicURL
			token := e.token("api@example.com")
			resp, out := e.api(http.MethodPost, "/api/v1/sites", token, `{"name":"Shop","domain":"`+tc.domain+`"}`)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("POST /api/v1/sites: %d %v", resp.StatusCode, out)
			}
			msg, warned := apiWarningOf(out, "tag_unreachable")
			id, _ := out["id"].(string)
			c := e.signIn("owner@example.com")
			resp, body := c.get("/sites/" + id)
			wantStatus(t, resp, http.StatusOK, body)
			// The tag is offered all the same, warning or not.
			wantContains(t, body, `<textarea id="tag" class="code" readonly rows="2" spellcheck="false">`+
				html.EscapeString(`<script src="`+origin+`/s/`+out["key"].(string)+`.js"></script>`)+`</textarea>`)
			banner := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return attrOf(n, "id") == "tag-unreachable" })
			if tc.want == "" {
				if warned || len(banner) > 0 {
					t.Errorf("public URL %s, site %s: warned %q, %d banners", origin, tc.domain, msg, len(banner))
				}
				return
			}
			if !warned {
				t.Fatalf("public URL %s, site %s: no tag_unreachable warning in %v", origin, tc.domain, out)
			}
			for _, w := range []string{"Visitors’ browsers cannot reach this tag.", "It loads from " + origin + ", " + tc.want,
				"on " + tc.domain + " ", "--public-url", "COPYLAB_PUBLIC_URL", "copy the tag again"} {
				if !strings.Contains(msg, w) {
					t.Errorf("the API's warning %q lacks %q", msg, w)
				}
			}
			if len(banner) != 1 {
				t.Fatalf("%d banners #tag-unreachable on the site page", len(banner))
			}
			var said []string
			for _, p := range findAll(banner[0], func(n *xhtml.Node) bool { return n.Data == "p" }) {
				said = append(said, textOf(p))
			}
			if got := strings.Join(strings.Fields(strings.Join(said, " ")), " "); got != msg {
				t.Errorf("the card says\n%q\nthe API\n%q", got, msg)
			}
		})
	}
}

// apiWarningOf is the message of an API answer's warning with the given
// code, and whether it has one.
func apiWarningOf(out map[string]any, code string) (string, bool) {
	ws, _ := out["warnings"].([]any)
	for _, w := range ws {
		if m, _ := w.(map[string]any); m["code"] == code {
			s, _ := m["message"].(string)
			return s, true
		}
	}
	return "", false
}

// TestSiteTagUnreachableMoved: PATCH moving a site answers as POST does:
// warned while the new domain is public and copylab's address is not,
// not once the site is on this computer as well. The site page keeps the
// warning in sight once the tag is installed (loaded on a developer's
// machine), out of the folded install help.
func TestSiteTagUnreachableMoved(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.PublicURL = "http://127.0.0.1:19800" })
	token := e.token("api@example.com")
	_, out := e.api(http.MethodPost, "/api/v1/sites", token, `{"name":"Shop","domain":"localhost:3000"}`)
	if _, warned := apiWarningOf(out, "tag_unreachable"); warned {
		t.Fatalf("a site on localhost warned: %v", out)
	}
	id, key := out["id"].(string), out["key"].(string)
	resp, out := e.api(http.MethodPatch, "/api/v1/sites/"+id, token, `{"domain":"www.shop.example"}`)
	if _, warned := apiWarningOf(out, "tag_unreachable"); resp.StatusCode != http.StatusOK || !warned {
		t.Errorf("moved to www.shop.example: %d %v", resp.StatusCode, out)
	}

	e.fetchTag("/s/"+key+".js", http.StatusOK, "Referer", "http://localhost:3000/")
	c := e.signIn("owner@example.com")
	_, body := c.get("/sites/" + id)
	doc := parseHTML(t, body)
	banner := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "tag-unreachable" })
	help := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "install-help" })
	if len(banner) != 1 || len(help) != 1 {
		t.Fatalf("%d banners, %d install helps", len(banner), len(help))
	}
	for n := banner[0].Parent; n != nil; n = n.Parent {
		if n == help[0] {
			t.Error("the warning is folded away in the install help")
		}
	}

	resp, out = e.api(http.MethodPatch, "/api/v1/sites/"+id, token, `{"domain":"shop.localhost"}`)
	if _, warned := apiWarningOf(out, "tag_unreachable"); resp.StatusCode != http.StatusOK || warned {
		t.Errorf("moved to shop.localhost: %d %v", resp.StatusCode, out)
	}
}

// TestSiteInstallNotes: beside the tag's Copy, "Copy install notes"
// copies plain text a developer can act on without signing in: the tag
// line, then the card's notes (synchronous, Content-Security-Policy,
// nonce, consent, data-copylab, …) a line each, with copylab's own
// origin in them, and the warning first when visitors cannot reach the
// tag; then the card's JavaScript API, a call a line, and its preview
// help with the example link. The card and the notes come from one
// list: each item's lead, each API row and the words before the API are
// in the notes. Found by a review: the notes left out
// window.copylab?.convert("signup"), without which a custom-event goal
// counts nothing.
func TestSiteInstallNotes(t *testing.T) {
	for _, tc := range []struct {
		name, publicURL   string
		warned, installed bool
	}{
		{"public", "https://copylab.example.com", false, false},
		{"loopback", "http://127.0.0.1:19800", true, false},
		{"installed: the card folds its help", "https://copylab.example.com", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvWith(t, func(c *Config) { c.PublicURL = tc.publicURL })
			c := e.signIn("owner@example.com")
			site, x := e.shopSite()
			if tc.installed {
				e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/")
			}
			_, body := c.get("/sites/" + site.ID)
			doc := parseHTML(t, body)
			btn := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "data-copy") == "#install-notes" })
			if len(btn) != 1 || strings.TrimSpace(textOf(btn[0])) != "Copy install notes" {
				t.Fatalf("%d buttons copy #install-notes", len(btn))
			}
			// Beside the tag's own Copy, in its box.
			if box := btn[0].Parent.Parent; len(findAll(box, func(n *xhtml.Node) bool { return attrOf(n, "data-copy") == "#tag" })) != 1 {
				t.Error("the notes' button is not beside the tag's Copy")
			}
			src := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "install-notes" })
			if len(src) != 1 || src[0].Data != "textarea" {
				t.Fatalf("%d #install-notes", len(src))
			}
			notes := textOf(src[0])
			tag := `<script src="` + tc.publicURL + `/s/` + site.Key + `.js"></script>`
			lines := strings.Split(notes, "\n")
			if l := "For example: https://shop.example/pricing?copylab=" + x.ID + ":b"; !containsString(lines, l) {
				t.Errorf("the notes lack the card's preview link, on a line of its own:\n%s", notes)
			}
			if !containsString(lines, tag) {
				t.Errorf("the notes lack the tag on a line of its own:\n%s", notes)
			}
			for _, w := range []string{
				"Paste this line into the <head> of every page you want to test",
				"- Keep it synchronous. No async or defer:",
				"served from copylab at " + tc.publicURL + ", not from your site",
				"script-src " + tc.publicURL + " and connect-src " + tc.publicURL + ".",
				`give the tag a nonce instead: the one your server puts on its own scripts for that page, as in <script nonce="…" src="` + tc.publicURL + `/s/` + site.Key + `.js"></script>.`,
				`add data-consent="required" to its <script src=…> line`,
				"window.copylab?.consent(true)",
				`Add an attribute such as data-copylab="hero" to the element whose text you test`,
				"ask whoever sent you these notes for copylab’s asynchronous install",
				// A site whose goal is a custom event counts nothing until
				// its pages call the tag. Found by a review: the notes had
				// only the tag and data-consent.
				"\n- With a goal that is a custom event, call the tag when it happens:",
				"call window.copylab?.convert(\"signup\"), with the goal’s event name in place of signup",
				"A visitor who has not agreed yet may see another variant on each page.",
				"\nJavaScript API\n\nThe tag also defines window.copylab, to tell it what it cannot see on its own.",
				"\n- window.copylab?.convert(\"signup\"): Counts a conversion for experiments whose goal is the custom event signup",
				"\n- window.copylab?.identify(\"user-42\"): After sign-in",
				"\n- window.copylab?.consent(true): Call from your cookie banner",
				"\n- window.copylab?.variant(\"EXPERIMENT_ID\"): The variant the visitor is assigned to",
				"\nPreview a variant\n\nAdd ?copylab=EXPERIMENT_ID:VARIANT to a page's URL",
			} {
				if !strings.Contains(notes, w) {
					t.Errorf("the notes lack %q:\n%s", w, notes)
				}
			}
			// Plain text: no markup of the card's, and nothing that points
			// at the card's other parts.
			for _, w := range []string{"<code", "<strong", "&lt;", "&#", "shown below", "below.", "pinned", "Each experiment's page lists"} {
				if strings.Contains(notes, w) {
					t.Errorf("the notes have %q:\n%s", w, notes)
				}
			}
			if got := strings.Contains(notes, "Visitors’ browsers cannot reach this tag."); got != tc.warned {
				t.Errorf("warned in the notes: %v, want %v:\n%s", got, tc.warned, notes)
			}
			items := findAll(doc, func(n *xhtml.Node) bool { return n.Data == "li" && n.Parent != nil && hasClass("checklist")(n.Parent) })
			if len(items) < 6 {
				t.Fatalf("%d items in the install card's list", len(items))
			}
			for _, li := range items {
				lead := findAll(li, func(n *xhtml.Node) bool { return n.Data == "strong" })
				if len(lead) == 0 {
					t.Errorf("an item without a lead: %q", textOf(li))
					continue
				}
				if l := "- " + textOf(lead[0]); !strings.Contains(notes, l) {
					t.Errorf("the notes lack the card's %q", l)
				}
			}
			// The card's JavaScript API, a call and what it does a line
			// each, and its preview help, are in the notes as the card
			// says them.
			rows := findAll(doc, func(n *xhtml.Node) bool {
				return n.Data == "tr" && n.Parent != nil && n.Parent.Parent != nil && hasClass("table-api")(n.Parent.Parent)
			})
			if len(rows) < 4 {
				t.Fatalf("%d rows in the card's JavaScript API", len(rows))
			}
			for _, tr := range rows {
				th := findAll(tr, func(n *xhtml.Node) bool { return n.Data == "th" })
				td := findAll(tr, func(n *xhtml.Node) bool { return n.Data == "td" })
				if len(th) != 1 || len(td) != 1 {
					t.Fatalf("a row of the JavaScript API: %q", textOf(tr))
				}
				if l := "- " + textOf(th[0]) + ": " + textOf(td[0]); !containsString(lines, l) {
					t.Errorf("the notes lack the line\n%s", l)
				}
			}
			// Before the tag loads, the JavaScript API is a card of its
			// own, its heading first; after, a heading in the install help.
			api := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "api" })
			if len(api) != 1 || api[0].FirstChild == nil {
				t.Fatalf("%d #api", len(api))
			}
			intro := api[0].FirstChild.NextSibling
			if api[0].Data == "h3" {
				intro = api[0].NextSibling
			}
			if intro == nil || intro.Data != "p" || !containsString(lines, textOf(intro)) {
				t.Errorf("the notes lack the card's words before its JavaScript API:\n%s", textOf(intro))
			}
		})
	}
}

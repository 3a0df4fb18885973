package app

import (
	"html"
	"testing"
)

// TestF18SiteInstallNonce: under a Content-Security-Policy with
// 'strict-dynamic' the browser ignores copylab's origin in script-src and
// blocks the tag, so the site page's install card says to give the tag
// the page's nonce instead, shows the tag line with one (copylab's own
// URL, port included), and says connect-src still needs copylab, since
// 'strict-dynamic' leaves it alone.
func TestF18SiteInstallNonce(t *testing.T) {
	const origin = "http://copylab.test:8080"
	e := newEnvWith(t, func(c *Config) { c.PublicURL = origin })
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, 200, body)

	wantContains(t, body,
		"<li><strong>Under <code>'strict-dynamic'</code>, which ignores host sources, give the tag a nonce instead:</strong>",
		"the one your server puts on its own scripts for that page, as in <code class=\"break\">"+
			html.EscapeString(`<script nonce="…" src="`+origin+`/s/`+site.Key+`.js"></script>`)+"</code>.",
		"The browser then ignores copylab in <code>script-src</code>, but still needs it in <code>connect-src</code>.",
		"The pinned and asynchronous tags take the nonce the same way, on their <code>&lt;script src=…&gt;</code> line.",
	)
}

package app

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"copylab/static"
)

// TestSiteInstallHelp: the site page's install card says what a
// Content-Security-Policy needs, with copylab's own origin (the public
// URL's, which the tag's URL is built from, port included) in script-src
// and connect-src, and for the guarded install the hashes of its inline
// lines besides; it calls the tag a file served from copylab, not from the
// site. Its JavaScript API help shows every call guarded with ?. (a tag
// that is blocked, down or not run yet leaves no window.copylab to call),
// says when a consent banner must call again, and does not sell variant()
// as what the visitor saw.
func TestSiteInstallHelp(t *testing.T) {
	const origin = "http://copylab.test:8080"
	e := newEnvWith(t, func(c *Config) { c.PublicURL = origin })
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	resp, body := c.get("/sites/" + site.ID)
	wantStatus(t, resp, 200, body)

	script, style := static.GuardCSP()
	guarded := html.EscapeString("script-src " + origin + " " + script + "; style-src " + style + "; connect-src " + origin)
	wantContains(t, body,
		`&lt;script src=&#34;`+origin+`/s/`+site.Key+`.js&#34;&gt;`, // the tag, built from the same origin
		"It is a small file served from copylab at <code class=\"break\">"+origin+"</code>, not from your site",
		"<strong>With a Content-Security-Policy, allow copylab in two of its directives:</strong> <code class=\"break\">script-src "+origin+"</code> and <code class=\"break\">connect-src "+origin+"</code>.",
		"Without the first, the browser blocks the tag and your pages keep their original copy; without the second, the tag swaps the copy but the browser blocks its events, so copylab counts no one.",
		`With a Content-Security-Policy, allow copylab and, by their hashes, the two inline lines: <code class="break">`+guarded+`</code>`,
		"and then shows your original copy. A tag that arrives after that second leaves the page as it is and does not count the visit.",
		"until your cookie banner calls <code>window.copylab?.consent(true)</code>",
		`<code>window.copylab?.convert("signup")</code>`,
		`<code>window.copylab?.identify("user-42")</code>`,
		`<code>window.copylab?.consent(true)</code>`,
		`<code>window.copylab?.variant("EXPERIMENT_ID")</code>`,
		"where the tag is blocked, down or has not run yet, there is no <code>window.copylab</code>, and a call without <code>?.</code> would throw an error into your page.",
		"With the asynchronous install, the tag may not have run yet when your code runs, even at <code>DOMContentLoaded</code>, and a call then does nothing: have your cookie banner call <code>window.copylab?.consent(true)</code> again once the tag has loaded, for example from the <code>load</code> event of the tag’s <code>&lt;script&gt;</code> element.",
		"The variant the visitor is assigned to (such as <code>control</code> or <code>b</code>), or <code>null</code> when they are not in the experiment or it is not running. It sticks, but it is not what they saw: a page shows it only where the experiment’s page and element match, and shows the original copy when the element comes too late. The tag tells your code nothing when it shows a variant; copylab’s own results count a visitor only where it did.",
	)
	wantNotContains(t, body, "first-party", "for your own analytics")
	if m := unguardedCall.FindAllString(body, -1); len(m) > 0 {
		t.Errorf("unguarded calls on the page: %q", m)
	}
}

// unguardedCall is a call of the tag's API that throws where the tag did
// not run: copylab.convert(…), window.copylab.consent(…), but not
// window.copylab?.convert(…).
var unguardedCall = regexp.MustCompile(`copylab\.(convert|identify|consent|variant|recording)\(`)

// TestSiteTagNoEventsHint: while a site runs an experiment and its tag has
// loaded but no event came, the status box names the two causes a site's
// own page can set up (a Content-Security-Policy without copylab in
// connect-src, a consent banner that never says yes), since the tag then
// swaps the copy and the badge says Installed. Before the tag loaded, it
// does not.
func TestSiteTagNoEventsHint(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site, _ := e.shopSite()
	const hint = "If such pages get visits and none arrive, a Content-Security-Policy without copylab in connect-src, or a consent banner that never calls window.copylab?.consent(true), may be stopping them."
	status := func() string {
		t.Helper()
		_, body := c.get("/sites/" + site.ID)
		return tagStatusText(t, body, "tag-status")
	}
	if got := status(); strings.Contains(got, hint) {
		t.Errorf("before the tag loaded: %q", got)
	}
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/")
	if got := status(); !strings.Contains(got, "No events yet") || !strings.Contains(got, hint) {
		t.Errorf("tag loaded, no events: %q, want %q", got, hint)
	}
}

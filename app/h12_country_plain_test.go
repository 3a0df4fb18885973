package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestResultsCountryPlainFirst: with no visitor's country known, the
// members' Country segment says so in a plain sentence a marketer can act
// on (ask whoever runs copylab), and folds the server's options
// (--country-header, --trusted-proxies, --geoip-db) into a disclosure of
// their own for that person, closed. Found by a review: the segment,
// open first among the segments, led with the server's flags.
func TestResultsCountryPlainFirst(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site, x := e.runningExperiment()
	for i := range 6 {
		wantStatus(t, e.postEvents(eventBody(site.Key, "v"+itoa(i), x.ID, []string{"control", "b"}[i%2], i < 2)), http.StatusNoContent, "")
	}
	for _, path := range []string{"/experiments/" + x.ID + "/results", "/experiments/" + x.ID + "/results/trends"} {
		t.Run(path, func(t *testing.T) {
			_, body := c.get(path)
			country := find1(t, parseHTML(t, body), "seg-country")
			words := func(n *xhtml.Node) string { return strings.Join(strings.Fields(textOf(n)), " ") }
			const plain = "copylab does not know visitors’ countries yet: whoever runs copylab can turn this on."
			ps := findAll(country, hasClass("no-country"))
			if len(ps) != 1 || words(ps[0]) != plain {
				t.Fatalf("the Country segment's sentence: %d, %q; want %q", len(ps), words(country), plain)
			}
			inner := findAll(country, func(n *xhtml.Node) bool { return n.Data == "details" && n != country })
			if len(inner) != 1 {
				t.Fatalf("%d disclosures inside the Country segment, want 1", len(inner))
			}
			for _, a := range inner[0].Attr {
				if a.Key == "open" {
					t.Error("the operator's disclosure is open")
				}
			}
			for p := ps[0].Parent; p != nil; p = p.Parent {
				if p == inner[0] {
					t.Error("the plain sentence is folded away with the operator's details")
				}
			}
			got := words(inner[0])
			for _, want := range []string{"--country-header (COPYLAB_COUNTRY_HEADER)", "--trusted-proxies (COPYLAB_TRUSTED_PROXIES)", "--geoip-db (COPYLAB_GEOIP_DB)"} {
				if !strings.Contains(got, want) {
					t.Errorf("the operator's disclosure %q does not say %q", got, want)
				}
			}
			// The options are said only there.
			for _, p := range findAll(country, func(n *xhtml.Node) bool { return n.Data == "p" }) {
				if strings.Contains(textOf(p), "--country-header") && !strings.Contains(got, words(p)) {
					t.Errorf("the options are said outside the operator's disclosure: %q", words(p))
				}
			}
		})
	}
}

package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"
)

// countryNote is the start of what the Country segment tells whoever
// runs copylab when no visitor's country is known (the plain sentence
// before it is TestResultsCountryPlainFirst's).
const countryNote = "copylab reads a visitor’s country from a header your CDN or proxy sets"

// TestResultsCountryAllUnknown: with no country header and no GeoIP
// database, every visitor's country is unknown; the Country segment then
// says how copylab learns countries and what to set (the options' names
// as the README gives them), on the results page and its trends
// fragment, instead of a table with one "Unknown" row. The other segments
// keep their tables. (A share link's says only that no country is known:
// TestShareCountryNoAdvice.)
func TestResultsCountryAllUnknown(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site, x := e.runningExperiment()
	for i := range 6 {
		wantStatus(t, e.postEvents(eventBody(site.Key, "v"+itoa(i), x.ID, []string{"control", "b"}[i%2], i < 2)), http.StatusNoContent, "")
	}
	_, full := c.get("/experiments/" + x.ID + "/results")
	_, trends := c.get("/experiments/" + x.ID + "/results/trends")
	for name, body := range map[string]string{"results": full, "trends": trends} {
		t.Run(name, func(t *testing.T) {
			doc := parseHTML(t, body)
			country := find1(t, doc, "seg-country")
			got := strings.Join(strings.Fields(textOf(country)), " ")
			for _, want := range []string{"Country not known", countryNote, "CF-IPCountry", "--country-header (COPYLAB_COUNTRY_HEADER)",
				"--trusted-proxies (COPYLAB_TRUSTED_PROXIES)", "--geoip-db (COPYLAB_GEOIP_DB)"} {
				if !strings.Contains(got, want) {
					t.Errorf("the Country segment %q does not say %q", got, want)
				}
			}
			if n := len(findAll(country, func(n *xhtml.Node) bool { return n.Data == "table" })); n != 0 {
				t.Errorf("the Country segment has %d tables", n)
			}
			if n := len(findAll(find1(t, doc, "seg-device"), func(n *xhtml.Node) bool { return n.Data == "table" })); n != 1 {
				t.Errorf("the Device segment has %d tables, want 1", n)
			}
		})
	}
}

// TestResultsCountrySomeKnown: once some visitors' countries are known,
// the Country segment is its table as before, Unknown a row among others.
func TestResultsCountrySomeKnown(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site, x := e.runningExperiment()
	bulkResults(t, e.store, site, x, bulkSpec{Events: 2000, Start: time.Now().UTC().AddDate(0, 0, -2).Truncate(24 * time.Hour), Days: 3, Seed: 5,
		Rates: map[string]float64{"control": 0.1, "b": 0.12}})
	_, body := c.get("/experiments/" + x.ID + "/results")
	country := find1(t, parseHTML(t, body), "seg-country")
	if strings.Contains(textOf(country), "does not know visitors’ countries") {
		t.Error("the Country segment says no country is known")
	}
	if rows := findAll(country, func(n *xhtml.Node) bool { return n.Data == "tr" }); len(rows) < 3 {
		t.Errorf("the Country segment has %d rows, want a table of countries", len(rows))
	}
}

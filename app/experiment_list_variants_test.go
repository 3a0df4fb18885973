package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestListsCountVariantsNotTheOriginal: the Variants column of the
// experiments list and of a site's page counts the new copies tested
// against the original, not the original itself: two for an experiment
// with the original and two variants, none for a draft with only the
// original.
func TestListsCountVariantsNotTheOriginal(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	three := e.experiment(site.ID, "Three copies", "Original headline", "Second headline", "Third headline")
	bare := e.experiment(site.ID, "Only the original", "Original headline")

	for _, path := range []string{"/experiments", "/sites/" + site.ID} {
		t.Run(path, func(t *testing.T) {
			resp, body := c.get(path)
			wantStatus(t, resp, http.StatusOK, body)
			got := map[string]string{}
			for _, row := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "tr" }) {
				var link, count string
				for _, a := range findAll(row, func(n *xhtml.Node) bool { return n.Data == "a" }) {
					link = attrOf(a, "href")
				}
				for _, td := range findAll(row, hasClass("list-variants")) {
					count = strings.TrimSpace(textOf(td))
				}
				if link != "" {
					got[link] = count
				}
			}
			for id, want := range map[string]string{three.ID: "2", bare.ID: "0"} {
				if got["/experiments/"+id] != want {
					t.Errorf("Variants of /experiments/%s: %q, want %q", id, got["/experiments/"+id], want)
				}
			}
		})
	}
}

package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// TestSnippetPreviewHolds: the QA build carries the words for an element
// that holds more than its text, naming the element and, for an element
// found by its data-copylab name, the span to give the copy; the live
// tag never carries them.
func TestSnippetPreviewHolds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	site, err := e.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	const tail = "): copylab replaces all of it, so a framework such as React that updates it later may break the page " +
		"for visitors in a variant. Give the copy an element of its own that holds one string and nothing else, such as "
	for _, c := range []struct {
		name, selector string
		want           []string
	}{
		{name: "data-copylab", selector: `[data-copylab="hero"]`, want: []string{
			quoteJS(`The element [data-copylab="hero"] holds more than its text (`),
			quoteJS(tail + `<span data-copylab="hero">{headline}</span>.`),
		}},
		{name: "data-copylab unquoted", selector: `[data-copylab=cta]`, want: []string{
			quoteJS(tail + `<span data-copylab="cta">{headline}</span>.`),
		}},
		{name: "other selector", selector: `h1.hero`, want: []string{
			quoteJS(`The element h1.hero holds more than its text (`),
			quoteJS(tail + `a <span> around the copy alone, and test that element.`),
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := e.experimentOn(site.ID, "Test "+c.name, "/pricing*", c.selector, "Original", "New")
			resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(x.ID+":b"), nil))
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, c.want...)
		})
	}
	wantNotContains(t, e.tagBody(site.Key), "holds more than its text")
}

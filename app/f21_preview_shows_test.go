package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// TestSnippetPreviewShows: the QA build carries the words for an element
// whose text the tag cannot show (an <input> found by an attribute, which
// the server's selector check cannot know), naming the selector and, for
// an <input>, where its label comes from; the live tag never carries them.
func TestSnippetPreviewShows(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	site, err := e.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	x := e.experimentOn(site.ID, "Buy button", "/pricing*", "[type=submit]", "Buy now", "Get started")
	resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(x.ID+":b"), nil))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body,
		quoteJS("The element [type=submit] is "),
		quoteJS(": copylab's tag writes text, which "),
		quoteJS(" does not show"),
		quoteJS(" (a button input shows its value attribute)"),
		quoteJS(". Test the text of a <button>, an <a> or a <label> instead."),
	)
	wantNotContains(t, e.tagBody(site.Key), "copylab's tag writes text")
}

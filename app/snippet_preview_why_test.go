package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// TestSnippetPreviewWhy: the QA build of a link it can show carries the
// notice's words for why the experiment may show nothing on a page: its
// page pattern as written, its element, and the site's hide timeout, as
// script-safe JSON; a link it cannot show carries none, and the live tag
// never does.
func TestSnippetPreviewWhy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	site, err := e.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example", HideTimeoutMS: 400})
	if err != nil {
		t.Fatal(err)
	}
	x := e.experimentOn(site.ID, "Pricing CTA", "/pricing/*", `[title="Tom & Jerry"]`, "Original CTA", "New CTA")
	e.transition(x.ID, experiments.ActionStart)

	for _, c := range []struct {
		name, p string
		want    []string
		not     []string
	}{
		{name: "variant", p: x.ID + ":b", want: []string{
			quoteJS("This page is not one the test runs on (it runs on /pricing/*)."),
			quoteJS(`The element [title="Tom & Jerry"] is not on this page.`),
			quoteJS(`The element [title="Tom & Jerry"] appeared after the hide timeout (400 ms), so it keeps its original copy, as it would for visitors.`),
		}, not: []string{"Tom & Jerry"}},
		{name: "unknown variant", p: x.ID + ":zz", not: []string{"not one the test runs on", "is not on this page"}},
		{name: "no such experiment", p: "0194f1c2-7a3b-7cde-8f01-23456789abcd:b", not: []string{"not one the test runs on"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(c.p), nil))
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, c.want...)
			wantNotContains(t, body, c.not...)
		})
	}
	wantNotContains(t, e.tagBody(site.Key), "not one the test runs on", "is not on this page", "hide timeout")
}

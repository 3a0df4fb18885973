package app

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestPagesReadSiteIDInAnyCase: the pages' ?site= names a site in any
// case, as the API's site ids do (apiLowerIDs, site_id in
// GET /api/v1/experiments): some tools write every UUID in capitals. The
// experiments list with a site id in capitals used to show every site's
// experiments, and the new experiment form did not preselect the site.
// Both read it as the site's own id, and their links carry it as stored.
func TestPagesReadSiteIDInAnyCase(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	blog := e.site("Blog")
	shop := e.site("Shop") // added last: the form's default without a site
	e.experiment(blog.ID, "Blog headline")
	e.experiment(shop.ID, "Shop headline")
	upper := strings.ToUpper(blog.ID)
	if upper == blog.ID {
		t.Fatalf("site id %s has no letter to write in capitals", blog.ID)
	}
	mixed := blog.ID[:len(blog.ID)/2] + upper[len(upper)/2:]

	for _, tc := range []struct{ name, id string }{
		{"capitals", upper},
		{"mixed", mixed},
		{"as stored", blog.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.get("/experiments?site=" + tc.id)
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, "<h1>Experiments on <bdi>Blog</bdi></h1>", "Blog headline",
				`href="/experiments/new?site=`+blog.ID+`"`)
			wantNotContains(t, body, "Shop headline", `site=`+upper, `site=`+mixed)

			resp, body = c.get("/experiments/new?site=" + tc.id)
			wantStatus(t, resp, http.StatusOK, body)
			m := regexp.MustCompile(`<option [^>]*?value="([^"]+)" selected>`).FindStringSubmatch(body)
			if m == nil || m[1] != blog.ID {
				t.Errorf("selected site %v, want Blog (%s)", m, blog.ID)
			}
		})
	}

	// An id of no site, in any case, is still no filter.
	_, body := c.get("/experiments?site=" + strings.ToUpper(blog.ID[:len(blog.ID)-1]) + "Z")
	wantContains(t, body, "<h1>Experiments</h1>", "Blog headline", "Shop headline")
}

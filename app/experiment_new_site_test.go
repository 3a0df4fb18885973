package app

import (
	"net/http"
	"regexp"
	"testing"
)

// TestNewExperimentPicksLatestSite: Experiments → New experiment, with no
// site in the link, used to offer the first site by name, which after setup
// is the Demo site: someone following the tour (add a site, then a new
// experiment) made their first test on the demo without noticing. The form
// now starts on the site added last; a site in the link still wins.
func TestNewExperimentPicksLatestSite(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	first := e.site("Acme blog") // first by name, added first
	shop := e.site("Shop")
	selected := regexp.MustCompile(`<option dir="auto" value="([^"]+)" selected>`)
	for _, tt := range []struct{ path, want string }{
		{"/experiments/new", shop.ID},
		{"/experiments/new?site=" + first.ID, first.ID},
	} {
		resp, body := c.get(tt.path)
		wantStatus(t, resp, http.StatusOK, body)
		m := selected.FindStringSubmatch(body)
		if m == nil || m[1] != tt.want {
			t.Errorf("%s: selected site %v, want %s", tt.path, m, tt.want)
		}
	}
}

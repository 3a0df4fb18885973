package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestH6SiteIDAnyCaseInQueryAndBody: a site's id is read in any case
// where the API takes it from a query or a body, as it is in a path
// (apiLowerIDs): the list narrowed to a site named in capitals answered
// an empty list, and a create naming it so answered 422 unknown_site.
// A site id that names no site is told in the API's words, not the
// form's "Choose one of your sites".
func TestH6SiteIDAnyCaseInQueryAndBody(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	upper := strings.ToUpper(site.ID)

	resp, out := e.api(http.MethodGet, "/api/v1/experiments?site_id="+upper, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if list, _ := out["experiments"].([]any); len(list) != 1 || list[0].(map[string]any)["id"] != x.ID {
		t.Errorf("?site_id=%s listed %v, want the site's one experiment", upper, out["experiments"])
	}

	resp, out = e.api(http.MethodPost, "/api/v1/experiments", tok, `{"site_id":"`+upper+`","name":"Footer","page":"/","selector":"h2",`+
		`"goal":{"type":"event","name":"signup"},"variants":[{"text":"Ship faster"},{"text":"Ship sooner"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if out["site_id"] != site.ID {
		t.Errorf("site_id %v, want %s", out["site_id"], site.ID)
	}

	resp, out = e.api(http.MethodPost, "/api/v1/experiments", tok, `{"site_id":"0190b7c2-0000-7000-8000-000000000000","name":"Footer","page":"/",`+
		`"selector":"h2","goal":{"type":"event","name":"signup"},"variants":[{"text":"Ship faster"}]}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	code, field, msg := apiError(out)
	if code != "unknown_site" || field != "site_id" || strings.Contains(msg, "Choose") || !strings.Contains(msg, "GET /api/v1/sites") {
		t.Errorf("unknown site: %s %s %q, want unknown_site on site_id in the API's words", code, field, msg)
	}
}

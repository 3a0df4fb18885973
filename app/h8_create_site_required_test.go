package app

import (
	"fmt"
	"net/http"
	"testing"
)

// TestH8CreateWithoutSite: a create that leaves site_id out, or sends it
// empty, is told the field is required, as a missing name is; a site_id
// that names no site stays unknown_site.
func TestH8CreateWithoutSite(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	for _, tc := range []struct{ name, site, code string }{
		{"left out", ``, "required"},
		{"empty", `"site_id":"",`, "required"},
		{"unknown", `"site_id":"nope",`, "unknown_site"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, rest := range []string{
				`"name":"Hero","page":"/","selector":"h1","goal":{"type":"event","name":"signup"},"variants":[{"text":"A"}]`,
				`"name":"Hero","variants":[{"text":"A"}]`, // an unfinished draft
				`"name":"","variants":[{"text":"A"}]`,     // and another problem
			} {
				resp, out := e.api("POST", "/api/v1/experiments", tok, `{`+tc.site+rest+`}`)
				wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
				if code, field := errorShape(t, out); code != tc.code || field != "site_id" {
					t.Errorf("%s: code %s field %s", rest, code, field)
				}
			}
		})
	}
}

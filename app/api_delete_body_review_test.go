package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAPIDeleteRefusesBody: DELETE of a site or an experiment takes no
// body. A member sent anyway ({"force": true}) is refused as every other
// call refuses a name it does not take, 400 unknown_field, and nothing is
// deleted; so is a body that is not an object. No body, or {}, deletes.
func TestAPIDeleteRefusesBody(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	for _, kind := range []string{"experiments", "sites"} {
		t.Run(kind, func(t *testing.T) {
			for _, ok := range []string{"", "{}", " { } "} {
				site := e.site("Shop " + kind + ok)
				id := site.ID
				if kind == "experiments" {
					id = e.experiment(site.ID, "Hero").ID
				}
				path := "/api/v1/" + kind + "/" + id
				for _, tc := range []struct{ body, code, field string }{
					{`{"force":true}`, "unknown_field", "force"},
					{`[]`, "invalid_json", ""},
					{`"yes"`, "invalid_json", ""},
				} {
					resp, out := e.api("DELETE", path, tok, tc.body)
					wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(tc.body, out))
					code, field := errorShape(t, out)
					if code != tc.code || field != tc.field {
						t.Errorf("DELETE %s %s: %s on %q, want %s on %q", kind, tc.body, code, field, tc.code, tc.field)
					}
					if msg, _ := out["error"].(map[string]any)["message"].(string); tc.code == "unknown_field" && !strings.Contains(msg, "takes no body") {
						t.Errorf("DELETE %s %s: message %q does not say the call takes no body", kind, tc.body, msg)
					}
					resp, out = e.api("GET", path, tok, "")
					wantStatus(t, resp, http.StatusOK, fmt.Sprint("after a refused delete: ", out))
				}
				req := newRequest("DELETE", path, strings.NewReader(ok))
				req.Header.Set("Authorization", "Bearer "+tok)
				if ok != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				resp := e.do(req)
				wantStatus(t, resp, http.StatusNoContent, readBody(t, resp))
				resp, _ = e.api("GET", path, tok, "")
				wantStatus(t, resp, http.StatusNotFound, fmt.Sprintf("after DELETE with body %q", ok))
			}
		})
	}
}

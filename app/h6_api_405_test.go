package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestH6MethodNotAllowedNamesAllow: a 405's sentence lists the methods
// its Allow header lists, HEAD too.
func TestH6MethodNotAllowedNamesAllow(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	resp, out := e.api(http.MethodPut, "/api/v1/experiments/"+x.ID, tok, `{}`)
	wantStatus(t, resp, http.StatusMethodNotAllowed, fmt.Sprint(out))
	allow := strings.Split(resp.Header.Get("Allow"), ", ")
	_, _, msg := apiError(out)
	if want := "it takes " + orList(allow) + "."; len(allow) < 2 || !strings.Contains(msg, want) {
		t.Errorf("Allow %v, message %q, want %q", allow, msg, want)
	}
}

package app

import (
	"fmt"
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestAPICallsWithoutBodyRefuseNames: the calls that take no body (start,
// pause, resume, stop, unship, share-link, duplicate) answer a name sent
// anyway with unknown_field, as every call does, and change nothing; no
// body, or {}, is fine. Ship without a variant says which field it needs.
func TestAPICallsWithoutBodyRefuseNames(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	base := "/api/v1/experiments/" + x.ID
	for _, path := range []string{"/start", "/pause", "/resume", "/stop", "/unship", "/share-link", "/duplicate"} {
		resp, out := e.api("POST", base+path, tok, `{"variant":"b"}`)
		wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(path, out))
		if code, field := errorShape(t, out); code != "unknown_field" || field != "variant" {
			t.Errorf("%s: %s on %q, want unknown_field on variant", path, code, field)
		}
		resp, out = e.api("POST", base+path, tok, `[]`)
		wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(path, out))
	}
	resp, out := e.api("GET", base, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	y, err := e.store.Experiment(t.Context(), x.ID) // a draft's share_url is null: the token tells
	if err != nil || out["status"] != "draft" || out["share_url"] != nil || y.ShareToken != x.ShareToken {
		t.Fatalf("refused calls changed the experiment: %v", out)
	}
	resp, list := e.api("GET", "/api/v1/experiments", tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	if xs, _ := list["experiments"].([]any); len(xs) != 1 {
		t.Fatalf("%d experiments after refused duplicates", len(xs))
	}

	resp, out = e.api("POST", base+"/start", tok, `{}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	resp, out = e.api("POST", base+"/pause", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if out["status"] != string(experiments.StatusPaused) {
		t.Errorf("status %v after pause", out["status"])
	}

	resp, out = e.api("POST", base+"/ship", tok, `{}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field := errorShape(t, out); code != "required" || field != "variant" {
		t.Errorf("ship without a variant: %s on %q, want required on variant", code, field)
	}
}

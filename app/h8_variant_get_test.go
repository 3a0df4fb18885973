package app

import (
	"fmt"
	"net/http"
	"testing"
)

// TestH8VariantGet: the Location of a new variant answers GET with the
// variant as the experiment lists it; another key is 404 unknown_variant.
func TestH8VariantGet(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/variants", tok, `{"text":"Ship sooner still"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	loc := resp.Header.Get("Location")
	if loc != "/api/v1/experiments/"+x.ID+"/variants/c" {
		t.Fatalf("Location %q", loc)
	}
	resp, got := e.api("GET", loc, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(got))
	vs := out["variants"].([]any)
	if fmt.Sprint(got) != fmt.Sprint(vs[len(vs)-1]) {
		t.Errorf("GET %s = %v, want %v", loc, got, vs[len(vs)-1])
	}
	resp, got = e.api("GET", "/api/v1/experiments/"+x.ID+"/variants/control", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(got))
	if got["key"] != "control" || got["source"] != "control" {
		t.Errorf("control %v", got)
	}

	resp, got = e.api("GET", "/api/v1/experiments/"+x.ID+"/variants/zz", tok, "")
	wantStatus(t, resp, http.StatusNotFound, fmt.Sprint(got))
	if code, _ := errorShape(t, got); code != "unknown_variant" {
		t.Errorf("unknown key: %s", code)
	}
	resp, got = e.api("GET", "/api/v1/experiments/nope/variants/b", tok, "")
	wantStatus(t, resp, http.StatusNotFound, fmt.Sprint(got))
	if code, _ := errorShape(t, got); code != "not_found" {
		t.Errorf("unknown experiment: %s", code)
	}
	resp, _ = e.api("GET", loc, "", "")
	wantStatus(t, resp, http.StatusUnauthorized, "")
}

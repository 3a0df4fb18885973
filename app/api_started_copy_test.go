package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAPIStartedCopySaysDuplicate: changing the copy of a running test
// through the API is refused with the same advice as its other fixed
// fields, to duplicate it, not to "create a new one".
func TestAPIStartedCopySaysDuplicate(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	_, x := e.runningExperiment()
	resp, out := e.api(http.MethodPatch, "/api/v1/experiments/"+x.ID+"/variants/b", tok, `{"text":"Other copy"}`)
	msg := fmt.Sprint(out["error"])
	if resp.StatusCode < 400 || resp.StatusCode >= 500 || !strings.Contains(msg, "Duplicate it to test other copy") || strings.Contains(msg, "create a new one") {
		t.Errorf("%d %s", resp.StatusCode, msg)
	}
}

package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentHistory: changes made on the pages and through the API
// are listed on the experiment page and by GET …/history, newest first,
// with who made them (a token's changes are marked API) and what changed.
func TestExperimentHistory(t *testing.T) {
	e := newEnv(t)
	token := e.token("ci@example.com")
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "New headline")
	path := "/api/v1/experiments/" + x.ID

	if resp, out := e.api("POST", path+"/start", token, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("start: %d %v", resp.StatusCode, out)
	}
	if resp, out := e.api("PATCH", path, token, `{"traffic_bp":2500}`); resp.StatusCode != http.StatusOK || out["traffic_bp"] != 2500.0 {
		t.Fatalf("patch: %d %v", resp.StatusCode, out)
	}
	if resp, out := e.api("PATCH", path, token, `{"traffic_bp":10001}`); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(fmt.Sprint(out), "field:traffic_bp") {
		t.Fatalf("patch out of range: %d %v", resp.StatusCode, out)
	}
	if resp, _ := c.post("/experiments/"+x.ID+"/pause", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pause: %d", resp.StatusCode)
	}

	resp, out := e.api("GET", path+"/history", token, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("history: %d %v", resp.StatusCode, out)
	}
	var got []string
	for _, l := range out["history"].([]any) {
		m := l.(map[string]any)
		if at, _ := m["at"].(string); !strings.HasSuffix(at, "Z") {
			t.Errorf("at %q is not UTC RFC 3339", at)
		}
		got = append(got, m["action"].(string)+"|"+m["actor"].(string)+"|"+m["detail"].(string))
	}
	want := []string{
		experiments.ChangePaused + "|owner@example.com|",
		experiments.ChangeEdited + "|ci@example.com (API)|Traffic share changed from 100% to 25%.",
		experiments.ChangeStarted + "|ci@example.com (API)|",
		experiments.ChangeCreated + "||",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, `id="history"`, "<strong>Paused</strong>", "by ci@example.com (API)",
		"Traffic share changed from 100% to 25%.")
	if i, j := strings.Index(body, "<strong>Paused</strong>"), strings.Index(body, "<strong>Started</strong>"); i < 0 || j < i {
		t.Errorf("the page does not list the newest change first")
	}

	resp, out = e.api("GET", "/api/v1/experiments/01a20281-7302-7eec-a0ce-7c5572839ce7/history", token, "")
	if resp.StatusCode != http.StatusNotFound || out["error"].(map[string]any)["code"] != "not_found" {
		t.Errorf("history of an unknown experiment: %d %v", resp.StatusCode, out)
	}
}

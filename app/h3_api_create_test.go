package app

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestH3APICreateControlFromBrief: a create without variants takes the
// brief's current_copy as the control, as the drafting page does; with
// neither, the 422 names both ways to give it.
func TestH3APICreateControlFromBrief(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	body := func(extra string) string {
		return `{"site_id":"` + site.ID + `","name":"Hero","page":"/","selector":"h1","goal":{"type":"event","name":"signup"}` + extra + `}`
	}

	resp, out := e.api("POST", "/api/v1/experiments", tok, body(`,"brief":{"current_copy":"  Ship faster  ","audience":"developers"}`))
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	vs := out["variants"].([]any)
	if len(vs) != 1 || vs[0].(map[string]any)["key"] != "control" || vs[0].(map[string]any)["text"] != "Ship faster" ||
		vs[0].(map[string]any)["weight_bp"] != 10000.0 {
		t.Errorf("variants %v", vs)
	}

	for _, extra := range []string{``, `,"variants":[]`, `,"variants":null`, `,"brief":{"audience":"developers"}`, `,"brief":{"current_copy":" "}`} {
		resp, out = e.api("POST", "/api/v1/experiments", tok, body(extra))
		wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
		if code, field := errorShape(t, out); code != "required" || field != "variants" {
			t.Errorf("%s: code %s field %s", extra, code, field)
		}
		wantContains(t, out["error"].(map[string]any)["message"].(string), "variants", "brief.current_copy")
	}
}

// TestH3APICreateUnfinished: a create that leaves out the page, the
// element and the goal makes a draft without them, as the form's "Draft
// copy with AI" saves one; the answer warns of what it lacks, PATCH sets
// them, and start asks for each until then. Sent empty, they are still
// refused.
func TestH3APICreateUnfinished(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	resp, out := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Ideas first",
		"variants":[{"text":"Ship faster"},{"text":"Ship sooner"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if out["page"] != "" || out["selector"] != "" || out["goal"] != nil || out["status"] != "draft" {
		t.Errorf("created %v %v %v %v", out["page"], out["selector"], out["goal"], out["status"])
	}
	if w := fmt.Sprint(out["warnings"]); !strings.Contains(w, "unfinished") || !strings.Contains(w, "page, element and goal") {
		t.Errorf("warnings %s", w)
	}
	api := "/api/v1/experiments/" + out["id"].(string)

	resp, out = e.api("POST", api+"/start", tok, "")
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if n := len(out["errors"].([]any)); n != 3 {
		t.Errorf("start errors %v", out["errors"])
	}

	// Only the page: the rest may still wait.
	resp, out = e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Page only","page":"/pricing",
		"variants":[{"text":"Ship faster"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if w := fmt.Sprint(out["warnings"]); !strings.Contains(w, "element and goal") {
		t.Errorf("warnings %s", w)
	}

	resp, out = e.api("PATCH", api, tok, `{"page":"/pricing","selector":"h1","goal":{"type":"click","selector":"#buy"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	resp, out = e.api("POST", api+"/start", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))

	// Sent, they are checked as before: an empty page is a mistake, not a choice to wait.
	resp, out = e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Empty","page":"","selector":"",
		"goal":{"type":"click"},"variants":[{"text":"Ship faster"}]}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if n := len(out["errors"].([]any)); n != 3 {
		t.Errorf("errors %v", out["errors"])
	}
}

var apiTimeRe = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// apiTimes calls check with each time in a JSON answer: a member named
// "at" or ending in "_at".
func apiTimes(v any, path string, check func(path string, v any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, m := range x {
			if (k == "at" || strings.HasSuffix(k, "_at")) && m != nil {
				check(path+"."+k, m)
				continue
			}
			apiTimes(m, path+"."+k, check)
		}
	case []any:
		for i, m := range x {
			apiTimes(m, fmt.Sprintf("%s[%d]", path, i), check)
		}
	}
}

// TestH3APITimesFixedWidth: every time the API gives has the same
// width, milliseconds always written, in UTC: 2026-11-24T00:23:31.950Z,
// not …31.95Z beside …50.039Z.
func TestH3APITimesFixedWidth(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	resp, site := e.api("POST", "/api/v1/sites", tok, `{"name":"Times","domain":"times.example.com"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(site))
	siteID := site["id"].(string)
	resp, x := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+siteID+`","name":"Hero","page":"/","selector":"h1",
		"goal":{"type":"event","name":"signup"},"variants":[{"text":"Ship faster"},{"text":"Ship sooner"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(x))
	id := x["id"].(string)
	resp, x = e.api("POST", "/api/v1/experiments/"+id+"/start", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(x))
	// Times whose milliseconds end in zeros, which RFC 3339 with
	// nanoseconds shortens (.950 → .95, .000 → nothing).
	for _, q := range []string{
		`update sites set created_at = 1795999411950`,
		`update experiments set created_at = 1795999411900, updated_at = 1795999412000, started_at = 1795999412500`,
		`update experiment_history set at = 1795999412000`,
	} {
		if _, err := e.store.Writer().Exec(q); err != nil {
			t.Fatal(err)
		}
	}

	seen := map[string]bool{}
	for _, path := range []string{"/api/v1/sites", "/api/v1/sites/" + siteID, "/api/v1/experiments", "/api/v1/experiments/" + id,
		"/api/v1/experiments/" + id + "/history", "/api/v1/experiments/" + id + "/results"} {
		resp, out := e.api("GET", path, tok, "")
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		apiTimes(out, path, func(at string, v any) {
			s, _ := v.(string)
			seen[at[strings.LastIndex(at, ".")+1:]] = true
			if !apiTimeRe.MatchString(s) {
				t.Errorf("%s = %v, want 2006-01-02T15:04:05.000Z", at, v)
			}
		})
	}
	for _, k := range []string{"created_at", "updated_at", "started_at", "at", "generated_at"} {
		if !seen[k] {
			t.Errorf("no %s checked (%v)", k, seen)
		}
	}
	resp, out := e.api("GET", "/api/v1/experiments/"+id, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if out["created_at"] != "2026-11-30T00:43:31.900Z" || out["updated_at"] != "2026-11-30T00:43:32.000Z" {
		t.Errorf("created_at %v, updated_at %v", out["created_at"], out["updated_at"])
	}
}

// TestH3APITransitionsRepeated: asking for the state an experiment is
// already in answers 200 with it unchanged, so a client retrying after a
// timeout can tell "already done" from "refused"; a real refusal stays 409.
func TestH3APITransitionsRepeated(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	api := "/api/v1/experiments/" + x.ID

	resp, out := e.api("POST", api+"/pause", tok, "")
	wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
	if code, _ := errorShape(t, out); code != "invalid_transition" {
		t.Errorf("pause a draft: %s", code)
	}

	history := func() int {
		t.Helper()
		h, err := e.store.History(t.Context(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	for _, step := range []struct {
		action string
		status experiments.Status
	}{
		{"start", experiments.StatusRunning},
		{"resume", experiments.StatusRunning},
		{"pause", experiments.StatusPaused},
		{"resume", experiments.StatusRunning},
		{"stop", experiments.StatusStopped},
	} {
		resp, first := e.api("POST", api+"/"+step.action, tok, "")
		n := history()
		resp2, again := e.api("POST", api+"/"+step.action, tok, "")
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(first))
		wantStatus(t, resp2, http.StatusOK, fmt.Sprint(again))
		if again["status"] != string(step.status) || again["updated_at"] != first["updated_at"] {
			t.Errorf("%s again: status %v updated_at %v, first %v", step.action, again["status"], again["updated_at"], first["updated_at"])
		}
		if history() != n {
			t.Errorf("%s again added a history line", step.action)
		}
	}

	for _, action := range []string{"start", "resume", "pause"} {
		resp, out := e.api("POST", api+"/"+action, tok, "")
		wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
		if code, _ := errorShape(t, out); code != "experiment_stopped" {
			t.Errorf("%s a stopped test: %s", action, code)
		}
	}
	resp, out = e.api("POST", api+"/stop", tok, `{"x":1}`)
	wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(out))
}

package app

import (
	"net/http"
	"strings"
	"testing"
)

// errorShape checks the JSON error format of DESIGN.md and returns the code.
func errorShape(t *testing.T, out map[string]any) (code, field string) {
	t.Helper()
	errObj, ok := out["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", out)
	}
	code, _ = errObj["code"].(string)
	msg, _ := errObj["message"].(string)
	field, _ = errObj["field"].(string)
	if code == "" || msg == "" {
		t.Errorf("error without code or message: %v", errObj)
	}
	return code, field
}

func TestAPIAuth(t *testing.T) {
	e := newEnv(t)
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/sites"}, {"POST", "/api/v1/sites"}, {"GET", "/api/v1/sites/x"},
		{"GET", "/api/v1/experiments"}, {"POST", "/api/v1/experiments"}, {"GET", "/api/v1/experiments/x"},
		{"POST", "/api/v1/experiments/x/generate"}, {"PATCH", "/api/v1/experiments/x/variants/b"},
		{"POST", "/api/v1/experiments/x/start"}, {"POST", "/api/v1/experiments/x/pause"},
		{"POST", "/api/v1/experiments/x/resume"}, {"POST", "/api/v1/experiments/x/stop"},
		{"GET", "/api/v1/experiments/x/results"},
	}
	for _, r := range routes {
		for _, tok := range []string{"", "cl_notatoken"} {
			resp, out := e.api(r.method, r.path, tok, "")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s (token %q): status %d", r.method, r.path, tok, resp.StatusCode)
				continue
			}
			errorShape(t, out)
			if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s: no WWW-Authenticate", r.method, r.path)
			}
		}
	}
	// A session cookie is no API credential.
	c := e.signIn("ann@example.com")
	req := newRequest(http.MethodGet, "/api/v1/sites", nil)
	resp, _ := c.send(req)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("session cookie on the API: %d", resp.StatusCode)
	}
}

func TestAPI(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")

	var siteID, siteKey string
	t.Run("sites", func(t *testing.T) {
		resp, out := e.api("POST", "/api/v1/sites", tok, `{"name":"Marketing","domain":"example.com"}`)
		wantStatus(t, resp, http.StatusCreated, "")
		siteID, _ = out["id"].(string)
		siteKey, _ = out["key"].(string)
		snippet, _ := out["snippet"].(string)
		if siteID == "" || snippet != `<script src="`+testPublicURL+`/s/`+siteKey+`.js"></script>` {
			t.Fatalf("created %v", out)
		}
		resp, out = e.api("GET", "/api/v1/sites", tok, "")
		wantStatus(t, resp, http.StatusOK, "")
		if list, _ := out["sites"].([]any); len(list) != 1 {
			t.Errorf("list %v", out)
		}
		resp, out = e.api("GET", "/api/v1/sites/"+siteID, tok, "")
		wantStatus(t, resp, http.StatusOK, "")
		if out["key"] != siteKey {
			t.Errorf("get %v", out)
		}
		resp, out = e.api("GET", "/api/v1/sites/nope", tok, "")
		wantStatus(t, resp, http.StatusNotFound, "")
		errorShape(t, out)
	})

	t.Run("site validation: 422 with every error", func(t *testing.T) {
		resp, out := e.api("POST", "/api/v1/sites", tok, `{"name":"","domain":"no spaces please"}`)
		wantStatus(t, resp, http.StatusUnprocessableEntity, "")
		code, field := errorShape(t, out)
		if code != "required" || field != "name" {
			t.Errorf("first error %s %s", code, field)
		}
		if all, _ := out["errors"].([]any); len(all) != 2 {
			t.Errorf("errors %v", out["errors"])
		}
	})

	t.Run("bad bodies", func(t *testing.T) {
		tests := []struct {
			body, code string
			status     int
		}{
			{`{"name":"x","domain":"example.com","colour":"red"}`, "unknown_field", 400},
			{`{"name":1}`, "invalid_json", 400},
			{`{"name":`, "invalid_json", 400},
			{``, "invalid_json", 400},
			{`{"name":"a","domain":"example.com"} {}`, "invalid_json", 400},
		}
		for _, tt := range tests {
			resp, out := e.api("POST", "/api/v1/sites", tok, tt.body)
			if resp.StatusCode != tt.status {
				t.Errorf("%s: status %d", tt.body, resp.StatusCode)
				continue
			}
			if code, _ := errorShape(t, out); code != tt.code {
				t.Errorf("%s: code %s", tt.body, code)
			}
		}
	})

	var expID string
	t.Run("experiments", func(t *testing.T) {
		resp, out := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+siteID+`","name":"","page":"pricing","selector":"*",
			"goal":{"type":"click"},"traffic_bp":20000,"variants":[{"text":""}]}`)
		wantStatus(t, resp, http.StatusUnprocessableEntity, "")
		errorShape(t, out)
		fields := map[string]bool{}
		for _, x := range out["errors"].([]any) {
			fields[x.(map[string]any)["field"].(string)] = true
		}
		// A lone control is a valid draft (create, then generate); its text is still checked.
		for _, f := range []string{"name", "page", "selector", "goal", "traffic_bp", "variants[0].text"} {
			if !fields[f] {
				t.Errorf("no error for %s in %v", f, fields)
			}
		}

		resp, out = e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+siteID+`","name":"Hero","page":"/","selector":"[data-copylab=\"hero\"]",
			"goal":{"type":"event","name":"signup"},"brief":{"audience":"developers"},
			"variants":[{"key":"control","text":"Ship faster"},{"text":"Ship <i>today</i> maybe"}]}`)
		wantStatus(t, resp, http.StatusUnprocessableEntity, "")
		if _, field := errorShape(t, out); field != "variants[1].text" {
			t.Errorf("field %q", field)
		}

		resp, out = e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+siteID+`","name":"Hero","page":"/","selector":"[data-copylab=\"hero\"]",
			"goal":{"type":"event","name":"signup"},"brief":{"audience":"developers"},
			"variants":[{"key":"control","text":"Ship faster"},{"text":"Ship today"}]}`)
		wantStatus(t, resp, http.StatusCreated, "")
		expID, _ = out["id"].(string)
		if out["status"] != "draft" || out["traffic_bp"] != float64(10000) || len(out["variants"].([]any)) != 2 {
			t.Errorf("created %v", out)
		}
		if b, _ := out["brief"].(map[string]any); b["audience"] != "developers" {
			t.Errorf("brief %v", out["brief"])
		}

		resp, out = e.api("GET", "/api/v1/experiments/"+expID, tok, "")
		wantStatus(t, resp, http.StatusOK, "")
		if out["name"] != "Hero" {
			t.Errorf("get %v", out)
		}
		resp, out = e.api("GET", "/api/v1/experiments?site_id="+siteID+"&status=draft", tok, "")
		wantStatus(t, resp, http.StatusOK, "")
		if list, _ := out["experiments"].([]any); len(list) != 1 {
			t.Errorf("list %v", out)
		}
		resp, _ = e.api("GET", "/api/v1/experiments?status=bogus", tok, "")
		wantStatus(t, resp, http.StatusBadRequest, "")
		resp, out = e.api("GET", "/api/v1/experiments/nope", tok, "")
		wantStatus(t, resp, http.StatusNotFound, "")
		errorShape(t, out)
	})

	t.Run("patch a variant", func(t *testing.T) {
		resp, out := e.api("PATCH", "/api/v1/experiments/"+expID+"/variants/b", tok, `{"text":"Ship it today","weight_bp":7000}`)
		wantStatus(t, resp, http.StatusOK, "")
		vs := out["variants"].([]any)
		b := vs[1].(map[string]any)
		if b["text"] != "Ship it today" || b["weight_bp"] != float64(7000) || vs[0].(map[string]any)["weight_bp"] != float64(3000) {
			t.Errorf("variants %v", vs)
		}
		resp, out = e.api("PATCH", "/api/v1/experiments/"+expID+"/variants/zz", tok, `{"text":"x"}`)
		wantStatus(t, resp, http.StatusNotFound, "")
		errorShape(t, out)
		resp, out = e.api("PATCH", "/api/v1/experiments/"+expID+"/variants/b", tok, `{"weight_bp":20000}`)
		wantStatus(t, resp, http.StatusUnprocessableEntity, "")
		errorShape(t, out)
	})

	t.Run("life cycle", func(t *testing.T) {
		for _, step := range []struct{ action, status string }{{"start", "running"}, {"pause", "paused"}, {"resume", "running"}, {"stop", "stopped"}} {
			resp, out := e.api("POST", "/api/v1/experiments/"+expID+"/"+step.action, tok, "")
			wantStatus(t, resp, http.StatusOK, "")
			if out["status"] != step.status {
				t.Errorf("%s: status %v", step.action, out["status"])
			}
		}
		resp, out := e.api("POST", "/api/v1/experiments/"+expID+"/start", tok, "")
		wantStatus(t, resp, http.StatusConflict, "")
		if code, _ := errorShape(t, out); code != "experiment_stopped" {
			t.Errorf("code %s", code)
		}
		resp, out = e.api("PATCH", "/api/v1/experiments/"+expID+"/variants/b", tok, `{"text":"late change"}`)
		wantStatus(t, resp, http.StatusConflict, "")
		errorShape(t, out)
	})

	t.Run("results", func(t *testing.T) {
		resp, out := e.api("GET", "/api/v1/experiments/"+expID+"/results", tok, "")
		wantStatus(t, resp, http.StatusOK, "")
		vs, _ := out["variants"].([]any)
		if len(vs) != 2 {
			t.Fatalf("results %v", out)
		}
		v0 := vs[0].(map[string]any)
		for _, k := range []string{"key", "text", "exposures", "conversions", "rate", "rate_interval", "prob_best", "prob_beat_control",
			"uplift", "uplift_interval", "p_value", "p_value_adjusted", "recordings"} {
			if _, ok := v0[k]; !ok {
				t.Errorf("variant lacks %q", k)
			}
		}
		for _, k := range []string{"srm", "excluded", "verdict"} {
			if _, ok := out[k]; !ok {
				t.Errorf("results lack %q", k)
			}
		}
	})

	t.Run("unknown API route", func(t *testing.T) {
		resp, out := e.api("GET", "/api/v1/nothing", tok, "")
		wantStatus(t, resp, http.StatusNotFound, "")
		errorShape(t, out)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
	})
}

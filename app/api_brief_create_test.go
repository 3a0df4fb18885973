package app

import (
	"fmt"
	"net/http"
	"testing"
)

// TestAPICreateBriefChecked: the brief sent with a create is read as
// generate reads it, so a name it does not take or a value of the wrong
// type is a 400 naming it, and nothing is created; a good brief is stored
// as generate would store it (spaces trimmed), and generate then uses it.
func TestAPICreateBriefChecked(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Marketing")
	create := func(brief string) (*http.Response, map[string]any) {
		return e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Hero","page":"/","selector":"h1",
			"goal":{"type":"event","name":"signup"},"brief":`+brief+`,"variants":[{"key":"control","text":"Ship faster with fewer meetings"}]}`)
	}
	for _, tt := range []struct {
		brief, code, field string
	}{
		{`{"foo":1}`, "unknown_field", "brief.foo"},
		{`{"goal":"Sign-ups","tone":5}`, "invalid_json", "brief.tone"},
		{`{"max_length":"ten"}`, "invalid_json", "brief.max_length"},
		{`{"must_say":"free"}`, "invalid_json", "brief.must_say"},
		{`"a string"`, "invalid_json", "brief"},
		{`[1]`, "invalid_json", "brief"},
	} {
		resp, out := create(tt.brief)
		wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(tt.brief, out))
		if code, field := errorShape(t, out); code != tt.code || field != tt.field {
			t.Errorf("brief %s: %s on %q, want %s on %q", tt.brief, code, field, tt.code, tt.field)
		}
	}
	resp, list := e.api("GET", "/api/v1/experiments", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(list))
	if xs, _ := list["experiments"].([]any); len(xs) != 0 {
		t.Fatalf("%d experiments created by refused calls", len(xs))
	}

	resp, out := create(`{"goal":"  Get developers to sign up ","audience":"developers","must_say":["free trial"]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	brief, _ := out["brief"].(map[string]any)
	if brief["goal"] != "Get developers to sign up" || brief["audience"] != "developers" || fmt.Sprint(brief["must_say"]) != "[free trial]" {
		t.Errorf("stored brief %v", out["brief"])
	}
	resp, gen := e.api("POST", "/api/v1/experiments/"+out["id"].(string)+"/generate", tok, `{"n":1}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(gen))
}

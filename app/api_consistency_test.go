package app

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"copylab/experiments"
)

// apiDraftID creates a draft through the API, with only the control and a
// brief the offline generator can write from, and returns its id.
func apiDraftID(t *testing.T, e *env, tok string) string {
	t.Helper()
	site := e.site("Marketing")
	resp, out := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Hero","page":"/","selector":"h1",
		"goal":{"type":"event","name":"signup"},"brief":{"goal":"Get developers to sign up","audience":"developers"},
		"variants":[{"key":"control","text":"Ship faster with fewer meetings"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	return out["id"].(string)
}

// TestAPIGenerateNothingNew: when every draft repeats copy the experiment
// already has, nothing went wrong on the model's side: the answer is a
// 4xx of its own that lists the dropped drafts, not llm_bad_output.
func TestAPIGenerateNothingNew(t *testing.T) {
	e := newEnv(t) // the offline generator: the same brief writes the same drafts
	tok := e.token("api@example.com")
	id := apiDraftID(t, e, tok)

	resp, out := e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":2}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if vs, _ := out["variants"].([]any); len(vs) != 2 || out["offline"] != true {
		t.Fatalf("first generation: %v", out)
	}

	resp, out = e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":2}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	code, _ := errorShape(t, out)
	if code != "no_new_drafts" {
		t.Errorf("code %s", code)
	}
	msg := out["error"].(map[string]any)["message"].(string)
	wantContains(t, msg, "already has", "brief")
	dropped, _ := out["dropped"].([]any)
	if len(dropped) != 2 {
		t.Fatalf("dropped %v", out["dropped"])
	}
	for _, d := range dropped {
		d := d.(map[string]any)
		if d["text"] == "" || d["reason"] != "The experiment already has this text." {
			t.Errorf("dropped %v", d)
		}
	}
	x, err := e.store.Experiment(t.Context(), id)
	if err != nil || len(x.Variants) != 3 {
		t.Errorf("stored %d variants, %v", len(x.Variants), err)
	}
}

// TestAPIWrongMethod: a known API path with a method it does not take
// answers 405 with an Allow header, as Fiber does for the other routes;
// unknown paths stay 404.
func TestAPIWrongMethod(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	for _, tt := range []struct {
		name, method, path string
		status             int
		code, allow        string
	}{
		{"put on the sites", "PUT", "/api/v1/sites", 405, "method_not_allowed", "GET, HEAD, POST"},
		{"delete on the sites", "DELETE", "/api/v1/sites", 405, "method_not_allowed", "GET, HEAD, POST"},
		{"a trailing slash", "PUT", "/api/v1/sites/", 405, "method_not_allowed", "GET, HEAD, POST"},
		{"post on a site", "POST", "/api/v1/sites/abc", 405, "method_not_allowed", "DELETE, GET, HEAD, PATCH"},
		{"get on start", "GET", "/api/v1/experiments/abc/start", 405, "method_not_allowed", "POST"},
		{"put on an experiment", "PUT", "/api/v1/experiments/abc", 405, "method_not_allowed", "DELETE, GET, HEAD, PATCH"},
		{"post on a variant", "POST", "/api/v1/experiments/abc/variants/b", 405, "method_not_allowed", "DELETE, GET, HEAD, PATCH"},
		{"delete on the results", "DELETE", "/api/v1/experiments/abc/results", 405, "method_not_allowed", "GET, HEAD"},
		{"an unknown path", "GET", "/api/v1/nope", 404, "not_found", ""},
		{"an unknown action", "POST", "/api/v1/experiments/abc/launch", 404, "not_found", ""},
		{"one segment too many", "GET", "/api/v1/experiments/abc/start/now", 404, "not_found", ""},
		{"paths are case-sensitive", "GET", "/api/v1/Sites", 404, "not_found", ""},
		{"another version", "GET", "/api/v2/sites", 404, "not_found", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := e.api(tt.method, tt.path, tok, "")
			wantStatus(t, resp, tt.status, fmt.Sprint(out))
			code, _ := errorShape(t, out)
			if code != tt.code {
				t.Errorf("code %s", code)
			}
			if got := resp.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if tt.allow != "" {
				msg := out["error"].(map[string]any)["message"].(string)
				for m := range strings.SplitSeq(tt.allow, ", ") {
					if m != "HEAD" {
						wantContains(t, msg, m)
					}
				}
				wantContains(t, msg, tt.method)
			}
		})
	}
	// Without a token the answer is the same: the route table is public
	// (the README lists it), and 405 says nothing about any data.
	resp, _ := e.api("PUT", "/api/v1/sites", "", "")
	wantStatus(t, resp, http.StatusMethodNotAllowed, "")
}

// TestAPIExperimentPatchNotEditable: PATCH names what it cannot change
// and where each thing changes instead, rather than calling fields of the
// experiment unknown.
func TestAPIExperimentPatchNotEditable(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Marketing")
	draft := e.experiment(site.ID, "Draft")
	started := e.experiment(site.ID, "Started")
	e.transition(started.ID, experiments.ActionStart)

	for _, tt := range []struct {
		name, id, body string
		status         int
		code, field    string
		says           []string
	}{
		{"page of a started one", started.ID, `{"page":"/x"}`, 422, "field_not_editable", "page",
			[]string{"name, threshold and traffic_bp", "/api/v1/experiments/" + started.ID + "/duplicate"}},
		{"selector of a started one", started.ID, `{"selector":"h2"}`, 422, "field_not_editable", "selector", nil},
		{"goal of a started one", started.ID, `{"goal":{"type":"event","name":"x"}}`, 422, "field_not_editable", "goal", nil},
		{"variants of a draft", draft.ID, `{"variants":[]}`, 422, "field_not_editable", "variants",
			[]string{"PATCH /api/v1/experiments/" + draft.ID + "/variants/{key}", "generate"}},
		{"variants of a started one", started.ID, `{"variants":[]}`, 422, "field_not_editable", "variants",
			[]string{"PATCH /api/v1/experiments/" + started.ID + "/variants/{key}", "weight"}},
		{"status", draft.ID, `{"status":"running"}`, 422, "field_not_editable", "status", []string{"/start", "/stop"}},
		{"site", draft.ID, `{"site_id":"x"}`, 422, "field_not_editable", "site_id", []string{"site"}},
		{"shipping", started.ID, `{"shipped_variant":"b"}`, 422, "field_not_editable", "shipped_variant", []string{"/ship"}},
		{"brief", draft.ID, `{"brief":{}}`, 422, "field_not_editable", "brief", []string{"/generate"}},
		{"id", draft.ID, `{"id":"x"}`, 422, "field_not_editable", "id", nil},
		{"a typo stays unknown", draft.ID, `{"nmae":"x"}`, 400, "unknown_field", "nmae", []string{"not part of this API"}},
		{"names match exactly", draft.ID, `{"Page":"/x"}`, 400, "unknown_field", "Page", nil},
		{"an unknown experiment", "nope", `{"page":"/x"}`, 404, "not_found", "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := e.api("PATCH", "/api/v1/experiments/"+tt.id, tok, tt.body)
			wantStatus(t, resp, tt.status, fmt.Sprint(out))
			code, field := errorShape(t, out)
			if code != tt.code || field != tt.field {
				t.Errorf("code %s field %s", code, field)
			}
			wantContains(t, out["error"].(map[string]any)["message"].(string), tt.says...)
		})
	}

	t.Run("every field is named", func(t *testing.T) {
		resp, out := e.api("PATCH", "/api/v1/experiments/"+started.ID, tok, `{"name":"New","page":"/x","goal":{"type":"event","name":"x"}}`)
		wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
		var fields []string
		for _, x := range out["errors"].([]any) {
			fields = append(fields, x.(map[string]any)["field"].(string))
		}
		if strings.Join(fields, ",") != "page,goal" {
			t.Errorf("fields %v", fields)
		}
		if x, _ := e.store.Experiment(t.Context(), started.ID); x.Name != "Started" {
			t.Errorf("the name changed to %q although the request was refused", x.Name)
		}
	})

	t.Run("what may change still does", func(t *testing.T) {
		resp, out := e.api("PATCH", "/api/v1/experiments/"+started.ID, tok, `{"name":"Renamed","traffic_bp":5000}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if out["name"] != "Renamed" || out["traffic_bp"] != float64(5000) {
			t.Errorf("answer %v", out)
		}
	})
}

// TestAPIDecodeStrict: the API decodes bodies as POST /e does (a name given
// twice and invalid UTF-8 are invalid_json), and its messages say what is
// actually wrong.
func TestAPIDecodeStrict(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	id := apiDraftID(t, e, tok)
	site := e.site("Other")
	exp := "/api/v1/experiments/" + id
	for _, tt := range []struct {
		name, method, path, body string
		code, field              string
		says                     string
	}{
		{"a name given twice", "POST", "/api/v1/sites", `{"name":"a","name":"b","domain":"example.com"}`, "invalid_json", "name", "twice"},
		{"a name given twice, nested", "POST", exp + "/generate", `{"brief":{"goal":"a","goal":"b"}}`, "invalid_json", "brief.goal", "twice"},
		{"invalid UTF-8", "POST", "/api/v1/sites", "{\"name\":\"caf\xe9\",\"domain\":\"example.com\"}", "invalid_json", "", "UTF-8"},
		{"invalid UTF-8 in a name", "PATCH", exp, "{\"n\xffme\":\"x\"}", "invalid_json", "", "UTF-8"},
		{"a list", "POST", "/api/v1/sites", `[]`, "invalid_json", "", "The body must be a JSON object"},
		{"a string", "PATCH", exp, `"x"`, "invalid_json", "", "The body must be a JSON object"},
		{"null", "POST", "/api/v1/sites", `null`, "invalid_json", "", "The body must be a JSON object"},
		{"a fraction", "PATCH", exp, `{"traffic_bp":50.5}`, "invalid_json", "traffic_bp", "whole number"},
		{"an exponent, not whole", "PATCH", exp, `{"traffic_bp":1e-3}`, "invalid_json", "traffic_bp", "whole number"},
		{"too large", "PATCH", exp, `{"traffic_bp":99999999999999999999}`, "invalid_json", "traffic_bp", "too large"},
		{"too large a float", "PATCH", exp, `{"threshold":1e400}`, "invalid_json", "threshold", "too large"},
		{"a string for a number", "PATCH", exp, `{"traffic_bp":"50"}`, "invalid_json", "traffic_bp", "must be a number"},
		{"a nested wrong type", "POST", exp + "/generate", `{"brief":{"must_say":"x"}}`, "invalid_json", "brief.must_say", "must be a list"},
		{"an unknown nested field", "POST", exp + "/generate", `{"brief":{"foo":1}}`, "unknown_field", "brief.foo", `"brief.foo"`},
		{"an unknown field in a list", "POST", "/api/v1/experiments", `{"site_id":"` + site.ID + `","variants":[{"text":"a"},{"txt":"b"}]}`, "unknown_field", "variants[1].txt", `"variants[1].txt" is not part of this API (names are matched exactly); here it takes key, text or weight_bp.`},
		{"an unknown field of the goal", "POST", "/api/v1/experiments", `{"site_id":"` + site.ID + `","goal":{"type":"click","value":"#buy"}}`, "unknown_field", "goal.value",
			`here it takes type, selector, url or name.`},
		{"two values", "POST", "/api/v1/sites", `{"name":"a","domain":"example.com"} {}`, "invalid_json", "", "exactly one JSON object"},
		{"empty", "POST", "/api/v1/sites", ` `, "invalid_json", "", "empty"},
		{"cut short", "POST", "/api/v1/sites", `{"name":`, "invalid_json", "", "not valid JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := e.api(tt.method, tt.path, tok, tt.body)
			wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(out))
			code, field := errorShape(t, out)
			if code != tt.code || field != tt.field {
				t.Errorf("code %s field %q", code, field)
			}
			msg := out["error"].(map[string]any)["message"].(string)
			wantContains(t, msg, tt.says)
			wantNotContains(t, msg, `field ""`)
		})
	}

	// The same bodies are refused by POST /e with the same code.
	for _, body := range []string{`{"site":"a","site":"b","visitor":"v","events":[]}`, "{\"site\":\"\xff\",\"visitor\":\"v\",\"events\":[]}"} {
		resp := e.postEvents(body)
		out := readBody(t, resp)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out, `"invalid_json"`) {
			t.Errorf("POST /e %q: %d %s", body, resp.StatusCode, out)
		}
	}

	t.Run("well-formed bodies still pass", func(t *testing.T) {
		resp, out := e.api("POST", "/api/v1/sites", tok, "  {\"name\":\"Café\",\"domain\":\"example.org\"}\n")
		wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
		if out["name"] != "Café" {
			t.Errorf("name %v", out["name"])
		}
		resp, out = e.api("PATCH", exp, tok, `{"traffic_bp":5000,"threshold":0.05,"name":null}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if out["traffic_bp"] != float64(5000) || out["name"] != "Hero" {
			t.Errorf("answer %v", out)
		}
	})
}

// A PATCH of traffic_bp changes the tag at once, as every other change
// does: the cache of rendered tags is dropped.
func TestAPIExperimentPatchRenewsTag(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site, x := e.runningExperiment()
	tag := func() string {
		resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js", nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
		return body
	}
	before := tag()
	resp, _ := e.api(http.MethodPatch, "/api/v1/experiments/"+x.ID, tok, `{"traffic_bp":2500}`)
	wantStatus(t, resp, http.StatusOK, "")
	if after := tag(); after == before || !strings.Contains(after, "2500") {
		t.Error("the tag still carries the old traffic share after the PATCH")
	}
}

// A draft that is all but the same as copy the experiment has (case and
// punctuation aside) is dropped, as drafts of one answer are among
// themselves, with the copy it repeats named.
func TestAPIGenerateDropsNearRepeats(t *testing.T) {
	llm := newFakeLLM(t) // its first draft: "Plan every launch in one calm place"
	e := newEnv(t, WithGenerator(llm.generator(10*time.Second)))
	tok := e.token("api@example.com")
	site := e.site("Marketing")
	resp, out := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Hero","page":"/","selector":"h1",
		"goal":{"type":"event","name":"signup"},"brief":{"goal":"Get teams to sign up","audience":"agencies"},
		"variants":[{"key":"control","text":"Ship faster with fewer meetings"},{"key":"b","text":"plan every launch in one calm place!"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	id := out["id"].(string)

	resp, out = e.api("POST", "/api/v1/experiments/"+id+"/generate", tok, `{"n":2}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	for _, v := range out["variants"].([]any) {
		if text := v.(map[string]any)["text"].(string); strings.EqualFold(strings.TrimSuffix(text, "!"), "plan every launch in one calm place") {
			t.Errorf("a near repeat of variant b was added: %q", text)
		}
	}
	found := false
	for _, d := range out["dropped"].([]any) {
		found = found || strings.Contains(d.(map[string]any)["reason"].(string), "all but the same text: “plan every launch in one calm place!”")
	}
	if !found {
		t.Errorf("dropped %v: want the near repeat, naming variant b's copy", out["dropped"])
	}
}

// PATCHes of different fields at once all land: none puts back a value
// another changed meanwhile (each is applied to the experiment as it is
// when written).
func TestAPIExperimentPatchesDoNotUndoEachOther(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site, x := e.runningExperiment()
	_ = site
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := fmt.Sprintf(`{"name":"Hero %d"}`, i)
			if i%2 == 1 {
				body = `{"traffic_bp":2500}`
			}
			resp, out := e.api(http.MethodPatch, "/api/v1/experiments/"+x.ID, tok, body)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("PATCH %s: %d %v", body, resp.StatusCode, out)
			}
		}(i)
	}
	wg.Wait()
	got, err := e.store.Experiment(t.Context(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CoverageBP != 2500 {
		t.Errorf("traffic %d after every traffic PATCH set 2500: a name PATCH put the old share back", got.CoverageBP)
	}
	// Nor for a moment: the history has the one change of share, none back.
	history, err := e.store.History(t.Context(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	changes := 0
	for _, h := range history {
		changes += strings.Count(h.Detail, "Traffic share changed")
	}
	if changes != 1 {
		t.Errorf("%d changes of traffic share in the history, want 1 (a PATCH undid another)", changes)
	}
}

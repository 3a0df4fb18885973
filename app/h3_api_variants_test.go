package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// variantsOf is the key:weight list of an experiment answer, in order:
// "control:5000,b:5000".
func variantsOf(t *testing.T, out map[string]any) string {
	t.Helper()
	vs, ok := out["variants"].([]any)
	if !ok {
		t.Fatalf("no variants in %v", out)
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		m := v.(map[string]any)
		parts[i] = fmt.Sprintf("%v:%v", m["key"], m["weight_bp"])
	}
	return strings.Join(parts, ",")
}

// TestH3APIVariantRemoveAndAdd: through the API a draft's copy can be
// removed (DELETE …/variants/{key}) and a person's own added (POST
// …/variants), with the weights the edit form gives: an equal split is
// split equally again; a split set by hand keeps its figures, so a
// removal that would leave it short of 100%, or an addition that would
// get nothing, is refused and says how to go on. The control and a
// started test's copy stay.
func TestH3APIVariantRemoveAndAdd(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "Second", "Third")
	api := "/api/v1/experiments/" + x.ID

	resp, out := e.api("DELETE", api+"/variants/c", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if got := variantsOf(t, out); got != "control:5000,b:5000" {
		t.Errorf("after removing c: %s", got)
	}

	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"remove the control", "DELETE", api + "/variants/control", "", 409, "control_required", ""},
		{"remove an unknown key", "DELETE", api + "/variants/zz", "", 404, "unknown_variant", ""},
		{"remove with a body", "DELETE", api + "/variants/b", `{"x":1}`, 400, "unknown_field", "x"},
		{"add HTML", "POST", api + "/variants", `{"text":"<b>x</b>"}`, 422, "invalid_text", "text"},
		{"add no text", "POST", api + "/variants", `{}`, 422, "invalid_text", "text"},
		{"add the same copy", "POST", api + "/variants", `{"text":"Second"}`, 422, "duplicate_text", "text"},
		{"add a held key", "POST", api + "/variants", `{"key":"b","text":"New"}`, 422, "duplicate_key", "key"},
		{"add a removed key", "POST", api + "/variants", `{"key":"c","text":"New"}`, 422, "key_used", "key"},
		{"add a bad key", "POST", api + "/variants", `{"key":"Has Space","text":"New"}`, 422, "invalid_key", "key"},
		{"add a bad weight", "POST", api + "/variants", `{"text":"New","weight_bp":10001}`, 422, "out_of_range", "weight_bp"},
		{"add to nothing", "POST", "/api/v1/experiments/nope/variants", `{"text":"New"}`, 404, "not_found", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := e.api(tc.method, tc.path, tok, tc.body)
			wantStatus(t, resp, tc.status, fmt.Sprint(out))
			if code, field := errorShape(t, out); code != tc.code || field != tc.field {
				t.Errorf("code %s field %q, want %s %q", code, field, tc.code, tc.field)
			}
		})
	}

	// Added without a key: the next one after every key the draft gave
	// (c was removed, so d), typed by a person, the split equal again.
	resp, out = e.api("POST", api+"/variants", tok, `{"text":"Fourth"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if got := variantsOf(t, out); got != "control:3334,b:3333,d:3333" {
		t.Errorf("after adding: %s", got)
	}
	if loc := resp.Header.Get("Location"); loc != api+"/variants/d" {
		t.Errorf("Location %q", loc)
	}
	if d := out["variants"].([]any)[2].(map[string]any); d["source"] != experiments.SourceHuman || d["text"] != "Fourth" {
		t.Errorf("added %v", d)
	}
	// With a key and a weight: the others share the rest as an equal split would.
	resp, out = e.api("POST", api+"/variants", tok, `{"key":"promo","text":"Fifth","weight_bp":4000}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if got := variantsOf(t, out); got != "control:2000,b:2000,d:2000,promo:4000" {
		t.Errorf("after adding with a weight: %s", got)
	}

	// The split is now set by hand: removing a variant with a share would
	// leave it short of 100%, which the edit form refuses too.
	resp, out = e.api("DELETE", api+"/variants/promo", tok, "")
	wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
	if code, _ := errorShape(t, out); code != "custom_split" {
		t.Errorf("code %s", code)
	}
	wantContains(t, out["error"].(map[string]any)["message"].(string), `PATCH `+api+`/variants/promo {"weight_bp":0}`)
	// Adding without a weight would give the new copy nothing.
	resp, out = e.api("POST", api+"/variants", tok, `{"text":"Sixth"}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field := errorShape(t, out); code != "weight_required" || field != "weight_bp" {
		t.Errorf("code %s field %s", code, field)
	}
	// Its share at 0 first, then it goes and the others keep theirs.
	resp, out = e.api("PATCH", api+"/variants/promo", tok, `{"weight_bp":0}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	before := variantsOf(t, out)
	resp, out = e.api("DELETE", api+"/variants/promo", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if got := variantsOf(t, out); got+",promo:0" != before {
		t.Errorf("after removing a 0%% variant: %s (before %s)", got, before)
	}
	// With a weight, a split set by hand makes room in proportion, as
	// PATCH …/variants/{key} does.
	resp, out = e.api("POST", api+"/variants", tok, `{"text":"Sixth","weight_bp":5000}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if got := variantsOf(t, out); got != "control:1666,b:1666,d:1668,e:5000" {
		t.Errorf("after adding to a custom split: %s", got)
	}

	// Down to the control alone: a draft may hold only it (as create
	// allows), and start asks for a variant.
	for _, k := range []string{"b", "d", "e"} {
		resp, out = e.api("PATCH", api+"/variants/"+k, tok, `{"weight_bp":0}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		resp, out = e.api("DELETE", api+"/variants/"+k, tok, "")
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	}
	if got := variantsOf(t, out); got != "control:10000" {
		t.Errorf("the control alone: %s", got)
	}
	resp, out = e.api("POST", api+"/variants", tok, `{"text":"Back again"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if got := variantsOf(t, out); got != "control:5000,f:5000" {
		t.Errorf("after adding to the control alone: %s", got)
	}

	// The history says what changed.
	resp, out = e.api("GET", api+"/history", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	wantContains(t, fmt.Sprint(out), "Variant C", "Variant D")

	// Started, the copy stays.
	resp, out = e.api("POST", api+"/start", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	for _, req := range [][3]string{{"DELETE", api + "/variants/f", ""}, {"POST", api + "/variants", `{"text":"Late"}`}} {
		resp, out = e.api(req[0], req[1], tok, req[2])
		wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
		if code, _ := errorShape(t, out); code != "experiment_started" {
			t.Errorf("%s %s: code %s", req[0], req[1], code)
		}
		wantContains(t, out["error"].(map[string]any)["message"].(string), api+"/duplicate")
	}
}

// TestH3APIDraftPagePatch: a draft's page, element and goal change with
// PATCH, checked as create checks them (a pasted address trimmed, with
// its warning; a goal member of another type refused); a started test's
// stay (field_not_editable).
func TestH3APIDraftPagePatch(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	api := "/api/v1/experiments/" + x.ID

	resp, out := e.api("PATCH", api, tok, `{"page":"https://example.com/plans?utm_source=news","selector":"h2.title","goal":{"type":"event","name":"signup"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if out["page"] != "/plans" || out["selector"] != "h2.title" || fmt.Sprint(out["goal"]) != "map[name:signup type:event]" {
		t.Errorf("patched %v %v %v", out["page"], out["selector"], out["goal"])
	}
	if w := fmt.Sprint(out["warnings"]); !strings.Contains(w, "tracking_left_out") {
		t.Errorf("warnings %s", w)
	}
	resp, out = e.api("GET", api+"/history", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	wantContains(t, fmt.Sprint(out), "/plans", "h2.title")

	for _, tc := range []struct {
		name, body, code, field string
	}{
		{"a page without a slash", `{"page":"plans"}`, "invalid_page", "page"},
		{"an empty selector", `{"selector":""}`, "invalid_selector", "selector"},
		{"a goal member of another type", `{"goal":{"type":"event","name":"signup","selector":"#x"}}`, "invalid_goal", "goal.selector"},
		{"a goal without its value", `{"goal":{"type":"click"}}`, "invalid_goal", "goal"},
		{"a goal of no type", `{"goal":{"type":"hover","selector":"#x"}}`, "invalid_goal", "goal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := e.api("PATCH", api, tok, tc.body)
			wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
			if code, field := errorShape(t, out); code != tc.code || field != tc.field {
				t.Errorf("code %s field %s, want %s %s", code, field, tc.code, tc.field)
			}
		})
	}
	if now, _ := e.store.Experiment(t.Context(), x.ID); now.Page != "/plans" || now.Selector != "h2.title" {
		t.Errorf("refused patches changed it: %q %q", now.Page, now.Selector)
	}

	e.transition(x.ID, experiments.ActionStart)
	resp, out = e.api("PATCH", api, tok, `{"page":"/other"}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field := errorShape(t, out); code != "field_not_editable" || field != "page" {
		t.Errorf("started: code %s field %s", code, field)
	}
}

// TestH3APIVariantErrorFields: an error names a member of the request it
// answers: the variant PATCH's text or weight_bp, and the create's
// variants for a split that does not add up.
func TestH3APIVariantErrorFields(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "Second", "Third")
	api := "/api/v1/experiments/" + x.ID
	for _, tc := range []struct {
		name, path, body, code, field, says string
	}{
		{"HTML", api + "/variants/c", `{"text":"<b>x</b>"}`, "invalid_text", "text", "plain text"},
		{"the same as a later one", api + "/variants/b", `{"text":"Third"}`, "duplicate_text", "text", "Variant C"},
		{"the same as an earlier one", api + "/variants/c", `{"text":"Second"}`, "duplicate_text", "text", "Variant B"},
		{"the same as the original", api + "/variants/c", `{"text":"Original headline"}`, "duplicate_text", "text", "the original"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := e.api("PATCH", tc.path, tok, tc.body)
			wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
			if code, field := errorShape(t, out); code != tc.code || field != tc.field {
				t.Errorf("code %s field %s, want %s %s", code, field, tc.code, tc.field)
			}
			wantContains(t, out["error"].(map[string]any)["message"].(string), tc.says)
		})
	}

	resp, out := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Hero 2","page":"/","selector":"h2",
		"goal":{"type":"click","selector":"#buy"},"variants":[{"text":"A","weight_bp":1000},{"text":"B","weight_bp":2000}]}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field := errorShape(t, out); code != "weights_sum" || field != "variants" {
		t.Errorf("create: code %s field %s", code, field)
	}
}

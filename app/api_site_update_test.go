package app

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestAPISiteUpdate: PATCH /api/v1/sites/{id} renames a site or moves
// it to another domain, as the site's settings form does, and answers
// the site as GET does. Each of name and domain may be left out; what is
// left out stays.
func TestAPISiteUpdate(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	path := "/api/v1/sites/" + site.ID
	for _, tc := range []struct {
		name, body string
		wantName   string
		wantDomain string
	}{
		{"the name", `{"name":"  Shop, renamed "}`, "Shop, renamed", "example.com"},
		{"the domain, pasted as an address", `{"domain":"https://Shop.Example:443/pricing?utm_source=x"}`, "Shop, renamed", "shop.example"},
		{"both", `{"name":"Bücher","domain":"bücher.example:8080"}`, "Bücher", "xn--bcher-kva.example:8080"},
		{"the domain as the form shows it, kept", `{"domain":"bücher.example:8080"}`, "Bücher", "xn--bcher-kva.example:8080"},
		{"null is left out", `{"name":null,"domain":null}`, "Bücher", "xn--bcher-kva.example:8080"},
		{"nothing", `{}`, "Bücher", "xn--bcher-kva.example:8080"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := e.api(http.MethodPatch, path, tok, tc.body)
			wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
			if out["name"] != tc.wantName || out["domain"] != tc.wantDomain || out["id"] != site.ID || out["key"] != site.Key {
				t.Errorf("answer %v", out)
			}
			_, got := e.api(http.MethodGet, path, tok, "")
			if !reflect.DeepEqual(out, got) {
				t.Errorf("PATCH answered\n%v\nGET answers\n%v", out, got)
			}
		})
	}
}

// TestAPISiteUpdateRefusals: PATCH /api/v1/sites/{id} refuses what POST
// refuses, with its codes and words; refuses the fields it does not
// change as PATCH of an experiment does (unknown ones 400 unknown_field,
// the site's others 422 field_not_editable), saving nothing; answers 404
// for a site that is not there, and asks for a token like every call.
func TestAPISiteUpdateRefusals(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	path := "/api/v1/sites/" + site.ID
	unchanged := func(t *testing.T) {
		t.Helper()
		s, err := e.store.Site(t.Context(), site.ID)
		if err != nil || s.Name != "Shop" || s.Domain != "example.com" {
			t.Errorf("saved: %q %q (%v)", s.Name, s.Domain, err)
		}
	}

	// The same problems as POST /api/v1/sites, told the same way.
	for _, tc := range []struct{ name, body, create string }{
		{"no name", `{"name":"  "}`, `{"name":"  ","domain":"other.example"}`},
		{"a name too long", `{"name":"` + strings.Repeat("n", 200) + `"}`, `{"name":"` + strings.Repeat("n", 200) + `","domain":"other.example"}`},
		{"no domain", `{"domain":""}`, `{"name":"Other","domain":""}`},
		{"a domain with a space", `{"domain":"shop example"}`, `{"name":"Other","domain":"shop example"}`},
		{"a port out of range", `{"domain":"shop.example:70000"}`, `{"name":"Other","domain":"shop.example:70000"}`},
		{"both wrong", `{"name":"","domain":"a b"}`, `{"name":"","domain":"a b"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			presp, post := e.api(http.MethodPost, "/api/v1/sites", tok, tc.create)
			wantStatus(t, presp, http.StatusUnprocessableEntity, fmt.Sprint(post))
			resp, out := e.api(http.MethodPatch, path, tok, tc.body)
			wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
			if !reflect.DeepEqual(out, post) {
				t.Errorf("PATCH says\n%v\nPOST says\n%v", out, post)
			}
			unchanged(t)
		})
	}

	for _, tc := range []struct {
		name, body  string
		status      int
		code, field string
	}{
		{"a field it does not know", `{"name":"New","brand_voice":"Warm"}`, http.StatusBadRequest, "unknown_field", "brand_voice"},
		{"a misspelt one", `{"Name":"New"}`, http.StatusBadRequest, "unknown_field", "Name"},
		{"the key", `{"name":"New","key":"abc"}`, http.StatusUnprocessableEntity, "field_not_editable", "key"},
		{"the id", `{"id":"x"}`, http.StatusUnprocessableEntity, "field_not_editable", "id"},
		{"the snippet", `{"snippet":"<script></script>"}`, http.StatusUnprocessableEntity, "field_not_editable", "snippet"},
		{"created_at", `{"created_at":"2020-01-01T00:00:00.000Z"}`, http.StatusUnprocessableEntity, "field_not_editable", "created_at"},
		{"a name that is not text", `{"name":5}`, http.StatusBadRequest, "invalid_json", "name"},
		{"no body", ``, http.StatusBadRequest, "invalid_json", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := e.api(http.MethodPatch, path, tok, tc.body)
			wantStatus(t, resp, tc.status, fmt.Sprint(out))
			if code, field := errorShape(t, out); code != tc.code || field != tc.field {
				t.Errorf("%s on %q, want %s on %q: %v", code, field, tc.code, tc.field, out)
			}
			unchanged(t)
		})
	}

	t.Run("every read-only field at once", func(t *testing.T) {
		resp, out := e.api(http.MethodPatch, path, tok, `{"key":"k","snippet_url":"u","name":"New"}`)
		wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
		errs, _ := out["errors"].([]any)
		if len(errs) != 2 {
			t.Fatalf("errors %v", out)
		}
		for i, want := range []string{"key", "snippet_url"} {
			f := errs[i].(map[string]any)
			if f["field"] != want || f["code"] != "field_not_editable" || !strings.Contains(fmt.Sprint(f["message"]), "name and domain") {
				t.Errorf("error %d: %v", i, f)
			}
		}
		unchanged(t)
	})

	t.Run("an unknown site", func(t *testing.T) {
		resp, out := e.api(http.MethodPatch, "/api/v1/sites/nope", tok, `{"name":"New"}`)
		wantStatus(t, resp, http.StatusNotFound, fmt.Sprint(out))
		if code, _ := errorShape(t, out); code != "not_found" {
			t.Errorf("code %q", code)
		}
	})
	t.Run("without a token", func(t *testing.T) {
		resp, out := e.api(http.MethodPatch, path, "", `{"name":"New"}`)
		wantStatus(t, resp, http.StatusUnauthorized, fmt.Sprint(out))
		unchanged(t)
	})
	t.Run("with a session cookie and no token", func(t *testing.T) {
		c := e.signIn("ann@example.com")
		req := newRequest(http.MethodPatch, path, strings.NewReader(`{"name":"New"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, body := c.send(req)
		wantStatus(t, resp, http.StatusUnauthorized, body)
		unchanged(t)
	})
	t.Run("not JSON", func(t *testing.T) {
		req := newRequest(http.MethodPatch, path, strings.NewReader(`name=New`))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp := e.do(req)
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusUnsupportedMediaType, body)
		unchanged(t)
	})
	t.Run("PUT lists PATCH in Allow", func(t *testing.T) {
		resp, out := e.api(http.MethodPut, path, tok, `{"name":"New"}`)
		wantStatus(t, resp, http.StatusMethodNotAllowed, fmt.Sprint(out))
		if allow := resp.Header.Get("Allow"); !strings.Contains(allow, "PATCH") {
			t.Errorf("Allow: %s", allow)
		}
	})
}

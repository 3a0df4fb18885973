package app

import (
	"net/http"
	"testing"
)

// bom is the UTF-8 byte-order mark Windows PowerShell writes before the
// JSON it sends (Invoke-RestMethod with a body read from a file, or
// encoded with [Text.Encoding]::UTF8).
const bom = "\xEF\xBB\xBF"

// TestAPIBodyByteOrderMark: a JSON body that starts with a UTF-8
// byte-order mark is read as the body after it, in every call that takes
// a body and in those that take none. It used to be refused, 400
// invalid_json "The body must be a JSON object, {…}.", which a person
// looking at their JSON could not see the cause of. A mark anywhere
// else is still not JSON.
func TestAPIBodyByteOrderMark(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")

	resp, out := e.api(http.MethodPost, "/api/v1/sites", tok, bom+`{"name":"Shop","domain":"shop.example"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create with a BOM: status %d (%v)", resp.StatusCode, out)
	}
	site, _ := out["id"].(string)

	resp, out = e.api(http.MethodPatch, "/api/v1/sites/"+site, tok, bom+` {"name":"Shop two"}`)
	if resp.StatusCode != http.StatusOK || out["name"] != "Shop two" {
		t.Errorf("update with a BOM: status %d (%v)", resp.StatusCode, out)
	}

	x := e.experiment(site, "Hero")
	for _, body := range []string{bom + "{}", bom} {
		resp, out = e.api(http.MethodPost, "/api/v1/experiments/"+x.ID+"/start", tok, body)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("start with %q: status %d (%v)", body, resp.StatusCode, out)
		}
		e.transition(x.ID, "pause")
		resp, out = e.api(http.MethodPost, "/api/v1/experiments/"+x.ID+"/resume", tok, body)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("resume with %q: status %d (%v)", body, resp.StatusCode, out)
		}
		x = e.transition(e.experiment(site, "Hero "+itoa(len(body))).ID, "start")
		e.transition(x.ID, "pause")
		x = e.experiment(site, "Next "+itoa(len(body)))
	}

	// The calls that read the raw body again after decoding it read it
	// without the mark too: a click goal's url (a page-view goal's member)
	// is refused with or without one.
	create := `{"site_id":"` + site + `","name":"Goal","page":"/","selector":"h1","goal":{"type":"click","selector":"#buy","url":"/thanks"}}`
	for _, body := range []string{create, bom + create} {
		resp, out = e.api(http.MethodPost, "/api/v1/experiments", tok, body)
		errs, _ := out["errors"].([]any)
		first, _ := func() (map[string]any, bool) {
			if len(errs) == 0 {
				return nil, false
			}
			m, ok := errs[0].(map[string]any)
			return m, ok
		}()
		if resp.StatusCode != http.StatusUnprocessableEntity || first["field"] != "goal.url" {
			t.Errorf("create with %.3q…: status %d, want 422 on goal.url (%v)", body, resp.StatusCode, out)
		}
	}

	// Only a leading mark is the encoding's: twice, or inside, it is text.
	for _, body := range []string{bom + bom + `{"name":"Shop","domain":"a.example"}`, `{"name":"Shop",` + bom + `"domain":"a.example"}`} {
		resp, out = e.api(http.MethodPost, "/api/v1/sites", tok, body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400 (%v)", body, resp.StatusCode, out)
		}
	}
}

package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestPastedAddressKeptQuery: a pasted address whose tracking part was
// left out but whose own query stayed (?plan=pro) was said to run "for
// every visitor", though the kept query limits the test to addresses
// that carry it, and when the address was also on another host the
// message named the page twice. The form's message and the API's
// warnings say the same sentences.
func TestPastedAddressKeptQuery(t *testing.T) {
	const pasted = "https://other.example/pricing?utm_source=x&gclid=1&plan=pro"
	want := []string{
		"Left out the tracking part of the address (?utm_source=…&gclid=…): the test runs on /pricing?plan=pro, and only where the address has plan=pro.",
		"The pasted address is on other.example, not on example.com, the site’s domain: the test runs on that page wherever the site’s tag is loaded.",
	}

	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop") // example.com
	c.get("/experiments/new")
	flash := flashText(flashAfter(t, c, "/experiments", pastedForm(site.ID, pasted, "/thanks")))
	if w := "Draft saved. " + strings.Join(want, " "); !strings.HasPrefix(flash, w) {
		t.Errorf("flash %q\nwant it to start %q", flash, w)
	}
	if strings.Contains(flash, "for every visitor") {
		t.Errorf("flash %q: the kept query limits the test", flash)
	}

	token := e.token("api@example.com")
	resp, out := e.api("POST", "/api/v1/experiments", token, `{"site_id":"`+site.ID+`","name":"Hero",`+
		`"page":"`+pasted+`","selector":"h1","goal":{"type":"click","selector":"#buy"},`+
		`"variants":[{"key":"control","text":"Old"},{"key":"b","text":"New"}]}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %v, want 201", resp.StatusCode, out)
	}
	ws, _ := out["warnings"].([]any)
	var got []string
	for _, w := range ws {
		m, _ := w.(map[string]any)
		got = append(got, m["message"].(string))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

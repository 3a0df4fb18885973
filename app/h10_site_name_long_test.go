package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestSiteNameOverLimitRefused: a site name over 120 characters, on the
// add-site form or the site's settings, is refused beside the field with
// what was typed kept, as the domain and brand voice over theirs are,
// rather than cut: the forms give the input no maxlength, with which a
// browser silently drops what is typed or pasted past it (a 200-character
// name saved as its first 120, with no word said). 120 is still taken.
// The API refuses the same name, 422 too_long on name.
func TestSiteNameOverLimitRefused(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	tok := e.token("api@example.com")
	site := e.site("Shop")
	long := "Marketing site of the growth team, " + strings.Repeat("é", experiments.MaxNameLen-35+1)
	if n := len([]rune(long)); n != experiments.MaxNameLen+1 {
		t.Fatalf("long is %d characters", n)
	}
	fits := []rune(long)[:experiments.MaxNameLen]

	// nameInput is the name input of the form posting to action.
	nameInput := func(t *testing.T, body, action string) *xhtml.Node {
		t.Helper()
		forms := findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "form" && attrOf(n, "action") == action })
		if len(forms) != 1 {
			t.Fatalf("%d forms posting to %s", len(forms), action)
		}
		inputs := findAll(forms[0], func(n *xhtml.Node) bool { return n.Data == "input" && attrOf(n, "name") == "name" })
		if len(inputs) != 1 {
			t.Fatalf("%d name inputs in the form posting to %s", len(inputs), action)
		}
		return inputs[0]
	}
	for _, tc := range []struct {
		name, page, action string
		form               url.Values
		stored             func() string
	}{
		{"add site", "/sites", "/sites", url.Values{"domain": {"growth.example.com"}}, func() string {
			xs, err := e.store.Sites(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, x := range xs {
				if x.Domain == "growth.example.com" {
					names = append(names, x.Name)
				}
			}
			return strings.Join(names, ",")
		}},
		{"settings", "/sites/" + site.ID, "/sites/" + site.ID + "/settings#settings",
			url.Values{"domain": {"example.com"}, "hide_timeout_ms": {"1000"}}, func() string {
				x, err := e.store.Site(t.Context(), site.ID)
				if err != nil {
					t.Fatal(err)
				}
				return x.Name
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := c.get(tc.page)
			if ml := attrOf(nameInput(t, body, tc.action), "maxlength"); ml != "" {
				t.Errorf("the name input has maxlength %s: a browser cuts a longer name without a word", ml)
			}
			before := tc.stored()
			form := url.Values{}
			for k, v := range tc.form {
				form[k] = v
			}
			form.Set("name", long)
			resp, body := c.post(strings.TrimSuffix(tc.action, "#settings"), form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			in := nameInput(t, body, tc.action)
			if got := attrOf(in, "value"); got != long {
				t.Errorf("value %q, want what was typed", got)
			}
			errs := findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
				return strings.Contains(" "+attrOf(in, "aria-describedby")+" ", " "+attrOf(n, "id")+" ") && hasClass("field-error")(n)
			})
			if attrOf(in, "aria-invalid") != "true" || len(errs) != 1 || !strings.Contains(textOf(errs[0]), "120 characters") {
				t.Errorf("no message beside the name: aria-invalid %q, %d errors", attrOf(in, "aria-invalid"), len(errs))
			}
			if got := tc.stored(); got != before {
				t.Errorf("saved: %q, was %q", got, before)
			}
			form.Set("name", string(fits))
			resp, body = c.post(strings.TrimSuffix(tc.action, "#settings"), form)
			wantStatus(t, resp, http.StatusSeeOther, body)
			if got := tc.stored(); got != string(fits) {
				t.Errorf("120 characters: saved %q", got)
			}
		})
	}
	t.Run("api", func(t *testing.T) {
		for _, req := range []struct{ method, path, body string }{
			{"POST", "/api/v1/sites", fmt.Sprintf(`{"name": %q, "domain": "api.example.com"}`, long)},
			{"PATCH", "/api/v1/sites/" + site.ID, fmt.Sprintf(`{"name": %q}`, long)},
		} {
			resp, out := e.api(req.method, req.path, tok, req.body)
			wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
			if code, field := errorShape(t, out); code != "too_long" || field != "name" {
				t.Errorf("%s %s: %s on %s, want too_long on name", req.method, req.path, code, field)
			}
		}
	})
}

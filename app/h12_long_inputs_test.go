package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// h12Input is the one input named name in the form posting to action
// on the page body.
func h12Input(t *testing.T, body, action, name string) *xhtml.Node {
	t.Helper()
	var inputs []*xhtml.Node
	for _, f := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "form" && attrOf(n, "action") == action }) {
		inputs = append(inputs, findAll(f, func(n *xhtml.Node) bool { return n.Data == "input" && attrOf(n, "name") == name })...)
	}
	if len(inputs) != 1 {
		t.Fatalf("%d inputs %s in the forms posting to %s", len(inputs), name, action)
	}
	return inputs[0]
}

// TestLongInputsRefusedNotCut: the experiment's name (on the New form
// and the edit form), an API token's name, a site's webhook URL and its
// recording link template give their inputs no maxlength, with which a
// browser drops what is typed or pasted past it without a word: a name
// saved as its first 120 characters, a webhook URL or a link template
// cut into one that leads nowhere. The server refuses each over-long
// value instead, 422, with a message beside the field and what was typed
// kept, and saves nothing, as it does for a site's name (91380df).
func TestLongInputsRefusedNotCut(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	ctx := context.Background()
	longName := "Pricing headline for the spring sale, " + strings.Repeat("é", experiments.MaxNameLen)
	x := e.experiment(site.ID, "Hero")
	user, _, err := e.store.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	count := func() string {
		xs, err := e.store.Experiments(ctx, experiments.ExperimentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(len(xs))
	}
	newForm := url.Values{"op": {"save"}, "site_id": {site.ID}, "name": {longName}, "page": {"/pricing"}, "selector": {"#h1"},
		"goal_type": {"click"}, "goal_selector": {"#buy"}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Plan your week"}, "variants[1].key": {""}, "variants[1].text": {"Your week, planned"}}
	edit := editFormOf(x)
	edit.Set("name", longName)
	for _, tc := range []struct {
		name, page, action, post, field string
		form                            url.Values
		says                            string
		stored                          func() string
	}{
		{"new experiment", "/experiments/new", "/experiments", "/experiments", "name", newForm, "120 characters", count},
		{"edit experiment", "/experiments/" + x.ID + "/edit", "/experiments/" + x.ID + "/edit", "/experiments/" + x.ID + "/edit", "name", edit,
			"120 characters", func() string { return h1Stored(t, e, x.ID).Name }},
		{"token name", "/settings", "/settings/tokens", "/settings/tokens", "name", url.Values{"name": {longName}, "access": {"read"}},
			"120 characters", func() string {
				ts, err := e.store.APITokens(ctx, user.ID)
				if err != nil {
					t.Fatal(err)
				}
				return fmt.Sprint(len(ts))
			}},
		{"webhook URL", "/sites/" + site.ID, "/sites/" + site.ID + "/notifications", "/sites/" + site.ID + "/notifications", "webhook_url",
			url.Values{"webhook_url": {"https://hooks.slack.com/services/" + strings.Repeat("T0", experiments.MaxWebhookURLLen/2)}},
			"2000 bytes", func() string {
				s, err := e.store.Site(ctx, site.ID)
				if err != nil {
					t.Fatal(err)
				}
				return s.WebhookURL
			}},
		{"recording link template", "/sites/" + site.ID, "/sites/" + site.ID + "/recorders#recorders", "/sites/" + site.ID + "/recorders", "custom",
			url.Values{"custom": {"https://replay.example.com/sessions/{session_id}?from=" + strings.Repeat("x", 1024)}},
			"1024 bytes", func() string {
				s, err := e.store.SiteRecorders(ctx, site.ID)
				if err != nil {
					t.Fatal(err)
				}
				return s.Custom
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := c.get(tc.page)
			if ml := attrOf(h12Input(t, body, tc.action, tc.field), "maxlength"); ml != "" {
				t.Errorf("the input has maxlength %s: a browser cuts a longer value without a word", ml)
			}
			before := tc.stored()
			typed := tc.form.Get(tc.field)
			resp, body := c.post(tc.post, tc.form)
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			in := h12Input(t, body, tc.action, tc.field)
			if got := attrOf(in, "value"); got != typed {
				t.Errorf("value %d characters, want the %d typed", len([]rune(got)), len([]rune(typed)))
			}
			errs := findAll(parseHTML(t, body), func(n *xhtml.Node) bool {
				return attrOf(n, "id") != "" && strings.Contains(" "+attrOf(in, "aria-describedby")+" ", " "+attrOf(n, "id")+" ") && hasClass("field-error")(n)
			})
			if attrOf(in, "aria-invalid") != "true" || len(errs) != 1 || !strings.Contains(textOf(errs[0]), tc.says) {
				t.Errorf("no message saying %q beside the field: aria-invalid %q, %d errors", tc.says, attrOf(in, "aria-invalid"), len(errs))
			}
			if got := tc.stored(); got != before {
				t.Errorf("saved: %.80q, was %.80q", got, before)
			}
		})
	}
}

package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestSettingsTokenWording: what Settings says about API tokens beside the
// password form and Sign out all other browsers matches what the forms do.
// The password card's sentence holds whether its revoke box is ticked (at
// first) or not (the form back with a problem), and the sign-out question
// mentions tokens when its box can revoke them; with no tokens neither says
// a word about them.
func TestSettingsTokenWording(t *testing.T) {
	const ask = "Sign out every browser but this one?"
	tests := []struct {
		name      string
		tokens    int
		untick    bool // the password form came back with its box unticked
		intro     string
		confirm   string
		boxTicked bool
	}{
		{name: "no tokens", tokens: 0,
			intro:   "Changing it signs you out of every other browser.",
			confirm: ask},
		{name: "one token", tokens: 1, boxTicked: true,
			intro:   "Changing it signs you out of every other browser, and revokes your API token if the box below is ticked.",
			confirm: ask + " Your API token is revoked too if you ticked the box."},
		{name: "two tokens", tokens: 2, boxTicked: true,
			intro:   "Changing it signs you out of every other browser, and revokes your 2 API tokens if the box below is ticked.",
			confirm: ask + " Your 2 API tokens are revoked too if you ticked the box."},
		{name: "two tokens, box left unticked", tokens: 2, untick: true,
			intro:   "Changing it signs you out of every other browser, and revokes your 2 API tokens if the box below is ticked.",
			confirm: ask + " Your 2 API tokens are revoked too if you ticked the box."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ana@example.com")
			for i := range tc.tokens {
				if _, err := CreateToken(context.Background(), e.store, "ana@example.com", fmt.Sprintf("script %d", i)); err != nil {
					t.Fatal(err)
				}
			}
			resp, body := c.get("/settings")
			wantStatus(t, resp, http.StatusOK, body)
			if tc.untick {
				resp, body = c.post("/settings/password", url.Values{"current_password": {"wrong one"},
					"password": {"a brand new passphrase"}, "password2": {"a brand new passphrase"}})
				wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			}
			doc := parseHTML(t, body)

			card := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == "password" })
			if len(card) != 1 {
				t.Fatalf("%d password cards", len(card))
			}
			helps := findAll(card[0], hasClass("help"))
			if len(helps) == 0 {
				t.Fatal("password card has no help")
			}
			if got := textOf(helps[0]); got != tc.intro {
				t.Errorf("password card says %q, want %q", got, tc.intro)
			}
			boxes := findAll(card[0], func(n *xhtml.Node) bool { return attrOf(n, "name") == "revoke_tokens" })
			if want := min(tc.tokens, 1); len(boxes) != want {
				t.Fatalf("%d revoke boxes on the password card, want %d", len(boxes), want)
			}
			if len(boxes) == 1 {
				if _, ticked := attrsOf(boxes[0])["checked"]; ticked != tc.boxTicked {
					t.Errorf("password card's box ticked %v, want %v", ticked, tc.boxTicked)
				}
			}

			forms := findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "action") == "/settings/sessions/delete-others" })
			if len(forms) != 1 {
				t.Fatalf("%d sign-out-others forms", len(forms))
			}
			buttons := findAll(forms[0], func(n *xhtml.Node) bool { return n.Data == "button" })
			if len(buttons) != 1 {
				t.Fatalf("%d buttons in the sign-out-others form", len(buttons))
			}
			if got := attrOf(buttons[0], "data-confirm"); got != tc.confirm {
				t.Errorf("Sign out all other browsers asks %q, want %q", got, tc.confirm)
			}
		})
	}
}

// attrsOf is an element's attributes by name, present ones with an empty
// value included.
func attrsOf(n *xhtml.Node) map[string]string {
	out := map[string]string{}
	for _, a := range n.Attr {
		out[a.Key] = a.Val
	}
	return out
}

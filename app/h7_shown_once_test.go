package app

import (
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestH7ShownOnceTakesFocus: what a page shows once after a form (a new
// API token, an invite link, a generated password) was in a box marked
// role=status, which is not read when it is there from the page's load.
// The box takes the focus instead (tabindex=-1, data-focus-on-load, as
// the Notifications card's message does), named by its sentence, so a
// screen reader reads it and the keyboard is at its Copy button.
func TestH7ShownOnceTakesFocus(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	c.get("/settings")
	_, tokenPage := c.post("/settings/tokens", url.Values{"name": {"CI deploy"}})
	_, invitePage := invite(t, c, "cy@example.com", "Cy")
	c.get("/users")
	_, passwordPage := c.post("/users", url.Values{"email": {"dee@example.com"}})
	for _, tc := range []struct{ name, body, box string }{
		{"token", tokenPage, "new-token"},
		{"invite link", invitePage, "invite-link"},
		{"generated password", passwordPage, "new-password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := parseHTML(t, tc.body)
			box := h7ByID(t, doc, tc.box)
			var notice *xhtml.Node
			for n := box.Parent; n != nil; n = n.Parent {
				if hasClass("notice-key")(n) {
					notice = n
					break
				}
			}
			if notice == nil {
				t.Fatal("no notice around the box")
			}
			if attrOf(notice, "tabindex") != "-1" || !hasAttr(notice, "data-focus-on-load") {
				t.Errorf("the notice does not take the focus on load: tabindex=%q", attrOf(notice, "tabindex"))
			}
			if len(findAll(doc, func(n *xhtml.Node) bool { return hasAttr(n, "data-focus-on-load") })) != 1 {
				t.Error("more than one element asks for the focus")
			}
			named := attrOf(notice, "aria-labelledby")
			if named == "" {
				t.Fatal("the notice has no name")
			}
			if name := strings.TrimSpace(textOf(h7ByID(t, doc, named))); !strings.Contains(name, "shown only once") {
				t.Errorf("the notice is named %q", name)
			}
		})
	}
}

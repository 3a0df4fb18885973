// Package views holds copylab's templ components and the typed view models
// the handlers in package app build for them. Components only read their
// arguments: no HTTP, no SQL, no request state.
package views

import (
	"encoding/json"
	"strings"
)

// Nav names the top navigation entry a page belongs to.
const (
	NavExperiments = "experiments"
	NavSites       = "sites"
	NavUsers       = "users"
	NavSettings    = "settings"
)

// Assets are the content-hashed URLs of the app's own static files.
type Assets struct {
	CSS   string
	HTMX  string
	AppJS string
	Icon  string
}

// Flash is a one-time message shown at the top of the next page after an
// action. Kind is "ok" or "error".
type Flash struct {
	Kind string
	Text string
}

// Page is what every page of the signed-in app shares: its title, the
// signed-in user, the CSRF token forms and htmx requests carry, and the
// flash message.
type Page struct {
	Title  string
	Nav    string
	User   string // email of the signed-in user; "" when signed out
	CSRF   string
	Flash  Flash
	Assets Assets
}

// HXHeaders is the JSON object htmx sends as extra headers with every
// request it makes, so that its unsafe requests carry the CSRF token.
func (p Page) HXHeaders() string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": p.CSRF})
	return string(b)
}

// FullTitle is the document title.
func (p Page) FullTitle() string {
	if p.Title == "" {
		return "copylab"
	}
	return p.Title + " · copylab"
}

// Errors maps a form field's name to the message shown beside it.
type Errors map[string]string

// Get returns the message for a field, or "".
func (e Errors) Get(field string) string { return e[field] }

// Has reports whether the field has a message.
func (e Errors) Has(field string) bool { return e[field] != "" }

// Any reports whether there is any message at all.
func (e Errors) Any() bool { return len(e) > 0 }

// fieldID turns a field name such as variants[1].text into an HTML id.
func fieldID(name string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-", "_", "-")
	return "f-" + r.Replace(name)
}

// errID is the id of a field's error message, for aria-describedby.
func errID(name string) string { return fieldID(name) + "-error" }

// helpID is the id of a field's help text, for aria-describedby.
func helpID(name string) string { return fieldID(name) + "-help" }

package app

import (
	"net/http"
	"strings"
)

// formPageAbove answers a GET of an address that only takes a form's POST,
// such as /users/invites or /experiments/ID/start: the browser opened a
// form's address again (a reload or a restored tab after the page the form
// answered with, a bookmark, a copied address). It returns the nearest page
// above it that a person can open, /users or /experiments/ID, or false when
// there is none. Shown instead of a 405 ("This address does not accept that
// method"), that page is what the person was looking at.
func (a *App) formPageAbove(path string) (string, bool) {
	var gets [][]string
	for _, r := range a.fiber.GetRoutes(true) {
		if r.Method == http.MethodGet && !strings.Contains(r.Path, "*") {
			gets = append(gets, strings.Split(strings.Trim(r.Path, "/"), "/"))
		}
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for n := len(segs) - 1; n >= 0; n-- {
		for _, g := range gets {
			if matchSegments(g, segs[:n]) {
				return "/" + strings.Join(segs[:n], "/"), true
			}
		}
	}
	return "", false
}

// matchSegments tells whether a route's path, split at slashes, matches
// a path's segments: the same number, each the same or a :parameter.
func matchSegments(route, segs []string) bool {
	if len(segs) == 0 {
		return len(route) == 1 && route[0] == ""
	}
	if len(route) != len(segs) {
		return false
	}
	for i, r := range route {
		if !strings.HasPrefix(r, ":") && !strings.EqualFold(r, segs[i]) {
			return false
		}
		if strings.HasPrefix(r, ":") && segs[i] == "" {
			return false
		}
	}
	return true
}

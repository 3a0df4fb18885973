package app

import (
	"net/http"
	"testing"
)

// TestBriefOneProblem: a brief with one problem says "the problem", not
// "the 1 problem".
func TestBriefOneProblem(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	v := g.brief(3)
	v.Set("goal", "")
	resp, body := g.c.post(g.base, v)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "Please fix the problem marked below.")
	wantNotContains(t, body, "the 1 problem")
}

package app

import (
	"fmt"
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestExperimentsListVerdicts: the list and a site's page show, for each
// started experiment, its counted visitors, its verdict and the version in
// the lead; a draft says it has not started.
func TestExperimentsListVerdicts(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
	e.experiment(site.ID, "Next idea")
	e.transition(x.ID, experiments.ActionStart)
	// 30 visitors each; b converts 20 times, the original 10 times.
	for i := range 30 {
		wantStatus(t, e.postEvents(eventBody(site.Key, fmt.Sprintf("c%d", i), x.ID, "control", i < 10)), http.StatusNoContent, "")
		wantStatus(t, e.postEvents(eventBody(site.Key, fmt.Sprintf("b%d", i), x.ID, "b", i < 20)), http.StatusNoContent, "")
	}
	for _, path := range []string{"/experiments", "/sites/" + site.ID} {
		_, body := c.get(path)
		wantContains(t, body, "<th class=\"num\">Visitors</th>", ">60<", "verdict-chip verdict-", "Variant B leads", "(+100%)",
			"Not started")
	}
	// New visitors change the verdict's inputs: the list is not stale.
	wantStatus(t, e.postEvents(eventBody(site.Key, "late", x.ID, "control", true)), http.StatusNoContent, "")
	_, body := c.get("/experiments")
	wantContains(t, body, ">61<")
	wantNotContains(t, body, ">60<")
}

// TestExperimentsListFilter: ?status= shows one status, with every tab's
// count; a status with none says so; an unknown one shows them all.
func TestExperimentsListFilter(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	run := e.experiment(site.ID, "Running one")
	e.transition(run.ID, experiments.ActionStart)
	e.experiment(site.ID, "Draft one")
	e.experiment(site.ID, "Draft two")

	_, body := c.get("/experiments")
	wantContains(t, body, `class="tab tab-active" aria-current="page">All <span class="tab-count">3</span>`,
		`href="/experiments?status=running" class="tab">Running <span class="tab-count">1</span>`,
		`Drafts <span class="tab-count">2</span>`, `Paused <span class="tab-count">0</span>`, "Running one", "Draft two")
	_, body = c.get("/experiments?status=draft")
	wantContains(t, body, `aria-current="page">Drafts`, "Draft one", "Draft two")
	wantNotContains(t, body, "Running one")
	_, body = c.get("/experiments?status=paused")
	wantContains(t, body, "No paused experiments right now.")
	wantNotContains(t, body, "Running one", "Draft one", "No experiments yet")
	_, body = c.get("/experiments?status=%3Cscript%3E")
	wantContains(t, body, `aria-current="page">All`, "Running one", "Draft one")
}

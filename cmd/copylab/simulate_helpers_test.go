package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"copylab/app"
	"copylab/experiments"
)

// simulateOwner is the account simulateServer makes, with its password.
const simulateOwner, simulatePassword = "owner@example.com", "correct horse battery staple"

// simulateServer serves, until the test ends, a copylab for simulate to
// send traffic to: a database made in t.TempDir() as copylab serve makes
// it, holding what add puts in (sites, experiments), an owner
// (simulateOwner) and an API token of theirs. It returns copylab's base
// URL and the token.
func simulateServer(t *testing.T, add func(d simulateDB)) (base, token string) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	add(simulateDB{t: t, ctx: ctx, s: s})
	if _, _, err := app.AddUser(ctx, s, simulateOwner, "Owner", simulatePassword); err != nil {
		t.Fatal(err)
	}
	token, err = app.CreateToken(ctx, s, simulateOwner, "simulate")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return serveInProcess(t, db), token
}

// simulateDB is simulateServer's database while add fills it.
type simulateDB struct {
	t   *testing.T
	ctx context.Context
	s   *experiments.Store
}

// site adds a site.
func (d simulateDB) site(name, domain string) experiments.Site {
	d.t.Helper()
	site, err := d.s.CreateSite(d.ctx, experiments.Site{Name: name, Domain: domain})
	if err != nil {
		d.t.Fatal(err)
	}
	return site
}

// experiment adds a test of two variants, control and b, to site, takes it
// through the given actions (experiments.ActionStart …), and returns its
// id. Each tests an element of its own, named after it: two tests of one
// element and page cannot both run.
func (d simulateDB) experiment(site experiments.Site, name string, actions ...string) string {
	d.t.Helper()
	x, err := d.s.CreateExperiment(d.ctx, experiments.Experiment{SiteID: site.ID, Name: name, Page: "/",
		Selector: "#" + strings.ReplaceAll(strings.ToLower(name), " ", "-"),
		Goal:     experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}}})
	if err != nil {
		d.t.Fatal(err)
	}
	for _, a := range actions {
		if _, err := d.s.Transition(d.ctx, x.ID, a); err != nil {
			d.t.Fatal(err)
		}
	}
	return x.ID
}

package experiments_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"copylab/experiments"
)

// onPage is an experiment of site "s" on the element h1 of page.
func onPage(page string) experiments.Experiment {
	return experiments.Experiment{SiteID: "s", Selector: "h1", Page: page}
}

// TestElementOverlap: how far two experiments act on one element, for the
// patterns people write: certain when every page of one is a page of the
// other, none when no page can match both (or another site or element),
// possible otherwise.
func TestElementOverlap(t *testing.T) {
	const (
		none     = experiments.OverlapNone
		possible = experiments.OverlapPossible
		certain  = experiments.OverlapCertain
	)
	for _, tc := range []struct {
		name string
		a, b string
		want experiments.Overlap
	}{
		{"equal", "/pricing", "/pricing", certain},
		{"a trailing slash", "/pricing/", "/pricing", certain},
		{"* and a page", "*", "/pricing", certain},
		{"a page and *", "/pricing", "*", certain},
		{"/* is every page", "/*", "/blog/*/comments", certain},
		{"a glob and a page it matches", "/pricing*", "/pricing", certain},
		{"a glob and a page in the middle", "/blog/*/comments", "/blog/a/b/comments", certain},
		{"a prefix glob and a narrower one", "/blog/*", "/blog/2024/*", certain},
		{"a suffix glob and a narrower one", "/*/comments", "/blog/*/old/comments", certain},
		{"the path and the path with a query", "/pricing", "/pricing?plan=pro", certain},
		{"a wildcard value and a value", "/p?plan=*", "/p?plan=pro&x=1", certain},
		{"equal globs with a query", "/blog/*?ref=*", "/blog/*?ref=*", certain},
		{"two pages", "/pricing", "/about", none},
		{"a page the glob misses", "/blog/*", "/about", none},
		{"globs with other starts", "/blog/*", "/shop/*", none},
		{"globs with other ends", "/*/comments", "/*/reviews", none},
		{"two globs that may meet", "/blog/*", "/*/comments", possible},
		{"a page and a glob with a query", "/pricing", "/pri*?plan=pro", possible},
		{"two queries", "/p?plan=pro", "/p?ref=mail", possible},
		{"a query and a wildcard of another key", "/p?a=1", "/p?b=*", possible},
		{"a path and a glob with a query on every page", "/pricing", "/*?utm_source=*", possible},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, ab := range [][2]string{{tc.a, tc.b}, {tc.b, tc.a}} {
				if got := experiments.ElementOverlap(onPage(ab[0]), onPage(ab[1])); got != tc.want {
					t.Errorf("ElementOverlap(%q, %q) = %d, want %d", ab[0], ab[1], got, tc.want)
				}
			}
		})
	}
	a, b := onPage("/pricing"), onPage("/pricing")
	b.Selector = "h2"
	if got := experiments.ElementOverlap(a, b); got != none {
		t.Errorf("another element: %d", got)
	}
	b.Selector, b.SiteID = "h1", "t"
	if got := experiments.ElementOverlap(a, b); got != none {
		t.Errorf("another site: %d", got)
	}
}

// TestElementOverlapAgreesWithMatchPage: for every pair of the patterns of
// the shared page-match vectors (and a few more), a pattern said to cover
// another matches every page, of the vectors' pages and a few more, that
// the other matches; and two said never to meet match no page together.
// Where ElementOverlap is sure, the tag agrees.
func TestElementOverlapAgreesWithMatchPage(t *testing.T) {
	type page struct{ path, query string }
	patterns := []string{"*", "/*", "/pricing", "/pricing/", "/pricing*", "/blog/*", "/blog/2024/*", "/*/comments",
		"/blog/*/comments", "/p?plan=*", "/p?plan=pro&x=1", "/pricing?plan=pro", "/pri*?plan=pro", "/"}
	pages := []page{{"/", ""}, {"/pricing", ""}, {"/pricing/", "plan=pro"}, {"/pricing-old", ""}, {"/blog", ""},
		{"/blog/2024/a", "ref=mail"}, {"/blog/a/comments", ""}, {"/p", "plan=pro&x=1"}, {"/p", "plan"}, {"/about", "utm_source=x"}}
	for _, v := range readPageMatchVectors(t) {
		if !slices.Contains(patterns, v.Pattern) && v.Pattern != "" {
			patterns = append(patterns, v.Pattern)
		}
		pages = append(pages, page{v.Path, v.Query})
	}
	for _, a := range patterns {
		for _, b := range patterns {
			covers := experiments.ElementCovers(onPage(a), onPage(b))
			apart := experiments.ElementOverlap(onPage(a), onPage(b)) == experiments.OverlapNone
			for _, p := range pages {
				inA, inB := experiments.MatchPage(a, p.path, p.query), experiments.MatchPage(b, p.path, p.query)
				if covers && inB && !inA {
					t.Errorf("%q covers %q, but only the second matches %s?%s", a, b, p.path, p.query)
				}
				if apart && inA && inB {
					t.Errorf("%q and %q never meet, but both match %s?%s", a, b, p.path, p.query)
				}
			}
		}
	}
}

// TestTransitionRefusesElementInTest: the store refuses to start or resume
// a test while another running test certainly has its element on its
// pages (element_in_test, naming it), and changes nothing; a test of the
// element on pages that only may meet, or on another element, runs.
func TestTransitionRefusesElementInTest(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site := mustSite(t, s)
	add := func(name, page, selector string) experiments.Experiment {
		t.Helper()
		d := draft(site.ID)
		d.Name, d.Page, d.Selector = name, page, selector
		x, err := s.CreateExperiment(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	transition := func(id, action string) error {
		_, err := s.Transition(ctx, id, action)
		return err
	}
	running := add("Running", "/pricing*", "h1")
	paused := add("Paused", "/pricing", "h1")
	for _, step := range []struct{ id, action string }{{paused.ID, experiments.ActionStart}, {paused.ID, experiments.ActionPause}, {running.ID, experiments.ActionStart}} {
		if err := transition(step.id, step.action); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		id   string
		act  string
		want experiments.Status
	}{
		{"start", add("Same page", "/pricing", "h1").ID, experiments.ActionStart, experiments.StatusDraft},
		{"resume", paused.ID, experiments.ActionResume, experiments.StatusPaused},
	} {
		err := transition(tc.id, tc.act)
		var se *experiments.StateError
		if !errors.As(err, &se) || se.Code != "element_in_test" || se.Other == nil || se.Other.ID != running.ID {
			t.Errorf("%s: %v, want element_in_test naming %s", tc.name, err, running.ID)
		}
		if x, _ := s.Experiment(ctx, tc.id); x.Status != tc.want {
			t.Errorf("%s: the refusal left it %s", tc.name, x.Status)
		}
	}
	for _, x := range []experiments.Experiment{add("May meet", "/pri*?plan=pro", "h1"), add("Other element", "/pricing", "h2")} {
		if err := transition(x.ID, experiments.ActionStart); err != nil {
			t.Errorf("%s: %v", x.Name, err)
		}
	}
}

// TestShipReplacesOlderShip: shipping ends the ship of another experiment
// whose copy sits on the same element on pages all among the new one's,
// with a line in both histories; a broader older ship stays, and the
// shipped list puts the newest ship last.
func TestShipReplacesOlderShip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site := mustSite(t, s)
	shipped := func(name, page string) experiments.Experiment {
		t.Helper()
		d := draft(site.ID)
		d.Name, d.Page, d.Selector = name, page, "h1"
		x, err := s.CreateExperiment(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
			t.Fatal(err)
		}
		if x, err = s.Ship(ctx, x.ID, "b"); err != nil {
			t.Fatal(err)
		}
		return x
	}
	narrow := shipped("Narrow", "/pricing")
	broad := shipped("Broad", "*")
	if x, _ := s.Experiment(ctx, narrow.ID); x.ShippedVariant != "" || !x.ShippedAt.IsZero() || x.Status != experiments.StatusStopped {
		t.Errorf("the replaced ship: %q %v %s", x.ShippedVariant, x.ShippedAt, x.Status)
	}
	h, _ := s.History(ctx, narrow.ID)
	if len(h) == 0 || h[0].Action != experiments.ChangeUnshipped || h[0].Detail != "Variant B no longer shown: Variant B of “Broad”, shipped on the same element, replaced it." {
		t.Errorf("the replaced one's history: %+v", h)
	}
	h, _ = s.History(ctx, broad.ID)
	if len(h) == 0 || h[0].Action != experiments.ChangeShipped || h[0].Detail != "Stopped the test; Variant B shown to every visitor: “Pricing that grows with you”. It replaces Variant B of “Narrow”, shipped on the same element." {
		t.Errorf("the replacing one's history: %+v", h)
	}

	// A narrower ship leaves the broader one, and is written after it.
	again := shipped("Again", "/pricing")
	list, err := s.ShippedExperiments(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range list {
		names = append(names, x.Name)
	}
	if !slices.Equal(names, []string{"Broad", "Again"}) {
		t.Errorf("shipped: %v, want [Broad Again]", names)
	}
	if h, _ := s.History(ctx, again.ID); h[0].Detail != "Stopped the test; Variant B shown to every visitor: “Pricing that grows with you”." {
		t.Errorf("the narrower ship's history: %q", h[0].Detail)
	}
}

// TestTransitionElementInTestAtOnce: two tests of one element and page
// started at the same moment never both run: the check reads inside the
// transaction that starts each.
func TestTransitionElementInTestAtOnce(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	site := mustSite(t, s)
	for round := range 5 {
		ids := make([]string, 2)
		for i := range ids {
			d := draft(site.ID)
			d.Selector = "h1.round-" + string(rune('a'+round))
			x, err := s.CreateExperiment(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = x.ID
		}
		errs := make(chan error, len(ids))
		for _, id := range ids {
			go func() {
				_, err := s.Transition(ctx, id, experiments.ActionStart)
				errs <- err
			}()
		}
		var started, refused int
		for range ids {
			var se *experiments.StateError
			switch err := <-errs; {
			case err == nil:
				started++
			case errors.As(err, &se) && se.Code == "element_in_test":
				refused++
			default:
				t.Fatal(err)
			}
		}
		if started != 1 || refused != 1 {
			t.Errorf("round %d: %d started, %d refused; want one each", round, started, refused)
		}
	}
}

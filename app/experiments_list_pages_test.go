package app

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"copylab/experiments"
)

// pagerLink is the href of the pager's link with this rel ("next" for
// older experiments, "prev" for newer ones), or "" when the page has none.
func pagerLink(t *testing.T, body, rel string) string {
	t.Helper()
	m := regexp.MustCompile(`href="([^"]*)" rel="` + rel + `"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// testNames are "Test HI" down to "Test LO", newest first.
func testNames(hi, lo int) []string {
	var out []string
	for i := hi; i >= lo; i-- {
		out = append(out, fmt.Sprintf("Test %03d", i))
	}
	return out
}

// olderThan is the name of the test experiment made just before the one
// named name ("Test 081" for "Test 082").
func olderThan(t *testing.T, name string) string {
	t.Helper()
	var n int
	if _, err := fmt.Sscanf(name, "Test %03d", &n); err != nil || n == 0 {
		t.Fatalf("%q: not a test experiment with an older one", name)
	}
	return fmt.Sprintf("Test %03d", n-1)
}

// TestExperimentsListPagesByPosition: the list's pages continue from the
// last experiment a page showed (Older) and go back from its first
// (Newer), so an experiment created or deleted between two pages neither
// repeats one nor skips one; the links keep the site, the tab and the
// search; the pager and the title count where the page is at the time.
// Old ?page= links still open their page.
func TestExperimentsListPagesByPosition(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	shop := e.site("Shop")
	made := map[string]experiments.Experiment{}
	for i := range 130 {
		x := e.experiment(shop.ID, fmt.Sprintf("Test %03d", i))
		made[x.Name] = x
	}
	page := func(path string) (body string, shown []string) {
		t.Helper()
		resp, body := c.get(path)
		wantStatus(t, resp, 200, body)
		return body, listedNames(body)
	}

	t.Run("created between two pages", func(t *testing.T) {
		body, shown := page("/experiments")
		if !slices.Equal(shown, testNames(129, 80)) {
			t.Fatalf("first page %v", shown)
		}
		older := pagerLink(t, body, "next")
		e.experiment(shop.ID, "Test 999 made meanwhile")
		body, shown = page(older)
		if !slices.Equal(shown, testNames(79, 30)) {
			t.Errorf("the page after Test 080 shows %v, want Test 079 to Test 030", shown)
		}
		// One more experiment now comes before the page.
		wantContains(t, body, "52–101 of 131 experiments", "<title>Experiments, 52–101 of 131 · copylab</title>")

		// Back: the fifty just newer than the page's first, then the
		// newest page itself at the top.
		third := pagerLink(t, body, "next")
		body, shown = page(third)
		if !slices.Equal(shown, testNames(29, 0)) {
			t.Fatalf("third page %v", shown)
		}
		wantContains(t, body, "102–131 of 131 experiments")
		if pagerLink(t, body, "next") != "" {
			t.Error("the last page links to an older one")
		}
		newer := pagerLink(t, body, "prev")
		e.experiment(shop.ID, "Test 998 made meanwhile")
		body, shown = page(newer)
		if !slices.Equal(shown, testNames(79, 30)) {
			t.Errorf("Newer from Test 029 shows %v, want Test 079 to Test 030", shown)
		}
		wantContains(t, body, "53–102 of 132 experiments")
		// Newer again: the first page as it was seen, the two made
		// meanwhile before it; then the newest page.
		body, shown = page(pagerLink(t, body, "prev"))
		if !slices.Equal(shown, testNames(129, 80)) {
			t.Errorf("Newer from Test 079 shows %v, want Test 129 to Test 080", shown)
		}
		wantContains(t, body, "3–52 of 132 experiments")
		if prev := pagerLink(t, body, "prev"); prev != "/experiments" {
			t.Errorf("two from the top, Newer links to %q, want the newest page", prev)
		}
		body, shown = page("/experiments")
		if len(shown) != 50 || shown[0] != "Test 998 made meanwhile" || shown[1] != "Test 999 made meanwhile" || pagerLink(t, body, "prev") != "" {
			t.Errorf("the newest page shows %v", shown)
		}
	})

	t.Run("deleted between two pages", func(t *testing.T) {
		body, shown := page("/experiments")
		older := pagerLink(t, body, "next")
		want := olderThan(t, shown[len(shown)-1])
		if _, err := e.store.DeleteExperiment(t.Context(), made["Test 100"].ID); err != nil {
			t.Fatal(err)
		}
		_, shown = page(older)
		if len(shown) == 0 || shown[0] != want {
			t.Errorf("after a deletion on the first page, the next starts at %v, want %s", shown, want)
		}
	})

	t.Run("filters kept", func(t *testing.T) {
		q := url.Values{"site": {shop.ID}, "status": {"draft"}, "q": {"test"}}
		body, shown := page("/experiments?" + q.Encode())
		want := olderThan(t, shown[len(shown)-1])
		older := pagerLink(t, body, "next")
		u, err := url.Parse(older)
		if err != nil || u.Path != "/experiments" || u.Query().Get("after") == "" {
			t.Fatalf("older link %q", older)
		}
		for k, v := range q {
			if u.Query().Get(k) != v[0] {
				t.Errorf("older link %q lost %s=%s", older, k, v[0])
			}
		}
		body, shown = page(older)
		if len(shown) != 50 || shown[0] != want {
			t.Errorf("the filtered second page shows %v", shown)
		}
		wantContains(t, body, `aria-current="page">Drafts`, `value="test"`)
		newer, err := url.Parse(pagerLink(t, body, "prev"))
		if err != nil || newer.Query().Get("site") != shop.ID || newer.Query().Get("status") != "draft" || newer.Query().Get("q") != "test" {
			t.Errorf("newer link %v lost a filter", newer)
		}
	})

	t.Run("odd links", func(t *testing.T) {
		// An old bookmark by page number, a cursor that is not one, and
		// one past the oldest experiment.
		body, shown := page("/experiments?page=2")
		if len(shown) != 50 || !strings.Contains(body, "51–100 of") {
			t.Errorf("?page=2 shows %d experiments", len(shown))
		}
		if next := pagerLink(t, body, "next"); !strings.Contains(next, "after=") {
			t.Errorf("?page=2 links on to %q, want a position", next)
		}
		for _, p := range []string{"after=nonsense", "before=%FF", "page=0", "page=two&before=", "after=" + cursorOf(experiments.PagePosition{CreatedMS: 1, ID: ""})} {
			_, shown = page("/experiments?" + p)
			if len(shown) != 50 || shown[0] != "Test 998 made meanwhile" {
				t.Errorf("?%s shows %v, want the newest page", p, shown)
			}
		}
		body, shown = page("/experiments?after=" + cursorOf(experiments.PositionOf(made["Test 000"])))
		if len(shown) == 0 || shown[len(shown)-1] != "Test 000" || pagerLink(t, body, "next") != "" || pagerLink(t, body, "prev") == "" {
			t.Errorf("past the oldest shows %v, want the last page", shown)
		}
	})
}

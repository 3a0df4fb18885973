package app

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// apiList gets a page of GET /api/v1/experiments and returns the names on
// it and its next link ("" on the last page), checking that the Link
// header says the same.
func apiList(t *testing.T, e *env, tok, path string) (names []string, next string) {
	t.Helper()
	resp, out := e.api("GET", path, tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	list, ok := out["experiments"].([]any)
	if !ok {
		t.Fatalf("GET %s: no experiments list in %v", path, out)
	}
	for _, x := range list {
		names = append(names, x.(map[string]any)["name"].(string))
	}
	if n, ok := out["next"]; !ok {
		t.Fatalf("GET %s: no next", path)
	} else if n != nil {
		next = n.(string)
	}
	link := resp.Header.Get("Link")
	if (next == "") != (link == "") || (next != "" && link != "<"+next+`>; rel="next"`) {
		t.Errorf("GET %s: next %q, Link %q", path, next, link)
	}
	return names, next
}

// walk follows next links from path to the last page, and returns every
// name and how many pages there were.
func walk(t *testing.T, e *env, tok, path string) (names []string, pages int) {
	t.Helper()
	for path != "" {
		if pages++; pages > 100 {
			t.Fatal("the pages never end")
		}
		page, next := apiList(t, e, tok, path)
		names = append(names, page...)
		if next != "" && !strings.HasPrefix(next, testPublicURL+"/api/v1/experiments?") {
			t.Fatalf("next %q is not an API URL", next)
		}
		path = strings.TrimPrefix(next, testPublicURL)
	}
	return names, pages
}

// TestAPIExperimentsPages: the list answers 50 experiments at a time,
// newest first, up to 200 when asked; its next link leads through every
// experiment once, keeping the filters; a search, a site and a status
// narrow it as on the experiments list; ?page= counts pages.
func TestAPIExperimentsPages(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	shop, blog := e.site("Shop"), e.site("Blog")
	var want []string // newest first
	for i := range 130 {
		site, name := shop.ID, "Pricing headline "+strconv.Itoa(i)
		if i%3 == 0 {
			site, name = blog.ID, "Hero copy "+strconv.Itoa(i)
		}
		x := e.experiment(site, name)
		if i%10 == 0 {
			e.transition(x.ID, experiments.ActionStart)
		}
		want = append([]string{name}, want...)
	}
	all, err := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range all { // the store's order: creation times may tie
		want[i] = all[i].Name
	}
	filter := func(keep func(name string) bool) []string {
		var out []string
		for _, n := range want {
			if keep(n) {
				out = append(out, n)
			}
		}
		return out
	}

	t.Run("default page", func(t *testing.T) {
		names, next := apiList(t, e, tok, "/api/v1/experiments")
		if strings.Join(names, "|") != strings.Join(want[:50], "|") {
			t.Errorf("first page %v", names)
		}
		u, err := url.Parse(next)
		if err != nil || u.Query().Get("cursor") == "" || u.Query().Has("limit") {
			t.Errorf("next %q", next)
		}
	})

	t.Run("every experiment once", func(t *testing.T) {
		for _, tt := range []struct {
			path  string
			want  []string
			pages int
		}{
			{"/api/v1/experiments", want, 3},
			{"/api/v1/experiments?limit=7", want, 19},
			{"/api/v1/experiments?limit=200", want, 1},
			{"/api/v1/experiments?page=1&limit=60", want, 3},
			{"/api/v1/experiments?q=HEADLINE&limit=25", filter(func(n string) bool { return strings.HasPrefix(n, "Pricing") }), 4},
			{"/api/v1/experiments?q=" + url.QueryEscape("  BLOG hero ") + "&limit=40",
				filter(func(n string) bool { return strings.HasPrefix(n, "Hero") }), 2},
			{"/api/v1/experiments?site_id=" + shop.ID + "&q=headline+1&limit=10", // "1" anywhere in a word
				filter(func(n string) bool { return strings.HasPrefix(n, "Pricing") && strings.Contains(n, "1") }), 4},
			{"/api/v1/experiments?site_id=" + blog.ID + "&status=running&limit=2",
				filter(func(n string) bool { i, _ := strconv.Atoi(n[strings.LastIndex(n, " ")+1:]); return i%30 == 0 }), 3},
			{"/api/v1/experiments?q=nothing+like+this", nil, 1},
		} {
			got, pages := walk(t, e, tok, tt.path)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || pages != tt.pages {
				t.Errorf("%s: %d pages of %d (want %d of %d):\n got %v\nwant %v", tt.path, pages, len(got), tt.pages, len(tt.want), got, tt.want)
			}
		}
	})

	t.Run("pages", func(t *testing.T) {
		names, next := apiList(t, e, tok, "/api/v1/experiments?page=2&limit=60&status=draft")
		drafts := filter(func(n string) bool { i, _ := strconv.Atoi(n[strings.LastIndex(n, " ")+1:]); return i%10 != 0 })
		if strings.Join(names, "|") != strings.Join(drafts[60:], "|") || next != "" {
			t.Errorf("second page of drafts: %v, next %q", names, next)
		}
		_, next = apiList(t, e, tok, "/api/v1/experiments?page=1&q=hero&limit=20")
		if next != testPublicURL+"/api/v1/experiments?limit=20&page=2&q=hero" {
			t.Errorf("next %q", next)
		}
		if names, next := apiList(t, e, tok, "/api/v1/experiments?page=9"); len(names) != 0 || next != "" {
			t.Errorf("past the last page: %v, next %q", names, next)
		}
	})

	t.Run("a cursor neither repeats nor skips", func(t *testing.T) {
		first, next := apiList(t, e, tok, "/api/v1/experiments?limit=10")
		e.experiment(shop.ID, "Created between two pages")
		second, _ := apiList(t, e, tok, strings.TrimPrefix(next, testPublicURL))
		if strings.Join(append(first, second...), "|") != strings.Join(want[:20], "|") {
			t.Errorf("pages %v then %v", first, second)
		}
	})
}

// TestAPIExperimentsPagesBadParams: a limit, page, cursor or search the
// list cannot take is a 400 with a code, the parameter and a sentence.
func TestAPIExperimentsPagesBadParams(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	e.experiment(site.ID, "Pricing")
	_, next := apiList(t, e, tok, "/api/v1/experiments?limit=1")
	if next != "" {
		t.Fatalf("one experiment, yet next %q", next)
	}
	x := e.experiment(site.ID, "Hero")
	_, next = apiList(t, e, tok, "/api/v1/experiments?limit=1")
	cursor := strings.TrimPrefix(next, testPublicURL+"/api/v1/experiments?cursor=")
	cursor = strings.TrimSuffix(cursor, "&limit=1")
	if cursor == next || cursor == "" {
		t.Fatalf("next %q", next)
	}
	for _, tt := range []struct{ query, code, field string }{
		{"limit=0", "invalid_limit", "limit"},
		{"limit=abc", "invalid_limit", "limit"},
		{"limit=-1", "invalid_limit", "limit"},
		{"limit=201", "invalid_limit", "limit"},
		{"limit=1.5", "invalid_limit", "limit"},
		{"limit=99999999999999999999", "invalid_limit", "limit"},
		{"page=0", "invalid_page", "page"},
		{"page=-1", "invalid_page", "page"},
		{"page=two", "invalid_page", "page"},
		{"page=1000001", "invalid_page", "page"},
		{"cursor=not-a-cursor!", "invalid_cursor", "cursor"},
		{"cursor=" + url.QueryEscape("bm90LWEtY3Vyc29y"), "invalid_cursor", "cursor"}, // "not-a-cursor"
		{"cursor=" + cursor + "&page=2", "page_with_cursor", "cursor"},
		{"q=" + strings.Repeat("é", 201), "too_long", "q"},
		{"status=bogus", "invalid_status", "status"},
	} {
		resp, out := e.api("GET", "/api/v1/experiments?"+tt.query, tok, "")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d", tt.query, resp.StatusCode)
			continue
		}
		if code, field := errorShape(t, out); code != tt.code || field != tt.field {
			t.Errorf("%s: %s on %s, want %s on %s", tt.query, code, field, tt.code, tt.field)
		}
	}
	// The cursor works, and a search of 200 characters is fine.
	if names, next := apiList(t, e, tok, "/api/v1/experiments?limit=1&cursor="+cursor); len(names) != 1 || names[0] != "Pricing" || next != "" {
		t.Errorf("after %s: %v, next %q", x.Name, names, next)
	}
	if names, _ := apiList(t, e, tok, "/api/v1/experiments?q="+strings.Repeat("é", 200)); len(names) != 0 {
		t.Errorf("search: %v", names)
	}
}

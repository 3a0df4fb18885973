package snippet_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"copylab/experiments"
	"copylab/static"
	"copylab/static/browsertest"
)

// pageMatchVector is one line of experiments/testdata/page_match_vectors.json:
// whether the tag treats the page at path?query as one of pattern's.
// Path and query are written as the browser keeps them (location.pathname,
// and location.search without its "?").
type pageMatchVector struct {
	Pattern string `json:"pattern"`
	Path    string `json:"path"`
	Query   string `json:"query"`
	Want    bool   `json:"want"`
	Note    string `json:"note"`
}

// url is the vector's page as a path and query.
func (v pageMatchVector) url() string {
	if v.Query == "" {
		return v.Path
	}
	return v.Path + "?" + v.Query
}

// TestPageMatchVectors runs every page-pattern vector through the
// production tag, from the outside: each distinct pattern is an experiment
// with its own element, every vector's page is opened for real (so the
// browser parses its URL, the tag reads location and Render compiles the
// pattern as in production), and a pattern matches when its element shows
// the variant's copy. experiments.MatchPage answers the same vectors in
// its own test; here it must also agree with the tag on every pattern of
// the file on every page of the file, pairs no vector names.
func TestPageMatchVectors(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../experiments/testdata/page_match_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []pageMatchVector
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	var (
		patterns []string
		index    = map[string]int{} // pattern → its experiment and element
		urls     []string
		seen     = map[string]bool{}
	)
	for _, v := range vectors {
		if _, ok := index[v.Pattern]; !ok {
			index[v.Pattern] = len(patterns)
			patterns = append(patterns, v.Pattern)
		}
		if u := v.url(); !seen[u] {
			seen[u] = true
			urls = append(urls, u)
		}
	}

	// Every visitor is in every experiment and sees b, so an element shows
	// textB exactly when its experiment's page pattern matched.
	cfg := static.SnippetConfig{Site: "test"}
	var body strings.Builder
	for i, p := range patterns {
		cfg.Experiments = append(cfg.Experiments, static.SnippetExperiment{
			ID: fmt.Sprintf("0194f1c2-7a3b-7cde-8f01-%012d", i), Page: p,
			Selector: fmt.Sprintf(`[data-copylab="m%d"]`, i), CoverageBP: 10000,
			Goal: static.SnippetGoal{Type: "click", Value: ".cta"},
			Variants: []static.SnippetVariant{
				{Key: "control", WeightBP: 0, Text: original},
				{Key: "b", WeightBP: 10000, Text: textB},
			},
		})
		fmt.Fprintf(&body, `<p data-copylab="m%d">%s</p>`, i, original)
	}
	js, err := prod.Render(cfg)
	if err != nil {
		t.Fatal(err)
	}
	html := "<!doctype html><html><head><meta charset=utf-8>" + tag + "</head><body>" + body.String() + "</body></html>"
	// Every path is the page, as written: http.ServeMux would redirect
	// paths such as // to their clean form.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/s/test.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(js)
		case r.Method == http.MethodPost && r.URL.Path == "/e":
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusNoContent)
		case r.URL.Path == "/favicon.ico":
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, html)
		}
	}))
	t.Cleanup(srv.Close)

	ctx := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, ctx)
	swapped := map[string][]bool{} // page → whether each pattern matched it
	for _, u := range urls {
		navigate(t, ctx, srv.URL+u)
		got := eval[struct {
			URL     string `json:"url"`
			Swapped []bool `json:"swapped"`
		}](t, ctx, `({url: location.pathname + location.search,
			swapped: [...document.querySelectorAll("[data-copylab]")].map((el) => el.textContent == `+jsString(textB)+`)})`)
		if got.URL != u {
			t.Errorf("the browser keeps %q as %q: write the vector's path and query as the browser does", u, got.URL)
			continue
		}
		if len(got.Swapped) != len(patterns) {
			t.Fatalf("page %q: %d elements, want %d", u, len(got.Swapped), len(patterns))
		}
		swapped[u] = got.Swapped
	}

	for _, v := range vectors {
		got, ok := swapped[v.url()]
		if !ok {
			continue // reported above
		}
		if m := got[index[v.Pattern]]; m != v.Want {
			t.Errorf("pattern %q on %q: the tag says %v, the vector %v (%s)", v.Pattern, v.url(), m, v.Want, v.Note)
		}
	}
	// The Go reference on the cross product: every pattern on every page.
	disagree := 0
	for _, u := range urls {
		got, ok := swapped[u]
		if !ok {
			continue
		}
		path, query, _ := strings.Cut(u, "?")
		for i, p := range patterns {
			if m := experiments.MatchPage(p, path, query); m != got[i] {
				disagree++
				t.Errorf("pattern %q on %q: the tag says %v, experiments.MatchPage %v", p, u, got[i], m)
			}
		}
	}
	t.Logf("%d vectors; %d patterns on %d pages: MatchPage disagrees with the tag %d times", len(vectors), len(patterns), len(urls), disagree)
	noExceptions(t, exceptions)
}

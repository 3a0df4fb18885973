package app

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// FuzzExperimentsListQuery sends arbitrary query strings to
// GET /api/v1/experiments (limit, page, cursor, q, status, site_id, and
// whatever else arrives): the answer is never a 5xx, a 200 is a page of at
// most 200 experiments with a next link or null, and a 400 names its code.
// A cursor made by cursorOf always reads back as the position it was made
// from.
func FuzzExperimentsListQuery(f *testing.F) {
	a, store, _ := newTestApp(f, experiments.IngestOptions{MaxDelay: -1}, nil)
	ctx := context.Background()
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"Hero", "Pricing headline", "Signup button"} {
		if _, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: name, Page: "/", Selector: "h1",
			Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
			Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}}}); err != nil {
			f.Fatal(err)
		}
	}
	if _, _, err := addUser(ctx, store, "fuzz@example.com", "", testPassword, bcrypt.MinCost); err != nil {
		f.Fatal(err)
	}
	token, err := CreateToken(ctx, store, "fuzz@example.com", "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	first := cursorOf(experiments.PagePosition{CreatedMS: 1_700_000_000_000, ID: "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b"})
	for _, q := range []string{
		"", "limit=1", "limit=200", "limit=201", "limit=0", "limit=-1", "limit=abc", "limit=1e3",
		"page=2&limit=1", "page=0", "page=99999999999999999999", "cursor=" + first, "cursor=" + first + "&page=2",
		"cursor=%FF%FE", "cursor=Ljk5", "cursor=====", "q=hero", "q=" + strings.Repeat("x", 300), "q=%00%ff",
		"status=running", "status=nope", "site_id=" + site.ID, "site_id=%27%3B--", "limit=1&limit=2", "q=a&q=b",
	} {
		f.Add(q, int64(1_700_000_000_000), "0190a5c4")
	}
	f.Fuzz(func(t *testing.T, query string, ms int64, id string) {
		pos := experiments.PagePosition{CreatedMS: ms, ID: id}
		got, ok := parseCursor(cursorOf(pos))
		if want := ms >= 0 && id != "" && len(id) <= 64 && utf8.ValidString(id); ok != want || ok && got != pos {
			t.Fatalf("cursor of %+v read back as %+v, %v", pos, got, ok)
		}
		if strings.ContainsFunc(query, func(r rune) bool { return r <= ' ' || r >= 0x7f || r == '#' }) {
			t.Skip("not a request line a client can send: it would be percent-encoded")
		}
		req := newRequest(http.MethodGet, "/api/v1/experiments", nil)
		req.URL.RawQuery = query
		req.Header.Set("Authorization", "Bearer "+token)
		resp, ok := fuzzTest(t, a.Fiber(), req)
		if !ok {
			return
		}
		defer resp.Body.Close()
		var body struct {
			Experiments []json.RawMessage `json:"experiments"`
			Next        *string           `json:"next"`
			Error       struct {
				Code, Message string
			} `json:"error"`
		}
		decodeErr := json.NewDecoder(resp.Body).Decode(&body)
		switch {
		case resp.StatusCode >= 500:
			t.Fatalf("?%q: %d", query, resp.StatusCode)
		case resp.StatusCode == http.StatusOK && (decodeErr != nil || body.Experiments == nil || len(body.Experiments) > apiMaxPageSize):
			t.Fatalf("?%q: 200 with %d experiments (%v)", query, len(body.Experiments), decodeErr)
		case resp.StatusCode == http.StatusBadRequest && (body.Error.Code == "" || body.Error.Message == ""):
			t.Fatalf("?%q: 400 without a code and a sentence", query)
		}

	})
}

package app

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestH2EventsExportSwapMS: the raw export gives each exposure's swap
// time (the ms the tag sent: from the start of the page view to the swap,
// rounded to a whole millisecond) as swap_ms, in both formats, and null
// (an empty cell) where none was stored: an exposure sent without ms, one
// whose ms was past an hour (kept without it), and every conversion.
func TestH2EventsExportSwapMS(t *testing.T) {
	e, tok, site, x := exportEnv(t)
	ids := map[string]uuid.UUID{}
	for _, name := range []string{"timed", "untimed", "late", "conversion"} {
		ids[name] = uuid.Must(uuid.NewV7())
	}
	postExportEvents(t, e, "", map[string]any{"site": site.Key, "visitor": "visitor-1", "events": []map[string]any{
		{"id": ids["timed"].String(), "type": "exposure", "experiment": x.ID, "variant": "b", "url": "https://example.com/", "ms": 41.6},
		{"id": ids["conversion"].String(), "type": "conversion", "experiment": x.ID, "variant": "b", "goal": "click",
			"url": "https://example.com/", "ms": 12},
	}})
	postExportEvents(t, e, "", map[string]any{"site": site.Key, "visitor": "visitor-2", "events": []map[string]any{
		{"id": ids["untimed"].String(), "type": "exposure", "experiment": x.ID, "variant": "control", "url": "https://example.com/"},
	}})
	postExportEvents(t, e, "", map[string]any{"site": site.Key, "visitor": "visitor-3", "events": []map[string]any{
		{"id": ids["late"].String(), "type": "exposure", "experiment": x.ID, "variant": "b", "url": "https://example.com/", "ms": 3_600_001},
	}})
	want := map[string]any{ids["timed"].String(): 42.0, ids["untimed"].String(): nil, ids["late"].String(): nil, ids["conversion"].String(): nil}
	wantCell := map[string]string{ids["timed"].String(): "42", ids["untimed"].String(): "", ids["late"].String(): "", ids["conversion"].String(): ""}

	path := "/api/v1/experiments/" + x.ID + "/events"
	resp, lines, raw := getExport(t, e, tok, path)
	wantStatus(t, resp, http.StatusOK, raw)
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), raw)
	}
	for _, l := range lines {
		id := l["id"].(string)
		got, ok := l["swap_ms"]
		if !ok {
			t.Errorf("%s (%s): no swap_ms field: %v", id, l["type"], l)
		} else if got != want[id] {
			t.Errorf("%s (%s): swap_ms %v, want %v", id, l["type"], got, want[id])
		}
	}

	req := newRequest(http.MethodGet, path+".csv", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	cresp := e.do(req)
	body := readBody(t, cresp)
	wantStatus(t, cresp, http.StatusOK, body)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 {
		t.Fatalf("%d rows, want a header and %d:\n%s", len(rows), len(want), body)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	swap, ok := col["swap_ms"]
	if !ok {
		t.Fatalf("no swap_ms column in %q", rows[0])
	}
	for _, r := range rows[1:] {
		if id := r[col["id"]]; r[swap] != wantCell[id] {
			t.Errorf("%s (%s): swap_ms cell %q, want %q", id, r[col["type"]], r[swap], wantCell[id])
		}
	}
}

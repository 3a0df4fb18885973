package app

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"copylab/experiments"
)

// exportTally is what a person computes from the raw export alone, per
// variant, to check the results: visitors are the distinct visitors of
// the counted exposures (and, the same number, the lines with first),
// conversions the counted conversions; the excluded are the distinct
// visitors of the exposures ignored as multiple_variants, and of the
// matched exposures ignored as bot.
type exportTally struct {
	Visitors, Firsts, Conversions map[string]int
	Multiple, Bots                int
}

// tallyExport computes an exportTally from the export's rows, each a
// field name → value map, as the NDJSON's or the CSV's (fmt.Sprint of
// the NDJSON's values, so that a bool reads as the CSV's "true").
func tallyExport(rows []map[string]string) exportTally {
	t := exportTally{Visitors: map[string]int{}, Firsts: map[string]int{}, Conversions: map[string]int{}}
	seen := map[string]bool{}
	multiple, bots := map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		counted := r["counted"] == "true"
		switch {
		case r["type"] == experiments.EventExposure && counted:
			if k := r["variant"] + "\x00" + r["visitor"]; !seen[k] {
				seen[k] = true
				t.Visitors[r["variant"]]++
			}
			if r["first"] == "true" {
				t.Firsts[r["variant"]]++
			}
		case r["type"] == experiments.EventConversion && counted:
			t.Conversions[r["variant"]]++
		case r["type"] == experiments.EventExposure && r["ignored"] == experiments.ReasonMultipleVariants:
			multiple[r["visitor"]] = true
		case r["type"] == experiments.EventExposure && r["ignored"] == experiments.ReasonBot && r["matched"] == "true":
			bots[r["visitor"]] = true
		}
	}
	t.Multiple, t.Bots = len(multiple), len(bots)
	return t
}

// TestH5EventsExportReproducesResults: from the raw export alone, a
// person gets the results' visitors and conversions per variant, and
// their excluded visitors, for a mix of visitors: clean ones, repeat
// page views, a conversion sent without a variant and one naming another
// variant (both credited to the visitor's), a conversion with no
// exposure, a second conversion, and visitors taken out of the results
// after their events were stored: one who saw a second variant, one a
// later request called a bot, one who did both. Their earlier events
// come out as the results treat them now (not counted, with the
// results' reason), in both formats.
func TestH5EventsExportReproducesResults(t *testing.T) {
	e, tok, site, x := exportEnv(t)
	old := eventsExportPage
	eventsExportPage = 4 // a visitor's events on several pages
	t.Cleanup(func() { eventsExportPage = old })
	ids := map[string]string{}
	send := func(visitor, ua string, bot bool, evs ...map[string]any) {
		t.Helper()
		for _, ev := range evs {
			name := ev["id"].(string)
			id := uuid.Must(uuid.NewV7()).String()
			ids[name] = id
			ev["id"], ev["experiment"] = id, x.ID
			if ev["url"] == nil {
				ev["url"] = "https://example.com/pricing"
			}
		}
		body := map[string]any{"site": site.Key, "visitor": visitor, "events": evs}
		if bot {
			body["bot"] = true
		}
		postExportEvents(t, e, ua, body)
	}
	exp := func(name, variant string) map[string]any {
		return map[string]any{"id": name, "type": "exposure", "variant": variant, "matched": true}
	}
	conv := func(name, variant string) map[string]any {
		ev := map[string]any{"id": name, "type": "conversion", "goal": "click"}
		if variant != "" {
			ev["variant"] = variant
		}
		return ev
	}
	send("clean-c", "", false, exp("clean-c 1", "control"))
	send("clean-c", "", false, exp("clean-c 2", "control"))
	send("clean-c", "", false, conv("clean-c conv", "control"))
	send("clean-b", "", false, exp("clean-b 1", "b"))
	send("clean-b", "", false, conv("clean-b conv", "")) // a backend's, without a variant
	send("other-b", "", false, exp("other-b 1", "b"))
	send("other-b", "", false, conv("other-b conv", "control")) // naming the other variant
	for i := range 3 {
		send("repeat-c", "", false, exp("repeat-c "+itoa(i), "control"))
	}
	send("twice-c", "", false, exp("twice-c 1", "control"), conv("twice-c conv", ""))
	send("twice-c", "", false, conv("twice-c conv 2", ""))
	send("switcher", "", false, exp("switcher 1", "control"), conv("switcher conv", "control"))
	send("switcher", "", false, exp("switcher 2", "b"))
	send("later-bot", "", false, exp("later-bot 1", "b"), conv("later-bot conv", "b"))
	send("later-bot", "", true, conv("later-bot flag", "b"))
	send("switch-bot", "", false, exp("switch-bot 1", "control"))
	send("switch-bot", "", false, exp("switch-bot 2", "b"))
	send("switch-bot", "", true, exp("switch-bot 3", "b"))
	send("tool", "curl/8.5.0", false, exp("tool 1", "control"))
	send("stranger", "", false, conv("stranger conv", "b"))

	base := "/api/v1/experiments/" + x.ID + "/events"
	resp, lines, raw := getExport(t, e, tok, base)
	wantStatus(t, resp, http.StatusOK, raw)
	var rows []map[string]string
	byName := map[string]map[string]any{}
	names := map[string]string{}
	for name, id := range ids {
		names[id] = name
	}
	for _, l := range lines {
		r := map[string]string{}
		for k, v := range l {
			r[k] = fmt.Sprint(v)
		}
		rows = append(rows, r)
		byName[names[r["id"]]] = l
	}
	if len(rows) != len(ids) {
		t.Fatalf("%d lines for %d events:\n%s", len(rows), len(ids), raw)
	}

	resp, res := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	results := exportTally{Visitors: map[string]int{}, Firsts: map[string]int{}, Conversions: map[string]int{}}
	for _, v := range res["variants"].([]any) {
		v := v.(map[string]any)
		key := v["key"].(string)
		results.Visitors[key] = int(v["exposures"].(float64))
		results.Firsts[key] = results.Visitors[key]
		results.Conversions[key] = int(v["conversions"].(float64))
	}
	excl := res["excluded"].(map[string]any)
	results.Multiple, results.Bots = int(excl["multiple_variants"].(float64)), int(excl["bots"].(float64))
	// The results are what the counting rules say, so that the test does
	// not pass on an export and results that are wrong alike.
	want := exportTally{
		Visitors:    map[string]int{"control": 3, "b": 2}, // clean-c, repeat-c, twice-c; clean-b, other-b
		Firsts:      map[string]int{"control": 3, "b": 2},
		Conversions: map[string]int{"control": 2, "b": 2}, // clean-c, twice-c; clean-b, other-b
		Multiple:    1,                                    // switcher
		Bots:        3,                                    // later-bot, switch-bot, tool
	}
	if !reflect.DeepEqual(results, want) {
		t.Fatalf("the results API says %+v, want %+v", results, want)
	}
	if got := tallyExport(rows); !reflect.DeepEqual(got, results) {
		t.Errorf("from the NDJSON export: %+v\n      the results API says: %+v", got, results)
	}

	req := newRequest(http.MethodGet, base+".csv", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	cresp := e.do(req)
	body := readBody(t, cresp)
	wantStatus(t, cresp, http.StatusOK, body)
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var csvRows []map[string]string
	for _, rec := range records[1:] {
		r := map[string]string{}
		for i, name := range records[0] {
			r[name] = rec[i]
		}
		csvRows = append(csvRows, r)
	}
	if got := tallyExport(csvRows); !reflect.DeepEqual(got, results) {
		t.Errorf("from the CSV export: %+v\n   the results API says: %+v", got, results)
	}

	// The events of the visitors taken out later say so, with the
	// results' reasons; a conversion's variant is the one credited, and
	// sent_variant what its sender wrote; first marks the one exposure
	// that counts each counted visitor.
	for _, tt := range []struct {
		name                string
		variant, sent       string
		counted, first, bot bool
		ignored             string
	}{
		{"clean-c 1", "control", "control", true, true, false, ""},
		{"clean-c 2", "control", "control", true, false, false, ""},
		{"clean-c conv", "control", "control", true, false, false, ""},
		{"clean-b conv", "b", "", true, false, false, ""},
		{"other-b conv", "b", "control", true, false, false, ""},
		{"repeat-c 0", "control", "control", true, true, false, ""},
		{"repeat-c 2", "control", "control", true, false, false, ""},
		{"twice-c conv 2", "control", "", false, false, false, experiments.ReasonAlreadyConverted},
		{"switcher 1", "control", "control", false, false, false, experiments.ReasonMultipleVariants},
		{"switcher conv", "control", "control", false, false, false, experiments.ReasonMultipleVariants},
		{"switcher 2", "b", "b", false, false, false, experiments.ReasonMultipleVariants},
		{"later-bot 1", "b", "b", false, false, true, experiments.ReasonBot},
		{"later-bot conv", "b", "b", false, false, true, experiments.ReasonBot},
		{"switch-bot 1", "control", "control", false, false, true, experiments.ReasonBot},
		{"switch-bot 2", "b", "b", false, false, true, experiments.ReasonBot},
		{"tool 1", "control", "control", false, false, true, experiments.ReasonBot},
		{"stranger conv", "b", "b", false, false, false, experiments.ReasonNoExposure},
	} {
		l := byName[tt.name]
		got := []any{l["variant"], l["sent_variant"], l["counted"], l["first"], l["bot"], l["ignored"]}
		if want := []any{tt.variant, tt.sent, tt.counted, tt.first, tt.bot, tt.ignored}; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: variant, sent_variant, counted, first, bot, ignored = %v, want %v", tt.name, got, want)
		}
	}
}

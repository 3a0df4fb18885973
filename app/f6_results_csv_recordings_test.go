package app

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments/recorders"
)

// TestResultsCSVRecordingsInstructions: the results CSV's recordings
// column carries what the results document gives a reader to find a
// variant's recordings: its list_url where a recorder has a list a link
// can filter (PostHog), and otherwise its instructions (Clarity, Hotjar
// and the others), which it used to drop, leaving the cell empty. The
// page's download, the API's and the share link's are the same file.
func TestResultsCSVRecordingsInstructions(t *testing.T) {
	for _, tt := range []struct {
		name string
		set  recorders.Settings
		want func(id, variant string) string
	}{
		{"Clarity", recorders.Settings{Clarity: &recorders.Clarity{ProjectID: "clar1ty"}}, func(id, v string) string {
			return "In Clarity, filter recordings by the custom tags copylab_variant = " + v + " and copylab_experiment = " + id + "."
		}},
		{"Clarity and Hotjar", recorders.Settings{Clarity: &recorders.Clarity{ProjectID: "clar1ty"}, Hotjar: &recorders.Hotjar{SiteID: "123"}},
			func(id, v string) string {
				return "In Clarity, filter recordings by the custom tags copylab_variant = " + v + " and copylab_experiment = " + id + "." +
					" In Hotjar, filter recordings by the event " + recorders.HotjarEvent(id, v) + "."
			}},
		{"PostHog and Clarity", recorders.Settings{PostHog: &recorders.PostHog{Host: "https://us.posthog.com", ProjectID: "12345"},
			Clarity: &recorders.Clarity{ProjectID: "clar1ty"}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			tok := e.token("api@example.com")
			site := e.site("Shop")
			if _, err := e.store.UpdateSiteRecorders(context.Background(), site.ID, tt.set); err != nil {
				t.Fatal(err)
			}
			x := e.transition(e.experiment(site.ID, "Hero").ID, "start")
			_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")

			files := map[string][][]string{"page": resultsCSVRows(t, c, x.ID, "results")}
			for name, path := range map[string]string{"share": "/r/" + x.ShareToken + "/results.csv", "api": "/api/v1/experiments/" + x.ID + "/results.csv"} {
				req := newRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp := e.do(req)
				body := readBody(t, resp)
				wantStatus(t, resp, http.StatusOK, body)
				files[name] = csvRowsOf(t, body)
			}
			for name, rows := range files {
				col := csvColumn(t, rows[0], "recordings")
				for i, v := range doc["variants"].([]any) {
					recs := v.(map[string]any)["recordings"].(map[string]any)
					key, got := rows[i+1][0], rows[i+1][col]
					var want string
					if tt.want != nil {
						want = tt.want(x.ID, key)
						if recs["list_url"] != nil {
							t.Fatalf("%s: the document has a list_url %v", key, recs["list_url"])
						}
						var ins []string
						for _, s := range recs["instructions"].([]any) {
							ins = append(ins, s.(string))
						}
						if doc := strings.Join(ins, " "); doc != want {
							t.Fatalf("%s: the document's instructions %q, want %q", key, doc, want)
						}
					} else {
						want = recs["list_url"].(string)
					}
					if got != want {
						t.Errorf("%s file: %s's recordings\n %q\nwant\n %q", name, key, got, want)
					}
				}
			}
		})
	}
}

// csvRowsOf reads a CSV file's rows.
func csvRowsOf(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, body)
	}
	return rows
}

package simulate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRunRefusesNothingToSend: a running test whose traffic share, or
// whose every variant's split, was lowered to 0 takes no visitor, so Run
// sends nothing and says why (a *RefusalError and a zero Report), rather
// than reporting "requests 0" as a run that went well.
func TestRunRefusesNothingToSend(t *testing.T) {
	for _, tt := range []struct {
		name, experiment string // its JSON in the site's config
		want             string
	}{
		{"a share of 0%", `{"id":"x","seed":"s","coverage_bp":0,"goal":{"type":"click"},` +
			`"variants":[{"key":"control","weight_bp":5000},{"key":"b","weight_bp":5000}]}`,
			"simulate: experiment x has a traffic share of 0%, so no visitor takes part in it and there is nothing to send."},
		{"every split at 0%", `{"id":"x","seed":"s","coverage_bp":10000,"goal":{"type":"click"},` +
			`"variants":[{"key":"control","weight_bp":0},{"key":"b","weight_bp":0}]}`,
			"simulate: every variant of experiment x gets 0% of the split, so no visitor takes part in it and there is nothing to send."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var posts atomic.Int64
			mux := http.NewServeMux()
			mux.HandleFunc("GET /s/k.json", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"site":"k","experiments":[` + tt.experiment + `]}`))
			})
			mux.HandleFunc("POST /e", func(w http.ResponseWriter, r *http.Request) {
				posts.Add(1)
				w.WriteHeader(http.StatusNoContent)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			rep, err := Run(context.Background(), Options{URL: srv.URL, Site: "k", Experiment: "x", Visitors: 50,
				Rates: map[string]float64{"control": 0.1, "b": 0.1}, Concurrency: 2, Seed: 1})
			var refused *RefusalError
			if !errors.As(err, &refused) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Run: %v, want a refusal starting %q", err, tt.want)
			}
			if rep.Visitors != 0 || posts.Load() != 0 {
				t.Errorf("a report of %d visitors, %d requests sent; want none", rep.Visitors, posts.Load())
			}
		})
	}
}

package simulate

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

// TestNotCounted reads what copylab's X-Copylab header on accepted events
// says it did not count (app/events_post.go storedHeader writes it).
func TestNotCounted(t *testing.T) {
	for _, tt := range []struct {
		name, header string
		n            int
		reasons      []string
	}{
		{"every event counted", "", 0, nil},
		{"a bot's", "stored; 2 not counted: bot", 2, []string{"bot"}},
		{"several reasons", "stored; 3 not counted: experiment_not_running, bot", 3, []string{"bot", "experiment_not_running"}},
		{"a deleted test's and a skipped one", "nothing stored; 1 not stored: experiment_deleted; 1 skipped: unknown_experiment",
			2, []string{"experiment_deleted", "unknown_experiment"}},
		{"received before", "stored; 1 already received", 0, nil},
		{"kept without replay", "stored; 1 kept without replay: replay_too_long", 0, nil},
		{"another server's", "hello; world", 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := notCounted(tt.header)
			if u.n != tt.n || !reflect.DeepEqual(u.reasons, tt.reasons) {
				t.Errorf("notCounted(%q) = %d %q, want %d %q", tt.header, u.n, u.reasons, tt.n, tt.reasons)
			}
		})
	}
}

// TestVerifyNotCounted: Run's check compares the stored counts with what
// copylab's answers said it counted. Events it said were a bot's are
// expected among its excluded bots, not its visitors; and a loss is still
// a loss, of visitors or of bots.
func TestVerifyNotCounted(t *testing.T) {
	for _, tt := range []struct {
		name            string
		bot             bool  // answers say "not counted: bot"
		visitors, bots  int64 // how much the stored counts grow
		want            string
		wantBots, wantV int // the report's bots, and its counted visitors
	}{
		{"bots, counted as bots", true, 0, 20, "ok: the stored visitors and conversions grew by exactly what copylab counted, and its excluded bots by 20", 20, 0},
		{"bots, some lost", true, 0, 15, "MISMATCH: bots: +15, marked as bots in copylab's answers 20 (lost 5)", 20, 0},
		{"people, lost", false, 12, 0, "MISMATCH: ", 0, 20},
		{"people, counted", false, 20, 0, "ok: the stored visitors and conversions grew by exactly what was acknowledged (0 lost, 0 duplicated)", 0, 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var gets atomic.Int64
			mux := http.NewServeMux()
			mux.HandleFunc("GET /s/k.json", func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(`{"site":"k","experiments":[{"id":"x","seed":"s","coverage_bp":10000,"goal":{"type":"click"},` +
					`"variants":[{"key":"control","weight_bp":10000}]}]}`))
			})
			mux.HandleFunc("POST /e", func(w http.ResponseWriter, r *http.Request) {
				var body struct{ Events []json.RawMessage }
				b, _ := io.ReadAll(r.Body)
				if err := json.Unmarshal(b, &body); err != nil {
					t.Error(err)
				}
				if tt.bot {
					w.Header().Set("X-Copylab", "stored; "+itoa(len(body.Events))+" not counted: bot")
				}
				w.WriteHeader(http.StatusNoContent)
			})
			mux.HandleFunc("GET /api/v1/experiments/x/results", func(w http.ResponseWriter, r *http.Request) {
				v, bots := int64(0), int64(0)
				if gets.Add(1) > 1 {
					v, bots = tt.visitors, tt.bots
				}
				json.NewEncoder(w).Encode(map[string]any{"variants": []any{map[string]any{"key": "control", "exposures": v, "conversions": 0}},
					"excluded": map[string]any{"bots": bots}})
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			rep, err := Run(context.Background(), Options{URL: srv.URL, Site: "k", Experiment: "x", Visitors: 20,
				Rates: map[string]float64{"control": 0}, Concurrency: 2, Seed: 1, Token: "t", Client: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(rep.Verification, tt.want) || rep.Verified != strings.HasPrefix(tt.want, "ok") {
				t.Errorf("verification %q (verified %v), want it to start %q", rep.Verification, rep.Verified, tt.want)
			}
			if rep.Bots != tt.wantBots || rep.Exposures["control"] != tt.wantV || rep.UncountedVisitors["control"] != 20-tt.wantV {
				t.Errorf("report: %d bots, %d visitors counted, %d not; want %d, %d, %d",
					rep.Bots, rep.Exposures["control"], rep.UncountedVisitors["control"], tt.wantBots, tt.wantV, 20-tt.wantV)
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestEventsOneIDTwoEvents: one body that gives the same id to two events
// that differ (a backend that derives ids from an order number, sending
// the conversions of two tests together) is refused, 422 duplicate_id
// naming the second event, in the shape of every /e refusal, and counted
// by the rejected metric. It used to be stored as one event ("stored; 1
// already received"), and the other conversion was lost without a word.
// The same event sent twice in one body is still stored once: a resend
// is harmless, in one request as across two.
func TestEventsOneIDTwoEvents(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"}; c.RateIP, c.RateSite = -1, -1 })
	site, x := e.runningExperiment()
	y := e.transition(e.experiment(site.ID, "Pricing").ID, "start")

	id := uuid.Must(uuid.NewV7()).String()
	conv := func(expID string) map[string]any {
		return map[string]any{"id": id, "type": "conversion", "experiment": expID, "goal": "click", "url": "https://example.com/thanks"}
	}
	upper := conv(y.ID)
	upper["id"] = strings.ToUpper(id) // the same UUID, spelt in capitals
	other := exposureEv(x.ID, "b")

	tests := []struct {
		name   string
		events []map[string]any
		field  string // the second event's id
		of     string // the event whose id it repeats
	}{
		{"two tests' conversions", []map[string]any{conv(x.ID), conv(y.ID)}, "events[1].id", "events[0]"},
		{"after another event", []map[string]any{other, conv(x.ID), conv(y.ID)}, "events[2].id", "events[1]"},
		{"in capitals", []map[string]any{conv(x.ID), upper}, "events[1].id", "events[0]"},
		{"beside a test the site does not have", []map[string]any{conv(x.ID), conv("0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b")}, "events[1].id", "events[0]"},
		{"another goal", []map[string]any{conv(x.ID), func() map[string]any { c := conv(x.ID); c["goal"] = "signup"; return c }()}, "events[1].id", "events[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, raw := e.postEventsAs(evBodyOf(site.Key, "visitor-dup", tt.events...), recDesktopUA)
			wantStatus(t, resp, http.StatusUnprocessableEntity, raw)
			publicHeadersOK(t, resp)
			var out struct {
				Error apiErrorBody `json:"error"`
			}
			if err := json.Unmarshal([]byte(raw), &out); err != nil {
				t.Fatalf("not JSON: %s", raw)
			}
			if out.Error.Code != "duplicate_id" || out.Error.Field != tt.field {
				t.Errorf("error %+v, want duplicate_id on %s", out.Error, tt.field)
			}
			if second := strings.TrimSuffix(tt.field, ".id"); !strings.Contains(out.Error.Message, second) || !strings.Contains(out.Error.Message, tt.of) {
				t.Errorf("message %q does not name %s and %s", out.Error.Message, second, tt.of)
			}
			if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: duplicate_id: ") {
				t.Errorf("X-Copylab %q", h)
			}
		})
	}
	if n := e.eventRows(); n != 0 {
		t.Errorf("refused bodies stored %d events", n)
	}

	// The same event twice in one body: stored once, as before.
	same := conv(x.ID)
	resp, raw := e.postEventsAs(evBodyOf(site.Key, "visitor-dup", other, same, same), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, raw)
	if n := e.eventRows(); n != 2 {
		t.Errorf("%d events stored, want 2 (the exposure, the conversion once)", n)
	}

	resp = e.do(newRequest(http.MethodGet, "/metrics", nil))
	page := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, page)
	if want := `copylab_events_rejected_total{code="duplicate_id"} 5` + "\n"; !strings.Contains(page, want) {
		t.Errorf("metrics lack %q", want)
	}
}

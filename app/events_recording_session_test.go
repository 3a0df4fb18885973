package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestEventsRecordingSessionDropped: POST /e with a recording whose replay
// URL links to it by itself (FullStory, LogRocket) but whose session id
// copylab cannot use. The recording is stored with its replay and without
// the session, X-Copylab says the session was dropped and why, after what
// else it says, and /metrics counts it apart from the skipped ones. A
// PostHog one, whose link needs the session, is still skipped. Before,
// every one of them was skipped.
func TestEventsRecordingSessionDropped(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} })
	site, x := e.runningExperiment()
	fs := "https://app.fullstory.com/ui/o-1/session/123%3A456"
	lr := "https://app.logrocket.com/abc123/shop/s/1-2-3"
	long := strings.Repeat("s", 201)
	tests := []struct {
		name   string
		events []map[string]any
		header string
	}{
		{"FullStory session too long", []map[string]any{exposureEv(x.ID, "b"), recEvent(x.ID, "b", "fullstory", long, fs)},
			"stored; 1 kept without session: recording_session_too_long"},
		{"beside a skipped one and a dropped replay", []map[string]any{recEvent(x.ID, "b", "posthog", long, "https://us.posthog.com/project/1/replay/ph-1"),
			recEvent(x.ID, "b", "logrocket", "lr\x01", lr), recEvent(x.ID, "b", "clarity", "u1/s1", "ftp://x")},
			"stored; 1 skipped: recording_session_too_long; 1 kept without replay: recording_replay_invalid; 1 kept without session: recording_session_invalid"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visitor := "s" + string(rune('a'+i))
			resp, body := e.postEventsAs(evBodyOf(site.Key, visitor, tt.events...), recDesktopUA)
			wantStatus(t, resp, http.StatusNoContent, body)
			if h := resp.Header.Get("X-Copylab"); h != tt.header {
				t.Errorf("X-Copylab %q, want %q", h, tt.header)
			}
		})
	}
	rows, err := e.store.Reader().Query(`select visitor, recorder, session, replay from recordings order by visitor, recorder`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v, r, s, rp string
		if err := rows.Scan(&v, &r, &s, &rp); err != nil {
			t.Fatal(err)
		}
		got = append(got, v+" "+r+" "+s+" "+rp)
	}
	want := []string{"sa fullstory  " + fs, "sb clarity u1/s1 ", "sb logrocket  " + lr}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recordings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	resp := e.do(newRequest(http.MethodGet, "/metrics", nil))
	metrics := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, metrics)
	wantContains(t, metrics,
		`copylab_recording_sessions_dropped_total{reason="recording_session_invalid"} 1`,
		`copylab_recording_sessions_dropped_total{reason="recording_session_too_long"} 1`,
		`copylab_events_skipped_total{reason="recording_session_too_long"} 1`)
}

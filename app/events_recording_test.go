package app

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestEventsRecordingSkipped: POST /e from the outside, as the tag sends
// it, with a recording whose session or replay URL (the page's recorder
// chose them) copylab cannot use. The exposure and conversion of the
// same batch are stored and counted, the answer is 204, X-Copylab says
// what was skipped and why, and /metrics counts it by reason. Before, the
// whole batch was refused with a 400 and the tag dropped it.
func TestEventsRecordingSkipped(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} })
	site, x := e.runningExperiment()
	tests := []struct {
		name   string
		rec    map[string]any
		header string
	}{
		{"session too long", recEvent(x.ID, "b", "posthog", strings.Repeat("s", 201), ""),
			"stored; 1 skipped: recording_session_too_long"},
		{"custom session with a newline", recEvent(x.ID, "b", "custom", "abc\ndef", ""),
			"stored; 1 skipped: recording_session_invalid"},
		{"Hotjar session as a number", map[string]any{"id": "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a60", "type": "recording", "experiment": x.ID,
			"variant": "b", "recorder": "hotjar", "session": 42}, "stored; 1 skipped: recording_session_invalid"},
		{"javascript replay", recEvent(x.ID, "b", "fullstory", "", "javascript:alert(document.cookie)"),
			"stored; 1 skipped: recording_replay_invalid"},
		{"replay too long", recEvent(x.ID, "b", "logrocket", "", "https://app.logrocket.com/"+strings.Repeat("a", 2048)),
			"stored; 1 skipped: recording_replay_too_long"},
		{"nothing to link", recEvent(x.ID, "b", "posthog", "", ""),
			"stored; 1 skipped: recording_no_session"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visitor := "v" + string(rune('a'+i))
			resp, body := e.postEventsAs(evBodyOf(site.Key, visitor, exposureEv(x.ID, "b"), tt.rec, conversionEv(x.ID)), recDesktopUA)
			wantStatus(t, resp, http.StatusNoContent, body)
			if h := resp.Header.Get("X-Copylab"); h != tt.header {
				t.Errorf("X-Copylab %q, want %q", h, tt.header)
			}
			if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "X-Copylab") {
				t.Error("the page's scripts cannot read X-Copylab")
			}
		})
	}

	// With not-counted events, and with nothing but skipped recordings.
	resp, body := e.postEventsAs(evBodyOf(site.Key, "late", conversionEv(x.ID), recEvent(x.ID, "b", "posthog", strings.Repeat("s", 300), "")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	if h, want := resp.Header.Get("X-Copylab"), "stored; 1 not counted: no_exposure; 1 skipped: recording_session_too_long"; h != want {
		t.Errorf("X-Copylab %q, want %q", h, want)
	}
	resp, body = e.postEventsAs(evBodyOf(site.Key, "only",
		recEvent(x.ID, "b", "posthog", strings.Repeat("s", 300), ""), recEvent(x.ID, "b", "fullstory", "", "ftp://x"),
		recEvent(x.ID, "b", "clarity", "u/\x7f", "")), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	if h, want := resp.Header.Get("X-Copylab"), "nothing stored; 3 skipped: recording_replay_invalid, recording_session_invalid, recording_session_too_long"; h != want {
		t.Errorf("X-Copylab %q, want %q", h, want)
	}

	n := int64(len(tests))
	counts, err := e.store.Counts(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range counts.Variants {
		if v.Key == "b" && (v.Exposures != n || v.Conversions != n) {
			t.Errorf("b: %d exposures, %d conversions; want %d and %d", v.Exposures, v.Conversions, n, n)
		}
	}
	var recs int
	e.store.Reader().QueryRow(`select count(*) from recordings`).Scan(&recs)
	if recs != 0 {
		t.Errorf("%d recordings stored, want none", recs)
	}

	resp = e.do(newRequest(http.MethodGet, "/metrics", nil))
	metrics := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, metrics)
	wantContains(t, metrics,
		`copylab_events_skipped_total{reason="recording_session_too_long"} 3`,
		`copylab_events_skipped_total{reason="recording_session_invalid"} 3`,
		`copylab_events_skipped_total{reason="recording_replay_invalid"} 2`,
		`copylab_events_skipped_total{reason="recording_replay_too_long"} 1`,
		`copylab_events_skipped_total{reason="recording_no_session"} 1`,
		"copylab_events_accepted_total 13\n", // 6 × (exposure, conversion), and the late conversion
		`copylab_http_requests_total{group="events",status="204"} 8`)
	wantNotContains(t, metrics, "copylab_events_rejected_total{")
}

// TestEventsRecordingRecorderRefused: the recorder's name is the tag's own
// field, so a name it never sends still refuses the body, exposure and
// all, with the reason in X-Copylab.
func TestEventsRecordingRecorderRefused(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	resp, body := e.postEventsAs(evBodyOf(site.Key, "v1", exposureEv(x.ID, "b"), recEvent(x.ID, "b", "smartlook", "s1", "")), recDesktopUA)
	wantStatus(t, resp, http.StatusBadRequest, body)
	var out struct {
		Error apiErrorBody `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || out.Error.Code != experiments.CodeInvalidRecorder || out.Error.Field != "events[1].recorder" {
		t.Errorf("body %s (%v)", body, err)
	}
	if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: invalid_recorder: ") {
		t.Errorf("X-Copylab %q", h)
	}
	var events int
	e.store.Reader().QueryRow(`select count(*) from events`).Scan(&events)
	if events != 0 {
		t.Errorf("%d events stored from a refused body", events)
	}
}

// TestEventsRecordingReplayDropped: POST /e with a recording whose session
// id links to it by itself (PostHog, Clarity, Hotjar, custom) but whose
// replay URL copylab cannot use. The recording is stored with its session
// and without the URL, and X-Copylab says the replay was dropped and why,
// after what else it says. A FullStory one, whose link needs the URL, is
// still skipped. Before, every one of them was skipped.
func TestEventsRecordingReplayDropped(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.MetricsAllow = []string{"0.0.0.0/32"} })
	site, x := e.runningExperiment()
	long := "https://us.posthog.com/project/1/replay/ph-2?x=" + strings.Repeat("a", 2048)
	tests := []struct {
		name   string
		events []map[string]any
		header string
	}{
		{"PostHog javascript replay", []map[string]any{exposureEv(x.ID, "b"), recEvent(x.ID, "b", "posthog", "ph-1", "javascript:alert(1)")},
			"stored; 1 kept without replay: recording_replay_invalid"},
		{"beside a skipped one", []map[string]any{recEvent(x.ID, "b", "posthog", strings.Repeat("s", 201), ""),
			recEvent(x.ID, "b", "clarity", "u1/s1", long), recEvent(x.ID, "b", "fullstory", "fs-1", "ftp://x")},
			"stored; 2 skipped: recording_replay_invalid, recording_session_too_long; 1 kept without replay: recording_replay_too_long"},
		{"not counted, and two dropped", []map[string]any{conversionEv(x.ID), recEvent(x.ID, "b", "hotjar", "7f2c-11", "ftp://x"),
			recEvent(x.ID, "b", "custom", "c-1", long)},
			"stored; 1 not counted: no_exposure; 2 kept without replay: recording_replay_invalid, recording_replay_too_long"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visitor := "d" + string(rune('a'+i))
			resp, body := e.postEventsAs(evBodyOf(site.Key, visitor, tt.events...), recDesktopUA)
			wantStatus(t, resp, http.StatusNoContent, body)
			if h := resp.Header.Get("X-Copylab"); h != tt.header {
				t.Errorf("X-Copylab %q, want %q", h, tt.header)
			}
		})
	}
	// The same PostHog session again, from the next page view, with a
	// good URL: a duplicate, whose URL the stored recording takes.
	good := "https://us.posthog.com/project/1/replay/ph-1?t=5"
	resp, body := e.postEventsAs(evBodyOf(site.Key, "da", recEvent(x.ID, "b", "posthog", "ph-1", good)), recDesktopUA)
	wantStatus(t, resp, http.StatusNoContent, body)
	if h, want := resp.Header.Get("X-Copylab"), "stored; 1 already received"; h != want {
		t.Errorf("X-Copylab %q, want %q", h, want)
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
	want := []string{"da posthog ph-1 " + good, "db clarity u1/s1 ", "dc custom c-1 ", "dc hotjar 7f2c-11 "}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recordings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// An operator sees the dropped URLs apart from the skipped recordings.
	resp = e.do(newRequest(http.MethodGet, "/metrics", nil))
	metrics := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, metrics)
	wantContains(t, metrics,
		`copylab_recording_replays_dropped_total{reason="recording_replay_invalid"} 2`,
		`copylab_recording_replays_dropped_total{reason="recording_replay_too_long"} 2`,
		`copylab_events_skipped_total{reason="recording_replay_invalid"} 1`,
		`copylab_events_skipped_total{reason="recording_session_too_long"} 1`)
}

// TestEventsRecordingInvalidText: POST /e with a recorder's session id or
// replay URL that is not valid text (a lone surrogate escape, a byte that
// is not UTF-8): the answer is 204 and X-Copylab says what became of the
// recording, where the strict decoder used to refuse the whole batch as
// invalid_json. The same in the visitor id still refuses it.
func TestEventsRecordingInvalidText(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	body := func(visitor, fields string) []byte {
		exp, _ := json.Marshal(exposureEv(x.ID, "b"))
		return []byte(`{"site":"` + site.Key + `","visitor":"` + visitor + `","events":[` + string(exp) +
			`,{"id":"0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a99","type":"recording","experiment":"` + x.ID + `","variant":"b",` + fields + `}]}`)
	}
	tests := []struct {
		name   string
		body   []byte
		status int
		header string
	}{
		{"lone surrogate session", body("v1", `"recorder":"posthog","session":"\ud800"`), http.StatusNoContent,
			"stored; 1 skipped: recording_session_invalid"},
		{"replay not UTF-8", body("v2", "\"recorder\":\"posthog\",\"session\":\"ph-1\",\"replay\":\"https://us.posthog.com/\xff\""), http.StatusNoContent,
			"stored; 1 kept without replay: recording_replay_invalid"},
		{"visitor too", body(`v\udc00`, `"recorder":"posthog","session":"\ud800"`), http.StatusBadRequest,
			"rejected: invalid_json: The body is not valid JSON at byte 39: invalid surrogate pair `\\udc00\",\"eve` in string."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := e.postEventsAs(tt.body, recDesktopUA)
			wantStatus(t, resp, tt.status, out)
			if h := resp.Header.Get("X-Copylab"); h != tt.header {
				t.Errorf("X-Copylab %q, want %q", h, tt.header)
			}
		})
	}
}

package experiments_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
	"copylab/experiments/recorders"
)

// recordingBody is a POST /e body with "recording" events (maps, so that a
// test can send any field, or none).
func recordingBody(site, visitor string, events ...map[string]any) []byte {
	for _, e := range events {
		if _, ok := e["id"]; !ok {
			e["id"] = evID()
		}
		if _, ok := e["type"]; !ok {
			e["type"] = experiments.EventRecording
		}
	}
	b, err := json.Marshal(map[string]any{"site": site, "visitor": visitor, "events": events})
	if err != nil {
		panic(err)
	}
	return b
}

func TestRecordingsStoredOnceNeverCounted(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	rec := func(variant, recorder, session, replay string) map[string]any {
		m := map[string]any{"experiment": x, "variant": variant, "recorder": recorder, "url": "https://shop.example/"}
		if session != "" {
			m["session"] = session
		}
		if replay != "" {
			m["replay"] = replay
		}
		return m
	}
	ingest := func(body []byte, meta experiments.RequestMeta) experiments.IngestResult {
		t.Helper()
		res, err := in.Ingest(ctx, body, meta)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	// v1 sees b, is recorded by PostHog, and converts; the same session is
	// reported again from the next page view (another event id).
	ingest(evBody(f.site.Key, "v1", false, evExposure(x, "b")), evMeta(evBaseTime))
	res := ingest(recordingBody(f.site.Key, "v1", rec("b", "posthog", "ph-1", "https://us.posthog.com/project/1/replay/ph-1?t=2")), evMeta(evBaseTime.Add(time.Second)))
	if res.Stored != 1 || res.Duplicates != 0 {
		t.Fatalf("first recording: %+v", res)
	}
	res = ingest(recordingBody(f.site.Key, "v1", rec("b", "posthog", "ph-1", "https://us.posthog.com/project/1/replay/ph-1?t=9")), evMeta(evBaseTime.Add(time.Minute)))
	if res.Stored != 0 || res.Duplicates != 1 {
		t.Fatalf("same session again: %+v, want a duplicate", res)
	}
	ingest(evBody(f.site.Key, "v1", false, evConversion(x, "signup")), evMeta(evBaseTime.Add(2*time.Minute)))
	// A new session of the same visitor is another recording; FullStory's
	// URL-only sessions are one per URL without its query.
	ingest(recordingBody(f.site.Key, "v1",
		rec("b", "posthog", "ph-2", ""),
		rec("b", "fullstory", "", "https://app.fullstory.com/ui/o-1/session/a%3Ab?t=1"),
		rec("b", "fullstory", "", "https://app.fullstory.com/ui/o-1/session/a%3Ab?t=5"),
	), evMeta(evBaseTime.Add(3*time.Minute)))
	// v2 sees the control, on a phone, and does not convert.
	phone := evMeta(evBaseTime.Add(4 * time.Minute))
	phone.UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
	phone.Country = "fr"
	ingest(evBody(f.site.Key, "v2", false, evExposure(x, "control")), phone)
	ingest(recordingBody(f.site.Key, "v2", rec("control", "clarity", "u2/s2", "")), phone)
	// A bot's recording is stored, flagged, and never listed.
	bot := evMeta(evBaseTime.Add(5 * time.Minute))
	bot.UserAgent = "Googlebot/2.1 (+http://www.google.com/bot.html)"
	ingest(recordingBody(f.site.Key, "bot1", rec("b", "posthog", "ph-bot", "")), bot)

	// Stored but not listed: a visitor never counted (a recording with no
	// exposure), a recording that names another variant than the
	// visitor's, and a visitor moved out for seeing a second variant.
	ingest(recordingBody(f.site.Key, "v3", rec("b", "posthog", "ph-uncounted", "")), evMeta(evBaseTime.Add(6*time.Minute)))
	ingest(recordingBody(f.site.Key, "v2", rec("b", "posthog", "ph-wrong-variant", "")), evMeta(evBaseTime.Add(7*time.Minute)))
	ingest(evBody(f.site.Key, "v4", false, evExposure(x, "b")), evMeta(evBaseTime.Add(8*time.Minute)))
	ingest(recordingBody(f.site.Key, "v4", rec("b", "posthog", "ph-moved-out", "")), evMeta(evBaseTime.Add(8*time.Minute)))
	ingest(evBody(f.site.Key, "v4", false, evExposure(x, "control")), evMeta(evBaseTime.Add(9*time.Minute)))

	if n := evRows(t, f.s, "recordings"); n != 8 {
		t.Errorf("%d recordings stored, want 8 (v1: 2 PostHog + 1 FullStory; v2: 2; v3: 1; v4: 1; the bot: 1)", n)
	}
	var flagged int
	f.s.Reader().QueryRow(`select count(*) from recordings where bot = 1`).Scan(&flagged)
	if flagged != 1 {
		t.Errorf("%d recordings flagged as bots, want 1", flagged)
	}
	if got := evPairs(evCounts(t, f.s, f.exp)); got["b"] != (evPair{1, 1}) || got["control"] != (evPair{1, 0}) {
		t.Errorf("counts %+v: recordings must not count", got)
	}
	if n := evRows(t, f.s, "events"); n != 5 {
		t.Errorf("%d events, want 5: recordings are not events", n)
	}

	all := experiments.RecorderNames
	list := func(q experiments.RecordingQuery) []string {
		t.Helper()
		q.Experiment = x
		if q.Recorders == nil {
			q.Recorders = all
		}
		got, err := f.s.Recordings(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range got {
			s := r.Variant + ":" + r.Recorder + ":" + r.Session
			if r.Converted {
				s += ":converted"
			}
			out = append(out, s)
		}
		return out
	}
	yes, no := true, false
	tests := []struct {
		name string
		q    experiments.RecordingQuery
		want string
	}{
		{"all, newest first", experiments.RecordingQuery{}, "control:clarity:u2/s2 b:fullstory::converted b:posthog:ph-2:converted b:posthog:ph-1:converted"},
		{"variant b", experiments.RecordingQuery{Variant: "b"}, "b:fullstory::converted b:posthog:ph-2:converted b:posthog:ph-1:converted"},
		{"page of 2", experiments.RecordingQuery{Variant: "b", Limit: 2}, "b:fullstory::converted b:posthog:ph-2:converted"},
		{"converted", experiments.RecordingQuery{Converted: &yes}, "b:fullstory::converted b:posthog:ph-2:converted b:posthog:ph-1:converted"},
		{"not converted", experiments.RecordingQuery{Converted: &no}, "control:clarity:u2/s2"},
		{"mobile", experiments.RecordingQuery{Segment: map[string]string{experiments.DimDevice: "mobile"}}, "control:clarity:u2/s2"},
		{"desktop in Germany", experiments.RecordingQuery{Segment: map[string]string{experiments.DimDevice: "desktop", experiments.DimCountry: "DE"}}, "b:fullstory::converted b:posthog:ph-2:converted b:posthog:ph-1:converted"},
		{"unknown country", experiments.RecordingQuery{Segment: map[string]string{experiments.DimCountry: ""}}, ""},
		{"PostHog only", experiments.RecordingQuery{Recorders: []string{"posthog"}}, "b:posthog:ph-2:converted b:posthog:ph-1:converted"},
		{"no recorder set up", experiments.RecordingQuery{Recorders: []string{}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(list(tt.q), " "); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}

	// Pages follow on with Before.
	first, _ := f.s.Recordings(ctx, experiments.RecordingQuery{Experiment: x, Recorders: all, Limit: 2})
	rest, _ := f.s.Recordings(ctx, experiments.RecordingQuery{Experiment: x, Recorders: all, Limit: 2, Before: first[1].Seq})
	if len(rest) != 2 || rest[0].Session != "ph-2" || rest[1].Session != "ph-1" {
		t.Errorf("second page: %+v", rest)
	}
	counts, err := f.s.RecordingCounts(ctx, x, all)
	if err != nil || counts["b"] != 1 || counts["control"] != 1 {
		t.Errorf("counts %v, %v; want b 1 (v1, recorded three times), control 1 (no bots)", counts, err)
	}
}

// TestRecordingRejects: the fields of a recording that the tag writes
// itself refuse the body. Those the page's recorder chose are skipped
// instead (TestRecordingSkipped).
func TestRecordingRejects(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	ok := func() map[string]any {
		return map[string]any{"experiment": x, "variant": "b", "recorder": "posthog", "session": "s1"}
	}
	with := func(mod func(m map[string]any)) map[string]any { m := ok(); mod(m); return m }
	tests := []struct {
		name   string
		event  map[string]any
		status int
		code   string
		field  string
	}{
		{"unknown recorder", with(func(m map[string]any) { m["recorder"] = "smartlook" }), 400, "invalid_recorder", "events[0].recorder"},
		{"no recorder", with(func(m map[string]any) { delete(m, "recorder") }), 400, "required", "events[0].recorder"},
		{"no variant", with(func(m map[string]any) { delete(m, "variant") }), 400, "required", "events[0].variant"},
		{"unknown variant", with(func(m map[string]any) { m["variant"] = "z" }), 422, "unknown_variant", "events[0].variant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := in.Ingest(ctx, recordingBody(f.site.Key, "v1", tt.event), evMeta(evBaseTime))
			var ie *experiments.IngestError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *IngestError", err)
			}
			if ie.Status != tt.status || ie.Code != tt.code || ie.Field != tt.field {
				t.Errorf("got %d %s %q (%s), want %d %s %q", ie.Status, ie.Code, ie.Field, ie.Message, tt.status, tt.code, tt.field)
			}
			if n := evRows(t, f.s, "recordings"); n != 0 {
				t.Fatalf("%d recordings stored from a rejected body", n)
			}
		})
	}
}

func TestSiteRecorders(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	if got, err := f.s.SiteRecorders(ctx, f.site.ID); err != nil || got != (recorders.Settings{}) {
		t.Fatalf("a new site's recorders: %+v, %v", got, err)
	}
	_, err := f.s.UpdateSiteRecorders(ctx, f.site.ID, recorders.Settings{Custom: "javascript:alert(1)", Clarity: &recorders.Clarity{ProjectID: "bad id!"}})
	var ve experiments.ValidationError
	if !errors.As(err, &ve) || ve.For("custom") == "" || ve.For("clarity.project_id") == "" {
		t.Fatalf("invalid settings: %v, want errors for custom and clarity.project_id", err)
	}
	if got, _ := f.s.SiteRecorders(ctx, f.site.ID); got != (recorders.Settings{}) {
		t.Fatalf("invalid settings were saved: %+v", got)
	}
	saved, err := f.s.UpdateSiteRecorders(ctx, f.site.ID, recorders.Settings{PostHog: &recorders.PostHog{Host: " https://eu.posthog.com/ ", ProjectID: "42"}})
	if err != nil || saved.PostHog.Host != "https://eu.posthog.com" {
		t.Fatalf("save: %+v, %v", saved, err)
	}
	got, err := f.s.SiteRecorders(ctx, f.site.ID)
	if err != nil || got.PostHog == nil || got.PostHog.ProjectID != "42" || got.PostHog.Host != "https://eu.posthog.com" {
		t.Fatalf("read back: %+v, %v", got, err)
	}
	if _, err := f.s.UpdateSiteRecorders(ctx, f.site.ID, recorders.Settings{}); err != nil {
		t.Fatal(err)
	}
	var stored string
	f.s.Reader().QueryRow(`select recorders from sites where id = ?`, f.site.ID).Scan(&stored)
	if stored != "" {
		t.Errorf("no recorder stored as %q, want ''", stored)
	}
	if _, err := f.s.UpdateSiteRecorders(ctx, "nosuchsite", recorders.Settings{}); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("unknown site: %v", err)
	}
}

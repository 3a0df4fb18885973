package experiments_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestRecordingsByVisitor: a visitor recorded by two recorders, or in two
// sessions, is one person. RecordingCounts counts visitors, and
// RecordingTallies visitors and recordings; a listing by visitor
// (RecordingQuery.ByVisitor) gives each visitor once, under their newest
// recording, with their other recordings in Also, and pages by visitor.
func TestRecordingsByVisitor(t *testing.T) {
	f := evNewFixture(t)
	ctx := context.Background()
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	rec := func(variant, recorder, session string) map[string]any {
		return map[string]any{"experiment": x, "variant": variant, "recorder": recorder, "session": session, "url": "https://shop.example/"}
	}
	at := evBaseTime
	send := func(body []byte) {
		t.Helper()
		at = at.Add(time.Second)
		if _, err := in.Ingest(ctx, body, evMeta(at)); err != nil {
			t.Fatal(err)
		}
	}
	// ann (b): PostHog and a custom recorder on her first visit, PostHog
	// again on her second; she converts. bob (control): both recorders.
	// cat (b): PostHog only.
	send(evBody(f.site.Key, "ann", false, evExposure(x, "b")))
	send(recordingBody(f.site.Key, "ann", rec("b", "posthog", "ph-ann-1"), rec("b", "custom", "cs-ann-1")))
	send(evBody(f.site.Key, "bob", false, evExposure(x, "control")))
	send(recordingBody(f.site.Key, "bob", rec("control", "posthog", "ph-bob"), rec("control", "custom", "cs-bob")))
	send(evBody(f.site.Key, "cat", false, evExposure(x, "b")))
	send(recordingBody(f.site.Key, "cat", rec("b", "posthog", "ph-cat")))
	send(recordingBody(f.site.Key, "ann", rec("b", "posthog", "ph-ann-2")))
	send(evBody(f.site.Key, "ann", false, evConversion(x, "signup")))

	names := []string{"posthog", "custom"}
	counts, err := f.s.RecordingCounts(ctx, x, names)
	if err != nil || counts["b"] != 2 || counts["control"] != 1 {
		t.Errorf("counts %v, %v; want b 2 visitors, control 1", counts, err)
	}
	tallies, err := f.s.RecordingTallies(ctx, x, names)
	if err != nil || tallies["b"] != (experiments.RecordingCount{Visitors: 2, Recordings: 4}) ||
		tallies["control"] != (experiments.RecordingCount{Visitors: 1, Recordings: 2}) {
		t.Errorf("tallies %+v, %v; want b 2 visitors with 4 recordings, control 1 with 2", tallies, err)
	}

	list := func(q experiments.RecordingQuery) string {
		t.Helper()
		q.Experiment, q.ByVisitor = x, true
		if q.Recorders == nil {
			q.Recorders = names
		}
		got, err := f.s.Recordings(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range got {
			s := r.Visitor + ":" + r.Session
			for _, o := range r.Also {
				if o.Visitor != r.Visitor || o.Converted != r.Converted || o.Device != r.Device {
					t.Errorf("%s's other recording %+v lacks the visitor's fields", r.Visitor, o)
				}
				s += "+" + o.Session
			}
			if r.Converted {
				s += ":converted"
			}
			out = append(out, s)
		}
		return strings.Join(out, " ")
	}
	yes := true
	for _, tt := range []struct {
		name string
		q    experiments.RecordingQuery
		want string
	}{
		{"every visitor once, newest first", experiments.RecordingQuery{}, "ann:ph-ann-2+cs-ann-1+ph-ann-1:converted cat:ph-cat bob:cs-bob+ph-bob"},
		{"variant b", experiments.RecordingQuery{Variant: "b"}, "ann:ph-ann-2+cs-ann-1+ph-ann-1:converted cat:ph-cat"},
		{"converted", experiments.RecordingQuery{Converted: &yes}, "ann:ph-ann-2+cs-ann-1+ph-ann-1:converted"},
		{"PostHog only", experiments.RecordingQuery{Recorders: []string{"posthog"}}, "ann:ph-ann-2+ph-ann-1:converted cat:ph-cat bob:ph-bob"},
		{"a page of 2 visitors", experiments.RecordingQuery{Limit: 2}, "ann:ph-ann-2+cs-ann-1+ph-ann-1:converted cat:ph-cat"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := list(tt.q); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	first, err := f.s.Recordings(ctx, experiments.RecordingQuery{Experiment: x, Recorders: names, ByVisitor: true, Limit: 2})
	if err != nil || len(first) != 2 {
		t.Fatalf("first page %+v, %v", first, err)
	}
	if got := list(experiments.RecordingQuery{Before: first[1].Seq}); got != "bob:cs-bob+ph-bob" {
		t.Errorf("second page %s, want bob alone", got)
	}
}

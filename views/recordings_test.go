package views

import (
	"strings"
	"testing"
	"time"
)

func TestRecordingsCard(t *testing.T) {
	r := Recordings{
		Configured: true,
		Recorders:  []string{"PostHog", "Microsoft Clarity"},
		Variants: []RecordingVariant{
			{Key: "control", Label: "Control (original)", Sessions: 1, ListURL: "/experiments/x/recordings?variant=control",
				Links: []RecordingLink{{Recorder: "posthog", Label: "PostHog", URL: "https://us.posthog.com/project/1/replay/home?filters=%7B%7D"}}},
			{Key: "b", Label: "Variant B", Index: 1, Sessions: 2, ListURL: "/experiments/x/recordings?variant=b",
				Links: []RecordingLink{{Recorder: "clarity", Label: "Microsoft Clarity", Text: "In Clarity, filter <recordings> by copylab_variant = b."}}},
		},
		List: RecordingList{
			URL:    "/experiments/x/recordings",
			Filter: RecordingFilter{Variant: "b", Converted: "1"},
			Options: RecordingOptions{
				Variants: []RecordingOption{{Value: "control", Label: "Control (original)"}, {Value: "b", Label: "Variant B"}},
				Devices:  []RecordingOption{{Value: "mobile", Label: "Mobile"}},
			},
			Sessions: []RecordingSession{
				{At: time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC), Variant: "Variant B", Index: 1, Converted: true, Segment: "Mobile · France",
					Link: RecordingLink{Recorder: "posthog", Label: "PostHog", URL: "https://us.posthog.com/project/1/replay/s1"}},
				// Package app never passes such a URL; templ must still
				// refuse to make it a link.
				{Variant: "Variant B", Index: 1, Link: RecordingLink{Recorder: "custom", Label: "your recorder", URL: "javascript:alert(1)"}},
				{Variant: "Variant B", Index: 1, Link: RecordingLink{Recorder: "hotjar", Label: "Hotjar", Text: "In Hotjar, filter recordings by the event copylab:x:b."}},
			},
			OlderURL: "/experiments/x/recordings?variant=b&converted=1&before=7",
		},
	}
	doc, raw := renderDoc(t, RecordingsCard(r))
	var hrefs []string
	for _, a := range find(doc, byTag("a")) {
		h, _ := attr(a, "href")
		hrefs = append(hrefs, h)
		if strings.HasPrefix(h, "https://") {
			if v, _ := attr(a, "rel"); v != "noopener noreferrer" {
				t.Errorf("outside link %s has rel %q", h, v)
			}
		}
	}
	for _, want := range []string{"https://us.posthog.com/project/1/replay/home?filters=%7B%7D", "https://us.posthog.com/project/1/replay/s1",
		"/experiments/x/recordings?variant=b", "/experiments/x/recordings?variant=b&converted=1&before=7"} {
		if !recHas(hrefs, want) {
			t.Errorf("no link to %s in %v", want, hrefs)
		}
	}
	for _, h := range hrefs {
		if strings.HasPrefix(strings.ToLower(h), "javascript:") {
			t.Errorf("a javascript: link was rendered")
		}
	}
	if strings.Contains(raw, "<recordings>") {
		t.Error("instructions were not escaped")
	}
	if n := find(doc, byAttr("class", "rec-conv rec-conv-yes")); len(n) != 1 {
		t.Errorf("%d converted marks, want 1", len(n))
	}
	// The filters keep their values, and change swaps the list in place.
	form := find(doc, byTag("form"))
	if len(form) != 1 {
		t.Fatalf("%d forms", len(form))
	}
	if v, _ := attr(form[0], "hx-get"); v != "/experiments/x/recordings" {
		t.Errorf("filter form hx-get %q", v)
	}
	selected := map[string]string{}
	for _, s := range find(doc, byTag("select")) {
		name, _ := attr(s, "name")
		for _, o := range find(s, byTag("option")) {
			if _, ok := attr(o, "selected"); ok {
				selected[name], _ = attr(o, "value")
			}
		}
	}
	if selected["variant"] != "b" || selected["converted"] != "1" || selected["device"] != "" {
		t.Errorf("selected %v", selected)
	}
	if len(find(doc, byAttr("name", "country"))) != 0 {
		t.Error("a filter with no choices is shown")
	}
}

func TestRecordingsCardNotConfigured(t *testing.T) {
	doc, _ := renderDoc(t, RecordingsCard(Recordings{SetupURL: "/sites/s1#recorders"}))
	links := find(doc, byTag("a"))
	if len(links) != 1 {
		t.Fatalf("%d links, want the setup link", len(links))
	}
	if h, _ := attr(links[0], "href"); h != "/sites/s1#recorders" {
		t.Errorf("setup link %q", h)
	}
	// On a share page there is nothing to follow, nor any advice its
	// viewer cannot take: only that no recordings are linked.
	doc, raw := renderDoc(t, RecordingsCard(Recordings{ReadOnly: true}))
	if n := len(find(doc, byTag("a"))); n != 0 {
		t.Errorf("%d links on a read-only card without recorders", n)
	}
	if !strings.Contains(raw, "No session recordings are linked to this test.") || strings.Contains(raw, "link the results") {
		t.Errorf("a read-only card without recorders says:\n%s", raw)
	}
}

func TestRecordingFilterQuery(t *testing.T) {
	tests := []struct {
		name  string
		f     RecordingFilter
		extra []string
		want  string
	}{
		{"none", RecordingFilter{}, nil, ""},
		{"some", RecordingFilter{Variant: "b", Source: "news.example"}, nil, "?variant=b&source=news.example"},
		{"escaped", RecordingFilter{Browser: "a&b=c"}, []string{"before", "12"}, "?browser=a%26b%3Dc&before=12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Query(tt.extra...); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func recHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestRecordingListEmpty: with no recorded session at all the list is an
// empty state with nothing to filter; with sessions, a filter that
// matches none keeps the filters, says so and links back to them all.
func TestRecordingListEmpty(t *testing.T) {
	opts := RecordingOptions{Variants: []RecordingOption{{Value: "control", Label: "Original"}, {Value: "b", Label: "Variant B"}}}
	tests := []struct {
		name      string
		list      RecordingList
		want, not []string
		forms     int
	}{
		{"none yet", RecordingList{URL: "/r/t/recordings", Options: opts},
			[]string{"No recorded sessions yet", "They appear here once"}, []string{"match these filters", "<select"}, 0},
		{"none yet, filtered", RecordingList{URL: "/r/t/recordings", Options: opts, Filter: RecordingFilter{Variant: "b"}},
			[]string{"No recorded sessions yet"}, []string{"match these filters", "<select"}, 0},
		{"none, stopped", RecordingList{URL: "/r/t/recordings", Options: opts, Ended: true},
			[]string{"No sessions were recorded", "None of this test’s visitors"}, []string{"yet", "<select"}, 0},
		{"no match", RecordingList{URL: "/r/t/recordings", Options: opts, Filter: RecordingFilter{Variant: "b", Converted: "1"}, Total: 4},
			[]string{"No recorded sessions match these filters.", ">Show all sessions</a>", ">Clear</a>", `<option value="b" selected>`},
			[]string{"No recorded sessions yet"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, raw := renderDoc(t, RecordingListView(tt.list))
			for _, w := range tt.want {
				if !strings.Contains(raw, w) {
					t.Errorf("lacks %q:\n%s", w, raw)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(raw, n) {
					t.Errorf("contains %q:\n%s", n, raw)
				}
			}
			if n := len(find(doc, byTag("form"))); n != tt.forms {
				t.Errorf("%d filter forms, want %d", n, tt.forms)
			}
			if tt.forms > 0 {
				var back bool
				for _, a := range find(doc, byTag("a")) {
					if h, _ := attr(a, "href"); h == tt.list.URL {
						back = true
					}
				}
				if !back {
					t.Error("no link back to every session")
				}
			}
		})
	}
}

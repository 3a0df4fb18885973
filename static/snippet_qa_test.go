package static

import (
	"bytes"
	"strings"
	"testing"
)

// TestPreviewNotice: the QA build carries its notice's code and, last in
// its config, PreviewLabel; the live tag carries neither, and its bytes
// are the same with or without a PreviewLabel, for every build a site can
// get (the guarded install, a visible-only experiment, recorders).
func TestPreviewNotice(t *testing.T) {
	s := newTestSnippet(t)
	const label = "copylab preview: Pricing headline · Variant C"
	render := func(cfg SnippetConfig) []byte {
		t.Helper()
		js, err := s.Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return js
	}
	code := []string{"attachShadow", `"Exit preview"`, `"-preview"`, `"Hide this notice"`}

	for _, c := range []struct {
		name string
		edit func(*SnippetConfig)
	}{
		{"plain", func(*SnippetConfig) {}},
		{"guard", func(c *SnippetConfig) { c.Guard = true }},
		{"visible", func(c *SnippetConfig) { c.Experiments[0].VisibleOnly = true }},
		{"recorders", func(c *SnippetConfig) { c.Recorders = RecorderNames }},
		{"GPC", func(c *SnippetConfig) { c.HonorGPC = true }},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := budgetConfig()
			c.edit(&cfg)
			without := render(cfg)
			cfg.PreviewLabel = label
			live := render(cfg)
			if !bytes.Equal(live, without) {
				t.Errorf("PreviewLabel changes the live tag:\n%s\nwant\n%s", live, without)
			}
			for _, s := range append(code, "preview") {
				if bytes.Contains(live, []byte(s)) {
					t.Errorf("the live tag contains %s", s)
				}
			}

			cfg.Preview = true
			qa := render(cfg)
			for _, s := range append(code, label) {
				if !bytes.Contains(qa, []byte(s)) {
					t.Errorf("the QA build lacks %s", s)
				}
			}
			slots, _ := config(t, s, cfg, qa).([]any)
			if len(slots) != 6 || slots[5] != label {
				t.Errorf("QA build's config %v, want PreviewLabel in slot 5", slots)
			}
			// With no words, the QA build says "copylab preview" alone.
			cfg.PreviewLabel = ""
			if slots, _ := config(t, s, cfg, render(cfg)).([]any); len(slots) > 5 {
				t.Errorf("QA build's config %v with no PreviewLabel, want no slot 5", slots)
			}
		})
	}
	if js := string(render(SnippetConfig{Site: "k", Preview: true})); !strings.Contains(js, `" preview"`) {
		t.Errorf("the QA build has no words of its own for an empty PreviewLabel")
	}
}

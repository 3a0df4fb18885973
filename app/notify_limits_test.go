package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"

	"copylab/experiments"
)

// TestWebhookMessageWithinLimits: copylab's own messages stay within what
// each receiver takes, however long the names typed into them: a test
// with the most variants, each going missing, with a site name, a test
// name, a selector and a page as long as copylab allows, all in
// characters that Discord escapes. Discord refuses content over 2,000
// characters with 400, and the others refuse or cut long ones; copylab
// cuts the names in what chat tools show (a program gets them whole in
// the generic JSON's fields), then if need be the message's last lines,
// so that each message still starts with its title and ends with its
// link, and says where it was cut ("…").
func TestWebhookMessageWithinLimits(t *testing.T) {
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	for _, tc := range []struct {
		name, url string
		text      func(body map[string]any, raw []byte) string // the message as the receiver reads it
		within    func(body map[string]any, raw []byte) bool
	}{
		{"discord", "http://discord.com/api/webhooks/1/abc",
			func(b map[string]any, _ []byte) string { s, _ := b["content"].(string); return s },
			func(b map[string]any, _ []byte) bool { s, _ := b["content"].(string); return units(s) <= 2000 }},
		{"slack", "http://hooks.slack.com/services/T0/B0/XXX",
			func(b map[string]any, _ []byte) string { s, _ := b["text"].(string); return s },
			func(b map[string]any, _ []byte) bool { s, _ := b["text"].(string); return units(s) <= 4000 }},
		{"teams", "http://acme.webhook.office.com/webhookb2/abc",
			func(b map[string]any, _ []byte) string { s, _ := b["text"].(string); return s },
			func(_ map[string]any, raw []byte) bool { return len(raw) <= 28*1024 }},
		{"workflow", "http://prod-30.centraluseuap.logic.azure.com/workflows/873e29ec/triggers/manual/paths/invoke?sig=s3cret",
			func(_ map[string]any, raw []byte) string { return string(raw) },
			func(_ map[string]any, raw []byte) bool { return len(raw) <= 28*1024 }},
		{"generic", "http://chat.example/hooks/abc",
			func(b map[string]any, _ []byte) string { s, _ := b["text"].(string); return s },
			func(b map[string]any, _ []byte) bool { s, _ := b["text"].(string); return units(s) <= 5000 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			h := newHook(t)
			routeWebhooksTo(t, e, h)
			long := strings.Repeat("*_", experiments.MaxNameLen/2)
			site, err := e.store.CreateSite(ctx, experiments.Site{Name: long, Domain: "example.com"})
			if err != nil {
				t.Fatal(err)
			}
			var vs []experiments.Variant
			for i := range experiments.MaxVariants {
				vs = append(vs, experiments.Variant{Text: "Headline " + itoa(i)})
			}
			selector := `[data-copylab="` + strings.Repeat("-", experiments.MaxSelectorLen-17) + `"]`
			page := "/" + strings.Repeat("(-)", (experiments.MaxPageLen-1)/3)
			x, err := e.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: long, Page: page, Selector: selector,
				Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000, Variants: vs})
			if err != nil {
				t.Fatal(err)
			}
			x = e.transition(x.ID, experiments.ActionStart)
			health := make([][2]int64, len(vs))
			for i := range health {
				health[i] = [2]int64{1000, 99000} // 99% missing: the longest figures
			}
			e.setRecentHealth(x, health...)
			setWebhook(t, e, site.ID, tc.url)
			if n := e.app.notifyOnce(ctx); n != 1 {
				t.Fatalf("sent %d, want the missing element's message", n)
			}
			got := h.received()
			raw, _ := json.Marshal(got[0])
			if !tc.within(got[0], raw) {
				t.Errorf("over the %s limit: %d characters, %d bytes", tc.name, units(tc.text(got[0], raw)), len(raw))
			}
			text := tc.text(got[0], raw)
			results := testPublicURL + "/experiments/" + x.ID + "/results"
			if !strings.Contains(text, "The element is going missing") || !strings.Contains(text, results) || !strings.Contains(text, "Variant B") {
				t.Errorf("the message lost its title, its link or its first variant:\n%s", text)
			}
			// Chat tools show the names cut; programs get them whole.
			if title, _ := got[0]["title"].(string); tc.name == "generic" {
				if want := "The element is going missing: “" + long + "” on " + long; title != want {
					t.Errorf("title %q, want %q", title, want)
				}
			} else if strings.Contains(text, long) || !strings.Contains(text, "…") {
				t.Errorf("the names are not cut:\n%s", text)
			}
			if tc.name != "workflow" && !strings.HasSuffix(text, results) && !strings.HasSuffix(text, results+"|Open the results>") &&
				!strings.HasSuffix(text, "("+results+")") {
				t.Errorf("the link is not last:\n%s", text)
			}
		})
	}
}

// TestFitMessage: a message that fits is left alone; one that does not
// loses its last lines first, then the end of its first line, then of its
// title, and always fits.
func TestFitMessage(t *testing.T) {
	size := func(title, text string) int { return len([]rune(title)) + 1 + len([]rune(text)) }
	for _, tc := range []struct {
		name, title, text string
		max               int
		wantTitle         string
		wantText          string
	}{
		{"fits", "Title", "one\ntwo", 20, "Title", "one\ntwo"},
		{"last line goes", "Title", "one\ntwo\nthree", 16, "Title", "one\ntwo\n…"},
		{"first line cut", "Title", "a long first line\ntwo", 14, "Title", "a long …"},
		{"title cut", "A long title", "one", 8, "A lon…", "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			title, text := fitMessage(tc.title, tc.text, tc.max, size)
			if title != tc.wantTitle || text != tc.wantText {
				t.Errorf("got %q %q, want %q %q", title, text, tc.wantTitle, tc.wantText)
			}
			if size(title, text) > tc.max {
				t.Errorf("%d over %d", size(title, text), tc.max)
			}
		})
	}
}

package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"copylab/experiments"
)

// clusterEnds lists where each character of s, as a person sees it (a
// grapheme cluster), ends: the byte offsets at which s may be cut.
func clusterEnds(s string) []int {
	ends := []int{0}
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		_, to := g.Positions()
		ends = append(ends, to)
	}
	return ends
}

// checkCutWhole fails unless cut is whole (s) or the start of s up to the
// end of one of its characters, followed by "…", in at most max
// characters.
func checkCutWhole(t *testing.T, what, s, cut string, max int) {
	t.Helper()
	if cut == s {
		return
	}
	kept, ok := strings.CutSuffix(cut, "…")
	if !ok || !strings.HasPrefix(s, kept) {
		t.Errorf("%s: %q is not a start of %q with “…”", what, cut, s)
		return
	}
	if !slices.Contains(clusterEnds(s), len(kept)) {
		r, _ := utf8.DecodeRuneInString(s[len(kept):])
		t.Errorf("%s: %q cuts a character in two, before %U", what, cut, r)
	}
	if n := uniseg.GraphemeClusterCount(cut); n > max {
		t.Errorf("%s: %q is %d characters, over %d", what, cut, n, max)
	}
}

// TestWebhookNamesCutWhole: a chat message shortens the names in it
// (clipName), and never so that half a character is left: a flag is two
// code points (🇩🇪), a family seven (👨‍👩‍👧‍👦), and a letter typed with
// its accent as a second code point (NFD "ö") two. Cut by code point, the
// message showed a lone regional letter or a lone man, or the letter
// without its accent. Each name is cut after a whole character, to at
// most clipName characters with its "…", and the message still fits what
// Discord takes.
func TestWebhookNamesCutWhole(t *testing.T) {
	pad := strings.Repeat("x", 78)
	for _, tc := range []struct {
		name, site, experiment string
	}{
		{"flags", pad + "🇩🇪🇫🇷🇮🇹", pad + "🇪🇸🇵🇹🇳🇱"},
		{"families", pad + "👨‍👩‍👧‍👦👨‍👩‍👧‍👦x", pad + "👩‍👩‍👦👨‍👨‍👧x"},
		{"accents typed apart", pad + "o\u0308o\u0308o\u0308", pad + "u\u0308e\u0301n\u0303"},
		{"skin tones and keycaps", pad + "👍🏽👍🏿1️⃣", pad + "2️⃣👋🏻👋🏼"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			h := newHook(t)
			routeWebhooksTo(t, e, h)
			site, err := e.store.CreateSite(ctx, experiments.Site{Name: tc.site, Domain: "example.com"})
			if err != nil {
				t.Fatal(err)
			}
			x, err := e.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: tc.experiment, Page: "/pricing",
				Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
				CoverageBP: 10000, Variants: []experiments.Variant{{Text: "Original"}, {Text: "Headline B"}}})
			if err != nil {
				t.Fatal(err)
			}
			x = e.transition(x.ID, experiments.ActionStart)
			e.setRecentHealth(x, [2]int64{1000, 99000}, [2]int64{1000, 99000})
			setWebhook(t, e, site.ID, "http://discord.com/api/webhooks/1/abc")
			if n := e.app.notifyOnce(ctx); n != 1 {
				t.Fatalf("sent %d, want the missing element's message", n)
			}
			content, _ := h.received()[0]["content"].(string)
			if n := len(utf16.Encode([]rune(content))); n > discordContentMax {
				t.Errorf("the message is %d characters, over Discord's %d", n, discordContentMax)
			}
			const head = "**The element is going missing: “"
			title, _, _ := strings.Cut(content, "\n")
			rest, ok := strings.CutPrefix(title, head)
			name, siteName, ok2 := strings.Cut(rest, "” on ")
			siteName, ok3 := strings.CutSuffix(siteName, "**")
			if !ok || !ok2 || !ok3 {
				t.Fatalf("the message's title %q is not %s…” on …**", title, head)
			}
			checkCutWhole(t, "the test's name", tc.experiment, name, clipName)
			checkCutWhole(t, "the site's name", tc.site, siteName, clipName)
			if name == tc.experiment || siteName == tc.site {
				t.Errorf("the names %q and %q are not cut to %d characters", name, siteName, clipName)
			}
		})
	}
}

// TestFitMessageWholeCharacters: a message too long for its receiver
// loses the end of its first line, or of its title, after a whole
// character (see TestWebhookNamesCutWhole), and still fits: by UTF-16
// units, as Discord and Slack count, a family is eleven.
func TestFitMessageWholeCharacters(t *testing.T) {
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	size := func(title, text string) int { return units(title) + 1 + units(text) }
	flags := strings.Repeat("🇩🇪", 40)
	family := strings.Repeat("👨‍👩‍👧‍👦", 20)
	nfd := strings.Repeat("o\u0308", 60)
	for _, tc := range []struct {
		name, title, text string
		max               int
	}{
		{"text of flags", "Title", flags, 40},
		{"text of flags, odd room", "Title", flags, 41},
		{"text of families", "Title", family, 60},
		{"text of families, other room", "Title", family, 64},
		{"text of accents typed apart", "Title", nfd, 34},
		{"title of flags", flags, "one", 30},
		{"title of families", family, "one", 50},
		{"title of accents typed apart", nfd, "one", 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			title, text := fitMessage(tc.title, tc.text, tc.max, size)
			if n := size(title, text); n > tc.max {
				t.Errorf("%d over %d: %q %q", n, tc.max, title, text)
			}
			checkCutWhole(t, "the title", tc.title, title, uniseg.GraphemeClusterCount(tc.title))
			if text != "…" {
				checkCutWhole(t, "the text", tc.text, text, uniseg.GraphemeClusterCount(tc.text))
			}
			if title == tc.title && text == tc.text {
				t.Errorf("nothing cut: %q %q", title, text)
			}
		})
	}
}

// TestSavedWebhookTailWhole: the site page shows a saved webhook as its
// origin and its last four characters (maskedWebhook), whole ones: the
// last four code points of a family are half of it.
func TestSavedWebhookTailWhole(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	family := "👨‍👩‍👧‍👦"
	setWebhook(t, e, site.ID, "https://chat.example/hooks/T0/"+strings.Repeat(family, 5))
	_, body := c.get("/sites/" + site.ID)
	wantContains(t, body, `<code class="mono">https://chat.example/…`+strings.Repeat(family, 4)+`</code>`)
}

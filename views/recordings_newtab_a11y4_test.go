package views

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// spokenName is roughly what a screen reader says for a link: its text,
// without what is aria-hidden (no aria-label is used here); shownWords
// what the eye reads, without the .sr-only text either.
func spokenName(n *html.Node) string { return linkWords(n, false) }
func shownWords(n *html.Node) string { return linkWords(n, true) }

func linkWords(n *html.Node, shown bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if v, _ := attr(n, "aria-hidden"); v == "true" {
			return
		}
		if c, _ := attr(n, "class"); shown && strings.Contains(" "+c+" ", " sr-only ") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestRecordingLinksSayNewTab: the links to a recorder open a new tab,
// which their names say to a screen reader (the ↗ is aria-hidden), and
// the card's repeated "Open in PostHog" and the list's "Watch in PostHog"
// name what they open, each its own. The audit found only the hidden ↗.
func TestRecordingLinksSayNewTab(t *testing.T) {
	ph := func(u string) RecordingLink {
		return RecordingLink{Recorder: "posthog", Label: "PostHog", URL: "https://eu.posthog.com/project/1/replay/" + u}
	}
	r := Recordings{
		Configured: true,
		Recorders:  []string{"PostHog"},
		Variants: []RecordingVariant{
			{Key: "control", Label: "Original", Links: []RecordingLink{ph("home?v=control")}},
			{Key: "b", Label: "Variant B", Index: 1, Links: []RecordingLink{ph("home?v=b")}},
		},
		List: RecordingList{
			URL: "/experiments/x/recordings",
			Sessions: []RecordingSession{
				{At: time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC), Variant: "Variant B", Index: 1, Link: ph("s1")},
				{At: time.Date(2025, 3, 1, 10, 5, 0, 0, time.UTC), Variant: "Original", Link: ph("s2")},
			},
		},
	}
	doc, _ := renderDoc(t, RecordingsCard(r))
	seen := map[string]bool{}
	n := 0
	for _, a := range find(doc, byTag("a")) {
		if v, _ := attr(a, "target"); v != "_blank" {
			continue
		}
		n++
		name := spokenName(a)
		visible := shownWords(a)
		if !strings.HasSuffix(name, "(opens in a new tab)") {
			t.Errorf("link %q: its name %q does not say it opens a new tab", visible, name)
		}
		// Label in name (WCAG 2.5.3): the name starts with the words shown.
		if !strings.HasPrefix(name, visible) {
			t.Errorf("link name %q does not start with its visible words %q", name, visible)
		}
		if seen[name] {
			t.Errorf("two links are both named %q", name)
		}
		seen[name] = true
	}
	if n != 4 {
		t.Errorf("%d links open a new tab, want 4", n)
	}
}

package snippet_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/static"
	"copylab/static/browsertest"
)

// variantSeen is how the notice shows its variant's words: the text's
// box, and each box around it that clips (overflow not visible), up to
// the notice.
type variantSeen struct {
	Found    bool        `json:"found"`
	Text     []float64   `json:"text"`     // left, right of the variant's words
	Clips    [][]float64 `json:"clips"`    // left, right of each clipping box
	Overflow bool        `json:"overflow"` // the words' own element scrolls (is cut)
	Title    string      `json:"title"`    // the tooltip of the label's line
	Whole    string      `json:"whole"`    // the label's line's text
	Viewport float64     `json:"viewport"` // innerWidth
}

// TestQANoticeShowsTheVariant: the preview notice names the experiment
// and the variant the page shows, and of the two the variant is what the
// person checking must see. An experiment's name may be 120 characters,
// far wider than the notice (at most 480 px): the name is then cut short
// ("…"), and the variant's words ("· Variant C", "· Original") stay whole
// and inside the notice, on a laptop's 1366 px and on a phone; the line's
// tooltip has the whole label. A name with " · " of its own keeps it.
func TestQANoticeShowsTheVariant(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	long := "Spring pricing page headline for returning visitors from the April newsletter, EU and US stores, logged-out only"
	long += strings.Repeat(".", 120-len(long))
	for _, tc := range []struct {
		name, label, variant string
		width, height        int64
	}{
		{"laptop", "copylab preview: " + long + " · Variant C", "Variant C", 1366, 768},
		{"laptop, the original", "copylab preview: " + long + " · Original", "Original", 1366, 768},
		{"laptop, a dot in the name", "copylab preview: Pricing · " + long[:100] + " · Variant C", "Variant C", 1366, 768},
		{"phone", "copylab preview: " + long + " · Variant C", "Variant C", 390, 844},
		{"short name", "copylab preview: Hero · Variant C", "Variant C", 1366, 768},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(tc.width, tc.height)); err != nil {
				t.Fatal(err)
			}
			s := newSite(t, prod, static.SnippetConfig{Site: "test", PreviewLabel: tc.label, Experiments: []static.SnippetExperiment{
				heroExperiment("/pricing*", 10000, 0, 0)}})
			s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)
			navigate(t, ctx, s.URL+"/pricing?copylab="+expID+":c")
			waitJS(t, ctx, noticeJS)
			v := eval[variantSeen](t, ctx, `((root, words) => {
				const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
				let node;
				while ((node = walk.nextNode()) && node.data.lastIndexOf(words) < 0);
				const line = root.querySelector("p").firstElementChild;
				const out = {found: !!node, clips: [], title: line.title, whole: line.textContent, viewport: innerWidth};
				if (!node) return out;
				const at = node.data.lastIndexOf(words), range = document.createRange();
				range.setStart(node, at);
				range.setEnd(node, at + words.length);
				const r = range.getBoundingClientRect();
				out.text = [r.left, r.right];
				const own = node.parentElement;
				out.overflow = own.scrollWidth > own.clientWidth;
				for (let el = own; el && el != root.host; el = el.parentElement || el.getRootNode().host) {
					if (getComputedStyle(el).overflowX != "visible") {
						const b = el.getBoundingClientRect();
						out.clips.push([b.left, b.right]);
					}
				}
				return out;
			})(`+noticeJS+`.shadowRoot, `+strconv.Quote(tc.variant)+`)`)
			if !v.Found {
				t.Fatalf("the notice does not say %q: %q", tc.variant, v.Whole)
			}
			if v.Whole != tc.label || v.Title != tc.label {
				t.Errorf("the label's line says %q, its tooltip %q; want both %q", v.Whole, v.Title, tc.label)
			}
			if v.Text[0] < 0 || v.Text[1] > v.Viewport+0.5 {
				t.Errorf("%q is at %v, outside the %v px viewport", tc.variant, v.Text, v.Viewport)
			}
			for _, c := range v.Clips {
				if v.Text[0] < c[0]-0.5 || v.Text[1] > c[1]+0.5 {
					t.Errorf("%q (at %v) is cut off by a box at %v", tc.variant, v.Text, c)
				}
			}
			if v.Overflow {
				t.Errorf("the element of %q is wider than it shows: its end is cut off", tc.variant)
			}
		})
	}
}

// nameSeen is where the notice shows some words of its label: each
// word's box, and the innermost box around it that clips.
type nameSeen struct {
	Words map[string]struct {
		Found bool      `json:"found"`
		Box   []float64 `json:"box"`  // left, right
		Clip  []float64 `json:"clip"` // left, right; the viewport if none
	} `json:"words"`
	Whole string `json:"whole"` // the label's line's text
}

// TestQANoticeNameDirection: the experiment's name in the notice reads in
// its own direction, as the app's pages show it. A Hebrew name with Latin
// words and a digit ("בדיקה Hero 3 עמוד") reads right to left, its first
// word rightmost, and not left to right as the Latin "copylab preview:"
// before it would have it. When the name is too wide for the notice (a
// phone leaves it a few letters) it is cut at its end, on its left, so
// that the start of its first word shows; a Latin name still starts
// right after "copylab preview: ". The variant stays whole either way.
func TestQANoticeNameDirection(t *testing.T) {
	t.Parallel()
	ctx := browsertest.NewTab(t)
	const he = "בדיקה Hero 3 עמוד"
	long := he + strings.Repeat(" כותרת ראשית לדף המחירים", 8)
	for _, tc := range []struct {
		name, label   string
		rtl           bool // the name reads right to left
		fits          bool // the whole name shows
		width, height int64
	}{
		{"short, laptop", "copylab preview: " + he + " · Variant C", true, true, 1366, 768},
		{"long, laptop", "copylab preview: " + long + " · Original", true, false, 1366, 768},
		{"short, phone", "copylab preview: " + he + " · Variant C", true, false, 390, 844},
		{"long, phone", "copylab preview: " + long + " · Variant C", true, false, 390, 844},
		{"no prefix, laptop", he + " · Variant C", true, true, 1366, 768},
		{"latin, phone", "copylab preview: Pricing hero 3 for returning visitors · Variant C", false, false, 390, 844},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(tc.width, tc.height)); err != nil {
				t.Fatal(err)
			}
			variant := tc.label[strings.LastIndex(tc.label, " · "):]
			first, next := "בדיקה", "Hero 3" // the name's first two words
			if !tc.rtl {
				first, next = "Pricing", "hero 3"
			}
			s := newSite(t, prod, static.SnippetConfig{Site: "test", PreviewLabel: tc.label, Experiments: []static.SnippetExperiment{
				heroExperiment("/pricing*", 10000, 0, 0)}})
			s.page("/pricing", tag, `<h1 data-copylab="hero">`+original+`</h1>`)
			navigate(t, ctx, s.URL+"/pricing?copylab="+expID+":c")
			waitJS(t, ctx, noticeJS)
			prefix := "copylab preview: "
			if !strings.HasPrefix(tc.label, prefix) {
				prefix = variant // a label without one
			}
			words := []string{prefix, first, next, variant}
			v := eval[nameSeen](t, ctx, `((root, words) => {
				const line = root.querySelector("p").firstElementChild, out = {words: {}, whole: line.textContent};
				for (const w of words) {
					const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
					let node;
					while ((node = walk.nextNode()) && node.data.indexOf(w) < 0);
					if (!node) { out.words[w] = {found: false}; continue; }
					const at = node.data.indexOf(w), range = document.createRange();
					range.setStart(node, at);
					range.setEnd(node, at + w.length);
					const r = range.getBoundingClientRect(), seen = {found: true, box: [r.left, r.right], clip: [0, innerWidth]};
					for (let el = node.parentElement; el && el != root.host; el = el.parentElement || el.getRootNode().host) {
						if (getComputedStyle(el).overflowX != "visible") {
							const b = el.getBoundingClientRect();
							seen.clip = [Math.max(b.left, seen.clip[0]), Math.min(b.right, seen.clip[1])];
						}
					}
					out.words[w] = seen;
				}
				return out;
			})(`+noticeJS+`.shadowRoot, `+jsStrings(words)+`)`)
			if v.Whole != tc.label {
				t.Errorf("the label's line says %q, want %q", v.Whole, tc.label)
			}
			for _, w := range words {
				if !v.Words[w].Found {
					t.Fatalf("the notice does not say %q: %q", w, v.Whole)
				}
			}
			inside := func(x float64, w string) bool {
				c := v.Words[w].Clip
				return x >= c[0]-0.5 && x <= c[1]+0.5
			}
			whole := []string{prefix, variant}
			if tc.fits {
				whole = append(whole, first, next)
			}
			for _, w := range whole {
				if b := v.Words[w].Box; !inside(b[0], w) || !inside(b[1], w) {
					t.Errorf("%q (at %v) is cut off by a box at %v", w, b, v.Words[w].Clip)
				}
			}
			// The start of the name's first word shows: its right edge in
			// a name that reads right to left, its left edge otherwise.
			a, b := v.Words[first].Box, v.Words[next].Box
			start := a[0]
			if tc.rtl {
				start = a[1]
				if a[0] < b[1]-0.5 {
					t.Errorf("%q (at %v) is not right of %q (at %v): the name reads left to right", first, a, next, b)
				}
			}
			if !inside(start, first) {
				t.Errorf("the start of %q (at %v) is cut off by a box at %v: the name is cut at its start", first, a, v.Words[first].Clip)
			}
			if pre := v.Words[prefix].Box; prefix != variant && pre[1] > v.Words[first].Clip[0]+0.5 {
				t.Errorf("%q (at %v) runs into the name's box (at %v)", prefix, pre, v.Words[first].Clip)
			}
		})
	}
}

// jsStrings writes ss as a JavaScript array of strings.
func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

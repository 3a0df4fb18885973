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

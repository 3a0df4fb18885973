package app

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// The results page as a growth engineer checking the numbers read it:
// an early answer the numbers leave open, the segments' intervals, the
// split check that passed and the model's prior. Every count comes in
// as real events through POST /e.

// f4Traffic is a running test "Hero" with one variant per texts (the
// original first), whose traffic comes through POST /e: visitors[i]
// visitors see variant i, the first conversions[i] of them convert,
// every one from the campaign utm. The per-address and per-site limits
// are off, so that thousands of visitors can come in at once.
type f4Traffic struct {
	e *env
	c *client
	x experiments.Experiment
	s experiments.Site
}

func newF4Traffic(t *testing.T, texts ...string) f4Traffic {
	t.Helper()
	e := newEnvConfig(t, func(c *Config) { c.RateIP, c.RateSite = -1, -1 })
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", texts...)
	x = e.transition(x.ID, experiments.ActionStart)
	return f4Traffic{e: e, c: c, x: x, s: site}
}

// visitors sends n visitors of variant i from the campaign utm ("" for
// none), the first conv of whom convert.
func (f f4Traffic) visitors(i, n, conv int, utm string) {
	f.e.t.Helper()
	for v := range n {
		list := []map[string]any{{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": f.x.ID,
			"url": "/pricing", "variant": f.x.Variants[i].Key, "ms": 35, "utm": utm}}
		if v < conv {
			list = append(list, map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": "conversion",
				"experiment": f.x.ID, "url": "/pricing", "goal": "click"})
		}
		b, err := json.Marshal(map[string]any{"site": f.s.Key, "visitor": uuid.NewString(), "events": list})
		if err != nil {
			f.e.t.Fatal(err)
		}
		f.e.send(b, browserUA)
	}
}

// f4Texts are the texts of the classes given on the page at path, each
// with its spaces collapsed.
func f4Texts(t *testing.T, c *client, path, class string) []string {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK, body)
	var out []string
	for _, n := range findAll(parseHTML(t, body), hasClass(class)) {
		out = append(out, strings.Join(strings.Fields(textOf(n)), " "))
	}
	return out
}

// TestF4EarlyAnswerInDoubtIsNotClear: an early winner whose 95% interval
// still reaches below no gain, or one of several new versions whose
// adjusted p-value is not significant, is not "clear": the warning says
// what keeps it open, as the called verdict would, and the verdict says
// the variant is ahead so far instead of stating its lift as fact. So for
// an original ahead while a variant's interval still includes a gain. A
// lead whose interval clears no gain, alone in the test, still looks
// clear.
func TestF4EarlyAnswerInDoubtIsNotClear(t *testing.T) {
	for _, tc := range []struct {
		name        string
		texts       []string
		conversions []int
		verdict     []string // in the verdict's sentence
		notVerdict  []string
		caution     []string // in the "Don't call it yet" box
		notCaution  []string
	}{
		{
			name:        "two arms, interval reaches below no gain",
			conversions: []int{100, 126},
			verdict:     []string{"Variant B is ahead on clicks by +26.0% so far", "−1.6% to +61.3%", "still includes no gain"},
			notVerdict:  []string{"lifts clicks"},
			caution:     []string{"Not clear yet: the 95% interval of Variant B’s lift, −1.6% to +61.3%, still includes no gain."},
			notCaution:  []string{"looks clear"},
		},
		{
			name:        "four arms, adjusted p-value not significant",
			texts:       []string{"Original headline", "B", "C", "D"},
			conversions: []int{100, 100, 100, 132},
			verdict:     []string{"Variant D is ahead on clicks by +32.0% so far", "can look best by chance (adjusted p-value 0.076"},
			notVerdict:  []string{"lifts clicks"},
			caution:     []string{"Not clear yet: with 3 new versions in the test, one of them can look best by chance (adjusted p-value 0.076, not below 0.05)."},
			notCaution:  []string{"looks clear"},
		},
		{
			name:        "the original ahead, a variant's interval still includes a gain",
			conversions: []int{120, 95},
			verdict:     []string{"The original is ahead"},
			caution:     []string{"Not clear yet: the 95% interval of Variant B’s change, −38.6% to +2.0%, still includes a gain."},
			notCaution:  []string{"looks clear"},
		},
		{
			name:        "two arms, interval clears no gain",
			conversions: []int{100, 140},
			verdict:     []string{"Variant B lifts clicks by +40.0% so far"},
			caution:     []string{"This looks clear, but"},
			notCaution:  []string{"Not clear yet"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newF4Traffic(t, tc.texts...)
			for i, conv := range tc.conversions {
				f.visitors(i, 1000, conv, "")
			}
			for _, path := range []string{"/experiments/" + f.x.ID + "/results", "/r/" + f.x.ShareToken} {
				verdict := strings.Join(f4Texts(t, f.c, path, "verdict-text"), " ")
				for _, want := range tc.verdict {
					if !strings.Contains(verdict, want) {
						t.Errorf("%s: verdict %q does not say %q", path, verdict, want)
					}
				}
				for _, not := range tc.notVerdict {
					if strings.Contains(verdict, not) {
						t.Errorf("%s: verdict %q says %q", path, verdict, not)
					}
				}
				caution := strings.Join(f4Texts(t, f.c, path, "banner-warn"), " ")
				if !strings.Contains(caution, "call it yet") {
					t.Fatalf("%s: no “Don’t call it yet” box: %q", path, caution)
				}
				for _, want := range tc.caution {
					if !strings.Contains(caution, want) {
						t.Errorf("%s: warning %q does not say %q", path, caution, want)
					}
				}
				for _, not := range tc.notCaution {
					if strings.Contains(caution, not) {
						t.Errorf("%s: warning %q says %q", path, caution, not)
					}
				}
			}
		})
	}
}

// TestF4SegmentIntervalsPlain: a segment's call-out gives its interval
// without a level such as "99.17%" that no marketer can read: it says the
// interval was widened and why. The segments' help says how many values
// the page shows and how many are counted, as copylab keeps them.
func TestF4SegmentIntervalsPlain(t *testing.T) {
	f := newF4Traffic(t)
	// B does half again as well from the newsletter and half as well from
	// the ads, level with the original overall. Six segments are judged:
	// the campaign's two, and the one value each of country (unknown),
	// device, browser and referrer.
	f.visitors(0, 1000, 100, "news")
	f.visitors(1, 1000, 150, "news")
	f.visitors(0, 1000, 100, "ads")
	f.visitors(1, 1000, 50, "ads")
	resp, body := f.c.get("/experiments/" + f.x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	doc := parseHTML(t, body)
	var details []string
	for _, n := range findAll(doc, hasClass("finding-details")) {
		details = append(details, strings.Join(strings.Fields(textOf(n)), " "))
	}
	got := strings.Join(details, " ")
	for _, want := range []string{
		"+50.0% (interval +9.2% to +106.9%, widened because 6 segments were checked) against no change overall",
		"−50.0% (interval −68.0% to −22.7%, widened because 6 segments were checked) against no change overall",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("call-outs %q do not say %q", got, want)
		}
	}
	if level := regexp.MustCompile(`\d+\.\d+% interval`).FindString(got); level != "" {
		t.Errorf("call-outs %q give a bare level %q", got, level)
	}
	var help string
	for _, n := range findAll(doc, hasClass("help")) {
		if s := strings.Join(strings.Fields(textOf(n)), " "); strings.Contains(s, "where visitors come from") {
			help = s
		}
	}
	for _, want := range []string{"the 20 values with the most visitors", "“Other”", "first 500 values"} {
		if !strings.Contains(help, want) {
			t.Errorf("segments help %q does not say %q", help, want)
		}
	}
	if strings.Contains(help, "top 20 values") {
		t.Errorf("segments help %q still says only the top 20 values", help)
	}
}

// TestF4SplitCheckAndPriorShown: a split check that passed gives its
// p-value on the page, as the document does; the page's guide names the
// model's prior.
func TestF4SplitCheckAndPriorShown(t *testing.T) {
	f := newF4Traffic(t)
	f.visitors(0, 1000, 100, "")
	f.visitors(1, 1050, 126, "")
	// A bot, so that the sentence before the split check's is there: the
	// two read as two sentences, with a space between.
	bot, err := json.Marshal(map[string]any{"site": f.s.Key, "visitor": uuid.NewString(), "events": []map[string]any{{
		"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": f.x.ID, "url": "/pricing",
		"variant": f.x.Variants[1].Key, "ms": 35}}})
	if err != nil {
		t.Fatal(err)
	}
	f.e.send(bot, testBotUA)
	tok := f.e.token("api@example.com")
	_, doc := f.e.api(http.MethodGet, "/api/v1/experiments/"+f.x.ID+"/results", tok, "")
	srm := doc["srm"].(map[string]any)
	p, ok := srm["p_value"].(float64)
	if !ok || srm["flagged"] != false {
		t.Fatalf("srm %v, want a p-value that passed", srm)
	}
	want := "1 bot ignored. Split check passed: visitors were split as planned (p-value " + stats.FormatPValue(p) + ")."
	for _, path := range []string{"/experiments/" + f.x.ID + "/results", "/r/" + f.x.ShareToken} {
		resp, body := f.c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		text := strings.Join(strings.Fields(textOf(parseHTML(t, body))), " ")
		for _, w := range []string{want, "a uniform prior, Beta(1,1)"} {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not say %q", path, w)
			}
		}
	}
}

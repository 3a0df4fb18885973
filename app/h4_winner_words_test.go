package app

import (
	"strings"
	"testing"

	"copylab/experiments"
)

// TestProbableWinnerSaysWhatIsKnown: a winner's sentence claims no more
// than its numbers show. A lift whose best guess is under the practical
// threshold but whose 95% interval reaches past it is likely a small gain,
// not "a gain too small to matter"; that is said only when the whole
// interval stays under the threshold. And with several new versions, the
// winner rule (chance to be best and to beat the original, each 95%)
// never looks at the Holm-adjusted p-value the table shows beside it:
// when that is 0.05 or more the sentence says that one of several can
// look best by chance, and quotes it. The status stays winner.
func TestProbableWinnerSaysWhatIsKnown(t *testing.T) {
	const chance = "can look best by chance"
	for _, tt := range []struct {
		name   string
		counts [][2]int64
		days   int
		want   []string
		lack   []string
	}{
		{"a small gain that could be larger", [][2]int64{{1768, 883}, {1832, 981}}, 14,
			[]string{"Variant B is probably the best on clicks (98% chance), likely by a small gain: the best guess, +7.2%, is under the 10% set as the change that matters, though it could be up to +14.2% (95% interval +0.7% to +14.2%); keep the test running to be sure, or ship it if a small gain is worth it."},
			[]string{"too small to matter", chance}},
		// Three arms of 1,900 visitors: past the planned sample, 1,895 per
		// variant for a 10% change from 50% with two comparisons.
		{"three arms, no gain not ruled out", [][2]int64{{1900, 950}, {1900, 1008}, {1900, 902}}, 14,
			[]string{"still includes no gain, and with 2 new versions in the test, one of them can look best by chance (adjusted p-value 0.12, not below 0.05): keep the test running to be sure"},
			nil},
		{"three arms, a small gain", [][2]int64{{1900, 950}, {1900, 1016}, {1900, 902}}, 14,
			[]string{"likely by a small gain", "though it could be up to +13.7% (95% interval +0.6% to +13.7%), and with 2 new versions in the test, one of them can look best by chance (adjusted p-value 0.064, not below 0.05); keep the test running to be sure"},
			[]string{"too small to matter"}},
		{"four arms, early", [][2]int64{{2000, 200}, {2000, 245}, {2000, 200}, {2000, 200}}, 3,
			[]string{"but it is too early to call. With 3 new versions in the test, one of them can look best by chance (adjusted p-value 0.071, not below 0.05)."},
			nil},
		{"three arms, adjusted p-value under 0.05", [][2]int64{{1900, 950}, {1900, 1030}, {1900, 902}}, 14,
			nil, []string{chance}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("ann@example.com")
			tok := e.token("api@example.com")
			texts := []string{"Original headline", "New headline", "Newer headline", "Newest headline"}[:len(tt.counts)]
			x := e.transition(e.experiment(e.site("Shop").ID, "Hero", texts...).ID, experiments.ActionStart)
			e.setCounts(x, tt.counts...)
			backdate(e, x, tt.days)
			_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			if v := doc["verdict"].(map[string]any); v["status"] != "winner" {
				t.Fatalf("verdict %v, want a winner", v)
			}
			for path, text := range verdictSentences(t, e, c, tok, x) {
				for _, w := range tt.want {
					if !strings.Contains(text, w) {
						t.Errorf("%s: verdict %q lacks %q", path, text, w)
					}
				}
				for _, l := range tt.lack {
					if strings.Contains(text, l) {
						t.Errorf("%s: verdict %q says %q", path, text, l)
					}
				}
			}
		})
	}
}

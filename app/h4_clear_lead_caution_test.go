package app

import (
	"strings"
	"testing"

	"copylab/experiments"
)

// TestClearLeadCautionSaysWhy: on a low-rate page the planned sample,
// sized to detect the practical threshold, can be months away while a
// variant's whole uplift interval already lies beyond the threshold. The
// rule stands (the verdict is not called before the planned sample: it
// guards against peeking), but the caution says in plain words why so
// clear a lead still waits (a lift read early tends to be overstated;
// the plan was sized for a 10% change) and that shipping now is the
// team's call, rather than only what to wait for. A lead whose interval
// still reaches under the threshold keeps the usual caution.
func TestClearLeadCautionSaysWhy(t *testing.T) {
	const why = "is past the 10% change that matters, but it is not called yet. Results this early tend to overstate a lift, and the plan was sized to detect a 10% change, not to confirm a larger one: "
	const was = "is past the 10% change that matters, but it was not called. Results this early tend to overstate a lift, and the plan was sized to detect a 10% change, not to confirm a larger one: "
	for _, tt := range []struct {
		name   string
		counts [][2]int64
		end    func(e *env, x experiments.Experiment)
		share  bool
		days   int // 8 when 0
		want   []string
		lack   []string
	}{
		{"whole interval past the threshold", [][2]int64{{1700, 77}, {1700, 117}}, nil, false, 0,
			[]string{"This looks clear, but the smallest variant has 1,700 of the roughly 35,000 visitors planned. Even the low end of Variant B’s 95% interval, +15.0%, " +
				why + "keep it running until the planned sample is in to learn how large the lift really is; shipping Variant B now instead is the team’s call."},
			[]string{"often shrink or flip"}},
		{"whole interval past the threshold, share link", [][2]int64{{1700, 77}, {1700, 117}}, nil, true, 0,
			[]string{why + "keep it running until the planned sample is in to learn how large the lift really is; shipping Variant B now instead is the team’s call."},
			nil},
		{"whole interval past the threshold, paused", [][2]int64{{1700, 77}, {1700, 117}}, pauseTest, false, 0,
			[]string{why + "resume it and keep it running until the planned sample is in to learn how large the lift really is; shipping Variant B now instead is the team’s call."},
			nil},
		{"whole interval past the threshold, paused, share link", [][2]int64{{1700, 77}, {1700, 117}}, pauseTest, true, 0,
			[]string{why + "the test is paused, and its numbers will change only when the team resumes it; shipping Variant B now is the team’s call."},
			nil},
		{"whole interval past the threshold, three days in", [][2]int64{{1700, 77}, {1700, 117}}, nil, false, 3,
			[]string{"This looks clear, but the test has run for only 3 days and the smallest variant has 1,700 of the roughly 35,000 visitors planned.",
				"Results this early tend to overstate a lift, weekday visitors differ from weekend ones, and the plan was sized to detect a 10% change, not to confirm a larger one: keep it running for at least a full week and until the planned sample is in to learn how large the lift really is; shipping Variant B now instead is the team’s call."},
			nil},
		{"whole interval past the threshold, stopped", [][2]int64{{1700, 77}, {1700, 117}}, stopTest, false, 0,
			[]string{"the smallest variant had 1,700", was + "run the test again (Duplicate) for longer to learn how large the lift really is; shipping Variant B now instead is the team’s call."},
			nil},
		{"whole interval past the threshold, stopped, share link", [][2]int64{{1700, 77}, {1700, 117}}, stopTest, true, 0,
			[]string{was + "the team can run it again for longer to learn how large the lift really is, or ship Variant B now."},
			nil},
		{"whole interval past the threshold, shipped", [][2]int64{{1700, 77}, {1700, 117}}, shipTest, false, 0,
			[]string{was + "read this one with care."},
			[]string{"team’s call", "Duplicate"}},
		{"interval reaching under the threshold", [][2]int64{{1700, 77}, {1700, 105}}, nil, false, 0,
			[]string{"Results this early often shrink or flip: keep it running until the planned sample is in before acting on it."},
			[]string{"team’s call", "Even the low end"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, c, tok, x := startedWithCounts(t, tt.counts...)
			if tt.days == 0 {
				tt.days = 8
			}
			backdate(e, x, tt.days)
			if tt.end != nil {
				tt.end(e, x)
			}
			_, doc := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
			if v := doc["verdict"].(map[string]any); v["status"] != "winner" {
				t.Fatalf("verdict %v, want a winner", v)
			}
			caution, _ := doc["caution"].(string)
			path := "/experiments/" + x.ID + "/results"
			if tt.share {
				c, path = e.client(), "/r/"+x.ShareToken
			}
			_, body := c.get(path)
			var banner string
			for _, b := range findAll(parseHTML(t, body), hasClass("banner-warn")) {
				if s := strings.Join(strings.Fields(textOf(b)), " "); strings.Contains(s, "This looks clear") {
					banner = s
				}
			}
			if !tt.share && !strings.HasSuffix(banner, caution) {
				t.Errorf("page caution %q, document %q", banner, caution)
			}
			for _, w := range tt.want {
				if !strings.Contains(banner, w) {
					t.Errorf("%s: caution %q lacks %q", path, banner, w)
				}
			}
			for _, l := range tt.lack {
				if strings.Contains(banner, l) {
					t.Errorf("%s: caution %q says %q", path, banner, l)
				}
			}
		})
	}
}

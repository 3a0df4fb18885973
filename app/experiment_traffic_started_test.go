package app

import (
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestTrafficZeroStartedWarnsAtSave: a running (or paused) test saved
// with a traffic share of 0%, or with 0% of the split for a variant or
// the original, is saved (a test may be turned down on purpose), and the
// save says at once what the 0% means for its results, as a draft's save
// says of its share. Shares above 0% save as before.
func TestTrafficZeroStartedWarnsAtSave(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := e.transition(e.experiment(site.ID, "Hero", "Old", "New", "Newer").ID, experiments.ActionStart)
	// save posts the edit form of the started test with a share and the
	// three weights, and returns the message after it.
	save := func(coverage string, weights ...string) string {
		t.Helper()
		c.get("/experiments/" + x.ID + "/edit")
		v := url.Values{"name": {"Hero"}, "coverage": {coverage}}
		for i, w := range weights {
			v.Set("variants["+itoa(i)+"].key", x.Variants[i].Key)
			v.Set("variants["+itoa(i)+"].weight", w)
		}
		body := flashAfter(t, c, "/experiments/"+x.ID+"/edit", v)
		m := flashRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no message after the save at %s%% %v", coverage, weights)
		}
		return strings.ReplaceAll(m[1], "&#39;", "'")
	}
	for _, tc := range []struct {
		name     string
		coverage string
		weights  []string
		want     string
	}{
		{"traffic share 0%", "0", []string{"34", "33", "33"},
			"Changes saved, but its traffic share is 0%: no visitor is in the test, so its results stop growing until the share is above 0%."},
		{"a variant at 0%", "100", []string{"50", "0", "50"},
			"Changes saved, but Variant B gets 0% of the split: no visitor sees it, so its results stop growing until its share is above 0%."},
		{"two variants at 0%", "100", []string{"100", "0", "0"},
			"Changes saved, but Variant B and Variant C get 0% of the split: no visitor sees them, so their results stop growing until their shares are above 0%."},
		{"the original at 0%", "100", []string{"0", "50", "50"},
			"Changes saved, but the original gets 0% of the split: no visitor sees it, so nothing new can be compared with it until its share is above 0%."},
		{"every share above 0%", "50", []string{"34", "33", "33"}, "Changes saved."},
	} {
		if got := save(tc.coverage, tc.weights...); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	stored, err := e.store.Experiment(t.Context(), x.ID)
	if err != nil || stored.CoverageBP != 5000 || stored.Status != experiments.StatusRunning {
		t.Fatalf("after the saves: %+v %v", stored, err)
	}

	// Paused, the same.
	e.transition(x.ID, experiments.ActionPause)
	if got, want := save("0", "34", "33", "33"), "Changes saved, but its traffic share is 0%"; !strings.HasPrefix(got, want) {
		t.Errorf("paused at 0%%: %q, want %q…", got, want)
	}
}

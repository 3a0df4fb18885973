package app

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// thresholdFixedWords is what a refused change of a started test's
// practical threshold says, in the API and on the page.
const thresholdFixedWords = "The threshold is fixed once the test starts: changing it would change the verdict after the data is in. " +
	"Duplicate the test to run it with another threshold."

// TestThresholdFixedOnceStartedAPI: the practical threshold sizes the
// planned sample and the "no meaningful difference" band, so a started
// test keeps it: PATCH refuses another one (409) on a running, paused or
// stopped test, and the verdict stays what it was. The same value is
// taken, with the change it comes with; a draft still changes it.
func TestThresholdFixedOnceStartedAPI(t *testing.T) {
	// The reviewers' test: 8 days, the original 145/1028, B 65/972.
	e, _, tok, x := startedWithCounts(t, [2]int64{1028, 145}, [2]int64{972, 65})
	verdict := func() any {
		t.Helper()
		resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", tok, "")
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		return fmt.Sprint(out["verdict"], out["plan"], out["threshold"])
	}
	before := verdict()
	resp, out := e.api(http.MethodPatch, "/api/v1/experiments/"+x.ID, tok, `{"threshold":0.5}`)
	wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
	if code, _ := errorShape(t, out); code != "experiment_started" {
		t.Errorf("code %q, want experiment_started", code)
	}
	if msg := out["error"].(map[string]any)["message"]; msg != thresholdFixedWords {
		t.Errorf("message %q", msg)
	}
	if after := verdict(); after != before {
		t.Errorf("the refused change moved the results:\n%v\nnow\n%v", before, after)
	}

	t.Run("the same value, with a new name", func(t *testing.T) {
		resp, out := e.api(http.MethodPatch, "/api/v1/experiments/"+x.ID, tok, `{"threshold":0.1,"name":"Hero, renamed"}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if out["threshold"] != 0.1 || out["name"] != "Hero, renamed" {
			t.Errorf("answer %v", out)
		}
	})
	t.Run("a change with a new name saves neither", func(t *testing.T) {
		resp, out := e.api(http.MethodPatch, "/api/v1/experiments/"+x.ID, tok, `{"threshold":0.2,"name":"Other"}`)
		wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
		stored, err := e.store.Experiment(t.Context(), x.ID)
		if err != nil || stored.Name != "Hero, renamed" || stored.Threshold != 0.1 {
			t.Errorf("stored %q %v (%v)", stored.Name, stored.Threshold, err)
		}
	})

	for _, tc := range []struct {
		name    string
		actions []string
		code    string
	}{
		{"paused", []string{experiments.ActionStart, experiments.ActionPause}, "experiment_started"},
		{"stopped", []string{experiments.ActionStart, experiments.ActionStop}, "experiment_stopped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y := e.experiment(x.SiteID, tc.name)
			for _, a := range tc.actions {
				y = e.transition(y.ID, a)
			}
			resp, out := e.api(http.MethodPatch, "/api/v1/experiments/"+y.ID, tok, `{"threshold":0.5}`)
			wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
			code, _ := errorShape(t, out)
			if msg := out["error"].(map[string]any)["message"]; code != tc.code || msg != thresholdFixedWords {
				t.Errorf("%s: %q", code, msg)
			}
		})
	}

	t.Run("a draft changes it", func(t *testing.T) {
		y := e.experiment(x.SiteID, "Draft")
		resp, out := e.api(http.MethodPatch, "/api/v1/experiments/"+y.ID, tok, `{"threshold":0.5}`)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if out["threshold"] != 0.5 {
			t.Errorf("threshold %v", out["threshold"])
		}
	})
}

// TestThresholdFixedOnceStartedForm: a started test's edit form shows its
// threshold read-only, saying why, and a post that changes it anyway is
// refused with the API's words, saving nothing. Posted as the form has
// it, or not at all, the save goes on. A draft's field stays editable.
func TestThresholdFixedOnceStartedForm(t *testing.T) {
	e, c, _, x := startedWithCounts(t, [2]int64{1028, 145}, [2]int64{972, 65})
	edit := "/experiments/" + x.ID + "/edit"

	_, body := c.get(edit)
	field := find1(t, parseHTML(t, body), "f-threshold")
	if !hasAttr(field, "readonly") || attrOf(field, "value") != "10" {
		t.Errorf("the threshold of a started test: readonly %v, value %q", hasAttr(field, "readonly"), attrOf(field, "value"))
	}
	if help := helpOf(t, body, "f-threshold-help"); !strings.Contains(help, thresholdFixedWords) {
		t.Errorf("the field's help says %q", help)
	}
	if !strings.Contains(attrOf(field, "aria-describedby"), "f-threshold-help") {
		t.Errorf("aria-describedby %q", attrOf(field, "aria-describedby"))
	}

	form := func(name, threshold string) url.Values {
		v := url.Values{"name": {name}, "coverage": {"100"}, "plan_base": {"14.1"}, "plan_daily": {"250"}}
		if threshold != "-" {
			v.Set("threshold", threshold)
		}
		for i, vr := range x.Variants {
			v.Set(fmt.Sprintf("variants[%d].key", i), vr.Key)
		}
		return v
	}
	stored := func() experiments.Experiment {
		t.Helper()
		s, err := e.store.Experiment(t.Context(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	body = flashAfter(t, c, edit, form("Forged", "50"))
	m := flashRe.FindStringSubmatch(body)
	if m == nil || html.UnescapeString(m[1]) != thresholdFixedWords {
		t.Errorf("after a forged threshold: %v", m)
	}
	if s := stored(); s.Threshold != 0.1 || s.Name != "Hero" {
		t.Errorf("a forged threshold saved: %v %q", s.Threshold, s.Name)
	}

	for _, tc := range []struct{ name, threshold string }{
		{"as shown", "10"},
		{"as shown, with %", "10 %"},
		{"not sent", "-"},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "Hero " + tc.name
			body := flashAfter(t, c, edit, form(name, tc.threshold))
			if m := flashRe.FindStringSubmatch(body); m == nil || !strings.HasPrefix(m[1], "Changes saved.") {
				t.Errorf("after the save: %v", m)
			}
			if s := stored(); s.Threshold != 0.1 || s.Name != name {
				t.Errorf("stored %v %q", s.Threshold, s.Name)
			}
		})
	}

	t.Run("a stored threshold the form rounds", func(t *testing.T) {
		y := e.experiment(x.SiteID, "Fine")
		if _, err := e.store.PatchExperiment(t.Context(), y.ID, func(y *experiments.Experiment) error { y.Threshold = 0.12345; return nil }); err != nil {
			t.Fatal(err)
		}
		y = e.transition(y.ID, experiments.ActionStart)
		_, body := c.get("/experiments/" + y.ID + "/edit")
		shown := attrOf(find1(t, parseHTML(t, body), "f-threshold"), "value")
		v := url.Values{"name": {"Fine, renamed"}, "coverage": {"100"}, "threshold": {shown}}
		for i, vr := range y.Variants {
			v.Set(fmt.Sprintf("variants[%d].key", i), vr.Key)
		}
		body = flashAfter(t, c, "/experiments/"+y.ID+"/edit", v)
		if m := flashRe.FindStringSubmatch(body); m == nil || !strings.HasPrefix(m[1], "Changes saved.") {
			t.Errorf("the threshold as shown (%s): %v", shown, m)
		}
		if s, err := e.store.Experiment(t.Context(), y.ID); err != nil || s.Threshold != 0.12345 || s.Name != "Fine, renamed" {
			t.Errorf("stored %v %q (%v)", s.Threshold, s.Name, err)
		}
	})

	t.Run("a draft's field stays editable", func(t *testing.T) {
		y := e.experiment(x.SiteID, "Draft")
		_, body := c.get("/experiments/" + y.ID + "/edit")
		field := find1(t, parseHTML(t, body), "f-threshold")
		if hasAttr(field, "readonly") || attrOf(field, "name") != "threshold" {
			t.Errorf("a draft's threshold: readonly %v, name %q", hasAttr(field, "readonly"), attrOf(field, "name"))
		}
		if strings.Contains(body, "fixed once the test starts") {
			t.Error("a draft's form says its threshold is fixed")
		}
	})
}

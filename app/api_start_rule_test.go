package app

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// TestStartRuleSameForAPIAndPage: the API's start and the page's Start
// button ask the one rule (experiments.StartRefusal, in Store.Transition),
// so a setup one refuses the other refuses with the same code and
// sentence (the API: 409 and the code; the page: the sentence as its
// message), and a setup one starts the other starts. A variant at 0% beside
// one above it is a choice the form allows ("a weight of 0 is a choice"),
// and both start it.
func TestStartRuleSameForAPIAndPage(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	// The tag is on a page, so the page's Start answers as for a site
	// that has it (TestStartFlashWhileTagNotSeen says the other case).
	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://example.com/pricing")
	n := 0
	for _, tc := range []struct {
		name     string
		coverage int
		weights  []int
		code     string
	}{
		{"no traffic", 0, []int{5000, 5000}, "no_traffic"},
		{"original at 0%", 10000, []int{0, 5000, 5000}, "control_without_traffic"},
		{"every variant at 0%", 10000, []int{10000, 0, 0}, "variants_without_traffic"},
		{"one variant at 0%", 10000, []int{5000, 5000, 0}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var refusal string
			for _, via := range []string{"api", "page"} {
				n++
				texts := []string{"Original headline", "New headline", "Other headline"}[:len(tc.weights)]
				x := e.experimentOn(site.ID, tc.name, "/p"+itoa(n), "#h"+itoa(n), texts...)
				for i := range x.Variants {
					x.Variants[i].WeightBP = tc.weights[i]
				}
				x.CoverageBP = tc.coverage
				if _, err := e.store.UpdateExperiment(t.Context(), x); err != nil {
					t.Fatal(err)
				}
				if via == "api" {
					resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/start", tok, "")
					if tc.code == "" {
						wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
						continue
					}
					wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
					if code, _ := errorShape(t, out); code != tc.code {
						t.Errorf("api: code %q, want %q", code, tc.code)
					}
					refusal = out["error"].(map[string]any)["message"].(string)
					continue
				}
				resp, body := c.post("/experiments/"+x.ID+"/start", url.Values{})
				wantStatus(t, resp, http.StatusSeeOther, body)
				_, page := c.get(loc(resp))
				m := flashRe.FindStringSubmatch(page)
				if m == nil {
					t.Fatal("page: no message after Start")
				}
				msg := html.UnescapeString(m[1])
				if tc.code == "" {
					if msg != "Started. Within a minute, visitors see the variants." {
						t.Errorf("page: %q", msg)
					}
				} else if msg != refusal {
					t.Errorf("page: %q, api: %q", msg, refusal)
				}
				y, err := e.store.Experiment(t.Context(), x.ID)
				if err != nil {
					t.Fatal(err)
				}
				if started := y.Status == experiments.StatusRunning; started != (tc.code == "") {
					t.Errorf("page: status %s", y.Status)
				}
			}
		})
	}
}

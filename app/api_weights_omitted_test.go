package app

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestAPICreateSharesOmittedWeights: weights default to equal (DESIGN.md),
// also when only some are given: the variants sent without weight_bp
// share equally what the given ones leave of 10000, the basis points that
// do not divide going one each to the first of them. Given weights over
// 10000 are still weights_sum, and the message says how omitted weights
// are counted.
func TestAPICreateSharesOmittedWeights(t *testing.T) {
	e := newEnv(t)
	token := e.token("owner@example.com")
	site := e.site("Shop")
	tests := []struct {
		name     string
		variants string
		want     []int  // the weights created, or nil
		code     string // the error, or ""
	}{
		{"one given", `[{"text":"A","weight_bp":7000},{"text":"B"},{"text":"C"}]`, []int{7000, 1500, 1500}, ""},
		{"a remainder to the first omitted", `[{"text":"A","weight_bp":7001},{"text":"B"},{"text":"C"}]`, []int{7001, 1500, 1499}, ""},
		{"given after omitted", `[{"text":"A"},{"text":"B","weight_bp":2000},{"text":"C"},{"text":"D"}]`, []int{2667, 2000, 2667, 2666}, ""},
		{"two given", `[{"text":"A","weight_bp":3000},{"text":"B","weight_bp":3000},{"text":"C"}]`, []int{3000, 3000, 4000}, ""},
		{"none given", `[{"text":"A"},{"text":"B"},{"text":"C"}]`, []int{3334, 3333, 3333}, ""},
		{"all given", `[{"text":"A","weight_bp":2500},{"text":"B","weight_bp":7500}]`, []int{2500, 7500}, ""},
		{"nothing left", `[{"text":"A","weight_bp":10000},{"text":"B"}]`, []int{10000, 0}, ""},
		{"given over 10000", `[{"text":"A","weight_bp":8000},{"text":"B","weight_bp":3000},{"text":"C"}]`, nil, "weights_sum"},
		{"all given, not 10000", `[{"text":"A","weight_bp":2000},{"text":"B","weight_bp":3000}]`, nil, "weights_sum"},
		{"given out of range", `[{"text":"A","weight_bp":-500},{"text":"B"}]`, nil, "out_of_range"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := e.api("POST", "/api/v1/experiments", token, `{"site_id":"`+site.ID+`","name":"Hero","page":"/pricing",
				"selector":"#hero-`+itoa(i)+`","goal":{"type":"click","selector":"#buy"},"variants":`+tt.variants+`}`)
			if tt.code != "" {
				wantStatus(t, resp, http.StatusUnprocessableEntity, "")
				var codes []string
				for _, x := range out["errors"].([]any) {
					f := x.(map[string]any)
					codes = append(codes, f["code"].(string))
					if f["code"] == "weights_sum" && strings.Contains(tt.variants, `"text":"C"}`) &&
						!strings.Contains(f["message"].(string), "without weight_bp") {
						t.Errorf("weights_sum %q does not say how omitted weights count", f["message"])
					}
				}
				if !slices.Contains(codes, tt.code) {
					t.Errorf("errors %v, want %s", codes, tt.code)
				}
				return
			}
			wantStatus(t, resp, http.StatusCreated, "")
			var got []int
			for _, v := range out["variants"].([]any) {
				got = append(got, int(v.(map[string]any)["weight_bp"].(float64)))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("weights %v, want %v", got, tt.want)
			}
		})
	}
}

package app

import (
	"fmt"
	"net/http"
	"testing"
)

// TestH6WholeNumbersInExponentForm: a whole number written with an
// exponent or a fraction of zeros (5e3, 5000.0), as some JSON encoders
// write numbers, is taken where a whole number goes; a fraction is still
// refused.
func TestH6WholeNumbersInExponentForm(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	create := func(bp string) (*http.Response, map[string]any) {
		return e.api(http.MethodPost, "/api/v1/experiments", tok, `{"site_id":"`+site.ID+`","name":"Hero","page":"/","selector":"h1",`+
			`"goal":{"type":"event","name":"signup"},"traffic_bp":`+bp+`,"variants":[{"text":"Ship faster"},{"text":"Ship sooner"}]}`)
	}
	for _, bp := range []string{"5e3", "5E+3", "5000.0", "0.5e4"} {
		resp, out := create(bp)
		wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
		if out["traffic_bp"] != 5000.0 {
			t.Errorf("%s: traffic_bp %v", bp, out["traffic_bp"])
		}
	}
	for bp, want := range map[string]string{
		"5000.5": `The field "traffic_bp" must be a whole number, such as 5000.`,
		"5e-1":   `The field "traffic_bp" must be a whole number, such as 5000.`,
		"1e300":  `The number in the field "traffic_bp" is too large.`,
	} {
		resp, out := create(bp)
		code, field, msg := apiError(out)
		if resp.StatusCode != http.StatusBadRequest || code != "invalid_json" || field != "traffic_bp" || msg != want {
			t.Errorf("%s: %d %s %s %q, want 400 invalid_json traffic_bp %q", bp, resp.StatusCode, code, field, msg, want)
		}
	}
}

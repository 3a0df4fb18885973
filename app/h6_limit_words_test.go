package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestH6LimitWordsSayAtMost: a limit of N characters takes N, so its
// sentence says "at most N", not "under N", which reads as N-1.
func TestH6LimitWordsSayAtMost(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	body := func(name, control string) string {
		return `{"site_id":"` + site.ID + `","name":"` + name + `","page":"/","selector":"h1","goal":{"type":"event","name":"signup"},` +
			`"variants":[{"text":"` + control + `"},{"text":"Ship sooner"}]}`
	}
	resp, out := e.api(http.MethodPost, "/api/v1/experiments", tok, body(strings.Repeat("n", 120), strings.Repeat("c", 1000)))
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	resp, out = e.api(http.MethodPost, "/api/v1/experiments", tok, body(strings.Repeat("n", 121), strings.Repeat("c", 1001)))
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	all := fmt.Sprint(out)
	wantContains(t, all, "at most 120 characters", "at most 1000 characters")
	resp, out = e.api(http.MethodGet, "/api/v1/experiments?q="+strings.Repeat("q", 201), tok, "")
	wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(out))
	all += fmt.Sprint(out)
	wantContains(t, all, "at most 200 characters")
	if strings.Contains(all, "under ") {
		t.Errorf("a limit still says under: %s", all)
	}
}

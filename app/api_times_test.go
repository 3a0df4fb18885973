package app

import (
	"fmt"
	"net/http"
	"testing"
)

// TestAPICreatedTimesAsRead: the times a create answers are the ones a
// later read gives (both whole milliseconds, as stored), so a client that
// keeps the created site or experiment does not see it change.
func TestAPICreatedTimesAsRead(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	resp, site := e.api("POST", "/api/v1/sites", tok, `{"name":"Times","domain":"times.example.com"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(site))
	resp, read := e.api("GET", "/api/v1/sites/"+site["id"].(string), tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(read))
	if site["created_at"] != read["created_at"] {
		t.Errorf("site created_at %v on create, %v on read", site["created_at"], read["created_at"])
	}

	resp, x := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site["id"].(string)+`","name":"Hero","page":"/","selector":"h1",
		"goal":{"type":"event","name":"signup"},"variants":[{"key":"control","text":"Ship faster"},{"key":"b","text":"Ship sooner"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(x))
	resp, xread := e.api("GET", "/api/v1/experiments/"+x["id"].(string), tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(xread))
	for _, k := range []string{"created_at", "updated_at"} {
		if x[k] != xread[k] {
			t.Errorf("experiment %s %v on create, %v on read", k, x[k], xread[k])
		}
	}
}

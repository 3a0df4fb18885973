package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestReferrerKeepsOnlyHosts: an exposure's ref names the referring site
// in the results' Referrer segment only when its host is a host name (or
// an address) as browsers send it. Markup, a right-to-left override, zero-
// width spaces, a name past 253 characters, Unicode that is not in its
// xn-- form and broken names store no referrer: they count as "No
// referrer", and are still accepted (204), since the page chose them.
func TestReferrerKeepsOnlyHosts(t *testing.T) {
	tests := []struct {
		name string
		ref  string
		want string // the segment's value; "" is no referrer
	}{
		{"a site", "https://news.example/a?b=c", "news.example"},
		{"www, case and the root's dot", "https://www.Google.COM./search", "google.com"},
		{"no scheme", "example.org/page", "example.org"},
		{"an IDN as browsers send it", "https://xn--bcher-kva.example/", "xn--bcher-kva.example"},
		{"an underscore", "https://my_host.example/", "my_host.example"},
		{"an IPv4 address with a port", "http://192.0.2.1:8080/", "192.0.2.1"},
		{"an IPv6 address", "http://[2001:db8::1]/", "2001:db8::1"},
		{"markup", "https://<script>alert(1)</script>/", ""},
		{"a right-to-left override", "https://\u202emoc.elgoog/", ""},
		{"zero-width spaces", "https://\u200b\u200bgoogle.com/", ""},
		{"a zero-width joiner inside", "https://goo\u200dgle.com/", ""},
		{"a byte-order mark", "https://\ufeffgoogle.com/", ""},
		{"too long", "https://" + strings.Repeat("r", 5000), ""},
		{"254 characters", "https://" + strings.Repeat("a.", 126) + "ab/", ""},
		{"a label past 63", "https://" + strings.Repeat("a", 64) + ".example/", ""},
		{"an empty label", "https://a..example/", ""},
		{"a leading dot", "https://.example/", ""},
		{"Unicode not in its xn-- form", "https://bücher.example/", ""},
		{"a space", "https://goo gle.com/", ""},
		{"a percent sign", "https://goo%67le.com/", ""},
	}
	e := newEnv(t)
	tok := e.token("ann@example.com")
	site, x := e.runningExperiment()
	want := map[string]int64{} // segment value -> exposures
	for i, tt := range tests {
		body, _ := json.Marshal(map[string]any{"site": site.Key, "visitor": "visitor-" + itoa(i), "events": []map[string]any{{
			"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": x.ID, "variant": "b",
			"url": "https://example.com/", "ref": tt.ref, "ts": 1732406400000,
		}}})
		resp, _ := e.postRaw(string(body), nil)
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("%s: POST /e = %d %s", tt.name, resp.StatusCode, resp.Header.Get("X-Copylab"))
		}
		want[tt.want]++
	}

	resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", tok, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("results: %d %v", resp.StatusCode, out)
	}
	got := map[string]int64{}
	labels := map[string]string{}
	segs, _ := out["segments"].([]any)
	for _, s := range segs {
		dim := s.(map[string]any)
		if dim["dimension"] != "referrer" {
			continue
		}
		for _, v := range dim["values"].([]any) {
			v := v.(map[string]any)
			value, _ := v["value"].(string)
			got[value] += int64(v["exposures"].(float64))
			labels[value] = v["label"].(string)
		}
	}
	for value, n := range want {
		if got[value] != n {
			t.Errorf("referrer %q: %d exposures, want %d", value, got[value], n)
		}
	}
	for value := range got {
		if _, ok := want[value]; !ok {
			t.Errorf("referrer %.80q (label %.80q) should not be a referring site", value, labels[value])
		}
	}
	if labels[""] != "No referrer" {
		t.Errorf("no referrer's label: %q", labels[""])
	}
}

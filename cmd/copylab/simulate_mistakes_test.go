package main

import (
	"errors"
	"strings"
	"testing"
)

// TestSimulateMistakesLikeServe: simulate reports every mistake in its
// flags and their twins at once, one a line, exit 2, each as serve words
// its own: the flag with its environment twin (either may have set it),
// the value given, and what to give instead.
func TestSimulateMistakesLikeServe(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want []string // the lines of the error, in order
	}{
		{"every mistake at once, in the flags' order", nil,
			[]string{"--url", "127.0.0.1:8080", "--visitors", "0", "--concurrency", "0", "--timeout", "0s", "--pageviews", "20"},
			[]string{
				`--url (COPYLAB_URL) "127.0.0.1:8080": use http:// or https://, such as http://127.0.0.1:8080`,
				`--site (COPYLAB_SITE) is required: the site key, as in the tag's /s/KEY.js`,
				`--experiment (COPYLAB_EXPERIMENT) is required: the id of a running experiment of that site`,
				`--visitors (COPYLAB_VISITORS) 0: use at least 1`,
				`--rates (COPYLAB_RATES) is required: a conversion rate for each variant, such as control=0.10,b=0.12`,
				`--concurrency (COPYLAB_CONCURRENCY) 0: use 1 to 4096`,
				`--timeout (COPYLAB_TIMEOUT) 0s: use more than 0, such as 10m`,
				`--pageviews (COPYLAB_PAGEVIEWS) "20": use a number from 1 to 10, such as 1.5`,
			}},
		{"set by the twins", map[string]string{"COPYLAB_URL": "localhost:8080", "COPYLAB_VISITORS": "-3", "COPYLAB_CONCURRENCY": "9999",
			"COPYLAB_RATES": "control=2"},
			[]string{"--site", "k", "--experiment", "x"},
			[]string{
				`--url (COPYLAB_URL) "localhost:8080": use http:// or https://, such as http://127.0.0.1:8080`,
				`--visitors (COPYLAB_VISITORS) -3: use at least 1`,
				`--rates (COPYLAB_RATES): "control=2" is not key=rate with a rate between 0 and 1`,
				`--concurrency (COPYLAB_CONCURRENCY) 9999: use 1 to 4096`,
			}},
		{"a rate given twice", nil, []string{"--site", "k", "--experiment", "x", "--rates", "b=0.1,b=0.2"},
			[]string{`--rates (COPYLAB_RATES): b is given twice (0.1 and 0.2): give each variant one rate`}},
		{"a twin that is not a number, beside a flag's mistake", map[string]string{"COPYLAB_SEED": "one"},
			[]string{"--site", "k", "--experiment", "x", "--rates", "b=0.1", "--timeout", "-1s"},
			[]string{
				`--seed (COPYLAB_SEED) "one" is not a whole number`,
				`--timeout (COPYLAB_TIMEOUT) -1s: use more than 0, such as 10m`,
			}},
		{"the tag's load test", nil, []string{"--site", "", "--snippet", "-1"},
			[]string{
				`--site (COPYLAB_SITE) is required: the site key, as in the tag's /s/KEY.js`,
				`--snippet (COPYLAB_SNIPPET) -1: give how many times to fetch the tag, or 0 to simulate visitors`,
			}},
		{"the tag's load test needs no experiment", nil, []string{"--site", "k", "--snippet", "5", "--concurrency", "5000"},
			[]string{`--concurrency (COPYLAB_CONCURRENCY) 5000: use 1 to 4096`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, env(tt.env), "", append([]string{"simulate"}, tt.args...)...)
			if !errors.As(err, new(usageError)) {
				t.Fatalf("want a usage error, got %v; printed %q", err, stdout)
			}
			var said strings.Builder
			if code := exitMessage(&said, err); code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			want := "copylab: " + strings.Join(tt.want, "\ncopylab: ") + "\n"
			if said.String() != want {
				t.Errorf("printed\n%s\nwant\n%s", said.String(), want)
			}
			if stdout != "" {
				t.Errorf("printed on stdout: %q", stdout)
			}
		})
	}
}

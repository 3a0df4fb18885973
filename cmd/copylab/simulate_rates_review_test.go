package main

import (
	"errors"
	"strings"
	"testing"
)

// TestSimulateRateGivenTwice: --rates with a variant given twice is a
// mistake on the command line (exit 2) that names the variant and both
// rates; it used to run with the last one. So is a rate with no variant
// before its "=", which used to be sent on as a variant called "".
func TestSimulateRateGivenTwice(t *testing.T) {
	for _, tt := range []struct {
		name, rates, want string
	}{
		{"twice", "control=0.1,control=0.2,b=0.1", "--rates (COPYLAB_RATES): control is given twice (0.1 and 0.2): give each variant one rate"},
		{"same rate, spaced", "b=0.1, control=0.1 ,b = 0.1", "--rates (COPYLAB_RATES): b is given twice (0.1 and 0.1): give each variant one rate"},
		{"no variant", "=0.3", `--rates (COPYLAB_RATES): "=0.3" names no variant: write key=rate, such as control=0.3`},
		{"no variant beside one", "control=0.3,=0.2", `--rates (COPYLAB_RATES): "=0.2" names no variant: write key=rate, such as control=0.2`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, env(nil), "", "simulate", "--url", "http://127.0.0.1:1", "--site", "k", "--experiment", "x",
				"--rates", tt.rates)
			if !errors.As(err, new(usageError)) {
				t.Fatalf("want a usage error (exit 2), got %v; printed %q", err, stdout)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%q\nwant\n%q", err, tt.want)
			}
		})
	}
	// Each key once is fine (the run then fails only for want of a copylab).
	_, _, err := runCmd(t, env(nil), "", "simulate", "--url", "http://127.0.0.1:1", "--site", "k", "--experiment", "x",
		"--rates", "control=0.1,b=0.1")
	if err == nil || errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "cannot reach copylab") {
		t.Errorf("rates each given once: %v", err)
	}
}

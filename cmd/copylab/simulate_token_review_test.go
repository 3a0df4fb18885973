package main

import (
	"strings"
	"testing"
)

// TestSimulateTokenNotPrinted: simulate's API token from COPYLAB_TOKEN
// never shows in its usage (--help, or after a mistake), which may end up
// in logs; the flag package prints every flag's default there, and the
// token used to be one.
func TestSimulateTokenNotPrinted(t *testing.T) {
	const secret = "cl_simulatetokensecret0000000000000"
	for _, args := range [][]string{{"simulate", "--help"}, {"help", "simulate"}, {"simulate", "--visitors"}} {
		out, errOut, err := runCmd(t, env(map[string]string{"COPYLAB_TOKEN": secret}), "", args...)
		if err != nil {
			errOut += err.Error() // a mistake prints its error alone
		}
		if strings.Contains(out+errOut, secret) {
			t.Errorf("%s printed COPYLAB_TOKEN", strings.Join(args, " "))
		}
		if err == nil && !strings.Contains(out+errOut, "COPYLAB_TOKEN; never printed") {
			t.Errorf("%s: the usage does not say the token is never printed:\n%s%s", strings.Join(args, " "), out, errOut)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

// TestTwinMistakesNameTheFlag: a twin whose value is not of the flag's
// kind (a bool, a whole number, a duration) is reported as every other
// mistake is, by the flag and its twin, either of which may be the one
// the operator looks for. Before, only the variable was named:
// COPYLAB_SECURE_COOKIES="yes" is not true or false.
func TestTwinMistakesNameTheFlag(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string // one line of the error
	}{
		{"bool", map[string]string{"COPYLAB_SECURE_COOKIES": "yes"}, []string{"serve"},
			`--secure-cookies (COPYLAB_SECURE_COOKIES) "yes" is not true or false`},
		{"whole number", map[string]string{"COPYLAB_RATE_IP": "ten"}, []string{"serve"},
			`--rate-ip (COPYLAB_RATE_IP) "ten" is not a whole number`},
		{"duration", map[string]string{"COPYLAB_LLM_TIMEOUT": "90"}, []string{"serve"},
			`--llm-timeout (COPYLAB_LLM_TIMEOUT) "90" is not a duration such as 30s`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, env(tt.env), "", tt.args...)
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			found := false
			for _, l := range lines {
				found = found || l == tt.want
			}
			if !found {
				t.Errorf("error\n%s\nhas no line %q", err, tt.want)
			}
		})
	}
}

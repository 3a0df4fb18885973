package main

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestOpsFlags checks the flags of rate limits and metrics and their
// environment twins: mistakes are usage errors that name the flag.
func TestOpsFlags(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"metrics allow list", nil, []string{"serve", "--metrics-allow", "10.0.0.0/8,nope"}, []string{`--metrics-allow (COPYLAB_METRICS_ALLOW): "nope"`}},
		{"metrics allow twin", map[string]string{"COPYLAB_METRICS_ALLOW": "300.1.1.1"}, []string{"serve"}, []string{`--metrics-allow (COPYLAB_METRICS_ALLOW): "300.1.1.1"`}},
		{"short metrics token", nil, []string{"serve", "--metrics-token", "short"}, []string{"metrics-token"}},
		{"rate twin", map[string]string{"COPYLAB_RATE_IP": "lots"}, []string{"serve"}, []string{`--rate-ip (COPYLAB_RATE_IP) "lots"`}},
		{"rate flag", nil, []string{"serve", "--rate-site", "1.5"}, []string{"rate-site"}},
		{"simulate page views", nil, []string{"simulate", "--site", "k", "--experiment", "x", "--rates", "b=0.1", "--pageviews", "0.5"},
			[]string{"--pageviews"}},
		{"simulate snippet count", nil, []string{"simulate", "--site", "k", "--snippet", "-1"}, []string{"--snippet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, env(tt.env), "", tt.args...)
			var u usageError
			if !errors.As(err, &u) {
				t.Fatalf("want a usage error (exit 2), got %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	// --help lists each flag with its twin.
	help, _, err := runCmd(t, env(nil), "", "serve", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"-rate-ip", "COPYLAB_RATE_IP", "-rate-site", "COPYLAB_RATE_SITE", "-metrics-allow", "COPYLAB_METRICS_ALLOW",
		"-metrics-token", "COPYLAB_METRICS_TOKEN"} {
		if !strings.Contains(help, w) {
			t.Errorf("serve --help lacks %q", w)
		}
	}
}

func TestNoLimitIfZero(t *testing.T) {
	for in, want := range map[int]int{0: -1, -3: -3, 50: 50} {
		if got := noLimitIfZero(in); got != want {
			t.Errorf("noLimitIfZero(%d) = %d, want %d", in, got, want)
		}
	}
}

// TestAtLeastTwoProcs: one processor is raised to two, unless GOMAXPROCS
// was set; more than one is left alone.
func TestAtLeastTwoProcs(t *testing.T) {
	was := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(was) })
	unset := func(string) string { return "" }

	runtime.GOMAXPROCS(1)
	if !atLeastTwoProcs(unset) || runtime.GOMAXPROCS(0) != 2 {
		t.Errorf("one processor: raised to %d, want 2", runtime.GOMAXPROCS(0))
	}
	runtime.GOMAXPROCS(1)
	if atLeastTwoProcs(func(k string) string { return map[string]string{"GOMAXPROCS": "1"}[k] }) || runtime.GOMAXPROCS(0) != 1 {
		t.Errorf("GOMAXPROCS=1 set: now %d, want it kept at 1", runtime.GOMAXPROCS(0))
	}
	runtime.GOMAXPROCS(3)
	if atLeastTwoProcs(unset) || runtime.GOMAXPROCS(0) != 3 {
		t.Errorf("three processors: now %d, want 3", runtime.GOMAXPROCS(0))
	}
}

// Secrets from the environment never show in usage messages, nor in the
// errors of a mistake: the flag package prints defaults, and what a
// command prints may go to the logs.
func TestSecretsNotPrinted(t *testing.T) {
	secrets := map[string]string{
		"COPYLAB_LLM_API_KEY":   "sk-copylab-secret-0001",
		"OPENAI_API_KEY":        "sk-openai-secret-0002",
		"COPYLAB_METRICS_TOKEN": "metrics-secret-0003-long-enough",
	}
	for _, args := range [][]string{{"serve", "--adr", "x"}, {"serve", "--help"}, {"help", "serve"}} {
		out, errOut, err := runCmd(t, env(secrets), "", args...)
		if err != nil {
			errOut += err.Error()
		}
		for name, v := range secrets {
			if strings.Contains(out+errOut, v) {
				t.Errorf("%s printed %s", strings.Join(args, " "), name)
			}
		}
		if err == nil && !strings.Contains(out+errOut, "never printed") {
			t.Errorf("%s: no usage printed:\n%s%s", strings.Join(args, " "), out, errOut)
		}
	}
	// The twin still counts: a short token from the environment is refused.
	_, _, err := runCmd(t, env(map[string]string{"COPYLAB_METRICS_TOKEN": "short"}), "", "serve")
	if err == nil || !strings.Contains(err.Error(), "metrics-token") {
		t.Errorf("a short COPYLAB_METRICS_TOKEN: %v, want refused", err)
	}
}

func TestOpenAIEndpoint(t *testing.T) {
	for base, want := range map[string]bool{
		"":                               true,
		"https://api.openai.com/v1":      true,
		"https://API.OpenAI.com/v1/":     true,
		"http://api.openai.com/v1":       false, // the key would travel in clear
		"http://localhost:11434/v1":      false,
		"https://llm.example.com/v1":     false,
		"https://api.openai.com.evil/v1": false,
	} {
		if got := openAIEndpoint(base); got != want {
			t.Errorf("openAIEndpoint(%q) = %v, want %v", base, got, want)
		}
	}
}

// TestUnusedOpenAIKey: OPENAI_API_KEY is sent to OpenAI's own API only;
// set while the base URL names another endpoint, and with no key of
// copylab's own, the server says at start that it goes unused.
func TestUnusedOpenAIKey(t *testing.T) {
	withKey := func(k string) string { return map[string]string{"OPENAI_API_KEY": "sk-openai-0002"}[k] }
	noKey := func(string) string { return "" }
	for _, tt := range []struct {
		name, base, key string
		getenv          func(string) string
		warns           bool
	}{
		{"another endpoint", "http://127.0.0.1:8000/v1", "", withKey, true},
		{"another endpoint with copylab's key", "http://127.0.0.1:8000/v1", "sk-own", withKey, false},
		{"OpenAI's", "", "", withKey, false},
		{"no OPENAI_API_KEY", "http://127.0.0.1:8000/v1", "", noKey, false},
	} {
		got := unusedOpenAIKey(tt.base, tt.key, tt.getenv)
		if (got != "") != tt.warns || tt.warns && (!strings.Contains(got, "COPYLAB_LLM_API_KEY") || strings.Contains(got, tt.base)) {
			t.Errorf("%s: %q", tt.name, got)
		}
	}
}

// TestNegativeRateRefused: the rate limits take requests per second, or 0
// for none; a negative one is refused with that, rather than turning the
// limit off without a word.
func TestNegativeRateRefused(t *testing.T) {
	for _, args := range [][]string{{"serve", "--rate-ip", "-5"}, {"serve", "--rate-site", "-1"}} {
		_, _, err := runCmd(t, env(nil), "", args...)
		if err == nil || !strings.Contains(err.Error(), "give requests per second, or 0 for no limit") {
			t.Errorf("%s: %v", strings.Join(args, " "), err)
		}
	}
	_, _, err := runCmd(t, env(map[string]string{"COPYLAB_RATE_IP": "-3"}), "", "serve")
	if err == nil || !strings.Contains(err.Error(), "--rate-ip (COPYLAB_RATE_IP) -3") {
		t.Errorf("COPYLAB_RATE_IP=-3: %v", err)
	}
}

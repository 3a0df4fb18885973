package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestHelpListsEveryFlag: copylab help lists, on each command's lines,
// every flag that the command's own --help lists, so that the two cannot
// drift apart (it once left out simulate's --concurrency, --pageviews and
// --token).
func TestHelpListsEveryFlag(t *testing.T) {
	top, _, err := runCmd(t, env(nil), "", "help")
	if err != nil {
		t.Fatal(err)
	}
	flagLine := regexp.MustCompile(`(?m)^  --([a-z-]+)`)
	for _, tt := range []struct {
		synopsis string // how the command's lines in copylab help begin
		args     []string
	}{
		{"copylab [serve]", []string{"serve", "--help"}},
		{"copylab user add", []string{"user", "add", "--help"}},
		{"copylab user password", []string{"user", "password", "--help"}},
		{"copylab user invite", []string{"user", "invite", "--help"}},
		{"copylab user role", []string{"user", "role", "--help"}},
		{"copylab token create", []string{"token", "create", "--help"}},
		{"copylab simulate", []string{"simulate", "--help"}},
		{"copylab backup", []string{"backup", "--help"}},
		{"copylab restore", []string{"restore", "--help"}},
		{"copylab recount", []string{"recount", "--help"}},
	} {
		lines := synopsisOf(top, tt.synopsis)
		if lines == "" {
			t.Errorf("copylab help has no line for %s:\n%s", tt.synopsis, top)
			continue
		}
		own, _, err := runCmd(t, env(nil), "", tt.args...)
		if err != nil {
			t.Fatal(err)
		}
		flags := flagLine.FindAllStringSubmatch(own, -1)
		if len(flags) == 0 {
			t.Fatalf("%s lists no flags:\n%s", strings.Join(tt.args, " "), own)
		}
		for _, m := range flags {
			if !regexp.MustCompile(`--` + m[1] + `\b`).MatchString(lines) {
				t.Errorf("copylab help does not list --%s for %s:\n%s", m[1], tt.synopsis, lines)
			}
		}
	}
	// The group usages (copylab help user) are the same lines.
	group, _, err := runCmd(t, env(nil), "", "help", "user")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"--password-stdin", "--revoke-tokens", "--public-url"} {
		if !strings.Contains(group, w) {
			t.Errorf("copylab help user lacks %s:\n%s", w, group)
		}
	}
}

// synopsisOf returns the line of help that starts with synopsis after its
// indent, and the more-indented lines that continue it.
func synopsisOf(help, synopsis string) string {
	var out []string
	in := false
	for _, l := range strings.Split(help, "\n") {
		switch {
		case strings.HasPrefix(strings.TrimSpace(l), synopsis+" ") || strings.TrimSpace(l) == synopsis:
			in = true
			out = append(out, l)
		case in && strings.HasPrefix(l, "    ") && !strings.HasPrefix(strings.TrimSpace(l), "copylab "):
			out = append(out, l)
		default:
			in = false
		}
	}
	return strings.Join(out, "\n")
}

package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMisspelledVariablesWarned: serve warns at start of each COPYLAB_
// variable that is no flag's twin, suggesting the one meant when a name
// is close, and starts all the same. COPYLAB_PUBLICURL (no underscore)
// used to be ignored without a word, the public URL left at its default.
// The twins of other commands (COPYLAB_SITE is simulate's) and the
// variables copylab's own tests read are not warned of, and no value is
// logged.
func TestMisspelledVariablesWarned(t *testing.T) {
	logs := serveLogs(t, map[string]string{
		"COPYLAB_PUBLICURL":   "https://copylab.example.com",
		"COPYLAB_NOSUCHTHING": "value-not-logged-1",
		"Copylab_Rate_IP":     "5",
		"COPYLAB_SITE":        "k",
		"COPYLAB_SCREENSHOTS": "/tmp/shots",
		"COPYLAB_CHROMIUM":    "/usr/bin/chromium",
		"COPYLAB_EMPTYTYPO":   "",
		"OPENAI_BASE":         "x",
	}, "--db", filepath.Join(t.TempDir(), "c.db"))
	warned := regexp.MustCompile(`(?m)^.*level=WARN.*COPYLAB_.*$|^.*level=WARN.*Copylab_.*$`).FindAllString(logs, -1)
	for _, want := range []string{
		`COPYLAB_PUBLICURL is not a copylab setting, so it is ignored: did you mean COPYLAB_PUBLIC_URL?`,
		`COPYLAB_NOSUCHTHING is not a copylab setting, so it is ignored (copylab serve --help lists the settings and their variables)`,
		`Copylab_Rate_IP is not a copylab setting, so it is ignored: did you mean COPYLAB_RATE_IP?`,
	} {
		if !strings.Contains(strings.Join(warned, "\n"), want) {
			t.Errorf("no warning %q:\n%s", want, logs)
		}
	}
	if len(warned) != 3 {
		t.Errorf("%d warnings of variables, want 3:\n%s", len(warned), strings.Join(warned, "\n"))
	}
	if strings.Contains(logs, "value-not-logged-1") {
		t.Errorf("a variable's value was logged:\n%s", logs)
	}
	if !strings.Contains(logs, "copylab is listening") {
		t.Errorf("serve did not start:\n%s", logs)
	}
}

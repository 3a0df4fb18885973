package app

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAppWritesNoSQL: SQL lives in the storage code (STYLE.md), so the
// web app and its packages never open a database themselves; what they
// need to know of one, such as what the migrations did, they ask the
// store. Serve's start once read the schema version with its own SQL.
func TestAppWritesNoSQL(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	out, err := exec.Command(goTool, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "copylab/app/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, to := range fields[1:] {
			if to == "database/sql" || strings.HasPrefix(to, "github.com/mattn/go-sqlite3") {
				t.Errorf("%s imports %s: SQL lives in the storage code", fields[0], to)
			}
		}
	}
}

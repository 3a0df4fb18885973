package app

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection pins the shape of the house (DESIGN.md): imports point
// cmd → app → {experiments, variants, views, static, data}; views may use
// experiments' value types but never app, Fiber or database/sql; the domain
// packages never import app, views or Fiber; Fiber appears only in app.
func TestImportDirection(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	out, err := exec.Command(goTool, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "copylab/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 5 {
		t.Fatalf("go list found only %d packages", len(lines))
	}
	for _, line := range lines {
		fields := strings.Fields(line)
		from := fields[0]
		for _, to := range fields[1:] {
			if why := forbiddenImport(from, to); why != "" {
				t.Errorf("%s imports %s: %s", from, to, why)
			}
		}
	}
}

func under(pkg, root string) bool { return pkg == root || strings.HasPrefix(pkg, root+"/") }

// forbiddenImport says why from may not import to, or "".
func forbiddenImport(from, to string) string {
	const fiber = "github.com/gofiber/fiber"

	switch {
	case under(to, fiber) && !under(from, "copylab/app"):
		return "Fiber only in app"
	case under(to, "copylab/cmd"):
		return "nothing imports cmd"
	case under(to, "copylab/app") && !under(from, "copylab/cmd") && !under(from, "copylab/app"):
		return "only cmd imports app"
	case under(from, "copylab/views") && (to == "database/sql" || under(to, "copylab/variants") || under(to, "copylab/static") || under(to, "copylab/data")):
		return "views see only experiments' value types"
	case (under(from, "copylab/experiments") || under(from, "copylab/variants") || under(from, "copylab/data") || under(from, "copylab/static")) &&
		(under(to, "copylab/views") || under(to, "copylab/app")):
		return "the domain does not know the web app"
	}
	return ""
}

func TestForbiddenImport(t *testing.T) {
	tests := []struct {
		from, to string
		bad      bool
	}{
		{"copylab/views", "github.com/gofiber/fiber/v2", true},
		{"copylab/views", "database/sql", true},
		{"copylab/views", "copylab/app", true},
		{"copylab/views", "copylab/experiments", false},
		{"copylab/experiments", "copylab/views", true},
		{"copylab/experiments", "github.com/gofiber/fiber/v2", true},
		{"copylab/variants", "copylab/app", true},
		{"copylab/static", "copylab/app", true},
		{"copylab/app", "copylab/experiments", false},
		{"copylab/app", "github.com/gofiber/fiber/v2", false},
		{"copylab/cmd/copylab", "copylab/app", false},
		{"copylab/cmd/copylab", "github.com/gofiber/fiber/v2", true},
	}
	for _, tt := range tests {
		if got := forbiddenImport(tt.from, tt.to) != ""; got != tt.bad {
			t.Errorf("%s → %s: forbidden %v, want %v", tt.from, tt.to, got, tt.bad)
		}
	}
}

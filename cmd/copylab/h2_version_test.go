package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments/schematest"
)

// TestVersion: copylab says which version runs, as copylab version,
// --version and -version alike, on stdout: the module's version, the Go
// version and the newest database schema it knows (a refusal of a newer
// database tells the operator to "use that version"). copylab help lists
// the command, and serve's log at start names the version too. The
// command used to be unknown, and the flag too.
func TestVersion(t *testing.T) {
	schema := schematest.Latest(t)
	var first string
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		name := strings.Join(args, " ")
		stdout, stderr, err := runCmd(t, env(nil), "", args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr)
		}
		if stderr != "" {
			t.Errorf("%s wrote to stderr: %q", name, stderr)
		}
		for _, want := range []string{"copylab ", "go: " + runtime.Version(), "database schema: " + strconv.Itoa(schema) + " "} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s does not say %q:\n%s", name, want, stdout)
			}
		}
		if !strings.HasPrefix(stdout, "copylab ") {
			t.Errorf("%s does not start with copylab and the version:\n%s", name, stdout)
		}
		if first == "" {
			first = stdout
		} else if stdout != first {
			t.Errorf("%s says\n%s\ncopylab version says\n%s", name, stdout, first)
		}
	}

	if _, _, err := runCmd(t, env(nil), "", "version", "extra"); !errors.As(err, new(usageError)) {
		t.Errorf("version extra: %v, want a usage error", err)
	}
	if stdout, _, err := runCmd(t, env(nil), "", "version", "--help"); err != nil || !strings.Contains(stdout, "Usage: copylab version") {
		t.Errorf("version --help: %v\n%s", err, stdout)
	}
	if help, _, _ := runCmd(t, env(nil), "", "help"); !regexp.MustCompile(`(?m)^  copylab version$`).MatchString(help) {
		t.Errorf("copylab help does not list copylab version:\n%s", help)
	}

	_, logs, _ := serveAnyPort(t, "--db", filepath.Join(t.TempDir(), "c.db"))
	start := regexp.MustCompile(`(?m)^.*msg="starting copylab.*$`).FindString(logs)
	if start == "" || !strings.Contains(start, " version=") || !strings.Contains(start, " go="+runtime.Version()) {
		t.Errorf("serve's log does not name the version at start (want version= and go=):\n%s", logs)
	}
}

// TestVersionOfBuild runs a copylab built from this checkout: its version
// names the commit it was built from (12 digits) and says "modified" when
// the checkout had changes.
func TestVersionOfBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the copylab binary")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skip("not in a git checkout")
	}
	// Go stamps the revision only where .git is a folder: a worktree's
	// .git is a file, and its builds carry no revision.
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if st, serr := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || serr != nil || !st.IsDir() {
		t.Skip("a git worktree (its .git is a file), whose builds Go does not stamp")
	}
	// -buildvcs=true: GOFLAGS may turn it off, as it is on some machines.
	bin := filepath.Join(t.TempDir(), "copylab")
	if out, err := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("copylab version: %v\n%s", err, out)
	}
	if want := "revision: " + string(head[:12]); !strings.Contains(string(out), want) {
		t.Errorf("copylab version does not say %q:\n%s", want, out)
	}
	dirty, _ := exec.Command("git", "status", "--porcelain").Output()
	if modified := strings.Contains(string(out), ", modified"); modified != (len(dirty) > 0) {
		t.Errorf("says modified: %v, but git status says:\n%s\ncopylab version:\n%s", modified, dirty, out)
	}
	if !regexp.MustCompile(`(?m)^commit time: \d{4}-\d\d-\d\dT`).Match(out) {
		t.Errorf("copylab version does not give the commit's time:\n%s", out)
	}
}

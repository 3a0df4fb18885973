package experiments_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestSpecCopyCurrent: docs/spec holds the project's shared specs and
// vectors (../shared/spec beside the checkout), so that a clone can read
// what the statistics and the assignment follow, and its tests pass
// without the shared folder. Where that folder is present, the copy must
// be the same, file for file.
func TestSpecCopyCurrent(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "spec")
	names, err := os.ReadDir(shared)
	if os.IsNotExist(err) {
		t.Skipf("%s is not beside this checkout: nothing to compare docs/spec with", shared)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if n.IsDir() {
			continue
		}
		want, err := os.ReadFile(filepath.Join(shared, n.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", "docs", "spec", n.Name()))
		if err != nil {
			t.Errorf("docs/spec lacks %s: copy it from %s", n.Name(), shared)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("docs/spec/%s differs from %s: copy it again", n.Name(), filepath.Join(shared, n.Name()))
		}
	}
	copies, err := os.ReadDir(filepath.Join("..", "docs", "spec"))
	if err != nil {
		t.Fatal(err)
	}
	if len(copies) != len(names) {
		t.Errorf("docs/spec holds %d files, %s %d", len(copies), shared, len(names))
	}
}

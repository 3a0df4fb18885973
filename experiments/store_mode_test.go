//go:build unix

package experiments_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"copylab/experiments"
)

// TestOpenKeepsTheFilePrivate: a new database, its WAL and its shared
// memory are readable by their owner only, whatever the umask; a new
// directory for it too. An existing file keeps the mode it has.
func TestOpenKeepsTheFilePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "x.db")
	s, err := experiments.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateSite(context.Background(), experiments.Site{Name: "Shop", Domain: "shop.example"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group or others", filepath.Base(p), perm)
		}
	}

	mine := filepath.Join(t.TempDir(), "mine.db")
	if err := os.WriteFile(mine, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	s2, err := experiments.Open(context.Background(), mine)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if fi, _ := os.Stat(mine); fi.Mode().Perm() != 0o640 {
		t.Errorf("an existing file's mode changed to %v", fi.Mode().Perm())
	}
}

package experiments_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestBackupToAFolderPath: an --out that ends in a slash names a folder.
// A missing one is refused, and no file takes its name (before, the
// backup was written to a file named after the folder: /backups/ gave a
// file /backups); so is a file. An existing folder so named gets a dated
// file, as without the slash.
func TestBackupToAFolderPath(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	addSite(t, s, "Shop")
	sep := string(filepath.Separator)

	t.Run("missing", func(t *testing.T) {
		parent := t.TempDir()
		out := filepath.Join(parent, "backups") + sep
		_, err := experiments.Backup(ctx, s.Path(), out)
		if want := "backup: the folder " + out + " does not exist: create it, or name a file"; err == nil || err.Error() != want {
			t.Errorf("err = %v, want %q", err, want)
		}
		if l := leftovers(t, parent); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("a file", func(t *testing.T) {
		parent := t.TempDir()
		file := filepath.Join(parent, "backups")
		if err := os.WriteFile(file, []byte("not a folder"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := experiments.Backup(ctx, s.Path(), file+sep)
		if want := "backup: " + file + sep + " is not a folder"; err == nil || err.Error() != want {
			t.Errorf("err = %v, want %q", err, want)
		}
		if b, _ := os.ReadFile(file); string(b) != "not a folder" {
			t.Errorf("the file changed: %q", b)
		}
		if l := leftovers(t, parent, "backups"); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	})
	t.Run("existing", func(t *testing.T) {
		dir := t.TempDir()
		info, err := experiments.Backup(ctx, s.Path(), dir+sep)
		if err != nil {
			t.Fatal(err)
		}
		if name := filepath.Base(info.Path); filepath.Dir(info.Path) != dir || !strings.HasPrefix(name, "copylab-") {
			t.Errorf("backup written to %s, want a dated file in %s", info.Path, dir)
		}
	})
}

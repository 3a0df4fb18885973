//go:build linux

package experiments_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestRestoreAsRootFoldsTheLogAsTheFolderOwner: restore run as root
// folds the log of the database it replaces (a checkpoint) with the file
// rights of the folder's owner, as it writes the restored file. That
// owner may swap the database's name for a symbolic link to any database
// of the system at any moment; root opened it by name, followed the link
// and folded that database's log into it, writing a file only root may.
// The database the link points to is left as it was, and a real log in
// the service's folder is still folded; one that user cannot open is
// kept whole, with its log beside it.
func TestRestoreAsRootFoldsTheLogAsTheFolderOwner(t *testing.T) {
	ctx := context.Background()
	// hot makes at db a database of the service's user whose last site
	// is only in its log, as a killed server leaves it.
	hot := func(t *testing.T, db, site string) {
		t.Helper()
		live := openStore(t)
		addSite(t, live, site)
		copyFile(t, live.Path(), db)
		copyFile(t, live.Path()+"-wal", db+"-wal")
		for _, p := range []string{db, db + "-wal"} {
			if err := os.Lchown(p, serviceUser, serviceUser); err != nil {
				t.Fatal(err)
			}
		}
	}
	unchanged := func(t *testing.T, path string, want []byte) {
		t.Helper()
		if b, err := os.ReadFile(path); err != nil || string(b) != string(want) {
			t.Errorf("%s was changed: %d bytes (%v), want its %d", path, len(b), err, len(want))
		}
	}

	t.Run("a database that leads to root's", func(t *testing.T) {
		_, svc, rootOnly := rootTree(t)
		_, backup := backedUp(t, "Backup")
		secret := filepath.Join(rootOnly, "secret.db")
		hot(t, secret, "Secret")
		for _, p := range []string{secret, secret + "-wal"} {
			if err := os.Lchown(p, 0, 0); err != nil {
				t.Fatal(err)
			}
		}
		dbText, _ := os.ReadFile(secret)
		walText, _ := os.ReadFile(secret + "-wal")
		db := filepath.Join(svc, "c.db")
		if err := os.Symlink(secret, db); err != nil {
			t.Fatal(err)
		}
		if _, err := experiments.Restore(ctx, backup, db); err != nil {
			t.Logf("restore: %v", err)
		}
		unchanged(t, secret, dbText)
		unchanged(t, secret+"-wal", walText)
	})
	t.Run("root's database in the service's folder", func(t *testing.T) {
		// Its owner cannot open it to fold its log: it is kept with it.
		_, svc, _ := rootTree(t)
		_, backup := backedUp(t, "Backup")
		db := filepath.Join(svc, "c.db")
		hot(t, db, "Current")
		for _, p := range []string{db, db + "-wal"} {
			if err := os.Lchown(p, 0, 0); err != nil {
				t.Fatal(err)
			}
		}
		info, err := experiments.Restore(ctx, backup, db)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(siteNames(t, info.Replaced), ","); got != "Current" {
			t.Errorf("the replaced database holds %q, want Current", got)
		}
		if got := strings.Join(siteNames(t, db), ","); got != "Backup" {
			t.Errorf("restored sites %q, want Backup", got)
		}
	})
	t.Run("the service's own log", func(t *testing.T) {
		_, svc, _ := rootTree(t)
		_, backup := backedUp(t, "Backup")
		db := filepath.Join(svc, "c.db")
		hot(t, db, "Current")
		info, err := experiments.Restore(ctx, backup, db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(info.Replaced + "-wal"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the replaced database kept a log (%v), want it folded in", err)
		}
		ownedBy(t, info.Replaced, serviceUser, 0o600)
		if got := strings.Join(siteNames(t, info.Replaced), ","); got != "Current" {
			t.Errorf("the replaced database holds %q, want Current", got)
		}
		if got := strings.Join(siteNames(t, db), ","); got != "Backup" {
			t.Errorf("restored sites %q, want Backup", got)
		}
	})
}

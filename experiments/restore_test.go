package experiments_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// siteNames lists the sites of the database at path, opened as copylab
// opens it.
func siteNames(t *testing.T, path string) []string {
	t.Helper()
	s, err := experiments.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer s.Close()
	sites, err := s.Sites(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, site := range sites {
		names = append(names, site.Name)
	}
	return names
}

func addSite(t *testing.T, s *experiments.Store, name string) {
	t.Helper()
	if _, err := s.CreateSite(context.Background(), experiments.Site{Name: name, Domain: strings.ToLower(name) + ".example"}); err != nil {
		t.Fatal(err)
	}
}

// copyFile copies a file byte for byte (the test's stand-in for a crash:
// a database with its write-ahead log, as a killed server leaves it).
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// backedUp returns a live store holding one site, and a backup of it.
func backedUp(t *testing.T, site string) (*experiments.Store, string) {
	t.Helper()
	live := openStore(t)
	addSite(t, live, site)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := experiments.Backup(context.Background(), live.Path(), backup); err != nil {
		t.Fatal(err)
	}
	return live, backup
}

// The restored database is the backup's; the one it replaced is kept
// whole, its write-ahead log included, and the old log is not read into
// the restored file.
func TestRestore(t *testing.T) {
	ctx := context.Background()
	live, backup := backedUp(t, "Before")
	addSite(t, live, "After") // still in the live store's write-ahead log

	// dst: the live database as a killed server leaves it, log and all.
	dir := t.TempDir()
	dst := filepath.Join(dir, "copylab.db")
	copyFile(t, live.Path(), dst)
	copyFile(t, live.Path()+"-wal", dst+"-wal")
	copyFile(t, live.Path()+"-shm", dst+"-shm")

	info, err := experiments.Restore(ctx, backup, dst)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if info.Schema < 13 || !strings.HasPrefix(info.Replaced, dst+".before-restore-") {
		t.Errorf("info = %+v", info)
	}
	if got := strings.Join(siteNames(t, dst), ","); got != "Before" {
		t.Errorf("restored sites %q, want the backup's: Before", got)
	}
	if got := strings.Join(siteNames(t, info.Replaced), ","); !strings.Contains(got, "After") || !strings.Contains(got, "Before") {
		t.Errorf("the replaced database holds %q, want Before and After (its log kept with it)", got)
	}
	if _, err := os.Stat(info.Replaced + "-wal"); err == nil {
		t.Error("the replaced database kept a log: it should have been folded in")
	}
	if _, err := os.Stat(dst + "-wal"); err == nil {
		t.Error("a log is left beside the restored database")
	}
	if st, err := os.Stat(dst); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("restored file: %v, want mode 0600", err)
	}
	if _, err := os.Stat(backup); err != nil {
		t.Errorf("the backup is gone: %v", err)
	}
	for _, name := range leftovers(t, dir) {
		if strings.Contains(name, ".restoring-") {
			t.Errorf("left behind: %s", name)
		}
	}
}

// A fresh machine: nothing at dst yet, not even its folder.
func TestRestoreOntoNothing(t *testing.T) {
	ctx := context.Background()
	_, backup := backedUp(t, "Shop")
	dst := filepath.Join(t.TempDir(), "data", "copylab.db")
	info, err := experiments.Restore(ctx, backup, dst)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if info.Replaced != "" {
		t.Errorf("replaced %q, want nothing", info.Replaced)
	}
	if got := strings.Join(siteNames(t, dst), ","); got != "Shop" {
		t.Errorf("restored sites %q, want Shop", got)
	}
}

func TestRestoreRefusals(t *testing.T) {
	ctx := context.Background()
	_, backup := backedUp(t, "Shop")
	// current is a database in place, which every refusal must leave as it is.
	current := func(t *testing.T) (dir, dst string, before []byte) {
		dir = t.TempDir()
		dst = filepath.Join(dir, "copylab.db")
		s, err := experiments.Open(ctx, dst)
		if err != nil {
			t.Fatal(err)
		}
		addSite(t, s, "Current")
		s.Close()
		before, _ = os.ReadFile(dst)
		return dir, dst, before
	}
	unchanged := func(t *testing.T, dir, dst string, before []byte) {
		t.Helper()
		if b, _ := os.ReadFile(dst); string(b) != string(before) {
			t.Error("the database changed")
		}
		for _, name := range leftovers(t, dir, "copylab.db", "copylab.db.lock") {
			t.Errorf("left behind: %s", name)
		}
	}

	t.Run("while served", func(t *testing.T) {
		dir, dst, before := current(t)
		release, err := experiments.ServeLock(dst)
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		_, err = experiments.Restore(ctx, backup, dst)
		want := "restore: " + dst + " is in use by copylab serve (process " + strconv.Itoa(os.Getpid()) + "): stop it first"
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
		unchanged(t, dir, dst, before)
	})
	t.Run("no backup", func(t *testing.T) {
		dir, dst, before := current(t)
		_, err := experiments.Restore(ctx, filepath.Join(dir, "nope.db"), dst)
		if err == nil || !strings.Contains(err.Error(), "there is no backup at") {
			t.Fatalf("err = %v", err)
		}
		unchanged(t, dir, dst, before)
	})
	t.Run("the database itself", func(t *testing.T) {
		dir, dst, before := current(t)
		_, err := experiments.Restore(ctx, dst, dst)
		if err == nil || !strings.Contains(err.Error(), "is the database itself") {
			t.Fatalf("err = %v", err)
		}
		unchanged(t, dir, dst, before)
	})
	t.Run("not a copylab database", func(t *testing.T) {
		dir, dst, before := current(t)
		other := filepath.Join(t.TempDir(), "other.db")
		db, err := sql.Open("sqlite3", other)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`create table notes (body text)`); err != nil {
			t.Fatal(err)
		}
		db.Close()
		_, err = experiments.Restore(ctx, other, dst)
		if err == nil || !strings.Contains(err.Error(), "is not a copylab database") {
			t.Fatalf("err = %v", err)
		}
		unchanged(t, dir, dst, before)
	})
	t.Run("from a newer copylab", func(t *testing.T) {
		dir, dst, before := current(t)
		newer := filepath.Join(t.TempDir(), "newer.db")
		copyFile(t, backup, newer)
		db, err := sql.Open("sqlite3", newer)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`insert into schema_migrations (version, name, applied_at) values (9999, '9999_future.sql', 0)`); err != nil {
			t.Fatal(err)
		}
		db.Close()
		_, err = experiments.Restore(ctx, newer, dst)
		if err == nil || !strings.Contains(err.Error(), "comes from a newer copylab (schema version 9999") {
			t.Fatalf("err = %v", err)
		}
		unchanged(t, dir, dst, before)
	})
}

// Two restores in one second keep both databases they replaced.
func TestRestoreTwiceInASecond(t *testing.T) {
	ctx := context.Background()
	dst := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	addSite(t, s, "Original")
	s.Close()
	var backups []string
	for _, name := range []string{"A", "B"} {
		_, b := backedUp(t, name)
		backups = append(backups, b)
	}
	first, err := experiments.Restore(ctx, backups[0], dst)
	if err != nil {
		t.Fatal(err)
	}
	second, err := experiments.Restore(ctx, backups[1], dst)
	if err != nil {
		t.Fatal(err)
	}
	if first.Replaced == second.Replaced {
		t.Fatalf("both restores kept the replaced database as %s", first.Replaced)
	}
	for path, want := range map[string]string{first.Replaced: "Original", second.Replaced: "A", dst: "B"} {
		if got := strings.Join(siteNames(t, path), ","); got != want {
			t.Errorf("%s holds %q, want %q", filepath.Base(path), got, want)
		}
	}
}

// A database too damaged to open is replaced all the same, and kept as it
// was, its log beside it.
func TestRestoreOverADamagedDatabase(t *testing.T) {
	ctx := context.Background()
	_, backup := backedUp(t, "Shop")
	dst := filepath.Join(t.TempDir(), "copylab.db")
	junk, log := []byte(strings.Repeat("damaged ", 512)), []byte("a log SQLite cannot read")
	if err := os.WriteFile(dst, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst+"-wal", log, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := experiments.Restore(ctx, backup, dst)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if b, _ := os.ReadFile(info.Replaced); string(b) != string(junk) {
		t.Error("the damaged database was not kept as it was")
	}
	if b, _ := os.ReadFile(info.Replaced + "-wal"); string(b) != string(log) {
		t.Error("the damaged database's log was not kept beside it")
	}
	if got := strings.Join(siteNames(t, dst), ","); got != "Shop" {
		t.Errorf("restored sites %q, want Shop", got)
	}
}

// When the last step fails, the database is put back as it was: nothing
// kept aside, nothing lost.
func TestRestoreFailureAtTheEndPutsBack(t *testing.T) {
	ctx := context.Background()
	_, backup := backedUp(t, "Backup")
	current := openStore(t)
	addSite(t, current, "Current") // in its log
	dir := t.TempDir()
	dst := filepath.Join(dir, "copylab.db")
	copyFile(t, current.Path(), dst)
	copyFile(t, current.Path()+"-wal", dst+"-wal")
	// A -shm that cannot be removed: a folder with something in it.
	if err := os.MkdirAll(filepath.Join(dst+"-shm", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := experiments.Restore(ctx, backup, dst); err == nil {
		t.Fatal("restore succeeded with a -shm it cannot remove")
	}
	if err := os.RemoveAll(dst + "-shm"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(siteNames(t, dst), ","); got != "Current" {
		t.Errorf("after the failed restore the database holds %q, want Current", got)
	}
	for _, name := range leftovers(t, dir, "copylab.db", "copylab.db.lock", "copylab.db-wal", "copylab.db-shm") {
		t.Errorf("left behind: %s", name)
	}
}

// A program reading the database (a running backup, say) holds its log:
// the restore waits a moment, then refuses and changes nothing.
func TestRestoreRefusedWhileRead(t *testing.T) {
	ctx := context.Background()
	_, backup := backedUp(t, "Backup")
	current := openStore(t)
	addSite(t, current, "Current")
	tx, err := current.Reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow(`select count(*) from sites`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	_, err = experiments.Restore(ctx, backup, current.Path())
	if err == nil || !strings.Contains(err.Error(), "another program is reading") {
		t.Fatalf("err = %v, want another program is reading", err)
	}
	tx.Rollback()
	sites, err := current.Sites(ctx)
	if err != nil || len(sites) != 1 || sites[0].Name != "Current" {
		t.Errorf("after the refusal the database holds %+v (%v), want Current", sites, err)
	}
}

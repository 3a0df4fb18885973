//go:build linux

package experiments_test

import (
	"context"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"copylab/experiments"
)

// TestBackupChild is TestBackupDestinationFull's child: with
// COPYLAB_TEST_BACKUP_CHILD set, it backs up $SRC to $DST under a file
// size limit of $LIMIT bytes, which stops the copy part way as a full
// volume would, and prints the error. The limit is the process's, so it
// runs in a process of its own; otherwise it is skipped.
func TestBackupChild(t *testing.T) {
	if os.Getenv("COPYLAB_TEST_BACKUP_CHILD") != "1" {
		t.Skip("run by TestBackupDestinationFull")
	}
	// Go ignores SIGXFSZ: a write past the limit fails with EFBIG.
	n, _ := strconv.ParseUint(os.Getenv("LIMIT"), 10, 64)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
		t.Fatal(err)
	}
	_, err := experiments.Backup(context.Background(), os.Getenv("SRC"), os.Getenv("DST"))
	if err == nil {
		t.Fatal("the backup succeeded")
	}
	os.Stdout.WriteString("\nERROR: " + err.Error() + "\n")
}

// TestBackupDestinationFull: a backup whose copy cannot be written to the
// end (the destination's volume is full) leaves nothing behind in the
// destination's folder, not its temporary file nor SQLite's journal of
// it, and its error names the destination, not the database copied.
func TestBackupDestinationFull(t *testing.T) {
	f := evNewFixture(t)
	// More than SQLite's page cache holds (2 MB): VACUUM INTO then writes
	// pages out before its commit, and a write that fails there leaves its
	// journal behind, as on a real full volume.
	if _, err := f.s.Writer().Exec(`create table ballast (b blob);
		with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000)
		insert into ballast select zeroblob(4000) from n`); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dst := filepath.Join(dir, "nightly.db")
	cmd := osexec.Command(os.Args[0], "-test.run=^TestBackupChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "COPYLAB_TEST_BACKUP_CHILD=1", "SRC="+f.s.Path(), "DST="+dst, "LIMIT="+strconv.Itoa(1<<20))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the backup child: %v: %s", err, out)
	}
	_, msg, ok := strings.Cut(string(out), "\nERROR: ")
	if !ok {
		t.Fatalf("the backup child said no error: %s", out)
	}
	msg, _, _ = strings.Cut(msg, "\n")
	if !strings.Contains(msg, dst) || strings.Contains(msg, f.s.Path()) {
		t.Errorf("error %q: want it to name the destination %s, not the database %s", msg, dst, f.s.Path())
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("a failed backup left %v behind", left)
	}
}

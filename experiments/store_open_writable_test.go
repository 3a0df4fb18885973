//go:build unix

package experiments_test

import (
	"context"
	"io"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"copylab/experiments"
)

// TestOpenNotWritable: a database, or its folder, that this user cannot
// write is named in a sentence that says what to check, by serve and by
// the admin commands, instead of SQLite's "attempt to write a readonly
// database" (or, for a file only, a start that failed at the first
// write). Root writes any file, so as root the test runs itself again as
// the user nobody; a read-only SQLite connection (mode=ro) is not the
// same thing, since it is the permissions that are under test.
func TestOpenNotWritable(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "TestOpenNotWritable")
		return
	}
	ctx := context.Background()
	// copylabDB makes a copylab database in a folder of its own.
	copylabDB := func(t *testing.T) string {
		t.Helper()
		path := filepath.Join(t.TempDir(), "data", "copylab.db")
		s, err := experiments.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		addSite(t, s, "Shop")
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// readOnly takes the write permission from path until the test ends.
	readOnly := func(t *testing.T, path string, mode os.FileMode) {
		t.Helper()
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, st.Mode().Perm()) })
	}
	for _, tt := range []struct {
		name    string
		make    func(t *testing.T) string
		openers []string
	}{
		{"file and folder", func(t *testing.T) string {
			path := copylabDB(t)
			readOnly(t, path, 0o400)
			readOnly(t, filepath.Dir(path), 0o500)
			return path
		}, []string{"Open", "OpenExisting"}},
		{"file", func(t *testing.T) string {
			path := copylabDB(t)
			readOnly(t, path, 0o400)
			return path
		}, []string{"Open", "OpenExisting"}},
		{"folder", func(t *testing.T) string {
			path := copylabDB(t)
			readOnly(t, filepath.Dir(path), 0o500)
			return path
		}, []string{"Open", "OpenExisting"}},
		{"folder of a new file", func(t *testing.T) string {
			dir := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(dir, 0o500); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			return filepath.Join(dir, "copylab.db")
		}, []string{"Open"}},
	} {
		for _, o := range openers {
			if !containsString(tt.openers, o.name) {
				continue
			}
			t.Run(tt.name+"/"+o.name, func(t *testing.T) {
				path := tt.make(t)
				s, err := o.open(ctx, path)
				if err == nil {
					s.Close()
					t.Fatal("opened a database this user cannot write")
				}
				want := path + " is not writable by this user: check the owner and mode of the file and its folder"
				if err.Error() != want {
					t.Errorf("err = %q\nwant  %q", err, want)
				}
			})
		}
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// runAsNobody runs the test named test again in a copy of this test
// binary, as the user nobody (65534), and fails with its output if it
// fails there. It skips when this process may not change its user.
func runAsNobody(t *testing.T, test string) {
	t.Helper()
	// The go command builds the binary in a folder only root can enter.
	dir, err := os.MkdirTemp("", "copylab-nobody-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "experiments.test")
	if err := copyExecutable(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	cmd := osexec.Command(bin, "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + os.TempDir(), "HOME=" + dir}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil && strings.Contains(err.Error(), "operation not permitted") {
		t.Skipf("cannot run as the user nobody: %v", err)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: "+test) {
		t.Fatalf("as the user nobody: %v\n%s", err, out)
	}
	t.Logf("as the user nobody:\n%s", out)
}

func copyExecutable(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

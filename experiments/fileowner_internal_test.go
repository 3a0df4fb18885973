//go:build unix

package experiments

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSameOwnerNotThroughALink: given a symbolic link where it expected
// the file it made (the folder may be another user's, who could swap one
// in), sameOwner run as root changes the link, never the file it points
// to, which may be any file of the system.
func TestSameOwnerNotThroughALink(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("run as root: only root gives files to another user")
	}
	dir := t.TempDir()
	svc := filepath.Join(dir, "svc")
	if err := os.Mkdir(svc, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(svc, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "secret")
	if err := os.WriteFile(target, []byte("root's"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(svc, "c.db.restoring-1")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	like, err := ownerModel(filepath.Join(svc, "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	sameOwner(link, like)
	for _, tt := range []struct {
		path string
		uid  uint32
	}{{target, 0}, {link, 65534}} {
		fi, err := os.Lstat(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != tt.uid || st.Gid != tt.uid {
			t.Errorf("%s is owned by %d:%d, want %d:%d", tt.path, st.Uid, st.Gid, tt.uid, tt.uid)
		}
	}
}

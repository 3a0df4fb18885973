package main

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestServeAddrInUse: a port another program holds is refused in a
// sentence that says what to do, before the database is created.
func TestServeAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	db := filepath.Join(t.TempDir(), "c.db")
	_, _, err = runCmd(t, env(nil), "", "serve", "--addr", addr, "--db", db)
	want := addr + " is in use by another program: stop it or choose another --addr (COPYLAB_ADDR)"
	if err == nil || err.Error() != want {
		t.Errorf("serve on a port in use: %v\nwant %q", err, want)
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Errorf("the error no longer wraps EADDRINUSE, which tests retry on: %#v", err)
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the database was created before the port was found taken (%v)", err)
	}
}

package main

import (
	"errors"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// publicURLWarning is the start's warning about a loopback public URL on
// a server that listens on every interface.
const publicURLWarning = `level=WARN msg="the public URL is a loopback address while copylab listens on all interfaces: ` +
	`links and site tags would point to each visitor's own computer; set --public-url (COPYLAB_PUBLIC_URL) to the address people and sites use"`

// TestServeWarnsOfALoopbackPublicURLOnAllInterfaces: serve --addr
// 0.0.0.0:PORT or :PORT with no --public-url derives http://127.0.0.1:PORT,
// which sends people, the setup link and every site's tag to their own
// computer. Before, nothing said so. The port is held here so that serve
// stops right after the warning, and no test server listens on every
// interface.
func TestServeWarnsOfALoopbackPublicURLOnAllInterfaces(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, tt := range []struct {
		name string
		args []string
		warn bool
	}{
		{"0.0.0.0", []string{"--addr", "0.0.0.0:" + port}, true},
		{"port only", []string{"--addr", ":" + port}, true},
		{"a loopback public URL given", []string{"--addr", "0.0.0.0:" + port, "--public-url", "http://localhost:" + port}, true},
		{"a public URL given", []string{"--addr", "0.0.0.0:" + port, "--public-url", "https://copylab.example.com"}, false},
		{"loopback only", []string{"--addr", "127.0.0.1:" + port}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "c.db")
			_, logs, err := runCmd(t, env(nil), "", append([]string{"serve", "--db", db}, tt.args...)...)
			if !errors.Is(err, syscall.EADDRINUSE) {
				t.Fatalf("serve: %v, want the port in use\n%s", err, logs)
			}
			if got := strings.Count(logs, publicURLWarning); got != map[bool]int{true: 1, false: 0}[tt.warn] {
				t.Errorf("warned %d times, want warn=%v:\n%s", got, tt.warn, logs)
			}
		})
	}
}

package testnet

import (
	"errors"
	"net"
	"syscall"
	"testing"
)

// The address refuses connections, and no listener can take its port.
func TestRefusedAddr(t *testing.T) {
	addr := RefusedAddr(t)
	_, err := net.Dial("tcp", addr)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial %s: %v, want connection refused", addr, err)
	}
	if ln, err := net.Listen("tcp", addr); err == nil {
		ln.Close()
		t.Fatalf("a listener took %s", addr)
	}
}

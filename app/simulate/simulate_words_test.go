package simulate

import (
	"context"
	"net"
	"strings"
	"testing"
)

// TestFailuresLine: the failures line names each kind, most first, with
// status codes as numbers and a server that is down as "connection
// refused"; none at all reads "failures 0", not Go's "map[]".
func TestFailuresLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, dialErr := net.Dial("tcp", addr)
	if dialErr == nil {
		t.Skip("something listens on a port just closed")
	}
	if got := errorKind(dialErr); got != "connection refused" {
		t.Errorf("a refused connection is %q", got)
	}
	if got := errorKind(context.DeadlineExceeded); got != "timeout" {
		t.Errorf("a deadline is %q", got)
	}

	r := Report{Failures: map[string]int{"connection refused": 250, "503": 2, "429": 2}}
	if got := r.String(); !strings.Contains(got, "failures 254 (connection refused 250, 429 2, 503 2), retries 0\n") {
		t.Errorf("report:\n%s", got)
	}
	if got := (Report{}).String(); !strings.Contains(got, "failures 0, retries 0\n") || strings.Contains(got, "map[") {
		t.Errorf("report without failures:\n%s", got)
	}
	if got := (SnippetReport{}).String(); !strings.Contains(got, "failures 0\n") || strings.Contains(got, "map[") {
		t.Errorf("snippet report without failures:\n%s", got)
	}
}

package main

import (
	"context"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"copylab/app"
	"copylab/app/syncbuf"
	"copylab/experiments"
)

// TestServeAnyFreePort: serve --addr 127.0.0.1:0 listens on a port the
// system picks, and the public URL it derives names that port, not 0, which
// nobody can reach: in the start's log line, the setup link and a site's
// tag. A configured public URL is left as it is.
func TestServeAnyFreePort(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	ctx := context.Background()
	s, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.AddUser(ctx, s, simulateOwner, "Owner", simulatePassword); err != nil {
		t.Fatal(err)
	}
	s.Close()

	addr, logs, stop := serveAnyPort(t, "--db", db)
	if !regexp.MustCompile(`^127\.0\.0\.1:[1-9][0-9]*$`).MatchString(addr) {
		t.Fatalf("listening on %q, want 127.0.0.1 and a port other than 0", addr)
	}
	if want := "public_url=http://" + addr + " "; !strings.Contains(logs, want) {
		t.Errorf("start log lacks %q:\n%s", want, logs)
	}
	if strings.Contains(logs, ":0/") || strings.Contains(logs, ":0 ") {
		t.Errorf("start log names port 0:\n%s", logs)
	}
	tag := `src="http://` + addr + `/s/` + site.Key + `.js"`
	page := html.UnescapeString(signedInGet(t, "http://"+addr, simulateOwner, simulatePassword, "/sites/"+site.ID))
	if !strings.Contains(page, tag) {
		t.Errorf("the site's install tag does not hold %s:\n%s", tag, tagStatusText(page))
	}
	stop()

	// With no account yet, the setup link names the port too.
	_, logs, _ = serveAnyPort(t, "--db", filepath.Join(t.TempDir(), "new.db"))
	m := regexp.MustCompile(`addr=(\S+) public_url=http://(\S+) `).FindStringSubmatch(logs)
	if m == nil || m[1] != m[2] {
		t.Fatalf("listening address and public URL differ:\n%s", logs)
	}
	if want := `url="http://` + m[1] + `/setup?token=`; !strings.Contains(logs, want) {
		t.Errorf("start log lacks %q:\n%s", want, logs)
	}

	// A public URL given is the operator's: kept as it is.
	_, logs, _ = serveAnyPort(t, "--db", db, "--public-url", "https://copylab.example.com")
	if want := "public_url=https://copylab.example.com "; !strings.Contains(logs, want) {
		t.Errorf("start log lacks %q:\n%s", want, logs)
	}
}

// serveAnyPort runs `copylab serve --addr 127.0.0.1:0` in this process
// with args until it answers /healthz on the address its start log names,
// and returns that address, what serve logged by then, and stop, which
// stops it (the end of the test does too).
func serveAnyPort(t *testing.T, args ...string) (addr, logs string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncbuf.Buffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), out, out, env(nil))
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve: %v\n%s", err, out)
				}
			case <-time.After(20 * time.Second):
				t.Error("serve did not stop")
			}
		})
	}
	t.Cleanup(stop)
	listening := regexp.MustCompile(`msg="copylab is listening" addr=(\S+)`)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case err := <-done:
			done <- err // for the cleanup
			t.Fatalf("serve stopped at start: %v\n%s", err, out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not say where it listens:\n%s", out)
		}
	}
	up(t, addr, done, out.String, false)
	return addr, out.String(), stop
}

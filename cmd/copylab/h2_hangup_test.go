package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"copylab/app/syncbuf"
)

// TestSignalsStopGracefully runs the copylab binary and stops it with
// each signal an operator's habits send: SIGHUP (a closed SSH session, a
// logrotate "HUP") as well as SIGTERM and SIGINT. Each must stop it the
// way SIGTERM does: exit 0, the log naming the signal and ending with
// "stopped", and no -wal or -shm file left beside the database. SIGHUP
// used to kill it at once (status 129) with none of that. Started under
// nohup, it keeps ignoring SIGHUP, as nohup asks.
func TestSignalsStopGracefully(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the copylab binary")
	}
	bin := buildBinary(t)
	for _, tt := range []struct {
		sig  syscall.Signal
		name string // as the log names it
	}{
		{syscall.SIGHUP, "hangup"},
		{syscall.SIGTERM, "terminated"},
		{syscall.SIGINT, "interrupt"},
	} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			p := startBinary(t, exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "c.db")))
			if err := p.cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			if err := p.wait(t, 30*time.Second); err != nil {
				t.Fatalf("exit after %s: %v, want status 0:\n%s", tt.sig, err, p.logs)
			}
			out := p.logs.String()
			if want := `msg="stopping: ` + tt.name + ` signal received"`; !strings.Contains(out, want) {
				t.Errorf("the log does not say %s:\n%s", want, out)
			}
			if !strings.Contains(out, `msg="shutting down`) || !strings.Contains(out, "msg=stopped") {
				t.Errorf("the log does not show a graceful stop:\n%s", out)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), "-wal") || strings.HasSuffix(e.Name(), "-shm") {
					t.Errorf("%s left beside the database", e.Name())
				}
			}
		})
	}

	t.Run("nohup", func(t *testing.T) {
		nohup, err := exec.LookPath("nohup")
		if err != nil {
			t.Skip("no nohup command")
		}
		p := startBinary(t, exec.Command(nohup, bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "c.db")))
		if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-p.exited:
			p.exited <- err
			t.Fatalf("copylab under nohup stopped on SIGHUP: %v\n%s", err, p.logs)
		case <-time.After(time.Second):
		}
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := p.wait(t, 30*time.Second); err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, p.logs)
		}
	})
}

// process is a copylab binary running until the test ends: its log, and
// exited, which gets its exit status once (and is given it back).
type process struct {
	cmd    *exec.Cmd
	logs   *syncbuf.Buffer
	exited chan error
}

// startBinary starts cmd, a copylab serve, and returns once its log says
// it listens. The end of the test kills it if it still runs.
func startBinary(t *testing.T, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{cmd: cmd, logs: &syncbuf.Buffer{}, exited: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		p.exited <- <-p.exited
	})
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(p.logs.String(), "copylab is listening"); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-p.exited:
			p.exited <- err
			t.Fatalf("copylab stopped at start: %v\n%s", err, p.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("copylab did not start:\n%s", p.logs)
		}
	}
	return p
}

// wait waits up to d for the process to exit and returns its status.
func (p *process) wait(t *testing.T, d time.Duration) error {
	t.Helper()
	select {
	case err := <-p.exited:
		p.exited <- err
		return err
	case <-time.After(d):
		t.Fatalf("copylab did not exit within %s:\n%s", d, p.logs)
		return nil
	}
}

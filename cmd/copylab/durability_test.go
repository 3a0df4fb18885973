package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3" // the read-only check of the database

	"copylab/app/syncbuf"
	"copylab/experiments"
)

// TestDurability runs the real copylab binary on a database file, sends it
// events from many goroutines, and stops it the hard way and the polite
// way. Whatever was acknowledged (204) must be in the database exactly
// once, and the file must pass SQLite's integrity check.
func TestDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the copylab binary")
	}
	bin := buildBinary(t)
	t.Run("SIGKILL mid-load, restart, resend", func(t *testing.T) { testKill(t, bin) })
	t.Run("SIGTERM drains the queue", func(t *testing.T) { testTerm(t, bin) })
}

// buildBinary builds copylab into a temporary directory, with the race
// detector when the tests have it (the packages are then compiled already).
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "copylab")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// durSite is the site and running experiment the load goes to.
type durSite struct {
	key, exp string
}

// seedDB creates the database with a site and a running experiment.
func seedDB(t *testing.T, db string) durSite {
	t.Helper()
	ctx := context.Background()
	s, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	return durSite{key: site.Key, exp: x.ID}
}

// server is one run of `copylab serve`. exited is closed when it has
// exited, with err its exit status.
type server struct {
	cmd    *exec.Cmd
	url    string
	logs   *syncbuf.Buffer
	exited chan struct{}
	err    error
}

// wait waits up to d for the process to exit and returns its status.
func (s *server) wait(t *testing.T, d time.Duration) error {
	t.Helper()
	select {
	case <-s.exited:
		return s.err
	case <-time.After(d):
		t.Fatalf("copylab did not exit within %s\n%s", d, s.logs)
		return nil
	}
}

// startServer starts copylab serve on db and returns once it answers. The
// port is found by listening on :0 and closing, so another process may
// take it first; copylab then exits saying the port "is in use by another
// program", and another port is tried.
func startServer(t *testing.T, bin, db string) *server {
	t.Helper()
	for attempt := 1; ; attempt++ {
		s, portTaken := tryServer(t, bin, db)
		if s != nil || !portTaken || attempt == 5 {
			if s == nil {
				t.Fatalf("copylab exited at start: the port was taken %d times", attempt)
			}
			return s
		}
	}
}

// tryServer is one attempt of startServer: the server, or nil and whether
// it exited because its port was taken. Anything else fails t.
func tryServer(t *testing.T, bin, db string) (_ *server, portTaken bool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &server{url: "http://" + addr, logs: &syncbuf.Buffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "--addr", addr, "--db", db, "--log-level", "warn", "--rate-ip", "0", "--rate-site", "0")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.exited
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, false
			}
		}
		select {
		case <-s.exited:
			if strings.Contains(s.logs.String(), "is in use by another program") {
				return nil, true
			}
			t.Fatalf("copylab exited at start: %v\n%s", s.err, s.logs)
		default:
		}
	}
	t.Fatalf("copylab did not come up\n%s", s.logs)
	return nil, false
}

// sent is one request of the load: its body, its event ids, and whether
// copylab acknowledged it.
type sent struct {
	body      []byte
	ids       []string
	converted bool
	acked     bool
}

// load sends new visitors' page views (an exposure, and half the time a
// conversion in the same request) from workers goroutines until stop is
// closed, and returns every request it sent.
func load(site durSite, url string, workers int, stop <-chan struct{}, acked *atomic.Int64) []*sent {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	var mu sync.Mutex
	var all []*sent
	var wg sync.WaitGroup
	var n atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := n.Add(1)
				s := newSent(site, fmt.Sprintf("visitor-%d", i), i%2 == 0)
				mu.Lock()
				all = append(all, s)
				mu.Unlock()
				switch post(client, url, s.body) {
				case http.StatusNoContent:
					s.acked = true
					acked.Add(1)
				case 0:
					time.Sleep(20 * time.Millisecond) // no server: as a page would, wait
				}
			}
		}()
	}
	wg.Wait()
	return all
}

func newSent(site durSite, visitor string, converts bool) *sent {
	s := &sent{converted: converts}
	events := []map[string]any{{"type": "exposure", "experiment": site.exp, "variant": "b", "url": "https://shop.example/"}}
	if s.converted {
		events = append(events, map[string]any{"type": "conversion", "experiment": site.exp, "goal": "click"})
	}
	for _, e := range events {
		id := uuid.Must(uuid.NewV7()).String()
		e["id"] = id
		s.ids = append(s.ids, id)
	}
	s.body, _ = json.Marshal(map[string]any{"site": site.key, "visitor": visitor, "events": events})
	return s
}

// post sends one body and returns the status, or 0 when there was no answer.
func post(client *http.Client, url string, body []byte) int {
	req, _ := http.NewRequest(http.MethodPost, url+"/e", bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// loadUntil runs load until at least n requests were acknowledged (or 20
// seconds passed), then calls stopServer while the load is still running,
// and returns what was sent.
func loadUntil(t *testing.T, site durSite, srv *server, n int64, stopServer func()) []*sent {
	t.Helper()
	stop := make(chan struct{})
	var acked atomic.Int64
	result := make(chan []*sent, 1)
	go func() { result <- load(site, srv.url, 16, stop, &acked) }()
	deadline := time.Now().Add(20 * time.Second)
	for acked.Load() < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if acked.Load() < n {
		t.Errorf("only %d requests acknowledged before the deadline\n%s", acked.Load(), srv.logs)
	}
	stopServer()
	time.Sleep(100 * time.Millisecond) // requests keep coming for a moment: they must fail cleanly
	close(stop)
	return <-result
}

func testKill(t *testing.T, bin string) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	site := seedDB(t, db)
	srv := startServer(t, bin, db)
	all := loadUntil(t, site, srv, 400, func() {
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
	})
	srv.wait(t, 10*time.Second) // killed: its status says so
	acked := 0
	for _, s := range all {
		if s.acked {
			acked++
		}
	}
	t.Logf("killed after %d acknowledged requests; %d unacknowledged to resend", acked, len(all)-acked)
	if acked == len(all) {
		t.Log("every request was acknowledged before the kill; the resend path is not exercised this time")
	}

	// The same file, a new process: everything not acknowledged is sent
	// again, as the snippet's queue would.
	srv = startServer(t, bin, db)
	client := &http.Client{Timeout: 10 * time.Second}
	for _, s := range all {
		if s.acked {
			continue
		}
		for try := 0; !s.acked && try < 10; try++ {
			if post(client, srv.url, s.body) == http.StatusNoContent {
				s.acked = true
			} else {
				time.Sleep(100 * time.Millisecond)
			}
		}
		if !s.acked {
			t.Fatalf("a resent request was never acknowledged\n%s", srv.logs)
		}
	}
	stopPolitely(t, srv)
	checkDB(t, db, site, all, true)
}

func testTerm(t *testing.T, bin string) {
	db := filepath.Join(t.TempDir(), "copylab.db")
	site := seedDB(t, db)
	srv := startServer(t, bin, db)
	all := loadUntil(t, site, srv, 400, func() {
		if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	})
	if err := srv.wait(t, 30*time.Second); err != nil {
		t.Fatalf("copylab did not exit cleanly on SIGTERM: %v\n%s", err, srv.logs)
	}
	checkDB(t, db, site, all, false)
}

// stopPolitely sends SIGTERM and expects exit code 0.
func stopPolitely(t *testing.T, srv *server) {
	t.Helper()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := srv.wait(t, 30*time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, srv.logs)
	}
}

// checkDB opens the database read-only and checks it: integrity, every
// acknowledged event stored once, no event twice, and (when every request
// ended acknowledged) the counts match exactly what was sent.
func checkDB(t *testing.T, path string, site durSite, all []*sent, allAcked bool) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("integrity_check: %q %v", integrity, err)
	}
	stored := map[uuid.UUID]int{}
	rows, err := db.Query(`select id from events`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		id, err := uuid.FromBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		stored[id]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var lost, twice, acked, visitors, conversions int
	for _, s := range all {
		if s.acked {
			acked++
			visitors++
			if s.converted {
				conversions++
			}
		}
		for _, id := range s.ids {
			n := stored[uuid.MustParse(id)]
			if s.acked && n == 0 {
				lost++
			}
			if n > 1 {
				twice++
			}
		}
	}
	if lost > 0 || twice > 0 {
		t.Errorf("%d acknowledged events missing, %d stored twice", lost, twice)
	}
	t.Logf("%d requests sent, %d acknowledged; %d events stored", len(all), acked, len(stored))
	if !allAcked {
		return
	}
	total := 0
	for _, s := range all {
		total += len(s.ids)
	}
	if len(stored) != total {
		t.Errorf("%d events stored, %d sent", len(stored), total)
	}
	var exposures, convs int
	err = db.QueryRow(`select coalesce(sum(exposures), 0), coalesce(sum(conversions), 0) from variant_counts where experiment_id = ?`,
		site.exp).Scan(&exposures, &convs)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	if exposures != visitors || convs != conversions {
		t.Errorf("counted %d exposures and %d conversions, want %d and %d", exposures, convs, visitors, conversions)
	}
}

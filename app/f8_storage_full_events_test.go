package app

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"copylab/app/syncbuf"
	"copylab/experiments"
)

// newLoggedEnv is newEnv with the app's and the ingester's log in logs,
// at the debug level, as serve gives both one logger; /metrics answers
// the test's address.
func newLoggedEnv(t *testing.T, logs *syncbuf.Buffer) *env {
	t.Helper()
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	path := t.TempDir() + "/copylab.db"
	store, err := experiments.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{MaxBody: maxEventBody, Logger: log})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ing.Close(ctx)
		store.Close()
	})
	cfg := Config{Addr: "127.0.0.1:0", DBPath: path, PublicURL: testPublicURL, BcryptCost: bcrypt.MinCost,
		SetupToken: testSetupToken, Logger: log, MetricsAllow: []string{"0.0.0.0/32"}}
	a, err := newApp(cfg.withDefaults(), store, ing)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, app: a, store: store, ing: ing}
}

// logLines are the lines of logs at level (ERROR, INFO, DEBUG) whose
// text has every one of has.
func logLines(logs *syncbuf.Buffer, level string, has ...string) []string {
	var out []string
next:
	for _, l := range strings.Split(logs.String(), "\n") {
		if !strings.Contains(l, "level="+level+" ") {
			continue
		}
		for _, h := range has {
			if !strings.Contains(l, h) {
				continue next
			}
		}
		out = append(out, l)
	}
	return out
}

// rejectedMetric reads copylab_events_rejected_total for code, 0 when
// /metrics has no such series.
func rejectedMetric(t *testing.T, e *env, code string) int {
	t.Helper()
	resp := e.do(newRequest(http.MethodGet, "/metrics", nil))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	m := regexp.MustCompile(`(?m)^copylab_events_rejected_total\{code="` + code + `"\} (\d+)$`).FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestF8EventsDiskFull: a batch of events that fails because the disk is
// full answers its requests 503 storage_full with Retry-After 60 and the
// sentence the app's other writes give, counted under storage_full, not
// write_failed; the log says so once, in one ERROR line, and once in an
// INFO line when writes succeed again, not three lines per request. The
// same events sent again once there is room are stored, and /healthz is
// ok again.
func TestF8EventsDiskFull(t *testing.T) {
	var logs syncbuf.Buffer
	e := newLoggedEnv(t, &logs)
	site, x := e.runningExperiment()
	resp, raw := e.postRaw(eventBody(site.Key, "v0", x.ID, "control", false), nil)
	wantStatus(t, resp, http.StatusNoContent, raw)

	capDatabase(t, e)
	body := bigBody(site.Key, "v1", x, 80) // about 50 KiB: new pages needed
	for i := range 3 {
		resp, raw = e.postRaw(body, nil)
		want503(t, resp, raw, "storage_full")
		if ra := resp.Header.Get("Retry-After"); ra != "60" {
			t.Errorf("request %d: Retry-After %q, want 60", i, ra)
		}
		wantContains(t, raw, `"message":"copylab's disk is full: `)
		if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: storage_full: copylab's disk is full: ") {
			t.Errorf("request %d: X-Copylab %q", i, h)
		}
	}
	if n := rejectedMetric(t, e, "storage_full"); n != 3 {
		t.Errorf("copylab_events_rejected_total{code=\"storage_full\"} = %d, want 3", n)
	}
	if n := rejectedMetric(t, e, "write_failed"); n != 0 {
		t.Errorf("copylab_events_rejected_total{code=\"write_failed\"} = %d, want 0", n)
	}
	if status, h := health(t, e); status != http.StatusServiceUnavailable || h["storage"] != "full" {
		t.Errorf("healthz on a full disk: %d %v", status, h)
	}
	if errs := logLines(&logs, "ERROR"); len(errs) != 1 || !strings.Contains(errs[0], "disk is full") {
		t.Errorf("%d ERROR lines for 3 requests on a full disk, want one that says the disk is full:\n%s",
			len(errs), strings.Join(errs, "\n"))
	}
	// The refused events' own lines are at debug, as their 4xx are: a tag
	// on every page of a busy site retries, and a line each at info level
	// would fill the log while the disk stays full.
	if got := logLines(&logs, "INFO", "msg=http", "path=/e "); len(got) != 0 {
		t.Errorf("%d INFO lines for events refused on a full disk, want none:\n%s", len(got), strings.Join(got, "\n"))
	}

	if _, err := e.store.Writer().Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	resp, raw = e.postRaw(body, nil)
	wantStatus(t, resp, http.StatusNoContent, raw)
	if n := e.eventRows(); n != 81 {
		t.Errorf("%d events stored, want 81", n)
	}
	if status, h := health(t, e); status != http.StatusOK || h["storage"] != "ok" {
		t.Errorf("healthz once the events were written: %d %v", status, h)
	}
	if ok := logLines(&logs, "INFO", "storage"); len(ok) != 1 {
		t.Errorf("%d INFO lines about the storage once writes succeed again, want 1:\n%s", len(ok), logs.String())
	}
	if errs := logLines(&logs, "ERROR"); len(errs) != 1 {
		t.Errorf("%d ERROR lines in all, want 1:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// TestF8StorageFullSmallWrite: on a full disk, a small write that finds
// room in the pages the database has (an API rename) does not make
// /healthz say ok: it proves nothing of the disk. A write that adds pages
// does.
func TestF8StorageFullSmallWrite(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	token := e.token("ann@example.com")
	capDatabase(t, e)
	body := bigBody(site.Key, "v1", x, 80)
	resp, raw := e.postRaw(body, nil)
	wantStatus(t, resp, http.StatusServiceUnavailable, raw)
	if status, h := health(t, e); status != http.StatusServiceUnavailable || h["storage"] != "full" {
		t.Fatalf("healthz on a full disk: %d %v", status, h)
	}

	resp, _ = e.api(http.MethodPatch, "/api/v1/sites/"+site.ID, token, `{"name":"Shoe"}`)
	wantStatus(t, resp, http.StatusOK, "")
	if status, h := health(t, e); status != http.StatusServiceUnavailable || h["storage"] != "full" {
		t.Errorf("healthz after a rename that added no page, the disk still full: %d %v", status, h)
	}

	unfillDatabase(t, e)
	resp, raw = e.postRaw(body, nil)
	wantStatus(t, resp, http.StatusNoContent, raw)
	if status, h := health(t, e); status != http.StatusOK || h["storage"] != "ok" {
		t.Errorf("healthz after events were written: %d %v", status, h)
	}
}

// TestF8ProbesLogAtDebug: /healthz and /metrics, asked every few seconds
// by monitors, log at the debug level when they answer 2xx, like the tag
// and POST /e; a failing answer logs at its usual level.
func TestF8ProbesLogAtDebug(t *testing.T) {
	var logs syncbuf.Buffer
	e := newLoggedEnv(t, &logs)
	for _, path := range []string{"/healthz", "/metrics"} {
		resp := e.do(newRequest(http.MethodGet, path, nil))
		wantStatus(t, resp, http.StatusOK, readBody(t, resp))
		if got := logLines(&logs, "DEBUG", "msg=http", "path="+path+" "); len(got) != 1 {
			t.Errorf("GET %s (200): %d debug lines, want 1\n%s", path, len(got), logs.String())
		}
		if got := logLines(&logs, "INFO", "msg=http", "path="+path+" "); len(got) != 0 {
			t.Errorf("GET %s (200) logged at INFO:\n%s", path, strings.Join(got, "\n"))
		}
	}

	// Failing answers: /metrics refused (through an untrusted proxy),
	// /healthz on a full disk.
	req := newRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	resp := e.do(req)
	wantStatus(t, resp, http.StatusForbidden, readBody(t, resp))
	if got := logLines(&logs, "INFO", "msg=http", "path=/metrics ", "status=403"); len(got) != 1 {
		t.Errorf("GET /metrics (403): %d INFO lines, want 1\n%s", len(got), logs.String())
	}
	site, x := e.runningExperiment()
	capDatabase(t, e)
	resp, raw := e.postRaw(bigBody(site.Key, "v1", x, 80), nil)
	wantStatus(t, resp, http.StatusServiceUnavailable, raw)
	if status, _ := health(t, e); status != http.StatusServiceUnavailable {
		t.Fatalf("healthz on a full disk: %d", status)
	}
	if got := logLines(&logs, "INFO", "msg=http", "path=/healthz ", "status=503"); len(got) != 1 {
		t.Errorf("GET /healthz (503): %d INFO lines, want 1\n%s", len(got), logs.String())
	}
}

package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"copylab/experiments"
)

// want503 checks the answer to a batch that could not be written: 503,
// Retry-After, and the reason for the developer.
func want503(t *testing.T, resp *http.Response, body, code string) {
	t.Helper()
	wantStatus(t, resp, http.StatusServiceUnavailable, body)
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	wantContains(t, body, `"code":"`+code+`"`)
	if h := resp.Header.Get("X-Copylab"); !strings.HasPrefix(h, "rejected: "+code) {
		t.Errorf("X-Copylab %q", h)
	}
	publicHeadersOK(t, resp)
}

// bigBody is one visitor's request with n exposures, each with a long URL:
// enough to need new pages in the database.
func bigBody(siteKey, visitor string, x experiments.Experiment, n int) string {
	evs := make([]map[string]any, n)
	for i := range evs {
		evs[i] = map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": x.ID,
			"variant": "b", "url": "https://shop.example/" + strings.Repeat("p", 500) + strconv.Itoa(i)}
	}
	b, _ := json.Marshal(map[string]any{"site": siteKey, "visitor": visitor, "events": evs})
	return string(b)
}

// TestEventsDatabaseLocked: another connection holds the write lock (a
// backup tool, a migration, a person with the sqlite3 shell). POST /e
// answers 503 with Retry-After once the lock wait runs out, and the same
// events sent again after the lock is gone are stored, once.
func TestEventsDatabaseLocked(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	token := e.token("ann@example.com")
	// The production wait is 5 s; the test shortens it on the writer's one
	// connection.
	if _, err := e.store.Writer().Exec(`PRAGMA busy_timeout = 200`); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite3", "file:"+e.store.Path()+"?_busy_timeout=1000")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetMaxOpenConns(1)
	lock, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}

	body := eventBody(site.Key, "v1", x.ID, "b", true)
	resp, raw := e.postRaw(body, nil)
	want503(t, resp, raw, experiments.CodeWriteFailed)

	// Reads go on while the lock is held (WAL).
	if resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", token, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("results while locked: %d %v", resp.StatusCode, out)
	}

	if _, err := lock.ExecContext(context.Background(), `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	resp, raw = e.postRaw(body, nil)
	wantStatus(t, resp, http.StatusNoContent, raw)
	if n := e.eventRows(); n != 2 {
		t.Errorf("%d events stored, want 2", n)
	}
	if exp, conv := e.counted(x); exp != 1 || conv != 1 {
		t.Errorf("counted %d/%d, want 1/1", exp, conv)
	}
}

// TestEventsDiskFull: the database cannot grow (PRAGMA max_page_count on
// the writer stands in for a full disk). POST /e answers 503, nothing of
// the batch is kept, reads and the results API still work, and once there
// is room again the same events are stored, once.
func TestEventsDiskFull(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	token := e.token("ann@example.com")
	resp, raw := e.postRaw(eventBody(site.Key, "v0", x.ID, "control", false), nil)
	wantStatus(t, resp, http.StatusNoContent, raw)

	capDatabase(t, e)
	w := e.store.Writer()
	var batchErr error
	e.ing.SetBatchObserver(func(b experiments.BatchInfo) { batchErr = b.Err })
	body := bigBody(site.Key, "v1", x, 80) // about 50 KiB: new pages needed
	resp, raw = e.postRaw(body, nil)
	want503(t, resp, raw, experiments.CodeStorageFull)
	if batchErr == nil || !strings.Contains(batchErr.Error(), "full") {
		t.Errorf("the batch failed with %v, want a full database", batchErr)
	}
	if n := e.eventRows(); n != 1 {
		t.Errorf("%d events stored after the failed batch, want 1: a partial batch", n)
	}
	if exp, _ := e.counted(x); exp != 1 {
		t.Errorf("counted %d exposures after the failed batch, want 1", exp)
	}
	var visitors int
	if err := e.store.Reader().QueryRow(`select count(*) from experiment_visitors`).Scan(&visitors); err != nil || visitors != 1 {
		t.Errorf("%d visitor rows (%v), want 1", visitors, err)
	}

	// Reads still work: the results API, and the page that shows them.
	if resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results", token, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("results API on a full disk: %d %v", resp.StatusCode, out)
	}
	resp = e.do(newRequest(http.MethodGet, "/healthz", nil))
	if hb := readBody(t, resp); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(hb, `"writer":"failing"`) {
		t.Errorf("healthz on a full disk: %d %s", resp.StatusCode, hb)
	}

	if _, err := w.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	resp, raw = e.postRaw(body, nil)
	wantStatus(t, resp, http.StatusNoContent, raw)
	if n := e.eventRows(); n != 81 {
		t.Errorf("%d events stored, want 81", n)
	}
	if exp, _ := e.counted(x); exp != 2 {
		t.Errorf("counted %d exposures, want 2", exp)
	}
}

// TestEventsWriterPanic: a panic inside a batch answers that batch's
// requests 503 and the writer carries on with the next ones.
func TestEventsWriterPanic(t *testing.T) {
	e := newEnv(t)
	site, x := e.runningExperiment()
	e.ing.InjectFault(func() error { panic("boom") })
	var wg sync.WaitGroup
	bodies := make([]string, 8)
	for i := range bodies {
		bodies[i] = eventBody(site.Key, "v"+itoa(i), x.ID, "b", i%2 == 0)
	}
	for i := range bodies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req := newRequest(http.MethodPost, "/e", strings.NewReader(bodies[i]))
			req.Header.Set("Content-Type", "text/plain")
			req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")
			resp, err := e.app.Fiber().Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			raw := readBody(t, resp)
			if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(raw, `"code":"write_failed"`) {
				t.Errorf("request %d during the panics: %d %s", i, resp.StatusCode, raw)
			}
		}(i)
	}
	wg.Wait()
	if n := e.eventRows(); n != 0 {
		t.Errorf("%d events stored by panicking batches", n)
	}
	e.ing.InjectFault(nil)
	for i, body := range bodies {
		resp, raw := e.postRaw(body, nil)
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("resend %d after the panics: %d %s", i, resp.StatusCode, raw)
		}
	}
	if exp, conv := e.counted(x); exp != 8 || conv != 4 {
		t.Errorf("counted %d/%d, want 8/4", exp, conv)
	}
	if st := e.ing.Stats(); st.Failed == 0 || st.LastFailed {
		t.Errorf("stats %+v", st)
	}
}

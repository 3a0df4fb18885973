package app

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestH14IdempotencyTakeoverLateFirstCall: a generate call with an
// Idempotency-Key that runs past experiments.IdempotencyKeyAbandoned is
// taken over by its retry; when the first call then ends, failed or
// answered, its end changes nothing of the retry's hold on the key: a
// call meanwhile is told the key is in use, and the retry's answer is
// the one replayed afterwards.
func TestH14IdempotencyTakeoverLateFirstCall(t *testing.T) {
	for _, tc := range []struct {
		name       string
		firstFails bool
	}{
		{"the first call fails late", true},
		{"the first call succeeds late", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			e := newEnv(t, WithGenerator(llm.generator(30*time.Second)))
			// The app's clock runs on, moved forward when the test says.
			var ahead atomic.Int64
			e.app.now = func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
			tok := e.token("ci@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero", "Original headline for the kanban tool", "Plan the week in one board")
			path := "/api/v1/experiments/" + x.ID + "/generate"
			body := `{"n":2,"brief":{"goal":"Start a free trial","product":"Acme Boards, a kanban tool","current_copy":"Original headline for the kanban tool"}}`

			type answer struct {
				resp *http.Response
				raw  string
			}
			send := func() chan answer {
				ch := make(chan answer, 1)
				go func() {
					req := newRequest(http.MethodPost, path, strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+tok)
					req.Header.Set("Idempotency-Key", "gen-1")
					resp, err := e.app.fiber.Test(req, -1)
					if err != nil {
						t.Error(err)
						ch <- answer{}
						return
					}
					raw, err := io.ReadAll(resp.Body)
					if err != nil {
						t.Error(err)
					}
					ch <- answer{resp, string(raw)}
				}()
				return ch
			}
			waitCalls := func(n int) {
				t.Helper()
				for deadline := time.Now().Add(10 * time.Second); llm.calls() < n; time.Sleep(5 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("%d model calls, want %d", llm.calls(), n)
					}
				}
			}
			wait := func(ch chan answer) answer {
				t.Helper()
				select {
				case a := <-ch:
					if a.resp == nil {
						t.FailNow()
					}
					return a
				case <-time.After(20 * time.Second):
					t.Fatal("no answer")
				}
				return answer{}
			}

			// The first call: the model holds it.
			if tc.firstFails {
				llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
			}
			releaseFirst := llm.hold()
			defer releaseFirst()
			firstCh := send()
			waitCalls(1)

			// Minutes later its client retries, and takes the key over;
			// the model holds the retry too.
			ahead.Store(int64(6 * time.Minute))
			llm.setReply(nil)
			releaseRetry := llm.hold()
			defer releaseRetry()
			retryCh := send()
			waitCalls(2)

			// The first call ends after all.
			releaseFirst()
			first := wait(firstCh)
			if ok := first.resp.StatusCode == http.StatusOK; ok == tc.firstFails {
				t.Fatalf("the first call: %d %s", first.resp.StatusCode, first.raw)
			}
			// The retry still holds the key. (Asked of the store: were the
			// key let go, a call through the app would wait for the model.)
			var answered int64
			if err := e.store.Reader().QueryRow(`select answered_at from idempotency_keys where key = 'gen-1'`).Scan(&answered); err != nil {
				t.Fatalf("the retry's hold on the key is gone: %v", err)
			}
			if answered != 0 {
				t.Fatalf("the key holds an answer while the retry runs")
			}
			if !tc.firstFails {
				resp, out, raw := e.apiKeyed(http.MethodPost, path, tok, "gen-1", body)
				wantStatus(t, resp, http.StatusConflict, raw)
				if code, _ := errorShape(t, out); code != "idempotency_key_in_use" {
					t.Errorf("a call while the retry runs: %s", code)
				}
			}

			releaseRetry()
			retry := wait(retryCh)
			wantStatus(t, retry.resp, http.StatusOK, retry.raw)
			if retry.resp.Header.Get("Idempotent-Replayed") != "" {
				t.Fatalf("the retry was answered as a replay: %s", retry.raw)
			}
			resp, _, raw := e.apiKeyed(http.MethodPost, path, tok, "gen-1", body)
			wantStatus(t, resp, http.StatusOK, raw)
			if resp.Header.Get("Idempotent-Replayed") != "true" || raw != retry.raw {
				t.Errorf("a later call: replayed %q\n%s\nwant the retry's\n%s", resp.Header.Get("Idempotent-Replayed"), raw, retry.raw)
			}
			if n := llm.calls(); n != 2 {
				t.Errorf("%d model calls, want 2", n)
			}
		})
	}
}

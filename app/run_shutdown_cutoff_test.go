package app

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// TestRunShutdownCutsOffSlowRequests: a request still running when the
// shutdown's time is up (a generation waiting on a slow model) is cut off;
// the stop says so in a sentence, logs its stopped line, and is no error:
// the server did stop, as asked.
func TestRunShutdownCutsOffSlowRequests(t *testing.T) {
	llm := newFakeLLM(t)
	release := llm.hold()
	defer release()

	dbPath := filepath.Join(t.TempDir(), "copylab.db")
	ctx := context.Background()
	store, err := experiments.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := addUser(ctx, store, "ann@example.com", "", testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	token, err := CreateToken(ctx, store, "ann@example.com", "tests")
	if err != nil {
		t.Fatal(err)
	}
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/pricing", Selector: heroSelector,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Original headline"}}})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	r := startRun(t, runCtx, Config{DBPath: dbPath, BcryptCost: 10, ShutdownTimeout: 300 * time.Millisecond,
		LLMBaseURL: llm.srv.URL + "/v1", LLMModel: "test-model", LLMAPIKey: testLLMKey, LLMTimeout: time.Minute})

	answered := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, "http://"+r.addr+"/api/v1/experiments/"+x.ID+"/generate", strings.NewReader(`{"n":1,"brief":{"goal":"Get developers to sign up"}}`))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	// Wait until the model has the request.
	for deadline := time.Now().Add(10 * time.Second); llm.lastRequest() == ""; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the model was never asked:\n%s\n%v", r.logs.String(), <-answered)
		}
	}

	stop()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v, want nil: requests cut off at the deadline are no failure", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not stop")
	}
	wantContains(t, r.logs.String(), `msg="stopped after 300ms with 1 request still running; it was cut off"`)
	release()
}

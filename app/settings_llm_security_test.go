package app

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// llmTestAsync presses Settings → Test connection as c would with htmx,
// without waiting: the answer's body comes on the channel.
func llmTestAsync(c *client) <-chan string {
	req := newRequest(http.MethodPost, "/settings/llm/test", strings.NewReader(""))
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	ch := make(chan string, 1)
	go func() {
		resp, err := c.e.app.Fiber().Test(req, -1)
		if err != nil {
			ch <- "error: " + err.Error()
			return
		}
		b := make([]byte, 4096)
		n, _ := resp.Body.Read(b)
		resp.Body.Close()
		ch <- resp.Status + " " + string(b[:n])
	}()
	return ch
}

// TestLLMTestCountsAgainstModelCallLimits: Settings → Test connection is a
// model call like a set of drafts or a rewrite, and is held to the same
// limits (genPersonMax per person, genRunningMax for copylab). Before, a
// person (or a script with their session) could send any number at once,
// each holding the model for up to 20 seconds and costing a request, past
// the 3 calls per person and the 8 for everyone the README promises.
func TestLLMTestCountsAgainstModelCallLimits(t *testing.T) {
	llm := newFakeLLM(t)
	e := newEnv(t, WithGenerator(llm.generator(30*time.Second)))
	ann := e.signIn("ann@example.com")
	bob := e.signIn("bob@example.com")
	release := llm.hold()
	defer release()

	var held []<-chan string
	for range genPersonMax {
		held = append(held, llmTestAsync(ann))
	}
	waitCalls(t, llm, genPersonMax)

	// One more from Ann is answered at once, without asking the model.
	select {
	case body := <-llmTestAsync(ann):
		wantContains(t, body, "200", `data-ok="false"`,
			"You already have 3 calls to the model running, the most at once; wait for one to finish, then test again.")
	case <-time.After(5 * time.Second):
		t.Fatal("a test over Ann's limit waited for the model")
	}
	if got := llm.calls(); got != genPersonMax {
		t.Errorf("the model got %d calls, want %d", got, genPersonMax)
	}

	// Her tests hold places a rewrite of hers would need.
	const busy = "You already have 3 calls to the model running (drafts, rewrites and connection tests together), the most at once; wait for one to finish, then ask again."
	var limit *limitError
	if err := e.app.genJobs.acquireRewrite(personOf(storedUser(t, e, "ann@example.com"))); !errors.As(err, &limit) || limit.Message != busy {
		t.Errorf("a rewrite past Ann's running connection tests: %v, want %q", err, busy)
	}

	// A teammate still gets a test of their own.
	bobs := llmTestAsync(bob)
	waitCalls(t, llm, genPersonMax+1)
	release()
	for i, ch := range append(held, bobs) {
		if body := <-ch; !strings.Contains(body, `data-ok="true"`) {
			t.Errorf("test %d: %.300s", i, body)
		}
	}
	// The places are given back: Ann can test again.
	if body := <-llmTestAsync(ann); !strings.Contains(body, `data-ok="true"`) {
		t.Errorf("after the tests ended: %.300s", body)
	}
}

// TestLLMTestWhenCopylabIsBusy: with all of copylab's model calls taken,
// a connection test says so and does not ask the model.
func TestLLMTestWhenCopylabIsBusy(t *testing.T) {
	llm := newFakeLLM(t)
	e := newEnv(t, WithGenerator(llm.generator(30*time.Second)))
	ann := e.signIn("ann@example.com")
	for i := range genRunningMax {
		p := genPerson{id: int64(1000 + i)}
		if err := e.app.genJobs.acquireRewrite(p); err != nil {
			t.Fatal(err)
		}
		defer e.app.genJobs.releaseRewrite(p)
	}
	resp, body := ann.hx(http.MethodPost, "/settings/llm/test", nil)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `data-ok="false"`, "copylab is making as many calls to the model as it makes at once; test again in a minute.")
	if llm.calls() != 0 {
		t.Errorf("the model got %d calls", llm.calls())
	}
}

// storedUser is the stored user with that email.
func storedUser(t *testing.T, e *env, email string) experiments.User {
	t.Helper()
	u, _, err := e.store.UserByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

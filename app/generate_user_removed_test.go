package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestAPIGenerationOfARemovedUserAddsNothing: an API generation whose
// token's user is removed while the model writes adds nothing and
// answers 401 invalid_token, even when the removal has reached the
// database and not yet stopped the call: removing a user deletes them
// first and stops their model calls after (userRemove), and the model
// may answer in between. The store, not the stop signal, says who is
// still a user. A teammate's generation at the same time is added.
func TestAPIGenerationOfARemovedUserAddsNothing(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	ctx := context.Background()
	release := llm.hold()
	defer release()

	bob := g.e.addUser("bob@example.com")
	bobCall := apiGenerateAsync(g.e, tokenFor(t, g.e, "bob@example.com"), g.x.ID)
	annCall := apiGenerateAsync(g.e, tokenFor(t, g.e, "ann@example.com"), g.x.ID)
	waitCalls(t, llm, 2)

	// The first half of a removal: the user is gone from the store, and
	// their model call not stopped yet.
	if _, err := g.e.store.DeleteUser(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	release()

	for _, tt := range []struct {
		who    string
		call   <-chan apiAnswer
		status int
		code   string
	}{
		{"the removed user's", bobCall, http.StatusUnauthorized, "invalid_token"},
		{"the teammate's", annCall, http.StatusOK, ""},
	} {
		select {
		case a := <-tt.call:
			if a.err != nil || a.status != tt.status || a.code != tt.code {
				t.Errorf("%s generation: %d %s %q %v; want %d %s", tt.who, a.status, a.code, a.msg, a.err, tt.status, tt.code)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s generation did not answer", tt.who)
		}
	}
	x, err := g.e.store.Experiment(ctx, g.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range x.Variants {
		if v.ApprovedBy == "bob@example.com" {
			t.Errorf("variant %s %q was added for the removed user", v.Key, v.Text)
		}
	}
	if len(x.Variants) != len(g.x.Variants)+1 {
		t.Errorf("%d variants, want the %d there were and the teammate's draft", len(x.Variants), len(g.x.Variants))
	}
	waitNoModelCalls(t, g.e)
}

// TestApprovalOfARemovedUserAddsNothing: on the drafting page, drafts
// are added only by the person's approval, and an approval already past
// the sign-in check when its person is removed adds nothing: here it
// waits behind an earlier press of the button (genJob.approving) while a
// teammate removes the person on the users page; or only the first half
// of that removal has happened (the user deleted in the store, the jobs
// not stopped yet: userRemove), where the store's own check is all there
// is.
func TestApprovalOfARemovedUserAddsNothing(t *testing.T) {
	t.Run("removed on the users page", func(t *testing.T) {
		approvalOfRemovedUser(t, func(g *genFixture, bob experiments.User) {
			action := "/users/" + itoa64(bob.ID) + "/delete"
			_, page := g.c.get("/users")
			resp, body := g.c.post(action, h4PageForm(t, page, action))
			wantStatus(t, resp, http.StatusSeeOther, body)
		})
	})
	t.Run("deleted, jobs not stopped yet", func(t *testing.T) {
		approvalOfRemovedUser(t, func(g *genFixture, bob experiments.User) {
			if _, err := g.e.store.DeleteUser(context.Background(), bob.ID); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func approvalOfRemovedUser(t *testing.T, remove func(g *genFixture, bob experiments.User)) {
	g := newGenFixture(t, nil)
	ctx := context.Background()
	bob := g.e.signIn("bob@example.com")
	bob.get(g.base)
	v := g.brief(2)
	v.Set("product", "Acme Boards, a kanban tool")
	resp, body := bob.hx(http.MethodPost, g.base, v)
	wantStatus(t, resp, http.StatusOK, body)
	bobUser, _, err := g.e.store.UserByEmail(ctx, "bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	j, ok := g.e.app.genJobs.latest(g.x.ID, personOf(bobUser))
	if !ok {
		t.Fatal("Bob has no job")
	}
	j.wait(10 * time.Second)
	_, body = bob.hx(http.MethodGet, g.base+"/jobs/"+j.id, nil)
	texts := draftTexts(body)
	if len(texts) != 2 {
		t.Fatalf("%d drafts, want 2: %s", len(texts), body)
	}

	// An earlier press holds the approval; this one is past the checks
	// of its session and job, and waits.
	j.approving.Lock()
	form := draftsForm(texts, []int{0, 1}, nil)
	form.Set("_csrf", bob.csrf)
	req := newRequest(http.MethodPost, g.base+"/jobs/"+j.id+"/approve", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range bob.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	answer := make(chan *http.Response, 1)
	lookedAt := j.lastTouched()
	go func() {
		resp, err := g.e.app.Fiber().Test(req, -1)
		if err != nil {
			resp = nil
		}
		answer <- resp
	}()
	waitApproving(t, j, lookedAt)

	remove(g, bobUser)
	j.approving.Unlock()

	var got *http.Response
	select {
	case got = <-answer:
	case <-time.After(10 * time.Second):
		t.Fatal("the approval did not answer")
	}
	if got == nil {
		t.Fatal("the approval failed")
	}
	got.Body.Close()
	if loc := got.Header.Get("Location"); got.StatusCode != http.StatusSeeOther || loc == "/experiments/"+g.x.ID {
		t.Errorf("the removed person's approval: %d to %q; want a redirect away from the experiment", got.StatusCode, loc)
	}
	x, err := g.e.store.Experiment(ctx, g.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Variants) != len(g.x.Variants) {
		t.Errorf("%d variants after the removed person's approval, want the %d there were", len(x.Variants), len(g.x.Variants))
	}
}

// waitApproving waits until a request is held on j.approving: the mutex
// is held by the test, so TryLock cannot tell; the request is past the
// job lookup once the job was looked at after before, which the caller
// reads before it sends the request (read here, the request may already
// have looked, and the wait would never end).
func waitApproving(t *testing.T, j *genJob, before time.Time) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); j.lastTouched().Equal(before); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the approval never reached its job")
		}
	}
	time.Sleep(50 * time.Millisecond) // from the lookup to the lock: no I/O
}

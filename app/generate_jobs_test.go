package app

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// Removing a user drops their drafting jobs from memory: user ids are
// given again, and the next user with the id must not find them.
func TestRemovedUsersJobsAreForgotten(t *testing.T) {
	e := newEnv(t)
	admin := e.signIn("ann@example.com")
	bob := e.addUser("bob@example.com")
	r := e.app.genJobs
	r.mu.Lock()
	r.jobs["bobs"] = &genJob{person: personOf(bob), expID: "x"}
	r.jobs["anns"] = &genJob{person: genPerson{id: bob.ID + 1000}, expID: "x"}
	r.ended["bobs"] = endedJob{person: personOf(bob), expID: "x", sentence: "Added 1 variant."}
	r.mu.Unlock()

	action := "/users/" + itoa64(bob.ID) + "/delete"
	_, page := admin.get("/users")
	resp, body := admin.post(action, h4PageForm(t, page, action))
	wantStatus(t, resp, http.StatusSeeOther, body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.jobs["bobs"]; ok {
		t.Error("the removed user's job is still there")
	}
	if _, ok := r.ended["bobs"]; ok {
		t.Error("the removed user's approved job is still there")
	}
	if _, ok := r.jobs["anns"]; !ok {
		t.Error("another user's job went too")
	}
}

// A rewrite that finished after the page was sent is not undone by that
// page's form: the form's drafts[i].rev is older, so its text for the
// draft (the text from before the rewrite) is not taken.
func TestGenerateRewriteNotUndoneByStaleForm(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))

	// The rewrite of draft 1 finishes; the page has not polled it yet.
	const rewritten = "Plans that keep themselves"
	r := g.e.app.genJobs
	r.mu.Lock()
	var job *genJob
	for _, j := range r.jobs {
		if j.expID == g.x.ID {
			job = j
		}
	}
	r.mu.Unlock()
	if job == nil {
		t.Fatal("no job")
	}
	job.mu.Lock()
	d := job.drafts[0]
	d.cand.Text, d.text = rewritten, rewritten
	d.rev++
	job.mu.Unlock()

	form := draftsForm(texts, []int{0, 1}, nil) // draft 1 still holds the text from before
	form.Set("drafts[0].rev", "0")
	form.Set("drafts[1].rev", "0")
	resp, body := g.c.post(statusURL+"/approve", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	x, err := g.e.store.Experiment(context.Background(), g.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, v := range x.Variants {
		if v.Text == texts[0] {
			t.Errorf("the stale form undid the rewrite: %q was added", v.Text)
		}
		if v.Text == rewritten {
			found = true
			if v.Edited {
				t.Error("the rewritten draft is marked edited, though nobody edited it")
			}
		}
	}
	if !found {
		t.Errorf("the rewritten draft was not added: %+v", x.Variants)
	}
}

// A new brief drops the same person's finished jobs for the experiment
// that have no drafts to show (old here has none), and leaves other
// people's and other experiments' alone. The person's latest drafts are
// kept until the new brief's own are there: see
// TestFailedNewBriefKeepsThePreviousDrafts.
func TestNewBriefDropsOwnFinishedJobs(t *testing.T) {
	r := newGenRegistry()
	old := &genJob{id: "old", expID: "x", person: genPerson{id: 1}, state: jobDone}
	other := &genJob{id: "other", expID: "x", person: genPerson{id: 2}, state: jobDone}
	elsewhere := &genJob{id: "elsewhere", expID: "y", person: genPerson{id: 1}, state: jobDone}
	for _, j := range []*genJob{old, other, elsewhere} {
		if err := r.admit(j); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.admit(&genJob{id: "new", expID: "x", person: genPerson{id: 1}, state: jobRunning}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"old": false, "other": true, "elsewhere": true, "new": true} {
		if _, ok := r.jobs[id]; ok != want {
			t.Errorf("job %s kept: %v, want %v", id, ok, want)
		}
	}
}

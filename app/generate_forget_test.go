package app

import (
	"net/http"
	"testing"
)

// Removing a user drops their drafting jobs from memory: user ids are
// given again, and the next user with the id must not find them.
func TestRemovedUsersJobsAreForgotten(t *testing.T) {
	e := newEnv(t)
	admin := e.signIn("ann@example.com")
	bob := e.addUser("bob@example.com")
	r := e.app.genJobs
	r.mu.Lock()
	r.jobs["bobs"] = &genJob{userID: bob.ID, expID: "x"}
	r.jobs["anns"] = &genJob{userID: bob.ID + 1000, expID: "x"}
	r.added["bobs"] = addedJob{userID: bob.ID, expID: "x"}
	r.mu.Unlock()

	admin.get("/users")
	resp, body := admin.post("/users/"+itoa64(bob.ID)+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.jobs["bobs"]; ok {
		t.Error("the removed user's job is still there")
	}
	if _, ok := r.added["bobs"]; ok {
		t.Error("the removed user's approved job is still there")
	}
	if _, ok := r.jobs["anns"]; !ok {
		t.Error("another user's job went too")
	}
}

package app

import (
	"net/http"
	"testing"
	"time"
)

// What the registry keeps of ended jobs, added or replaced, goes with
// the user who is removed and with its time, and answers only for its
// own person and experiment.
func TestEndedJobsAreKeptAndForgotten(t *testing.T) {
	e := newEnv(t)
	admin := e.signIn("ann@example.com")
	bob := e.addUser("bob@example.com")
	ann := genPerson{id: bob.ID + 1000}
	r := e.app.genJobs
	r.mu.Lock()
	r.endLocked("bob-added", endedJob{person: personOf(bob), expID: "x", sentence: "Added 2 variants."})
	r.endLocked("bob-replaced", endedJob{person: personOf(bob), expID: "x", replaced: true, hadDrafts: true})
	r.endLocked("ann-replaced", endedJob{person: ann, expID: "x", replaced: true})
	r.mu.Unlock()

	if s, ok := r.addedSentence("bob-added", "x", personOf(bob)); !ok || s != "Added 2 variants." {
		t.Errorf("addedSentence = %q, %v", s, ok)
	}
	if _, ok := r.addedSentence("bob-replaced", "x", personOf(bob)); ok {
		t.Error("a replaced job answers as added")
	}
	if replaced, had := r.wasReplaced("bob-replaced", "x", personOf(bob)); !replaced || !had {
		t.Errorf("wasReplaced = %v, %v", replaced, had)
	}
	if replaced, _ := r.wasReplaced("bob-added", "x", personOf(bob)); replaced {
		t.Error("an added job answers as replaced")
	}
	if replaced, _ := r.wasReplaced("bob-replaced", "y", personOf(bob)); replaced {
		t.Error("another experiment's job answers")
	}
	if replaced, _ := r.wasReplaced("ann-replaced", "x", ann); !replaced {
		t.Error("ann's replaced job is not kept")
	}

	action := "/users/" + itoa64(bob.ID) + "/delete"
	_, page := admin.get("/users")
	resp, body := admin.post(action, h4PageForm(t, page, action))
	wantStatus(t, resp, http.StatusSeeOther, body)
	r.mu.Lock()
	for _, id := range []string{"bob-added", "bob-replaced"} {
		if _, ok := r.ended[id]; ok {
			t.Errorf("%s is still kept after its user was removed", id)
		}
	}
	r.mu.Unlock()
	if replaced, _ := r.wasReplaced("ann-replaced", "x", ann); !replaced {
		t.Error("another user's record went too")
	}

	later := time.Now().Add(genJobTTL + time.Minute)
	r.mu.Lock()
	r.now = func() time.Time { return later }
	r.mu.Unlock()
	if replaced, _ := r.wasReplaced("ann-replaced", "x", ann); replaced {
		t.Error("a record is kept past genJobTTL")
	}
}

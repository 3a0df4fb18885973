package app

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestGenerateNewBriefReplacesRunning: pressing "Write drafts" again
// while drafts are being written (a changed brief, an impatient second
// press) stops the first model call instead of running both. The first
// job says why it stopped, and its slot is free at once.
func TestGenerateNewBriefReplacesRunning(t *testing.T) {
	llm := newFakeLLM(t)
	release := llm.hold()
	defer release()
	g := newGenFixture(t, llm.generator(10*time.Second))
	g.c.get(g.base)

	// A teammate drafting for the same experiment is not stopped.
	bob := g.e.signIn("bob@example.com")
	bob.get(g.base)
	resp, body := bob.hx(http.MethodPost, g.base, g.brief(1))
	wantStatus(t, resp, http.StatusOK, body)
	bobs := g.base + "/jobs/" + jobRe.FindStringSubmatch(resp.Header.Get("HX-Push-Url"))[1]

	first, body := g.start(t, g.brief(2))
	wantContains(t, body, `data-state="running"`)
	second, _ := g.start(t, g.brief(3))
	if first == second {
		t.Fatal("the second brief got the first job")
	}

	frag := g.wait(t, first)
	wantContains(t, frag, `data-state="failed"`, "Replaced by a newer brief", "copylab stopped writing these drafts when you sent a newer brief.")
	wantNotContains(t, frag, "Something went wrong", "Try again")

	// Only the newer job and the teammate's hold a slot (the first gives its slot back as
	// its goroutine ends, just after it says it stopped).
	running := 0
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		g.e.app.genJobs.mu.Lock()
		running = g.e.app.genJobs.running
		g.e.app.genJobs.mu.Unlock()
		if running == 2 {
			break
		}
	}
	if running != 2 {
		t.Errorf("%d model calls hold a slot, want 2 (the newer brief's and the teammate's)", running)
	}

	release()
	frag = g.wait(t, second)
	wantContains(t, frag, `data-state="done"`)
	if n := len(draftTexts(frag)); n != 3 {
		t.Errorf("%d drafts from the newer brief, want 3", n)
	}
	_, frag = bob.hx(http.MethodGet, bobs, nil)
	for deadline := time.Now().Add(20 * time.Second); strings.Contains(frag, `data-state="running"`) && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, frag = bob.hx(http.MethodGet, bobs, nil)
	}
	wantContains(t, frag, `data-state="done"`)

}

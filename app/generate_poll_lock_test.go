package app

import (
	"path"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// A job that did not fail shows no way back to earlier drafts, so its
// view, which the page asks for every second while drafts are written,
// must not wait for the registry's lock (previousOf): with many jobs kept,
// every poll would queue behind every other.
func TestJobViewOfAJobThatDidNotFailSkipsTheRegistry(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(3))
	g.wait(t, statusURL)
	a := g.e.app
	a.genJobs.mu.Lock()
	j := a.genJobs.jobs[path.Base(statusURL)]
	a.genJobs.mu.Unlock()
	if j == nil {
		t.Fatal("the job is not kept")
	}
	fctx := &fasthttp.RequestCtx{}
	c := a.fiber.AcquireCtx(fctx)
	defer a.fiber.ReleaseCtx(c)

	a.genJobs.mu.Lock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.jobView(c, g.x, j)
	}()
	select {
	case <-done:
		a.genJobs.mu.Unlock()
	case <-time.After(2 * time.Second):
		a.genJobs.mu.Unlock()
		<-done
		t.Fatal("the view of a finished job waited for the registry's lock")
	}
}

package app

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Jobs started within the same millisecond still have an order, the
// order they were admitted in: the page opened without a job shows the
// newest brief's generation, as previousOf and supersede take it to be,
// not one picked by the jobs' random ids.
func TestLatestJobIsTheNewestBriefAtTheSameInstant(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	at := time.Now()
	g.e.app.now = func() time.Time { return at }
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(3))
	wantContains(t, g.wait(t, oldURL), `data-state="done"`)

	llm.setReply(failWith(http.StatusBadRequest, nil, "no"))
	for i := range 8 {
		v := g.brief(3)
		v.Set("audience", fmt.Sprintf("agency owners, take %d", i))
		newURL, _ := g.start(t, answered(v))
		wantContains(t, g.wait(t, newURL), `data-state="failed"`)
		waitNoModelCalls(t, g.e) // a failed job gives its slot back just after it shows
		_, page := g.c.get(g.base)
		wantContains(t, page, `data-state="failed"`)
		wantNotContains(t, page, `data-state="done"`)
	}
}

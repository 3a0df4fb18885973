package app

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestGenerationSlotFreeWhenDraftsShow: once a set of drafts is done (and
// shows), its model call's slot and the person's generation are no longer
// counted, so a new brief sent at once is not refused by a call that has
// ended.
func TestGenerationSlotFreeWhenDraftsShow(t *testing.T) {
	g := newGenFixture(t, nil)
	ctx := context.Background()
	for range 5 {
		resp, body := g.c.hx(http.MethodPost, g.base, g.brief(2))
		wantStatus(t, resp, http.StatusOK, body)
		u, _, err := g.e.store.UserByEmail(ctx, "ann@example.com")
		if err != nil {
			t.Fatal(err)
		}
		j, ok := g.e.app.genJobs.latest(g.x.ID, personOf(u))
		if !ok {
			t.Fatal("no job")
		}
		select {
		case <-j.done:
		case <-time.After(20 * time.Second):
			t.Fatal("the drafts never came")
		}
		r := g.e.app.genJobs
		r.mu.Lock()
		running, people := r.running, len(r.generating)
		r.mu.Unlock()
		if running != 0 || people != 0 {
			t.Fatalf("drafts done, yet %d slots and %d people still counted", running, people)
		}
	}
}

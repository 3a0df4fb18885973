package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// TestStorageFullTagFlush: the tag's loads are written in the
// background, outside any request (flushTagLoop); a write of them that
// fails for lack of space marks the storage full in /healthz as a
// request's does, and the next one that gets through clears it. Before,
// /healthz said ok while every minute's write failed.
func TestStorageFullTagFlush(t *testing.T) {
	e := newEnv(t)
	site, _ := e.shopSite()
	filler, err := e.store.CreateSite(context.Background(), experiments.Site{Name: "Filler", Domain: "filler.example"})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.app.flushTagLoop(ctx, tick)
	}()
	t.Cleanup(func() { cancel(); <-done })
	// flush ticks the loop and returns once that tick's write is done:
	// the loop takes the second tick only after it.
	flush := func() {
		t.Helper()
		for range 2 {
			select {
			case tick <- time.Now():
			case <-time.After(10 * time.Second):
				t.Fatal("the flush loop does not take its tick")
			}
		}
	}

	// The database may not grow, and the tags' table is full: the
	// filler site's page origins, long ones then short, until not even a
	// short one fits.
	capDatabase(t, e)
	w := e.store.Writer()
	i := 0
	for _, pad := range []int{400, 1} {
		for ; ; i++ {
			origin := "https://" + strings.Repeat("f", pad) + strconv.Itoa(i) + ".example"
			_, err := w.Exec(`insert into site_tag_seen (site_id, origin, loaded_at) values (?, ?, 1)`, filler.ID, origin)
			if err == nil {
				continue
			}
			if !experiments.IsStorageFull(err) {
				t.Fatalf("fill: %v", err)
			}
			break
		}
	}

	e.fetchTag("/s/"+site.Key+".js", http.StatusOK, "Referer", "https://shop.example/pricing")
	flush()
	if status, h := health(t, e); status != http.StatusServiceUnavailable || h["storage"] != "full" {
		t.Errorf("healthz after the tag's loads could not be written: %d %v", status, h)
	}

	unfillDatabase(t, e)
	flush() // the loads that failed are written now
	if status, h := health(t, e); status != http.StatusOK || h["storage"] != "ok" {
		t.Errorf("healthz after the tag's loads were written: %d %v", status, h)
	}
	if tags, _, err := e.store.SiteTags(context.Background()); err != nil || len(tags) == 0 {
		t.Errorf("the tag's loads were not written: %v (%v)", tags, err)
	}
}

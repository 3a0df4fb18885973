package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestStorageFullNotifier: the notifier runs outside any request; when
// its records fail for lack of space (the message it sent, or what it
// keeps of a verdict's episodes), /healthz says the storage is full, as
// it does for a request's write. Before, it said ok while every round's
// records failed.
func TestStorageFullNotifier(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx := context.Background()
	shop := e.site("Shop")
	h := newHook(t)
	winnerOn(e, shop, "Pricing hero")
	setWebhook(t, e, shop.ID, h.URL+"/hook")
	filler := e.experiment(shop.ID, "Filler")

	// The database may not grow, and the notifications' table is full:
	// the filler's records, long ones then short, until not even a short
	// one fits.
	capDatabase(t, e)
	w := e.store.Writer()
	i := 0
	for _, pad := range []int{400, 1} {
		for ; ; i++ {
			status := strings.Repeat("f", pad) + strconv.Itoa(i)
			_, err := w.Exec(`insert into experiment_notifications (experiment_id, status, sent_at) values (?, ?, 1)`, filler.ID, status)
			if err == nil {
				continue
			}
			if !experiments.IsStorageFull(err) {
				t.Fatalf("fill: %v", err)
			}
			break
		}
	}

	e.app.notifyOnce(ctx)
	if status, h := health(t, e); status != http.StatusServiceUnavailable || h["storage"] != "full" {
		t.Errorf("healthz after the notifier's records failed for lack of space: %d %v", status, h)
	}
}

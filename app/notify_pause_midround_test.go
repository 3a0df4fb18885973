package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"copylab/experiments"
)

// TestNotifyPausedMidRound: a webhook paused while a round is sending (a
// test message refused at that moment, from the site page) gets none of
// the round's later messages: each message reads the pause again just
// before it goes, as it reads the URL and the test's status.
func TestNotifyPausedMidRound(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	e.app.testSends = nil
	ctx := context.Background()
	site := e.site("Shop")
	winnerOn(e, site, "Pricing hero")
	winnerOn(e, site, "Checkout button")

	var (
		mu    sync.Mutex
		posts int
		hook  string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		defer mu.Unlock()
		posts++
		if posts == 1 {
			// What a refused test message records, while this
			// round's first message is on its way.
			r := experiments.WebhookRefusal{Status: http.StatusGone, Message: "Test message", At: e.app.now()}
			if err := e.store.RecordWebhookRefusal(ctx, site.ID, hook, r); err != nil {
				t.Error(err)
			}
		}
	}))
	defer srv.Close()
	hook = srv.URL + "/hooks/s3cret"
	setWebhook(t, e, site.ID, hook)

	if n := e.app.notifyOnce(ctx); n != 1 {
		t.Errorf("sent %d messages; want the one already on its way, then none", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if posts != 1 {
		t.Errorf("%d posts to a webhook paused after the first", posts)
	}
}

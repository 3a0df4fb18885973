package app

import (
	"context"
	"testing"
)

// failRecords makes the database refuse to record sent messages, as a
// full disk would, until the returned func is called.
func failRecords(t *testing.T, e *env) (recover func()) {
	t.Helper()
	if _, err := e.store.Writer().Exec(`create trigger fail_records before insert on experiment_notifications
		begin select raise(abort, 'database or disk is full'); end`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := e.store.Writer().Exec(`drop trigger fail_records`); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNotifyUnrecordedNotResent: a message the webhook took that copylab
// could not record as sent is not posted again every minute while the
// database refuses writes; it is recorded once the database takes writes
// again, so a restart does not send it either, and it counts as sent
// once. Nothing else goes out meanwhile, to this site or another: it
// could not be recorded either.
func TestNotifyUnrecordedNotResent(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx := context.Background()
	shop, tools := e.site("Shop"), e.site("Tools") // in this order
	h, o := newHook(t), newHook(t)
	x := winnerOn(e, shop, "Pricing hero") // Shop's first
	y := winnerOn(e, shop, "Checkout button")
	z := winnerOn(e, tools, "Signup form")
	setWebhook(t, e, shop.ID, h.URL+"/hook")
	setWebhook(t, e, tools.ID, o.URL+"/hook")
	posts := func() int { return len(h.received()) + len(o.received()) }
	recover := failRecords(t, e)
	if n := e.app.notifyOnce(ctx); n != 1 || posts() != 1 {
		t.Fatalf("sent %d in %d posts; want the first message out, then a stop", n, posts())
	}
	if id := h.received()[0]["experiment"].(map[string]any)["id"]; id != x.ID {
		t.Fatalf("first message about %v, want %s", id, x.ID)
	}
	for round := range 3 {
		if n := e.app.notifyOnce(ctx); n != 0 || posts() != 1 {
			t.Fatalf("round %d while the database refuses writes: sent %d, %d posts in all; want the message once", round, n, posts())
		}
	}
	recover()
	if n := e.app.notifyOnce(ctx); n != 2 || len(h.received()) != 2 || len(o.received()) != 1 {
		t.Fatalf("the database takes writes again: sent %d, %d+%d posts; want the two others", n, len(h.received()), len(o.received()))
	}
	if id := h.received()[1]["experiment"].(map[string]any)["id"]; id != y.ID {
		t.Fatalf("second message to Shop about %v, want %s", id, y.ID)
	}
	if n := e.restarted().notifyOnce(ctx); n != 0 || posts() != 3 {
		t.Fatalf("after a restart: sent %d, %d posts in all; want nothing more", n, posts())
	}
	for _, id := range []string{x.ID, y.ID, z.ID} {
		if got, err := e.store.Notified(ctx, id); err != nil || len(got) != 1 {
			t.Errorf("recorded %v, %v for %s; want its winner", got, err, id)
		}
	}
	wantContains(t, notifyMetrics(t, e), `copylab_notifications_total{result="sent"} 3`)
	wantNotContains(t, notifyMetrics(t, e), `result="retried"`)
}

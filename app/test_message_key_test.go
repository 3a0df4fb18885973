package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestTestMessageLimitIsPerAccount: the limit on test messages belongs to
// an account, not to its id. users.id is an integer primary key without
// AUTOINCREMENT, so SQLite gives a removed account's id, the highest, to
// the next account added; that account has a limit of its own, not the
// removed one's.
func TestTestMessageLimitIsPerAccount(t *testing.T) {
	ctx := context.Background()
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	clock := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	e.app.testSends.now = func() time.Time { return clock }
	e.app.testSends.epoch = clock
	h := newHook(t)
	owner := e.signIn("owner@example.com")
	site := e.site("Shop")
	resp, _ := owner.post("/sites/"+site.ID+"/notifications", url.Values{"webhook_url": {h.URL + "/hook"}})
	wantStatus(t, resp, http.StatusSeeOther, "")
	sendTest := func(c *client) string {
		t.Helper()
		c.post("/sites/"+site.ID+"/notifications/test", nil)
		_, body := c.get("/sites/" + site.ID)
		return body
	}

	leaver := e.signIn("leaver@example.com")
	wantContains(t, sendTest(leaver), "Test message sent to 127.0.0.1")
	gone, _, err := e.store.UserByEmail(ctx, "leaver@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.DeleteUser(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	// Accounts made in the same millisecond with the same id would share
	// a key; these two are not.
	time.Sleep(2 * time.Millisecond)

	newcomer := e.signIn("newcomer@example.com")
	u, _, err := e.store.UserByEmail(ctx, "newcomer@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != gone.ID {
		t.Fatalf("the new account has id %d, the removed one had %d: the test needs SQLite to reuse it", u.ID, gone.ID)
	}
	wantContains(t, sendTest(newcomer), "Test message sent to 127.0.0.1")
	wantContains(t, sendTest(newcomer), "You sent a test message a moment ago; send the next one in 6 s.")
	if got := len(h.received()); got != 2 {
		t.Errorf("the webhook got %d messages, want 2", got)
	}
}

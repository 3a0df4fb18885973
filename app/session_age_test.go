package app

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestSessionMaxAge: a session used every day still ends 30 days after
// signing in, and its sliding expiry is never pushed past that.
func TestSessionMaxAge(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	hash := hashSecret(c.cookies["copylab_session"])
	signedIn := func(ago time.Duration) {
		t.Helper()
		at := e.app.now().Add(-ago).UnixMilli()
		if _, err := e.store.Writer().Exec(`update sessions set created_at = ?, expires_at = ? where id_hash = ?`,
			at, e.app.now().Add(time.Hour).UnixMilli(), hash); err != nil {
			t.Fatal(err)
		}
	}

	signedIn(29 * 24 * time.Hour) // a day left: slides to that day, not 14 more
	resp, body := c.get("/sites")
	wantStatus(t, resp, http.StatusOK, body)
	sess, _, err := e.store.SessionByHash(context.Background(), hash)
	if err != nil {
		t.Fatal(err)
	}
	if want := sess.CreatedAt.Add(sessionMaxAge); !sess.ExpiresAt.Equal(want) {
		t.Errorf("expires %v, want the max age %v", sess.ExpiresAt, want)
	}

	signedIn(30*24*time.Hour + time.Minute)
	resp, _ = c.get("/sites")
	wantStatus(t, resp, http.StatusSeeOther, "")
	if loc := resp.Header.Get("Location"); loc != "/login?next=%2Fsites" {
		t.Errorf("Location %q", loc)
	}
	if _, _, err := e.store.SessionByHash(context.Background(), hash); err == nil {
		t.Error("the old session is still stored")
	}
}

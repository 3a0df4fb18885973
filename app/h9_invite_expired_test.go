package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestInviteExpiredListed: an invite that expired in the last week stays
// on the Users page as "Expired on DATE, not used", with an Invite again
// button that makes a new link for that email; one that expired longer
// ago is gone, and the hourly housekeeping deletes only that one. An
// expired invite does not count as a link that removing its sender stops.
func TestInviteExpiredListed(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("owner@example.com")
	e.addUser("bob@example.com")
	ctx := context.Background()
	now := e.app.now()
	day := 24 * time.Hour
	late := now.Add(-2 * day)
	if _, _, err := e.store.CreateInvite(ctx, "late", "late@example.com", "Lee", "bob@example.com", now.Add(-9*day), late); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.store.CreateInvite(ctx, "gone", "gone@example.com", "", "owner@example.com", now.Add(-16*day), now.Add(-9*day)); err != nil {
		t.Fatal(err)
	}

	_, body := owner.get("/users")
	body = html.UnescapeString(body)
	wantContains(t, body, "late@example.com", "Expired on "+late.Format("2 Jan 2006")+", not used",
		`<input type="hidden" name="invite_email" value="late@example.com">`, "Invite again")
	wantNotContains(t, body, "gone@example.com", "Remove bob@example.com? They are signed out at once, and the invite link")
	if i := strings.Index(body, `name="invite_email" value="late@example.com"`); i >= 0 {
		start, end := strings.LastIndex(body[:i], "<form"), strings.Index(body[i:], "</form>")
		if start < 0 || end < 0 {
			t.Fatalf("the Invite again button is not in a form")
		}
		wantContains(t, body[start:i+end], `action="/users/invites"`, `name="_csrf"`)
	}

	e.app.housekeeping(ctx)
	var n int
	if err := e.store.Reader().QueryRow(`select count(*) from invites where email = 'late@example.com'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the invite expired 2 days ago after housekeeping: %d, %v; want kept", n, err)
	}

	resp, body := owner.post("/users/invites", url.Values{"invite_email": {"late@example.com"}})
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Send this link to <strong>late@example.com</strong>")
	wantNotContains(t, body, "It replaces the link", "Expired on")

	// A week after it expired, it is no longer listed.
	e.app.now = func() time.Time { return now.Add(8 * day) }
	if _, _, err := e.store.CreateInvite(ctx, "late3", "late3@example.com", "", "", now, now.Add(day/2)); err != nil {
		t.Fatal(err)
	}
	_, body = owner.get("/users")
	wantNotContains(t, body, "late3@example.com")
}

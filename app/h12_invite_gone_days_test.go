package app

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestInviteGoneSaysHowLong: the page of a link that no longer works
// says how long invite links work as the Users page and the invite's own
// page say it, in days (inviteTTL), not "for a few days". Found by a
// review.
func TestInviteGoneSaysHowLong(t *testing.T) {
	e := newEnv(t)
	resp, body := e.client().get("/invite/" + newInviteToken())
	wantStatus(t, resp, http.StatusNotFound, body)
	days := strconv.Itoa(int(inviteTTL / (24 * time.Hour)))
	wantContains(t, body, "Invite links work once, for "+days+" days, and a new invite replaces the one before.")
	if strings.Contains(body, "a few days") {
		t.Error(`the page still says "a few days"`)
	}
}

package app

import (
	"context"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"copylab/experiments"
)

// calledFrom tells whether a function whose name ends in suffix is on
// the calling goroutine's stack.
func calledFrom(suffix string) bool {
	pc := make([]uintptr, 64)
	frames := runtime.CallersFrames(pc[:runtime.Callers(2, pc)])
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, suffix) {
			return true
		}
		if !more {
			return false
		}
	}
}

// TestH4InviteDemotedOnTheWay: an admin demoted while their invite was
// on its way, after adminOnly let it through and before the invite was
// stored, gets no invite link: the store checks the role in the
// invite's own transaction, and the answer is the one a member gets.
// The demotion is made by the app's clock, which inviteCreate reads
// between the two.
func TestH4InviteDemotedOnTheWay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.signIn("owner@example.com")
	ann := e.signIn("ann@example.com")
	e.makeAdmin("ann@example.com")
	annUser, _, err := e.store.UserByEmail(ctx, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ann.get("/users")

	var demoted atomic.Bool
	e.app.now = func() time.Time {
		if calledFrom(".inviteCreate") && demoted.CompareAndSwap(false, true) {
			if _, err := e.store.SetRole(ctx, annUser.ID, annUser.Email, experiments.RoleMember); err != nil {
				t.Errorf("demoting ann: %v", err)
			}
		}
		return time.Now()
	}
	resp, body := ann.post("/users/invites", url.Values{"invite_email": {"eve@example.com"}, "invite_role": {"admin"}})
	if !demoted.Load() {
		t.Fatal("inviteCreate never read the clock: the test demoted nobody")
	}
	usersFlash(t, ann, resp, body, "Only an admin can invite people. Ask owner@example.com.")
	if inv, err := e.store.Invites(ctx, time.Now()); err != nil || len(inv) != 0 {
		t.Errorf("invites after the refusal: %+v, %v; want none", inv, err)
	}
}

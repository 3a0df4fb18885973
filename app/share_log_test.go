package app

import (
	"log/slog"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestShareTokenNotLogged: a share link opens a test's results to whoever
// has it, so the request log, read by more people and kept longer, writes
// its path without the token, keeping the page it asked for.
func TestShareTokenNotLogged(t *testing.T) {
	e := newEnv(t)
	var logs syncBuffer
	e.app.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	x := e.experiment(e.site("Shop").ID, "Hero")
	x = e.transition(x.ID, experiments.ActionStart)
	e.client().get("/r/" + x.ShareToken)
	e.client().get("/r/" + x.ShareToken + "/recordings")
	if strings.Contains(logs.String(), x.ShareToken) {
		t.Errorf("the log holds the share token:\n%s", logs.String())
	}
	for _, want := range []string{"path=/r/… ", "path=/r/…/recordings "} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
}

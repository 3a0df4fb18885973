package app

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
)

// TestNotifyDatabaseFaultIsNotTheWebhooks: when copylab's own database
// fails during a round (it cannot read what was already sent, or cannot
// record what the webhook answered), the log says the database failed,
// not the webhook, so an operator looks at the disk rather than at
// Slack; and a refusal copylab could not record is not counted as
// dropped or paused, since the message goes out again next round. The
// faults are real: a table gone from under the store, and a writer that
// refuses writes (query_only).
func TestNotifyDatabaseFaultIsNotTheWebhooks(t *testing.T) {
	const (
		dbFault    = "copylab's database failed"
		notTaken   = "the webhook did not take the message"
		refusedFor = "the webhook refused the message for good"
		dropped    = "copylab does not send it again"
	)
	for _, tt := range []struct {
		name   string
		status int                               // the webhook's first answer
		fault  func(t *testing.T, e *env) func() // breaks the database; returns the repair
		// logged: in the log besides dbFault; metric: the counter after the round.
		logged, metric string
	}{
		{"reading what was sent", http.StatusOK, renameTable("experiment_notifications"),
			"experiment_notifications", ""},
		{"recording a refused message", http.StatusBadRequest, queryOnly,
			"the webhook answered 400", `copylab_notifications_total{result="retried"} 1`},
		{"recording a refused webhook", http.StatusNotFound, queryOnly,
			"the webhook answered 404", `copylab_notifications_total{result="retried"} 1`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			var logs syncBuffer
			e.app.log = slog.New(slog.NewTextHandler(&logs, nil))
			ctx := context.Background()
			site := e.site("Shop")
			h := newHook(t)
			h.status = []int{tt.status}
			h.said = []string{"bad request"} // no word of Slack's: a refusal of the message, or of the URL by its status
			x := winnerOn(e, site, "Pricing hero")
			setWebhook(t, e, site.ID, h.URL+"/hook")

			repair := tt.fault(t, e)
			if n := e.app.notifyOnce(ctx); n != 0 {
				t.Fatalf("sent %d while the database fails; want 0", n)
			}
			got := logs.String()
			wantContains(t, got, dbFault, tt.logged)
			wantNotContains(t, got, notTaken, refusedFor, dropped)
			m := notifyMetrics(t, e)
			if tt.metric != "" {
				wantContains(t, m, tt.metric)
			}
			wantNotContains(t, m, `result="dropped"`, `result="paused"`)

			// Once the database works again, the message is sent (or
			// refused) as if nothing had happened.
			repair()
			if n := e.app.notifyOnce(ctx); n != 1 {
				t.Fatalf("sent %d once the database works again; want the winner", n)
			}
			if got, err := e.store.Notified(ctx, x.ID); err != nil || len(got) != 1 {
				t.Errorf("recorded %v, %v; want the winner", got, err)
			}
		})
	}
}

// renameTable moves a table out of the store's way, so that every query
// of it fails, as a damaged database's would.
func renameTable(table string) func(t *testing.T, e *env) func() {
	return func(t *testing.T, e *env) func() {
		t.Helper()
		if _, err := e.store.Writer().Exec(`alter table ` + table + ` rename to ` + table + `_away`); err != nil {
			t.Fatal(err)
		}
		return func() {
			if _, err := e.store.Writer().Exec(`alter table ` + table + `_away rename to ` + table); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// queryOnly makes the store's one writer connection refuse every write,
// as a read-only or full disk would.
func queryOnly(t *testing.T, e *env) func() {
	t.Helper()
	if _, err := e.store.Writer().Exec(`pragma query_only = on`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := e.store.Writer().Exec(`pragma query_only = off`); err != nil {
			t.Fatal(err)
		}
	}
}

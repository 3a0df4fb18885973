package app

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"copylab/experiments"
)

// winnerOn starts an experiment on site with a called winner, two weeks in.
func winnerOn(e *env, site experiments.Site, name string) experiments.Experiment {
	x := e.experiment(site.ID, name, "Original headline", "Better headline")
	x = e.transition(x.ID, experiments.ActionStart)
	e.setCounts(x, calledWinner...)
	backdate(e, x, 14)
	return x
}

// A receiver's error page that quotes the webhook's path (its secret) is
// not passed on into logs or pages with it: not whole, not in part, not
// escaped as JSON or HTML, and not cut short by the 200 bytes read.
func TestWebhookErrorHidesSecret(t *testing.T) {
	const token, key = "S3CRETTOKEN0123456789", "K3Y-ABCDEFG"
	long := strings.Repeat("x", 170) // the 200 bytes read end inside the token
	for _, tc := range []struct {
		name, path string
		answer     func(r *http.Request) string
	}{
		{"the whole request line", "/hooks/" + token + "?key=" + key, func(r *http.Request) string { return "Cannot POST " + r.URL.RequestURI() }},
		{"the token alone", "/hooks/" + token + "?key=" + key, func(r *http.Request) string { return "unknown token " + token + "; key " + key + " revoked" }},
		{"as JSON", "/api/webhooks/1234567/" + token, func(r *http.Request) string {
			b, _ := json.Marshal(map[string]string{"error": "no route " + r.URL.Path})
			return strings.ReplaceAll(string(b), "/", `\/`)
		}},
		{"as HTML", "/hooks/" + token + "?key=" + key + "&b=" + token, func(r *http.Request) string {
			return "<p>No hook at " + html.EscapeString(r.URL.RequestURI()) + "</p>"
		}},
		{"cut short", "/" + long + "/" + token, func(r *http.Request) string { return "Cannot POST " + r.URL.Path }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusNotFound)
				io.WriteString(w, tc.answer(r))
			}))
			defer srv.Close()
			err := e.app.sendWebhook(context.Background(), srv.URL+tc.path, notice{Title: "t", Text: "x"})
			if err == nil || !strings.Contains(err.Error(), "404") {
				t.Fatalf("err = %v, want the 404", err)
			}
			for _, secret := range []string{token, key} {
				if strings.Contains(err.Error(), secret[:minSecretPart]) {
					t.Errorf("the error quotes the webhook's secret %s: %v", secret, err)
				}
			}
		})
	}
}

// A message the receiver took is recorded even when shutdown cancels the
// notifier meanwhile, so the next process does not send it again.
func TestNotifyRecordsThroughShutdown(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		cancel() // shutdown begins while the receiver answers
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	site := e.site("Shop")
	winnerOn(e, site, "Pricing hero")
	setWebhook(t, e, site.ID, srv.URL+"/hook")
	e.app.notifyOnce(ctx)
	if n := e.app.notifyOnce(context.Background()); n != 0 || posts.Load() != 1 {
		t.Errorf("after a restart: %d more sent, %d posts in all; want the one message once", n, posts.Load())
	}
}

// A webhook that gives no answer at all costs its site one try a round,
// not one per test, so other sites' messages are not held up behind it.
func TestNotifySkipsSilentWebhookForTheRound(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	var tries atomic.Int32
	dead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tries.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // no answer: a transport error, as a timeout is
		}
	}))
	defer dead.Close()
	h := newHook(t)
	broken, fine := e.site("Broken"), e.site("Fine")
	winnerOn(e, broken, "First")
	winnerOn(e, broken, "Second")
	winnerOn(e, fine, "Third")
	setWebhook(t, e, broken.ID, dead.URL+"/hook")
	setWebhook(t, e, fine.ID, h.URL+"/hook")
	if n := e.app.notifyOnce(context.Background()); n != 1 || len(h.received()) != 1 {
		t.Errorf("sent %d, the working webhook got %d: want its one message", n, len(h.received()))
	}
	if got := tries.Load(); got != 1 {
		t.Errorf("the silent webhook was tried %d times in one round, want 1", got)
	}
}

// A webhook turned off while a round is under way gets nothing more from
// that round.
func TestNotifyWebhookTurnedOffMidRound(t *testing.T) {
	e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
	site := e.site("Shop")
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if posts.Add(1) == 1 {
			// The owner turns the webhook off while the first post is
			// being answered.
			if _, err := e.store.SetSiteWebhook(context.Background(), site.ID, ""); err != nil {
				t.Error(err)
			}
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	for _, name := range []string{"First", "Second", "Third"} {
		winnerOn(e, site, name)
	}
	setWebhook(t, e, site.ID, srv.URL+"/hook")
	e.app.notifyOnce(context.Background())
	if n := posts.Load(); n != 1 {
		t.Errorf("%d posts, want 1: the webhook was off after the first", n)
	}
}

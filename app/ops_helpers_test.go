package app

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// newEnvWith is newEnv with a change to the configuration.
func newEnvWith(t *testing.T, mod func(*Config)) *env {
	t.Helper()
	a, store, ing := newTestApp(t, experiments.IngestOptions{}, mod)
	return &env{t: t, app: a, store: store, ing: ing}
}

// newTestApp is an app on its own database file in tb.TempDir(), opened
// with the production DSN and migrations, for tests and fuzz targets.
func newTestApp(tb testing.TB, o experiments.IngestOptions, mod func(*Config)) (*App, *experiments.Store, *experiments.Ingester) {
	tb.Helper()
	ctx := context.Background()
	path := tb.TempDir() + "/copylab.db"
	store, err := experiments.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	o.MaxBody = maxEventBody
	o.Logger = slog.New(slog.DiscardHandler)
	ing := experiments.NewIngester(store, o)
	tb.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ing.Close(cctx)
		store.Close()
	})
	cfg := Config{
		Addr:       "127.0.0.1:0",
		DBPath:     path,
		PublicURL:  testPublicURL,
		BcryptCost: bcrypt.MinCost,
		SetupToken: testSetupToken,
		Logger:     slog.New(slog.DiscardHandler),
	}
	if mod != nil {
		mod(&cfg)
	}
	a, err := newApp(cfg.withDefaults(), store, ing)
	if err != nil {
		tb.Fatal(err)
	}
	return a, store, ing
}

// runningExperiment makes a site with a started experiment (control and
// b, goal: a click).
func (e *env) runningExperiment() (experiments.Site, experiments.Experiment) {
	e.t.Helper()
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	return site, e.transition(x.ID, "start")
}

// postRaw sends a body to POST /e with the given headers (Content-Type
// text/plain and a browser's user agent unless set).
func (e *env) postRaw(body string, hdr map[string]string) (*http.Response, string) {
	e.t.Helper()
	req := newRequest(http.MethodPost, "/e", strings.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp := e.do(req)
	return resp, readBody(e.t, resp)
}

// eventRows counts the stored events.
func (e *env) eventRows() int {
	e.t.Helper()
	var n int
	if err := e.store.Reader().QueryRow(`select count(*) from events`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// counted returns the counted exposures and conversions of an experiment.
func (e *env) counted(x experiments.Experiment) (exposures, conversions int64) {
	e.t.Helper()
	c, err := e.store.Counts(context.Background(), x)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, v := range c.Variants {
		exposures += v.Exposures
		conversions += v.Conversions
	}
	return exposures, conversions
}

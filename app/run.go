package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"copylab/experiments"
)

// Run serves copylab until ctx is cancelled (cmd cancels it on SIGINT and
// SIGTERM), then shuts down gracefully: it stops accepting connections,
// lets in-flight requests finish, writes the tags' last loads, drains the
// events queue, and closes the database. With no account yet, it logs the one-time setup link.
func Run(ctx context.Context, cfg Config) error {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("app: config: %w", err)
	}
	log := cfg.Logger
	// One generator for the process, built before anything is opened so a
	// bad LLM setting fails the start at once.
	gen, err := NewGenerator(cfg)
	if err != nil {
		return err
	}
	// One server per database file: a second would send every notification
	// again and keep rate limits and drafting jobs of its own.
	release, err := experiments.ServeLock(cfg.DBPath)
	if err != nil {
		return err
	}
	defer release()
	store, err := experiments.Open(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{MaxBody: maxEventBody, Logger: log})
	closeAll := func() error {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		return errors.Join(ing.Close(sctx), store.Close())
	}
	a, err := New(cfg, store, ing, WithGenerator(gen))
	if err != nil {
		return errors.Join(err, closeAll())
	}
	defer a.geo.Close() // after the server and the events queue have stopped
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return errors.Join(fmt.Errorf("app: listen: %w", err), closeAll())
	}
	log.Info("copylab is listening", "addr", ln.Addr().String(), "public_url", a.cfg.PublicURL, "db", store.Path())
	if n, err := store.UserCount(ctx); err != nil {
		log.Warn("could not count users", "error", err)
	} else if n == 0 {
		log.Info("no account yet: open this one-time link to create the first one", "url", a.SetupURL())
	}

	jobsCtx, stopJobs := context.WithCancel(context.Background())
	var jobs sync.WaitGroup
	jobs.Add(3)
	go func() {
		defer jobs.Done()
		a.runHourly(jobsCtx)
	}()
	go func() {
		defer jobs.Done()
		a.runNotifier(jobsCtx)
	}()
	go func() {
		defer jobs.Done()
		a.runTagFlush(jobsCtx) // writes once more when stopped
	}()

	served := make(chan error, 1)
	go func() { served <- a.fiber.Listener(ln) }()

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down: finishing requests in flight")
	case serveErr = <-served:
		serveErr = fmt.Errorf("app: serve: %w", serveErr)
	}
	// Stop accepting and wait for in-flight requests, then stop the jobs
	// (the tag's last loads are written then), then the events the
	// requests queued are drained by closing the ingester, and the store
	// goes last.
	shutdownErr := a.fiber.ShutdownWithTimeout(cfg.ShutdownTimeout)
	stopJobs()
	jobs.Wait()
	err = errors.Join(serveErr, shutdownErr, closeAll())
	if err == nil {
		log.Info("stopped")
	}
	return err
}

// runHourly runs the housekeeping jobs once an hour until ctx ends:
// expired sessions are deleted and the sign-in limiter forgets old entries.
func (a *App) runHourly(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		a.housekeeping(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *App) housekeeping(ctx context.Context) {
	n, err := a.store.DeleteExpiredSessions(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Error("housekeeping: delete expired sessions", "error", err)
	case n > 0:
		a.log.Info("housekeeping: deleted expired sessions", "count", n)
	}
	if _, err := a.store.DeleteExpiredInvites(ctx, a.now()); err != nil && ctx.Err() == nil {
		a.log.Error("housekeeping: delete expired invites", "error", err)
	}
	a.logins.Prune()
	a.genJobs.prune()
}

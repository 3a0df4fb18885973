package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"copylab/experiments"
	"copylab/variants"
	"copylab/views"
)

// Run serves copylab until ctx is cancelled (cmd cancels it on SIGINT and
// SIGTERM), then shuts down gracefully: it stops accepting connections,
// lets in-flight requests finish, writes the tags' last loads, drains the
// events queue, and closes the database. With no account yet, it logs the one-time setup link.
func Run(ctx context.Context, cfg Config) error {
	derivedURL := strings.TrimSpace(cfg.PublicURL) == ""
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("app: config: %w", err)
	}
	log := cfg.Logger
	if cfg.loopbackOnAllInterfaces() {
		// Said before anything is opened, so that it is read even when
		// the start stops at a later step.
		log.Warn("the public URL is a loopback address while copylab listens on all interfaces: "+
			"links and site tags would point to each visitor's own computer; set --public-url (COPYLAB_PUBLIC_URL) to the address people and sites use",
			"addr", cfg.Addr)
	}
	if cfg.untrustedLocalProxy() {
		log.Warn(fmt.Sprintf("copylab listens on a loopback address while its public URL names another host, and no proxy is trusted: "+
			"a reverse proxy on this host makes every visitor look like loopback, so the public rate limits spare them, "+
			"--metrics-allow's default lets them read /metrics only through a proxy that drops X-Forwarded-For and Forwarded "+
			"(a request carrying either is refused, 403 metrics_proxied), and %d failed sign-ins from anywhere pause sign-in for everyone; "+
			"list the proxy's address (such as 127.0.0.1) in %s and have it send X-Forwarded-For", loginMaxPerClient, setting("trusted-proxies")),
			"addr", cfg.Addr, "public_url", cfg.PublicURL)
	}
	// One generator for the process, built before anything is opened so a
	// bad LLM setting fails the start at once.
	gen, err := NewGenerator(cfg)
	if err != nil {
		return err
	}
	// One server per database file: a second would send every notification
	// again and keep rate limits and drafting jobs of its own.
	release, undoLock, err := experiments.ServeLockUndo(cfg.DBPath)
	if err != nil {
		return err
	}
	// Until the database is open, a start that stops undoes the lock: it
	// removes the lock file and the folders that taking it created, so
	// that a port in use or a --db that is no database leaves nothing new
	// behind.
	opened := false
	defer func() {
		if opened {
			release()
		} else {
			undoLock()
		}
	}()
	// Listen before the database is created or migrated: a port already
	// taken then leaves no new database behind. (After the lock, so that a
	// second server on the same file is told that, not about the port.)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return listenError(cfg.Addr, err)
	}
	// Port 0 is any free port: a public URL made from the address must
	// name the port bound, not 0, which nobody can reach (the log line,
	// the setup link, every site's tag).
	if host, port, err := net.SplitHostPort(cfg.Addr); err == nil && port == "0" && derivedURL {
		cfg.Addr = net.JoinHostPort(host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		cfg.PublicURL = ""
		cfg = cfg.withDefaults()
	}
	closeLn := func() { ln.Close() }
	store, err := experiments.Open(ctx, cfg.DBPath)
	if err != nil {
		closeLn()
		return err
	}
	opened = true
	if from, to := store.Migrated(); to != from {
		if from == 0 {
			log.Info(fmt.Sprintf("created the database at schema %d", to))
		} else {
			log.Info(fmt.Sprintf("upgraded the database from schema %d to %d", from, to))
		}
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{MaxBody: maxEventBody, Logger: log})
	closeAll := func() error {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		return errors.Join(ing.Close(sctx), store.Close())
	}
	a, err := New(cfg, store, ing, WithGenerator(gen))
	if err != nil {
		closeLn()
		return errors.Join(err, closeAll())
	}
	defer a.geo.Close() // after the server and the events queue have stopped
	log.Info("copylab is listening", "addr", ln.Addr().String(), "public_url", a.cfg.PublicURL, "db", absPath(store.Path()))
	logGenerator(log, gen.Describe())
	if n, err := store.UserCount(ctx); err != nil {
		log.Warn("could not count users", "error", err)
	} else if n == 0 {
		log.Info("no account yet: open this one-time link to create the first one", "url", a.SetupURL())
	}

	jobsCtx, stopJobs := context.WithCancel(context.Background())
	var jobs sync.WaitGroup
	jobs.Add(4)
	go func() {
		defer jobs.Done()
		a.runHourly(jobsCtx)
	}()
	go func() {
		defer jobs.Done()
		a.runPlannedStops(jobsCtx)
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
	cutOff := 0
	if errors.Is(shutdownErr, context.DeadlineExceeded) {
		// Requests still running at the deadline (a generation waiting
		// on a slow model) are cut off when the process ends: that is
		// what the deadline is for, and no failure of the stop. The
		// server has closed the idle connections, so those left open
		// are the ones with a request running.
		cutOff, shutdownErr = max(int(a.fiber.Server().GetOpenConnectionsCount()), 1), nil
	}
	stopJobs()
	jobs.Wait()
	err = errors.Join(serveErr, shutdownErr, closeAll())
	switch {
	case err != nil:
	case cutOff > 0:
		log.Warn(cutOffSentence(cfg.ShutdownTimeout, cutOff))
	default:
		log.Info("stopped")
	}
	return err
}

// cutOffSentence says that the stop cut off n requests still running
// after d, the shutdown's time for them.
func cutOffSentence(d time.Duration, n int) string {
	if n == 1 {
		return fmt.Sprintf("stopped after %s with 1 request still running; it was cut off", d)
	}
	return fmt.Sprintf("stopped after %s with %d requests still running; they were cut off", d, n)
}

// untrustedLocalProxy reports whether copylab listens on a loopback
// address only while its public URL names another host, with no trusted
// proxies: the shape of a reverse proxy on the same host that copylab
// does not trust. Every request then comes from loopback, which the
// public rate limits exempt and the default --metrics-allow lets in, and
// all sign-ins share one client's limit. (An SSH tunnel to a loopback
// address has a loopback public URL, and is not warned of.)
func (c Config) untrustedLocalProxy() bool {
	if len(c.TrustedProxies) > 0 {
		return false
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || !loopbackHost(net.JoinHostPort(host, port)) {
		return false
	}
	u, err := url.Parse(c.PublicURL)
	return err == nil && u.Host != "" && !loopbackHost(u.Host)
}

// listenError words a failure to listen on addr for the operator: a port
// another program holds is the usual one, and Go's "listen tcp
// 127.0.0.1:8080: bind: address already in use" says neither which
// setting to change nor that the other program is to blame. The error
// still wraps Go's, for errors.Is(err, syscall.EADDRINUSE).
func listenError(addr string, err error) error {
	var msg string
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		msg = addr + " is in use by another program: stop it or choose another --addr (COPYLAB_ADDR)"
	case errors.Is(err, syscall.EACCES):
		msg = "this user may not listen on " + addr + ": choose a port above 1023 with --addr (COPYLAB_ADDR), or give the program the right"
	default:
		cause := err
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			cause = op.Err // the address is said once, here
		}
		msg = fmt.Sprintf("cannot listen on %s (--addr, COPYLAB_ADDR): %v", addr, cause)
	}
	return &wordedError{msg, err}
}

// wordedError is an error worded for the operator that keeps the error it
// words in its chain.
type wordedError struct {
	msg string
	err error
}

func (e *wordedError) Error() string { return e.msg }
func (e *wordedError) Unwrap() error { return e.err }

// absPath is the database's path as the start names it: absolute, as the
// admin commands print it, so that a relative --db says which folder.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// logGenerator says, once at start, what drafts copy: a model (its
// endpoint's host and name; never the key, nor a path or query that could
// hold a secret) or the offline generator.
func logGenerator(log *slog.Logger, s variants.Settings) {
	if s.Mode == variants.ModeOffline {
		log.Info("drafting copy with the offline generator: no model is configured (see --llm-base-url and --llm-api-key)")
		return
	}
	host := ""
	if u, err := url.Parse(s.BaseURL); err == nil {
		host = u.Host // without any user name or password
	}
	log.Info("drafting copy with a model", "llm_host", host, "llm_model", s.Model)
}

// runHourly runs the housekeeping jobs once an hour until ctx ends:
// expired sessions are deleted, invites that expired over a week ago
// too (experiments.ExpiredInviteKept), and the API's Idempotency-Key
// answers once a day old (experiments.IdempotencyKeyKept); the sign-in
// limiter forgets old entries.
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

// plannedStopEvery is how often runPlannedStops looks for tests whose
// planned start or end has come: a test starts or stops within this of
// its time.
const plannedStopEvery = time.Minute

// runPlannedStops starts the drafts whose planned start has come
// (startPlanned), then stops the experiments whose planned end has come
// (stopPlanned), every plannedStopEvery until ctx ends and once at the
// start (a server that was down at the time catches up at once). One
// loop for both plans, starts first: a draft whose stop has come too
// (the server was down across both) is not started at all, which would
// leave an empty stopped test; Store.StartDue keeps it a draft, clears
// both plans and says why in its History.
func (a *App) runPlannedStops(ctx context.Context) {
	t := time.NewTicker(plannedStopEvery)
	defer t.Stop()
	for {
		a.startPlanned(ctx)
		a.stopPlanned(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// stopPlanned stops the running and paused experiments whose planned end
// (Experiment.StopsAt) is at or before a.now(), through the store's own
// Stop (Store.StopDue: the same transition and history line as a
// person's, marked as on its planned date, with no one's name), and
// then, as a person's Stop does, has the tag rendered again so that it
// stops serving their variants. A person's Stop sends no notification,
// so neither does this. It returns how many it stopped.
func (a *App) stopPlanned(ctx context.Context) int {
	stopped, err := a.store.StopDue(ctx, a.now())
	if len(stopped) > 0 {
		a.snippets.reset()
	}
	if ctx.Err() == nil {
		a.noteJobWrite(err, len(stopped) > 0) // a full disk shows in /healthz
	}
	if err != nil && ctx.Err() == nil {
		a.log.Error("planned stops: stop experiments", "error", err)
	}
	for _, e := range stopped {
		a.log.Info("stopped an experiment on its planned date", "experiment", e.ID, "stops_at", e.StopsAt.UTC().Format(time.RFC3339))
	}
	return len(stopped)
}

// startPlanned starts the drafts whose planned start
// (Experiment.StartsAt) is at or before a.now(), through the store's own
// Start (Store.StartDue: the same transition and checks as a person's,
// marked as on its planned date, with no one's name), and then, as a
// person's Start does, has the tag rendered again so that it serves
// their variants. A draft the checks refuse, or whose planned stop has
// passed as well, stays a draft, its plan cleared and the refusal in
// its History (the store does both): the team sees it on its page. A
// person's Start sends no notification, and no other event does but a
// verdict, so neither does this. It returns how many it started.
func (a *App) startPlanned(ctx context.Context) int {
	started, refused, err := a.store.StartDue(ctx, a.now())
	if len(started) > 0 {
		a.snippets.reset()
	}
	if ctx.Err() == nil {
		a.noteJobWrite(err, len(started)+len(refused) > 0) // a full disk shows in /healthz
	}
	if err != nil && ctx.Err() == nil {
		a.log.Error("planned starts: start experiments", "error", err)
	}
	for _, e := range started {
		a.log.Info("started an experiment on its planned date", "experiment", e.ID)
	}
	for _, e := range refused {
		a.log.Info("did not start an experiment on its planned date: refused", "experiment", e.ID)
	}
	return len(started)
}

// plannedStopView fills the experiment page's planned start and stop:
// the days, whether copylab started the test on its planned date, the warning
// while that day may come before the test can be called
// (stopsTooSoon), and, once it has stopped, whether copylab stopped it
// on that date: its newest stop in history (newest first) is the
// job's (experiments.PlannedStopDetail), not a person's.
func plannedStopView(p *views.ExperimentPage, e experiments.Experiment, history []experiments.Change, now time.Time) {
	p.StopsAt, p.StartsAt = e.StopsAt, e.StartsAt
	// A test starts once: its start line says whether copylab made it.
	for _, ch := range history {
		if ch.Action == experiments.ChangeStarted {
			p.StartedOnPlan = ch.Detail == experiments.PlannedStartDetail
			break
		}
	}
	if e.Status != experiments.StatusStopped {
		p.StopsWarning = stopsTooSoon(e.StopsAt, e.StartedAt, e.StartsAt, now)
		return
	}
	for _, ch := range history {
		if ch.Action == experiments.ChangeStopped {
			p.StoppedOnPlan = ch.Detail == experiments.PlannedStopDetail
			return
		}
	}
}

func (a *App) housekeeping(ctx context.Context) {
	n, err := a.store.DeleteExpiredSessions(ctx)
	if ctx.Err() == nil {
		a.noteJobWrite(err, n > 0) // a full disk shows in /healthz
	}
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Error("housekeeping: delete expired sessions", "error", err)
	case n > 0:
		a.log.Info("housekeeping: deleted expired sessions", "count", n)
	}
	n, err = a.store.DeleteExpiredInvites(ctx, a.now())
	if ctx.Err() == nil {
		a.noteJobWrite(err, n > 0)
	}
	if err != nil && ctx.Err() == nil {
		a.log.Error("housekeeping: delete expired invites", "error", err)
	}
	// The API's Idempotency-Key answers are kept a day (idempotency.go).
	n, err = a.store.DeleteIdempotencyKeysBefore(ctx, a.now().Add(-experiments.IdempotencyKeyKept))
	if ctx.Err() == nil {
		a.noteJobWrite(err, n > 0)
	}
	if err != nil && ctx.Err() == nil {
		a.log.Error("housekeeping: delete old idempotency keys", "error", err)
	}
	a.logins.Prune()
	a.genJobs.prune()
}

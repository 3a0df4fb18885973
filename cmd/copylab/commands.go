package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"copylab/app"
	"copylab/app/simulate"
	"copylab/experiments"
	"copylab/variants"
)

// dbFlag registers serve's --db, the database it creates if need be.
func dbFlag(f *flags, p *string) {
	f.string(p, "db", "data/copylab.db", "SQLite database file (created and migrated at start)")
}

// serverDBFlag registers --db for a command that acts on the database of
// copylab serve, which must exist (openStore).
func serverDBFlag(f *flags, p *string) {
	f.string(p, "db", "data/copylab.db", "the SQLite database file copylab serve uses (it must exist)")
}

// newLogger makes the logger of serve; a level or format it does not know
// is a usage error, both reported when both are wrong.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var problems []string
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		problems = append(problems, fmt.Sprintf("%s %q is not debug, info, warn or error", setting("log-level"), level))
	}
	opts := &slog.HandlerOptions{Level: lv}
	var h slog.Handler
	switch format {
	case "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		problems = append(problems, fmt.Sprintf("%s %q is not text or json", setting("log-format"), format))
	}
	if len(problems) > 0 {
		return nil, usageErrors(problems)
	}
	return slog.New(h), nil
}

// serveOptions are the values of serve's flags.
type serveOptions struct {
	cfg                                        app.Config
	proxies, logFormat, logLevel, metricsAllow string
	rateIP, rateSite                           int
}

// serveFlags declares the flags of serve.
func serveFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *serveOptions) {
	v := &serveOptions{}
	f := newFlags("serve", "Run the copylab web app.", stdout, stderr, getenv)
	f.string(&v.cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	dbFlag(f, &v.cfg.DBPath)
	f.string(&v.cfg.PublicURL, "public-url", "", "URL people and sites reach copylab at (default http://ADDR)")
	f.bool(&v.cfg.SecureCookies, "secure-cookies", false, "mark cookies Secure even when the public URL is http (behind a TLS proxy)")
	f.string(&v.proxies, "trusted-proxies", "", "comma-separated IPs or CIDRs whose X-Forwarded-For, -Proto and -Host are believed")
	f.string(&v.cfg.CountryHeader, "country-header", "", "request header a trusted proxy or CDN sets to the visitor's country, e.g. CF-IPCountry")
	f.string(&v.cfg.GeoIPDB, "geoip-db", "", "MaxMind-format country database (e.g. GeoLite2-Country.mmdb) for visitors' countries when no country header says")
	f.string(&v.cfg.LLMBaseURL, "llm-base-url", "", "OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 for Ollama (empty: OpenAI when a key is set)")
	f.string(&v.cfg.LLMModel, "llm-model", "", "model name (default gpt-4o-mini)")
	f.secret(&v.cfg.LLMAPIKey, "llm-api-key", "API key of the LLM endpoint (else OPENAI_API_KEY, for OpenAI's own endpoint only)")
	f.duration(&v.cfg.LLMTimeout, "llm-timeout", variants.DefaultTimeout, "how long to wait for one answer from the model, 5s to 30m (a slow local model may need minutes)")
	f.bool(&v.cfg.WebhookAllowPrivate, "webhook-allow-private", false, "let sites' webhooks reach loopback and private addresses, for a chat server on the internal network, and plain http:// webhook URLs (refused by default: any member may set a webhook)")
	f.int(&v.rateIP, "rate-ip", app.DefaultRateIP, "requests per second one client IP may send to the snippet and events (burst twice that; loopback exempt; 0: no limit)")
	f.int(&v.rateSite, "rate-site", app.DefaultRateSite, "event requests per second one site may receive from all its visitors (burst twice that; 0: no limit)")
	f.string(&v.metricsAllow, "metrics-allow", "127.0.0.0/8,::1", "comma-separated IPs or CIDRs that may read /metrics (none: no address, the token only)")
	f.secret(&v.cfg.MetricsToken, "metrics-token", "bearer token that lets a scraper read /metrics from any address (at least 16 characters)")
	f.string(&v.logFormat, "log-format", "text", "log format: text or json")
	f.string(&v.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	return f, v
}

// serve runs the web app. Every mistake in its configuration, in the
// flags and in their twins, is reported at once, one a line: someone who
// fixed one would otherwise meet the next only at the next start.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, environ []string) error {
	f, v := serveFlags(stdout, stderr, getenv)
	if err := f.parseArgs(args); err != nil {
		return quietHelp(err)
	}
	cfg, proxies, logFormat, logLevel, metricsAllow, rateIP, rateSite := v.cfg, v.proxies, v.logFormat, v.logLevel, v.metricsAllow, v.rateIP, v.rateSite
	if cfg.LLMAPIKey == "" && openAIEndpoint(cfg.LLMBaseURL) {
		// OPENAI_API_KEY is OpenAI's: never sent to another endpoint (a
		// local server, plain http) just because it is set for other tools.
		cfg.LLMAPIKey = getenv("OPENAI_API_KEY")
	}
	cfg.TrustedProxies = list(proxies)
	for _, r := range []struct {
		flag string
		rate int
	}{{"rate-ip", rateIP}, {"rate-site", rateSite}} {
		if r.rate < 0 {
			// The config takes a negative rate as no limit; the flag's
			// word for that is 0, and a negative is more likely a slip.
			f.problem(fmt.Errorf("%s %d: give requests per second, or 0 for no limit", setting(r.flag), r.rate))
		}
	}
	cfg.RateIP, cfg.RateSite = noLimitIfZero(rateIP), noLimitIfZero(rateSite)
	// Empty, not nil: no address. "none" says so where an empty value
	// cannot: an empty environment variable counts as unset, as for every
	// twin.
	if strings.EqualFold(strings.TrimSpace(metricsAllow), "none") {
		metricsAllow = ""
	}
	cfg.MetricsAllow = append([]string{}, list(metricsAllow)...)
	logger, err := newLogger(stderr, logFormat, logLevel)
	if err != nil {
		f.problem(err)
	}
	cfg.Logger = logger
	if err := cfg.Validate(); err != nil {
		f.problem(err)
	}
	if err := f.check(); err != nil {
		return err
	}
	logger.Info("starting copylab", readVersion().logAttrs()...)
	for _, warning := range strayVariables(environ) {
		logger.Warn(warning)
	}
	if note := unusedOpenAIKey(cfg.LLMBaseURL, cfg.LLMAPIKey, getenv); note != "" {
		logger.Warn(note)
	}
	if atLeastTwoProcs(getenv) {
		logger.Info("GOMAXPROCS raised from 1 to 2: the events writer holds one while SQLite works (set GOMAXPROCS to choose)")
	}
	ctx, stop := sayWhyStopped(ctx, logger)
	defer stop()
	return app.Run(ctx, cfg)
}

// sayWhyStopped returns a context that ends when ctx does, but only once
// log has named the signal that ended ctx (os/signal makes it ctx's
// cause, "hangup signal received"), so that the line comes just before
// the server's own "shutting down": an operator reading the log learns
// what stopped it. ctx ended without a signal's cause is passed on
// without a word.
func sayWhyStopped(ctx context.Context, log *slog.Logger) (context.Context, context.CancelFunc) {
	out, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	unwatch := context.AfterFunc(ctx, func() {
		cause := context.Cause(ctx)
		if cause != nil && cause != ctx.Err() {
			log.Info("stopping: " + cause.Error())
		}
		cancel(cause)
	})
	return out, func() {
		unwatch()
		cancel(nil)
	}
}

// openAIEndpoint tells whether the base URL is OpenAI's own API: none
// given (go-openai's default), or one on api.openai.com over https.
func openAIEndpoint(base string) bool {
	if strings.TrimSpace(base) == "" {
		return true
	}
	u, err := url.Parse(base)
	return err == nil && u.Scheme == "https" && strings.EqualFold(u.Hostname(), "api.openai.com")
}

// unusedOpenAIKey says, when OPENAI_API_KEY is set but not used (the
// base URL is another endpoint and no key of copylab's own is set), that
// it is not and what to set instead: a proxy or gateway that wants a key
// would otherwise refuse every call without a word of why. "" otherwise.
// The base URL is not quoted: it may hold credentials.
func unusedOpenAIKey(base, key string, getenv func(string) string) string {
	if key != "" || openAIEndpoint(base) || strings.TrimSpace(getenv("OPENAI_API_KEY")) == "" {
		return ""
	}
	return "OPENAI_API_KEY is set but not sent to the model endpoint in --llm-base-url, which is not OpenAI's own API; " +
		"set COPYLAB_LLM_API_KEY (or --llm-api-key) if that endpoint needs a key"
}

// atLeastTwoProcs gives Go two processors where the machine, or a
// container's CPU limit, gives it one, unless the GOMAXPROCS variable says
// otherwise. It reports whether it raised the number.
//
// The events writer spends most of its time inside SQLite, a cgo call, and
// a goroutine in a cgo call keeps its processor until the runtime's monitor
// takes it back (after 20 µs to 10 ms). With one processor every request
// waits for that: on one core, ingest fell from 20,400 events/s (p99 35 ms)
// with two processors to 2,300 (p99 760 ms) with one (scripts/loadtest.sh
// with SERVER_CPUS=0, 40,000 visitors). Two threads on one core cost
// little: the operating system shares the core between them. Setting the
// number stops Go from following later changes of a container's CPU
// limit, which is why it is set only when that limit gives one processor.
func atLeastTwoProcs(getenv func(string) string) bool {
	if getenv("GOMAXPROCS") != "" || runtime.GOMAXPROCS(0) >= 2 {
		return false
	}
	runtime.GOMAXPROCS(2)
	return true
}

// noLimitIfZero maps a rate flag to its Config field, where 0 means the
// default and a negative number no limit.
func noLimitIfZero(rate int) int {
	if rate == 0 {
		return -1
	}
	return rate
}

func quietHelp(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// openStore opens the database of copylab serve for an admin command. It
// never creates one: run from another folder without --db, a command
// would otherwise make a new, empty data/copylab.db there, and user add
// print a password that cannot sign in to the running server.
//
// It migrates a database an older copylab left, as serve would, and says
// so on stderr (sayUpgraded): the older copylab refuses it from then on,
// which its operator must not learn only when they start it again.
func openStore(ctx context.Context, path string, stderr io.Writer) (*experiments.Store, error) {
	s, err := experiments.OpenExisting(ctx, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, noDatabase(path)
	}
	if err != nil {
		// experiments' error says "open" and names the file already.
		return nil, err
	}
	from, to := s.Migrated()
	sayUpgraded(stderr, s.Path(), from, to)
	return s, nil
}

// openStoreReadOnly opens the database for a command that only reads
// (token list): one that needs migrations is refused as it is, and so is
// a file that is not a copylab database yet, an empty one included. A
// command that only looks should not change the file's schema under an
// older copylab that may be serving it, or turn a wrong path into a new
// database.
func openStoreReadOnly(ctx context.Context, path, command string) (*experiments.Store, error) {
	s, err := experiments.OpenWith(ctx, path, experiments.OpenOptions{Existing: true, NoMigrations: true})
	var behind *experiments.SchemaBehindError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, noDatabase(path)
	case errors.As(err, &behind):
		return nil, fmt.Errorf("%s, and %s only reads, so it upgrades nothing: start this version's copylab serve to upgrade it "+
			"(older copylabs refuse it afterwards), or list the tokens with the copylab that wrote it", behind, command)
	case err != nil:
		return nil, err
	}
	return s, nil
}

// sayUpgraded tells, on stderr, that a command migrated the database at
// path from schema version from to to (the store's Migrated), if it did:
// serve logs the same at start.
func sayUpgraded(stderr io.Writer, path string, from, to int) {
	switch {
	case from == to:
	case from == 0:
		fmt.Fprintf(stderr, "copylab: made the empty file at %s a copylab database (schema %d)\n", absPath(path), to)
	default:
		fmt.Fprintf(stderr, "copylab: upgraded the database at %s from schema %d to %d; older copylabs refuse it from now on\n",
			absPath(path), from, to)
	}
}

// needDatabase refuses, as openStore does, a path with no file for the
// commands that hand it to experiments (backup, recount). Those refuse a
// missing file themselves, and create none, but name it as given, without
// saying how to give the right one; this check only words the refusal,
// so a file removed right after it is still refused there.
func needDatabase(path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return noDatabase(path)
	}
	return nil
}

// noDatabase is the refusal of a command run on a path with no database:
// it names the absolute path it looked for and says how to give the one
// copylab serve uses.
func noDatabase(path string) error {
	return fmt.Errorf("there is no database at %s: pass --db (or set COPYLAB_DB) with the database copylab serve uses", absPath(path))
}

// absPath is the path an admin command names its database by: absolute,
// so that the default data/copylab.db says which folder it meant.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// userAddFlags declares the flags of user add; name is its --name, role
// its --role.
func userAddFlags(stdout, stderr io.Writer, getenv func(string) string) (f *flags, v *userOptions, name, role *string) {
	name, role = new(string), new(string)
	f, v = userFlags("user add", "Create a user who can sign in.",
		"read the password from standard input (else one is generated and printed once)",
		stdout, stderr, getenv, func(f *flags) {
			f.string(name, "name", "", "the user's name")
			roleFlag(f, role, "the user's role")
		})
	return f, v, name, role
}

// userAdd creates a user and says which role they got: the one --role
// picks, else the store's (an admin while copylab has none, else a
// member). A member is refused while copylab has no admin: nobody could
// add, invite or remove people, or change roles, from the web.
func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v, namep, rolep := userAddFlags(stdout, stderr, getenv)
	var role experiments.Role
	s, password, err := userCommand(ctx, f, v, args, stdin, stderr, func() (problems []string) {
		role, problems = parseRole(*rolep, false)
		return problems
	})
	email, name := v.email, *namep
	if err != nil {
		return quietHelp(err)
	}
	defer s.Close()
	if role == experiments.RoleMember {
		def, err := s.NewAccountRole(ctx)
		if err != nil {
			return err
		}
		if def == experiments.RoleAdmin {
			return fmt.Errorf("there is no admin yet in %s, so a new account is one: without an admin, nobody could add, invite or remove people. Leave out --role member, or make someone an admin first (copylab user role)", absPath(s.Path()))
		}
	}
	// The role is given in the transaction that makes the account: one
	// made with the default and promoted after was left a member when the
	// command stopped in between.
	u, generated, err := app.AddUserAs(ctx, s, email, name, password, role)
	if errors.Is(err, experiments.ErrConflict) {
		return fmt.Errorf("%s can already sign in; to set a new password, run copylab user password --email %s", email, email)
	}
	if err != nil {
		return err
	}
	got := role
	if got == "" {
		if got, err = s.UserRole(ctx, u.ID); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "created user %s, %s, in %s\n", u.Email, roleArticle(got), absPath(s.Path()))
	if generated != "" {
		fmt.Fprintf(stdout, "password: %s\n(shown once: store it in your password manager)\n", generated)
	}
	return nil
}

// rolesHelp says what each role may do, in the Users page's words.
const rolesHelp = "Members run sites and experiments. Admins also add, invite and remove people, and change roles."

// roleFlag registers --role, whose value parseRole reads; what names
// whose role it is.
func roleFlag(f *flags, p *string, what string) {
	f.string(p, "role", "", what+": admin or member (default: member, or admin while copylab has none). "+rolesHelp)
}

// parseRole reads --role: admin or member, in any case; "" when not
// given, which is a problem when required. It returns the problems as
// the command reports them, naming the flag and its twin.
func parseRole(v string, required bool) (experiments.Role, []string) {
	r := experiments.Role(strings.ToLower(strings.TrimSpace(v)))
	switch {
	case r == "" && required:
		return "", []string{"--role is required: admin or member"}
	case r == "" || r.Valid():
		return r, nil
	}
	return "", []string{fmt.Sprintf("%s %q is not a role: use admin or member", setting("role"), v)}
}

// roleArticle is a role in a sentence: "an admin", "a member", as the
// Users page writes it.
func roleArticle(r experiments.Role) string {
	if r == experiments.RoleAdmin {
		return "an admin"
	}
	return "a member"
}

// userInviteOptions are the values of user invite's flags.
type userInviteOptions struct{ db, email, name, role, publicURL string }

// userInviteFlags declares the flags of user invite.
func userInviteFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *userInviteOptions) {
	v := &userInviteOptions{}
	f := newFlags("user invite", "Print a link that lets someone create their own account, once, within 7 days.", stdout, stderr, getenv)
	serverDBFlag(f, &v.db)
	f.string(&v.email, "email", "", "the invitee's email (required)")
	f.string(&v.name, "name", "", "the invitee's name, which they may change")
	roleFlag(f, &v.role, "the role the link's account gets")
	f.string(&v.publicURL, "public-url", "", "URL teammates reach copylab at, as given to copylab serve (without it, the link's path is printed)")
	return f, v
}

// userInvite prints an invite link for a new user: the only copy, on
// stdout alone so that a script can take it; what it is for goes to
// stderr. The command cannot know the address teammates reach copylab at
// unless told (copylab serve's --public-url, or COPYLAB_PUBLIC_URL, which
// both read): without it, it prints the path and says what goes before it,
// rather than guess an address such as serve's default http://127.0.0.1:8080
// that a teammate's browser could not open. The link's account gets the
// role --role picks, else the store's default for a new account (an
// admin while copylab has none, else a member), and stderr says which.
func userInvite(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := userInviteFlags(stdout, stderr, getenv)
	if err := f.parseArgs(args); err != nil {
		return quietHelp(err)
	}
	db, email, name, publicURL := v.db, v.email, v.name, v.publicURL
	var problems []string
	if strings.TrimSpace(email) == "" {
		problems = append(problems, "--email is required")
	}
	role, roleProblems := parseRole(v.role, false)
	if err := f.check(append(problems, roleProblems...)...); err != nil {
		return err
	}
	base := ""
	if strings.TrimSpace(publicURL) != "" {
		// Checked before the invite is made: a link nobody can open is no invite.
		var err error
		if base, err = app.InviteLink(publicURL, ""); err != nil {
			return usageError{fmt.Sprintf("--public-url %q: %v", publicURL, err)}
		}
	}
	s, err := openStore(ctx, db, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	if role == "" {
		if role, err = s.NewAccountRole(ctx); err != nil {
			return err
		}
	}
	path, expires, replaced, err := app.InviteUserAs(ctx, s, email, name, role)
	var verr experiments.ValidationError
	switch {
	case errors.Is(err, experiments.ErrConflict):
		email = strings.ToLower(strings.TrimSpace(email))
		return fmt.Errorf("%s can already sign in; to set a new password, run copylab user password --email %s", email, email)
	case errors.As(err, &verr):
		msgs := make([]string, len(verr))
		for i, fe := range verr {
			msgs[i] = "--" + fe.Field + ": " + fe.Message
		}
		return usageErrors(msgs)
	case err != nil:
		return err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	fmt.Fprintln(stdout, base+path)
	fmt.Fprintf(stderr, "invite for %s in %s: the link works once, until %s, to create their account, as %s (shown once: send it over a private channel)\n",
		email, absPath(s.Path()), expires.Local().Format("2 Jan 2006 15:04 MST"), roleArticle(role))
	if replaced {
		fmt.Fprintln(stderr, "it replaces the invite sent before, whose link no longer works")
	}
	if base == "" {
		fmt.Fprintln(stderr, "put copylab's public URL before this path (https://copylab.example.com/invite/…), or pass --public-url (COPYLAB_PUBLIC_URL) to print the whole link")
	}
	return nil
}

// userOptions are the values of the flags every user command has.
type userOptions struct {
	db, email string
	fromStdin bool
}

// userFlags declares the flags of a user command: --db, --email,
// --password-stdin, and what more adds.
func userFlags(name, summary, stdinHelp string, stdout, stderr io.Writer, getenv func(string) string, more func(*flags)) (*flags, *userOptions) {
	v := &userOptions{}
	f := newFlags(name, summary, stdout, stderr, getenv)
	serverDBFlag(f, &v.db)
	f.string(&v.email, "email", "", "the user's email (required)")
	more(f)
	f.bool(&v.fromStdin, "password-stdin", false, stdinHelp)
	return f, v
}

// userCommand parses the flags of a user command (userFlags), reads the
// password when asked to ("" means a generated one) and opens the
// database. check, when not nil, returns the problems with the command's
// own flags, reported with those of --email, all at once.
func userCommand(ctx context.Context, f *flags, v *userOptions, args []string, stdin io.Reader, stderr io.Writer, check func() []string) (s *experiments.Store, password string, err error) {
	if err := f.parseArgs(args); err != nil {
		return nil, "", err // errHelp: the caller has no store to use
	}
	var problems []string
	if strings.TrimSpace(v.email) == "" {
		problems = append(problems, "--email is required")
	}
	if check != nil {
		problems = append(problems, check()...)
	}
	if err := f.check(problems...); err != nil {
		return nil, "", err
	}
	if v.fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, "", fmt.Errorf("read password: %w", err)
		}
		if password = strings.TrimRight(line, "\r\n"); password == "" {
			return nil, "", usageError{"--password-stdin: standard input held no password"}
		}
	}
	s, err = openStore(ctx, v.db, stderr)
	return s, password, err
}

// userPasswordFlags declares the flags of user password; revoke is its
// --revoke-tokens.
func userPasswordFlags(stdout, stderr io.Writer, getenv func(string) string) (f *flags, v *userOptions, revoke *bool) {
	revoke = new(bool)
	f, v = userFlags("user password", "Set a user's password, and sign them out everywhere.",
		"read the new password from standard input (else one is generated and printed once)",
		stdout, stderr, getenv, func(f *flags) {
			f.bool(revoke, "revoke-tokens", false, "also revoke the user's API tokens, in the same change (else they keep working)")
		})
	return f, v, revoke
}

// userPassword sets a user's password (a way back in for someone who
// forgot theirs, or lost their account to someone else) and signs them out
// everywhere. Their API tokens keep working unless --revoke-tokens says
// otherwise: a script's token is not a browser, and a deploy that stopped
// by surprise would be a new problem. Tokens that still work are counted,
// since someone who had the account could have made one.
func userPassword(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v, revokep := userPasswordFlags(stdout, stderr, getenv)
	s, password, err := userCommand(ctx, f, v, args, stdin, stderr, nil)
	email, revoke := v.email, *revokep
	if err != nil {
		return quietHelp(err)
	}
	defer s.Close()
	generated, tokens, err := app.ResetPassword(ctx, s, email, password, revoke)
	if err != nil {
		return err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	done := "their sessions are signed out"
	switch n := tokens.Revoked; {
	case n == 1:
		done += " and their 1 API token is revoked"
	case n > 1:
		done += fmt.Sprintf(" and their %d API tokens are revoked", n)
	}
	fmt.Fprintf(stdout, "password changed for %s in %s; %s\n", email, absPath(s.Path()), done)
	switch n := tokens.Working; {
	case n == 1:
		fmt.Fprintf(stdout, "1 API token of %s still works: a new password does not revoke it. To revoke it, run this again with --revoke-tokens, or revoke it under Settings → API tokens.\n", email)
	case n > 1:
		fmt.Fprintf(stdout, "%d API tokens of %s still work: a new password does not revoke them. To revoke them, run this again with --revoke-tokens, or revoke them under Settings → API tokens.\n", n, email)
	}
	if generated != "" {
		fmt.Fprintf(stdout, "password: %s\n(shown once: send it over a private channel)\n", generated)
	}
	return nil
}

// userRoleOptions are the values of user role's flags.
type userRoleOptions struct{ db, email, role string }

// userRoleFlags declares the flags of user role.
func userRoleFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *userRoleOptions) {
	v := &userRoleOptions{}
	f := newFlags("user role", "Make a user an admin or a member; the only admin stays one. "+rolesHelp, stdout, stderr, getenv)
	serverDBFlag(f, &v.db)
	f.string(&v.email, "email", "", "the user's email (required)")
	f.string(&v.role, "role", "", "the user's new role: admin or member (required)")
	return f, v
}

// userRole makes a user an admin or a member, as the Users page's role
// button does, and says what changed. It is the way back in when no
// admin can sign in, and a way to script roles. Store.SetRole keeps the
// only admin one, in the same transaction as the change, so a demotion
// here and one on the Users page at once cannot leave none; a demotion
// cancels the invite links the user sent, and says how many.
func userRole(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := userRoleFlags(stdout, stderr, getenv)
	if err := f.parseArgs(args); err != nil {
		return quietHelp(err)
	}
	var problems []string
	if strings.TrimSpace(v.email) == "" {
		problems = append(problems, "--email is required")
	}
	role, roleProblems := parseRole(v.role, true)
	if err := f.check(append(problems, roleProblems...)...); err != nil {
		return err
	}
	s, err := openStore(ctx, v.db, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	email := strings.ToLower(strings.TrimSpace(v.email))
	u, _, err := s.UserByEmail(ctx, email)
	if errors.Is(err, experiments.ErrNotFound) {
		return fmt.Errorf("no user has the email %q: check the spelling, or add them (copylab user add)", strings.TrimSpace(v.email))
	}
	if err != nil {
		return err
	}
	r, err := s.SetRole(ctx, u.ID, u.Email, role)
	switch {
	case errors.Is(err, experiments.ErrNotFound):
		// Removed between the lookup and the change.
		return fmt.Errorf("no user has the email %q: check the spelling, or add them (copylab user add)", strings.TrimSpace(v.email))
	case errors.Is(err, experiments.ErrLastAdmin):
		return fmt.Errorf("%s is the only admin, so they stay one: make someone else an admin first (copylab user role --email … --role admin)", u.Email)
	case err != nil:
		return err
	}
	where := absPath(s.Path())
	if r.From == role {
		fmt.Fprintf(stdout, "%s is already %s in %s; nothing changed\n", u.Email, roleArticle(role), where)
		return nil
	}
	msg := fmt.Sprintf("%s is now an admin in %s: they can add, invite and remove people, and change roles", u.Email, where)
	if role == experiments.RoleMember {
		msg = fmt.Sprintf("%s is now a member in %s: they can no longer add, invite or remove people", u.Email, where)
	}
	switch n := r.InvitesCancelled; {
	case n == 1:
		msg += "; the invite link they sent no longer works"
	case n > 1:
		msg += fmt.Sprintf("; the %d invite links they sent no longer work", n)
	}
	fmt.Fprintln(stdout, msg)
	return nil
}

// tokenCreateOptions are the values of token create's flags.
type tokenCreateOptions struct {
	db, email, name string
	readOnly        bool
}

// tokenCreateFlags declares the flags of token create.
func tokenCreateFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *tokenCreateOptions) {
	v := &tokenCreateOptions{}
	f := newFlags("token create", "Print a new API token for a user, once.", stdout, stderr, getenv)
	serverDBFlag(f, &v.db)
	f.string(&v.email, "email", "", "the user the token acts as (required)")
	f.string(&v.name, "name", "", "what the token is for, e.g. ci (required)")
	f.bool(&v.readOnly, "read-only", false, "a token that can only read (the API's GETs), for a dashboard or a report; without it the token can change things")
	return f, v
}

func tokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := tokenCreateFlags(stdout, stderr, getenv)
	if err := f.parse(args); err != nil {
		return quietHelp(err)
	}
	db, email, name := v.db, v.email, v.name
	var missing []string
	if strings.TrimSpace(email) == "" {
		missing = append(missing, "--email is required")
	}
	if strings.TrimSpace(name) == "" {
		missing = append(missing, "--name is required")
	}
	if len(missing) > 0 {
		return usageErrors(missing)
	}
	s, err := openStore(ctx, db, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	access, kind, can := experiments.AccessFull, "token", ""
	if v.readOnly {
		access, kind, can = experiments.AccessRead, "read-only token", "; it can read, but not change anything"
	}
	secret, err := app.CreateTokenWithAccess(ctx, s, email, name, access)
	if err != nil {
		return err
	}
	// The token alone on stdout, for a script to take; what it is, on stderr.
	fmt.Fprintln(stdout, secret)
	fmt.Fprintf(stderr, "%s %q for %s in %s (shown once: store it where its program reads it%s)\n",
		kind, strings.TrimSpace(name), strings.ToLower(strings.TrimSpace(email)), absPath(s.Path()), can)
	return nil
}

// tokenListOptions are the values of token list's flags.
type tokenListOptions struct{ db, email string }

// tokenListFlags declares the flags of token list.
func tokenListFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *tokenListOptions) {
	v := &tokenListOptions{}
	f := newFlags("token list", "List the API tokens: id, start, name, user, when made and last used, and access, full or read-only (never a secret).", stdout, stderr, getenv)
	serverDBFlag(f, &v.db)
	f.string(&v.email, "email", "", "only this user's tokens")
	return f, v
}

// tokenList prints the API tokens, one a line under a header, oldest
// first: the id token revoke takes, the start Settings shows them by,
// the name, the user, when made and last used ("never"), and what it
// may do, "full" or "read-only": last, so that a script that reads the
// earlier columns by position keeps working. No secret is stored, so
// none can be printed. Nothing on stdout when there is none, and a
// sentence on stderr, so that a script reads only tokens.
func tokenList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := tokenListFlags(stdout, stderr, getenv)
	if err := f.parse(args); err != nil {
		return quietHelp(err)
	}
	s, err := openStoreReadOnly(ctx, v.db, "token list")
	if err != nil {
		return err
	}
	defer s.Close()
	var userID int64
	email := strings.ToLower(strings.TrimSpace(v.email))
	if email != "" {
		u, _, err := s.UserByEmail(ctx, email)
		if errors.Is(err, experiments.ErrNotFound) {
			return fmt.Errorf("no user has the email %q: check the spelling, or leave --email out to list every user's tokens", strings.TrimSpace(v.email))
		}
		if err != nil {
			return err
		}
		userID = u.ID
	}
	tokens, err := s.OwnedAPITokens(ctx, userID)
	if err != nil {
		return err
	}
	if len(tokens) == 0 {
		who := "nobody has API tokens"
		if email != "" {
			who = email + " has no API tokens"
		}
		fmt.Fprintf(stderr, "%s in %s (copylab token create makes one)\n", who, absPath(s.Path()))
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPREFIX\tNAME\tUSER\tCREATED\tLAST USED\tACCESS")
	for _, t := range tokens {
		used := "never"
		if !t.LastUsedAt.IsZero() {
			used = cliTime(t.LastUsedAt)
		}
		access := "full"
		if t.ReadOnly() {
			access = "read-only"
		}
		fmt.Fprintf(w, "%d\t%s…\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.Name, t.Email, cliTime(t.CreatedAt), used, access)
	}
	return w.Flush()
}

// cliTime is a time as the commands print it, in the local time zone.
func cliTime(t time.Time) string { return t.Local().Format("2 Jan 2006 15:04 MST") }

// tokenRevokeOptions are the values of token revoke's flags and argument.
type tokenRevokeOptions struct{ db, id string }

// tokenRevokeFlags declares the flags and the argument of token revoke.
func tokenRevokeFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *tokenRevokeOptions) {
	v := &tokenRevokeOptions{}
	f := newFlags("token revoke", "Revoke one API token, by the id copylab token list shows.", stdout, stderr, getenv)
	serverDBFlag(f, &v.db)
	f.positional(&v.id, "ID")
	return f, v
}

// tokenRevoke revokes one API token, whoever's it is: the API refuses it
// from the next call on. It says which token went (its start, name and
// user), since ids are given again (Store.RevokeAPITokenByID).
func tokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := tokenRevokeFlags(stdout, stderr, getenv)
	if err := f.parseArgs(args); err != nil {
		return quietHelp(err)
	}
	id, err := strconv.ParseInt(v.id, 10, 64)
	switch {
	case v.id == "":
		f.problem(errors.New("token revoke needs the id of the token to revoke: copylab token list shows them"))
	case strings.HasPrefix(v.id, app.TokenPrefix):
		f.problem(fmt.Errorf("%q is the start of a token; give its id, the first column of copylab token list", v.id))
	case err != nil || id <= 0:
		f.problem(fmt.Errorf("%q is not a token's id: copylab token list shows them", v.id))
	}
	if err := f.check(); err != nil {
		return err
	}
	s, err := openStore(ctx, v.db, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	t, err := s.RevokeAPITokenByID(ctx, id)
	if errors.Is(err, experiments.ErrNotFound) {
		return fmt.Errorf("no API token has the id %d in %s: copylab token list shows them", id, absPath(s.Path()))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "revoked API token %d (%s…, %q) of %s in %s; programs using it can no longer call the API\n",
		t.ID, t.Prefix, t.Name, t.Email, absPath(s.Path()))
	return nil
}

// simulateOptions are the values of simulate's flags.
type simulateOptions struct {
	o                simulate.Options
	rates, pageViews string
	bots             string
	seed             int
	timeout, giveUp  time.Duration
}

// simulateFlags declares the flags of simulate.
func simulateFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *simulateOptions) {
	v := &simulateOptions{}
	f := newFlags("simulate", "Send realistic visitor traffic through copylab's public endpoints.", stdout, stderr, getenv)
	f.string(&v.o.URL, "url", "http://127.0.0.1:8080", "base URL of a running copylab")
	f.string(&v.o.Site, "site", "", "site key (required)")
	f.string(&v.o.Experiment, "experiment", "", "id of a running experiment of that site (required)")
	f.int(&v.o.Visitors, "visitors", 1000, "visitors to simulate")
	f.string(&v.rates, "rates", "", "conversion rate of each of the experiment's variants, e.g. control=0.10,b=0.12 (required)")
	f.int(&v.o.Concurrency, "concurrency", 8, "requests in flight")
	f.secret(&v.o.Token, "token", "API token: check afterwards that the stored counts grew by exactly what copylab said it counted of what was sent")
	f.int(&v.seed, "seed", 1, "random seed, for repeatable runs")
	f.duration(&v.timeout, "timeout", 10*time.Minute, "stop after this long")
	f.duration(&v.giveUp, "give-up", simulate.DefaultGiveUp,
		"stop early when copylab has answered none of the requests for this long, each failing to connect (refused, closed, unreachable); 0: never")
	f.string(&v.o.UserAgent, "user-agent", "", "User-Agent of every request (default: real browsers', varied per visitor)")
	f.string(&v.bots, "bots", "0", "share of visitors sent as crawlers (Googlebot, bingbot…), which copylab stores and does not count, e.g. 0.1")
	f.int(&v.o.Requests, "snippet", 0, "instead of visitors, fetch the site's snippet this many times (a load test of GET /s/KEY.js)")
	f.string(&v.pageViews, "pageviews", "1.5", "mean number of times a visitor views the tested page (1: once each)")
	return f, v
}

func simulateCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := simulateFlags(stdout, stderr, getenv)
	if err := f.parseArgs(args); err != nil {
		return quietHelp(err)
	}
	o, rates, seed, timeout, pageViews := v.o, v.rates, v.seed, v.timeout, v.pageViews
	// Every mistake is reported at once, in the order help lists the
	// flags, each as serve words its own: by the flag and its twin, since
	// either may have set it, with the value given and what to give.
	// --snippet, even a negative one, asks for the tag's load test, which
	// takes no experiment, visitors or rates.
	tagTest := o.Requests != 0
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if u, err := url.Parse(o.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// Without its scheme, 127.0.0.1:8080 parses as a scheme and a
		// path, and Go's error ("first path segment in URL cannot contain
		// colon") says nothing of what to write.
		bad("%s %q: use http:// or https://, such as http://127.0.0.1:8080", setting("url"), o.URL)
	} else if u.User != nil {
		// copylab takes no user name or password in a URL (the API takes
		// --token), and every message naming the URL would print them.
		bad("%s must not hold a user name or password: give copylab's address alone, such as %s, and an API token with %s",
			setting("url"), u.Scheme+"://"+u.Host, setting("token"))
	}
	if strings.TrimSpace(o.Site) == "" {
		bad("%s is required: the site key, as in the tag's /s/KEY.js", setting("site"))
	}
	var r map[string]float64
	if !tagTest {
		if strings.TrimSpace(o.Experiment) == "" {
			bad("%s is required: the id of a running experiment of that site", setting("experiment"))
		}
		if o.Visitors <= 0 {
			bad("%s %d: use at least 1", setting("visitors"), o.Visitors)
		}
		var err error
		if strings.TrimSpace(rates) == "" {
			bad("%s is required: a conversion rate for each variant, such as control=0.10,b=0.12", setting("rates"))
		} else if r, err = simulate.ParseRates(rates); err != nil {
			msg, _ := strings.CutPrefix(err.Error(), "rates: ")
			bad("%s: %s", setting("rates"), msg)
		}
	}
	if o.Concurrency <= 0 || o.Concurrency > 4096 {
		bad("%s %d: use 1 to 4096", setting("concurrency"), o.Concurrency)
	}
	if timeout <= 0 {
		// A run given no time would end before its first request.
		bad("%s %s: use more than 0, such as 10m", setting("timeout"), timeout)
	}
	switch {
	case v.giveUp < 0:
		bad("%s %s: use 0 (never) or more, such as 10s", setting("give-up"), v.giveUp)
	case v.giveUp == 0:
		o.GiveUp = -1 // simulate's word for never
	default:
		o.GiveUp = v.giveUp
	}
	if o.Requests < 0 {
		bad("%s %d: give how many times to fetch the tag, or 0 to simulate visitors", setting("snippet"), o.Requests)
	}
	if pv, err := strconv.ParseFloat(pageViews, 64); err != nil || pv < 1 || pv > 10 {
		bad("%s %q: use a number from 1 to 10, such as 1.5", setting("pageviews"), pageViews)
	} else {
		o.PageViews = pv
	}
	// Written so that NaN, which ParseFloat reads, is refused too.
	if share, err := strconv.ParseFloat(v.bots, 64); err != nil || !(share >= 0 && share <= 1) {
		bad("%s %q: use a share from 0 to 1, such as 0.1", setting("bots"), v.bots)
	} else {
		o.Bots = share
	}
	if err := f.check(problems...); err != nil {
		return err
	}
	if tagTest {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		rep, err := simulate.RunSnippet(ctx, o)
		failed := 0
		for _, n := range rep.Failures {
			failed += n
		}
		if err == nil && rep.Requests == 0 && failed > 0 {
			// Not one answer: the reason alone, without a report of zeros,
			// as a visitors' run that sent nothing.
			return tagRefused(o, rep.Failures)
		}
		fmt.Fprint(stdout, rep.String())
		if err != nil {
			return endedEarly(ctx, err, o.URL, rep.Failures, rep.Requests, timeout, "a smaller "+setting("snippet"))
		}
		if failed > 0 {
			return fmt.Errorf("simulate: %d of the %d requests for the tag failed (the report above counts them by cause): %s",
				failed, o.Requests, failureAdvice(o.URL, rep.Failures))
		}
		return nil
	}
	o.Rates, o.Seed, o.EveryRate = r, uint64(seed), true
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rep, err := simulate.Run(ctx, o)
	if refused := (*simulate.RefusalError)(nil); errors.As(err, &refused) {
		// Nothing was sent: the reason alone, without a report of zeros.
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("simulate: --timeout %s ran out before any traffic was sent: copylab at %s did not answer in that time. "+
				"Check that it is running, or give more time with %s, such as 10m.", timeout, o.URL, setting("timeout"))
		}
		return err
	}
	fmt.Fprint(stdout, rep.String())
	if down := (*simulate.NotAnsweringError)(nil); errors.As(err, &down) {
		return fmt.Errorf("simulate: copylab at %s stopped answering: it answered none of the requests for %s (%s failed to connect since its last answer), "+
			"so the run stopped early (the report above counts what was sent). Check that it still runs, and what its log says; "+
			"%s sets how long to wait for an answer.", o.URL, down.For, countNoun(down.Failures, "request"), setting("give-up"))
	}
	if err != nil {
		return endedEarly(ctx, err, o.URL, rep.Failures, rep.Requests, timeout, "fewer "+setting("visitors"))
	}
	if o.Token != "" && !rep.Verified {
		return fmt.Errorf("simulate: the stored counts of experiment %s did not grow by what copylab acknowledged (%s). "+
			"Events were lost or counted twice, unless other traffic reached the experiment meanwhile: "+
			"run it against an experiment nothing else sends to, and see copylab's log.",
			o.Experiment, strings.TrimPrefix(rep.Verification, "MISMATCH: "))
	}
	if failed := rep.Failed(); failed > 0 {
		return fmt.Errorf("simulate: %d of the %d requests failed after retries (the report above counts them by cause): %s",
			failed, failed+rep.Requests, failureAdvice(o.URL, rep.Failures))
	}
	return nil
}

// endedEarly words a run that ended before all its traffic was sent,
// after its report: Go's "context deadline exceeded" or "context
// canceled" says neither that --timeout or a signal ended it nor what to
// do. err is the run's error, ctx the context it ran in; fails and acked
// are its failed requests, by cause, and its acknowledged ones; less is
// the flag that sends less traffic.
//
// When its requests failed to connect, more time would not have helped:
// copylab had stopped answering, and that is said instead of the
// timeout's advice. So is the cause of the failures when they were at
// least half of what was sent (copylab refused them: a full disk, a rate
// limit), or when someone stopped the run (perhaps because it crawled).
// Requests the end itself cut off ("interrupted") say nothing of
// copylab.
func endedEarly(ctx context.Context, err error, base string, fails map[string]int, acked int, timeout time.Duration, less string) error {
	var how string
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		how = fmt.Sprintf("--timeout %s ended the run", timeout)
	case errors.Is(err, context.Canceled):
		how = "the run was stopped"
		if cause := context.Cause(ctx); cause != nil && cause != context.Canceled {
			how += " (" + cause.Error() + ")" // os/signal's: "interrupt signal received"
		}
	default:
		return err
	}
	how += " before all its traffic was sent"
	byCause := maps.Clone(fails)
	delete(byCause, "interrupted")
	failed := 0
	for _, n := range byCause {
		failed += n
	}
	kind := mostFailures(byCause)
	stopped := !errors.Is(err, context.DeadlineExceeded)
	if failed > 0 && (stopped || unreachable(kind) || 2*failed >= failed+acked) {
		return fmt.Errorf("simulate: %s, and %d of its %d requests failed after retries (the report above counts them by cause): %s",
			how, failed, failed+acked, failureAdvice(base, byCause))
	}
	if stopped {
		return fmt.Errorf("simulate: %s (the report above counts what was sent, acknowledged and failed).", how)
	}
	return fmt.Errorf("simulate: %s (the report above counts what was). Give it more time with %s, or send less with %s.",
		how, setting("timeout"), less)
}

// unreachable tells whether kind, a way requests failed as simulate's
// report names it, is one of a copylab that got no request: not running,
// or not at that address.
func unreachable(kind string) bool {
	switch kind {
	case "error", "connection refused", "connection closed", "network error":
		return true
	}
	return false
}

// tagRefused words a load test of the tag (--snippet) that got no answer
// at all, from how its requests failed.
func tagRefused(o simulate.Options, fails map[string]int) error {
	switch mostFailures(fails) {
	case "error":
		return fmt.Errorf("simulate: cannot reach copylab at %s: none of the %d requests for the tag got an answer. "+
			"Is it running, and is %s its address?", o.URL, o.Requests, setting("url"))
	case "404":
		return fmt.Errorf("simulate: no site has the key %q at %s (the tag's address answered 404). "+
			"The key is the part of the site's tag after /s/ (its page in copylab shows the tag).", o.Site, o.URL)
	}
	return fmt.Errorf("simulate: none of the %d requests for the tag succeeded: %s", o.Requests, failureAdvice(o.URL, fails))
}

// failureAdvice says, from the commonest way requests failed (a status
// code and the code of copylab's refusal, or how the connection failed,
// as simulate's report names them), what happened and what to do.
func failureAdvice(base string, fails map[string]int) string {
	kind := mostFailures(fails)
	reason := ""
	if status, code, ok := strings.Cut(kind, " "); ok {
		if _, err := strconv.Atoi(status); err == nil {
			kind, reason = status, code
		}
	}
	switch kind {
	case "429":
		return "copylab's rate limits refused them. For a load test, serve it with --rate-ip 0 and --rate-site 0 " +
			"(COPYLAB_RATE_IP, COPYLAB_RATE_SITE), or send fewer at once with " + setting("concurrency") + "."
	case "503":
		return unavailableAdvice(reason)
	case "timeout":
		return "copylab took too long to answer them. Send fewer at once with " + setting("concurrency") + "."
	}
	if unreachable(kind) {
		return "copylab at " + base + " stopped answering. Check that it still runs, and what its log says."
	}
	if code, err := strconv.Atoi(kind); err == nil && code >= 500 {
		return fmt.Sprintf("copylab failed on them (HTTP %d). Its log says why.", code)
	}
	if reason != "" {
		return fmt.Sprintf("copylab refused them (HTTP %s, %s). Its log says more.", kind, reason)
	}
	return fmt.Sprintf("copylab refused them (HTTP %s). The X-Copylab header of its answers, or its log, says why.", kind)
}

// unavailableAdvice says what a 503 from copylab means, and what to do,
// from the code it gave: only a queue too full is helped by sending
// fewer at once; storage that cannot be written or read is not.
func unavailableAdvice(code string) string {
	switch code {
	case experiments.CodeQueueFull, experiments.CodeTimeout:
		return "copylab was too busy to take them (" + code + "). Send fewer at once with " + setting("concurrency") + "."
	case experiments.CodeWriteFailed:
		return "copylab could not write them to its database (write_failed): its disk may be full, or the database not writable. " +
			"Sending fewer at once will not help: see copylab's log."
	case "storage_full": // the web app's answer to a write that met a full disk
		return "copylab has no space left to store them (storage_full). Free space on the disk of its database, then send again."
	case experiments.CodeLookupFailed:
		return "copylab could not read the site or the experiment from its database (lookup_failed). See copylab's log."
	case experiments.CodeShuttingDown:
		return "copylab was shutting down (shutting_down), and took no more events. Start it again, then send again."
	case "":
		return "copylab, or a proxy in front of it, answered 503 without saying why. See copylab's log, and the proxy's."
	}
	return "copylab could not take them (HTTP 503, " + code + "). Its log says why."
}

// mostFailures is the way most requests failed, of fails (the first by
// name, of those as many).
func mostFailures(fails map[string]int) string {
	most := ""
	for k, n := range fails {
		if n > fails[most] || (n == fails[most] && k < most) {
			most = k
		}
	}
	return most
}

// backupOptions are the values of backup's flags.
type backupOptions struct{ db, out string }

// backupFlags declares the flags of backup.
func backupFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *backupOptions) {
	v := &backupOptions{}
	f := newFlags("backup", "Write a consistent, checked copy of the database. Safe while copylab runs: events keep being\n"+
		"written meanwhile, and the copy holds everything committed when it started.", stdout, stderr, getenv)
	f.string(&v.db, "db", "data/copylab.db", "SQLite database file to copy")
	f.string(&v.out, "out", "", "file to write (it must not exist yet), or a directory to write copylab-YYYYMMDD-HHMMSSZ.db in (required)")
	return f, v
}

func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := backupFlags(stdout, stderr, getenv)
	if err := f.parse(args); err != nil {
		return quietHelp(err)
	}
	db, out := v.db, v.out
	if strings.TrimSpace(out) == "" {
		return usageError{"--out is required: the backup file to write, or a directory for it"}
	}
	if err := needDatabase(db); err != nil {
		return err
	}
	info, err := experiments.Backup(ctx, db, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s: %s, schema version %d, checked, in %s.\n",
		db, info.Path, experiments.ByteSize(info.Bytes), info.Schema, info.Took.Round(time.Millisecond))
	return nil
}

// restoreOptions are the values of restore's flags.
type restoreOptions struct{ db, from string }

// restoreFlags declares the flags of restore.
func restoreFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *restoreOptions) {
	v := &restoreOptions{}
	f := newFlags("restore", "Put a backup in place of the database. Stop copylab first; the database it replaces is kept\n"+
		"beside it as DB.before-restore-YYYYMMDD-HHMMSSZ.", stdout, stderr, getenv)
	f.string(&v.db, "db", "data/copylab.db", "SQLite database file to replace")
	f.string(&v.from, "from", "", "the backup file to restore, as copylab backup wrote it (required)")
	return f, v
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := restoreFlags(stdout, stderr, getenv)
	if err := f.parse(args); err != nil {
		return quietHelp(err)
	}
	db, from := v.db, v.from
	if strings.TrimSpace(from) == "" {
		return usageError{"--from is required: the backup file to restore"}
	}
	info, err := experiments.Restore(ctx, from, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored %s from %s (schema version %d, checked).\n", db, from, info.Schema)
	if info.Replaced != "" {
		fmt.Fprintf(stdout, "The database it replaced is now %s; delete it once you are sure.\n", info.Replaced)
	}
	return nil
}

// recountOptions are the values of recount's flags.
type recountOptions struct {
	o  experiments.RecountOptions
	db string
}

// recountFlags declares the flags of recount.
func recountFlags(stdout, stderr io.Writer, getenv func(string) string) (*flags, *recountOptions) {
	v := &recountOptions{}
	f := newFlags("recount", "Count the stored events of every started experiment again, with today's counting rules, and say\n"+
		"what changed. Stop copylab first; a --dry-run may run while it serves (it counts a copy). Each\n"+
		"experiment is recounted in one transaction: one interrupted keeps its old counts.", stdout, stderr, getenv)
	f.string(&v.db, "db", "data/copylab.db", "SQLite database file to recount")
	f.string(&v.o.Experiment, "experiment", "", "recount only the experiment with this id")
	f.bool(&v.o.DryRun, "dry-run", false, "say what would change, and write nothing")
	return f, v
}

func recountCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	f, v := recountFlags(stdout, stderr, getenv)
	if err := f.parse(args); err != nil {
		return quietHelp(err)
	}
	o, db := v.o, v.db
	o.Experiment = strings.TrimSpace(o.Experiment)
	if err := needDatabase(db); err != nil {
		return err
	}
	// The dry run is announced with its first line, not before: a recount
	// refused (copylab still serving the file) then prints only why.
	announced := false
	announce := func() {
		if o.DryRun && !announced {
			fmt.Fprintln(stdout, "Dry run: nothing will be written.")
			announced = true
		}
	}
	o.OnCopy = func(info experiments.BackupInfo) {
		announce()
		fmt.Fprintf(stdout, "copylab serve is using %s: this dry run counts a copy taken just now (%s), removed afterwards.\n",
			db, experiments.ByteSize(info.Bytes))
	}
	o.OnUpgrade = func(from, to int) { sayUpgraded(stderr, db, from, to) }
	n, changed := 0, 0
	err := experiments.Recount(ctx, db, o, func(r experiments.RecountReport) {
		announce()
		fmt.Fprintln(stdout, r.String())
		n++
		if r.Changed() {
			changed++
		}
	})
	var behind *experiments.SchemaBehindError
	if errors.As(err, &behind) {
		return fmt.Errorf("recount: %s, and a dry run never upgrades a database: upgrade it first by starting this version's copylab serve "+
			"(older copylabs refuse it afterwards), then dry-run again", behind)
	}
	if err != nil {
		return err
	}
	announce()
	switch {
	case n == 0:
		fmt.Fprintln(stdout, "No experiment has started yet: there is nothing to recount.")
	case o.DryRun:
		fmt.Fprintf(stdout, "%d of %s would change. Nothing was written.\n", changed, countNoun(n, "experiment"))
	default:
		fmt.Fprintf(stdout, "Recounted %s: %d changed, %d unchanged.\n", countNoun(n, "experiment"), changed, n-changed)
	}
	return nil
}

// countNoun says "1 experiment", "3 experiments".
func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

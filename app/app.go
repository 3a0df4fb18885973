package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"copylab/app/geo"
	"copylab/experiments"
	"copylab/static"
)

// App is the web application: the Fiber app with its routes, and what the
// handlers share.
type App struct {
	cfg    Config
	log    *slog.Logger
	store  *experiments.Store
	ing    *experiments.Ingester
	fiber  *fiber.App
	public *url.URL // PublicURL's origin
	secure bool     // cookies get the Secure flag (and the __Host- prefix)

	assets   *assetSet
	snippet  *static.Snippet
	snippets *snippetCache
	verdicts verdictCache // the experiment lists' Result column
	// tagsSaved is each site's tag's last load as last written to the
	// database (site_tag_seen.go), in Unix seconds; the writer's own.
	tagsSaved map[string]int64

	setupToken string
	setupMu    sync.Mutex // one first account, even when two setup forms race

	logins    *limiter // failed sign-ins per IP and per email
	dummyHash []byte   // bcrypt hash compared against when the email is unknown
	flashKey  []byte   // HMAC key of flash cookies
	proxies   []netip.Prefix
	now       func() time.Time
	geo       *geo.Locator // countries from Config.GeoIPDB (geo_country.go)

	// beforeAcceptInvite, when set (tests only), runs between an invite
	// link's form being read and the account being made, where a second
	// submission of the same form can win.
	beforeAcceptInvite func()
	joined             joinedLinks // invite links that made an account lately (invites.go)

	// Operations (ops.go): metrics, and the public routes' rate limits.
	metrics      *Metrics
	metricsAllow []netip.Prefix
	rateIP       *rateLimiter // per client IP, public routes
	rateSite     *rateLimiter // per site, POST /e

	gen     copyWriter   // drafts copy: a model, or the offline generator
	genJobs *genRegistry // generations started from the browser, in memory and in the database
	started time.Time    // when this process made the app: jobs from before not kept are gone

	webhooks   *http.Client // notifications (notify.go), through netguard (webhookGuard)
	testSends  *rateLimiter // test messages per user (site_notifications.go)
	unrecorded unrecorded   // messages sent but not recorded yet (notify.go)
}

// Timeouts and limits of the HTTP server. The events endpoint caps its own
// body lower than BodyLimit.
const (
	readTimeout  = 10 * time.Second
	writeTimeout = 30 * time.Second
	idleTimeout  = 120 * time.Second
	bodyLimit    = 1 << 20
)

// New builds the app on an open store and a running ingester. Run calls it;
// tests call it directly and drive it with Fiber().Test.
func New(cfg Config, store *experiments.Store, ing *experiments.Ingester, opts ...Option) (*App, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("app: config: %w", err)
	}
	return newApp(cfg, store, ing, opts...)
}

// newApp is New without the check of the configuration, so that tests can
// use a bcrypt cost below the production minimum (bcrypt is very slow
// under the race detector).
func newApp(cfg Config, store *experiments.Store, ing *experiments.Ingester, opts ...Option) (*App, error) {
	if store == nil || ing == nil {
		return nil, fmt.Errorf("app: new: a store and an ingester are required")
	}
	public, err := publicOrigin(cfg.PublicURL)
	if err != nil {
		return nil, fmt.Errorf("app: public URL %q: %w", cfg.PublicURL, err)
	}
	cfg.PublicURL = public.String() // no trailing slash: links append paths
	a := &App{
		cfg:        cfg,
		log:        cfg.Logger,
		store:      store,
		ing:        ing,
		public:     public,
		secure:     cfg.SecureCookies || public.Scheme == "https",
		setupToken: cfg.SetupToken,
		logins:     newLimiter(loginMaxFailures, loginWindow),
		flashKey:   randomBytes(32),
		now:        time.Now,
		snippets:   newSnippetCache(snippetCacheTTL),
		tagsSaved:  map[string]int64{},
		genJobs:    newGenRegistry(),
		started:    time.Now(),
		webhooks:   webhookGuard(cfg).NewClient(notifyTimeout),
		testSends:  newRateLimiter(testMessageRate, rateMaxKeys),
	}
	for _, opt := range opts {
		opt(a)
	}
	if a.gen == nil {
		g, err := NewGenerator(cfg)
		if err != nil {
			return nil, err
		}
		a.gen = g
	}
	if a.setupToken == "" {
		a.setupToken = experiments.RandomToken(32)
	}
	for _, p := range cfg.TrustedProxies {
		pfx, _ := parseProxy(p) // checked by Validate
		a.proxies = append(a.proxies, pfx)
	}
	if cfg.CountryHeader != "" && len(a.proxies) == 0 {
		a.log.Warn("the country header is ignored: it is believed only from trusted proxies, and none are configured", "header", cfg.CountryHeader)
	}
	// A hash of a random password with the configured cost: signing in with
	// an unknown email compares against it, so that it takes as long as a
	// wrong password and does not reveal which emails have accounts.
	if err := a.openGeo(); err != nil {
		return nil, err
	}
	// The site pages' tag status from before the restart (site_tag_seen.go).
	if err := a.loadTagSightings(context.Background()); err != nil {
		return nil, fmt.Errorf("app: new: %w", err)
	}
	// The drafting page's jobs from before the restart (generate_jobs.go).
	if err := a.loadDraftJobs(context.Background()); err != nil {
		return nil, fmt.Errorf("app: new: %w", err)
	}
	a.dummyHash, err = bcrypt.GenerateFromPassword(randomBytes(16), cfg.BcryptCost)
	if err != nil {
		return nil, fmt.Errorf("app: new: %w", err)
	}
	if a.assets, err = loadAssets(); err != nil {
		return nil, fmt.Errorf("app: new: %w", err)
	}
	if a.snippet, err = static.NewSnippet(); err != nil {
		return nil, fmt.Errorf("app: new: %w", err)
	}
	a.fiber = fiber.New(fiber.Config{
		AppName:               "copylab",
		ReadTimeout:           readTimeout,
		WriteTimeout:          writeTimeout,
		IdleTimeout:           idleTimeout,
		BodyLimit:             bodyLimit,
		ReadBufferSize:        16 << 10, // room for long cookie and referrer headers
		Immutable:             true,     // strings from the request stay valid after the handler returns
		DisableStartupMessage: true,
		CaseSensitive:         true,
		ErrorHandler:          a.handleError,

		// Nothing here takes multipart bodies; fasthttp would otherwise
		// parse one for any route before a handler could refuse it.
		DisablePreParseMultipartForm: true,
	})
	a.fiber.Server().FormValueFunc = bodyFormValue // form fields from the body only (forms.go)
	// The server's own refusals, in the format of the path (middleware.go).
	keepRequestLines(a.fiber.Server())
	a.initOps()
	a.routes()
	return a, nil
}

// Fiber returns the Fiber app, for tests (Fiber().Test) and for Run.
func (a *App) Fiber() *fiber.App { return a.fiber }

// SetupURL is the one-time link that creates the first account.
func (a *App) SetupURL() string {
	return a.cfg.PublicURL + "/setup?token=" + a.setupToken
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("app: crypto/rand failed: %v", err)) // nothing is safe without randomness
	}
	return b
}

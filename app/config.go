// Package app is copylab's web application: configuration, the route
// table, handlers, middleware, rendering, and the background jobs it runs.
package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"copylab/app/geo"
	"copylab/variants"
	"copylab/variants/netguard"
)

// Config is everything the web app needs to run. cmd/copylab builds it from
// flags and their COPYLAB_* environment twins and passes it to Run.
type Config struct {
	// Addr is the host:port to listen on, such as 127.0.0.1:8080.
	Addr string
	// DBPath is the SQLite database file; it is created when missing.
	DBPath string
	// PublicURL is the origin visitors' browsers and teammates reach the app
	// at, such as https://copylab.example.com (no path). It is used in the
	// snippet tag, the events endpoint the snippet posts to, setup and share
	// links, and to decide on Secure cookies. Empty means http://Addr.
	PublicURL string
	// SecureCookies forces the Secure flag on cookies even when PublicURL is
	// http (for example behind a TLS-terminating proxy configured oddly).
	// Cookies are always Secure when PublicURL is https. Browsers then keep
	// them over https only, or over plain http to a loopback address (an
	// SSH tunnel to 127.0.0.1:8080), so the forms work there and nowhere
	// else: a form posted from any other plain http page is refused with a
	// sentence that says to use https.
	SecureCookies bool

	// LLMBaseURL, LLMModel and LLMAPIKey configure the OpenAI-compatible
	// endpoint that drafts copy (see NewGenerator). With neither a key nor a
	// base URL, the offline generator drafts it.
	LLMBaseURL string
	LLMModel   string
	LLMAPIKey  string
	// LLMTimeout bounds one answer from the model (default
	// variants.DefaultTimeout); a slow local model may need minutes.
	LLMTimeout time.Duration

	// TrustedProxies are the IPs or CIDR ranges of reverse proxies whose
	// X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host headers are
	// believed: the client IP, and the scheme and host the browser used
	// (which the forms' Origin check compares). Empty means none: the
	// client IP is the TCP peer, the host the Host header.
	TrustedProxies []string
	// CountryHeader is a header set by a trusted proxy with the visitor's
	// ISO country code, such as CF-IPCountry. It is read only from trusted
	// proxies. Empty means countries are not recorded.
	CountryHeader string
	// GeoIPDB is the path of a MaxMind-format country database
	// (GeoLite2-Country, GeoIP2, DB-IP lite): used for a visitor's country
	// when no trusted country header gives one. Empty means none.
	GeoIPDB string

	// RateIP is how many requests per second one client IP may send to the
	// public routes (the snippet and events), with a burst of twice that; 0
	// means DefaultRateIP, negative means no limit. Loopback clients are not
	// limited.
	RateIP int
	// RateSite is how many event requests per second one site may receive,
	// from all its visitors together, with a burst of twice that; 0 means
	// DefaultRateSite, negative means no limit.
	RateSite int

	// WebhookAllowPrivate lets sites' webhooks reach loopback, private
	// (RFC 1918, fc00::/7), shared (100.64.0.0/10) and unspecified
	// addresses, for a chat server on the internal network. Off, they are
	// refused when a webhook is saved and when copylab connects: any
	// member may set a webhook, and must not reach through copylab what
	// listens on its host or network. Link-local and cloud metadata
	// addresses are refused either way. On, a webhook URL may also be
	// plain http:// (an internal receiver often is); off, a new one must
	// be https://, since the URL is a secret (experiments.CheckWebhookURL).
	WebhookAllowPrivate bool

	// MetricsAllow are the IPs or CIDR ranges that may read GET /metrics
	// (the client IP, through trusted proxies). nil means loopback only;
	// empty means no address (the token only).
	MetricsAllow []string
	// MetricsToken, when set, lets a scraper read GET /metrics from any
	// address with Authorization: Bearer TOKEN. At least 16 characters.
	MetricsToken string

	// Logger receives structured logs; nil means slog.Default().
	Logger *slog.Logger

	// BcryptCost is the bcrypt work factor for new passwords; 0 means
	// DefaultBcryptCost. It must be at least 10.
	BcryptCost int
	// ShutdownTimeout bounds how long Run waits for in-flight requests and
	// the events queue on shutdown; 0 means 15 seconds.
	ShutdownTimeout time.Duration
	// SetupToken is the secret of the one-time setup link; empty means a
	// random one is made at start (tests set it).
	SetupToken string
}

// DefaultBcryptCost is the bcrypt cost used when Config.BcryptCost is 0.
const DefaultBcryptCost = 12

// The range --llm-timeout may take: a few seconds is too short for any
// model to write drafts, and a request held open for more than half an
// hour is lost to proxies and restarts anyway.
const (
	MinLLMTimeout = 5 * time.Second
	MaxLLMTimeout = 30 * time.Minute
)

// withDefaults fills the fields that have a sensible default.
func (c Config) withDefaults() Config {
	c.PublicURL = strings.TrimRight(strings.TrimSpace(c.PublicURL), "/")
	if c.PublicURL == "" && c.Addr != "" {
		host := c.Addr
		if strings.HasPrefix(host, ":") {
			host = "127.0.0.1" + host
		} else if h, p, err := net.SplitHostPort(host); err == nil && (h == "0.0.0.0" || h == "::" || h == "") {
			host = net.JoinHostPort("127.0.0.1", p)
		}
		c.PublicURL = "http://" + host
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.BcryptCost == 0 {
		c.BcryptCost = DefaultBcryptCost
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 15 * time.Second
	}
	if c.LLMTimeout == 0 {
		c.LLMTimeout = variants.DefaultTimeout
	}
	if c.RateIP == 0 {
		c.RateIP = DefaultRateIP
	}
	if c.RateSite == 0 {
		c.RateSite = DefaultRateSite
	}
	if c.MetricsAllow == nil {
		c.MetricsAllow = []string{"127.0.0.0/8", "::1"}
	}
	return c
}

// loopbackOnAllInterfaces reports whether the public URL (after
// withDefaults) names this computer while Addr listens on every
// interface (0.0.0.0:8080, [::]:8080, :8080): the default public URL of
// such an address is 127.0.0.1, so links and every site's tag would send
// people to their own computer, though the server is there to be reached
// from others.
func (c Config) loopbackOnAllInterfaces() bool {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return false
	}
	if host != "" {
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.IsUnspecified() {
			return false
		}
	}
	u, err := url.Parse(c.PublicURL)
	return err == nil && loopbackHost(u.Host)
}

// Validate reports every problem with the configuration at once, naming
// each setting by its flag and its environment twin (--db (COPYLAB_DB)),
// since either may have set it.
func (c Config) Validate() error {
	given := c
	c = c.withDefaults()
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	addrOK := false
	if c.Addr == "" {
		bad("%s: empty; use host:port, such as 127.0.0.1:8080", setting("addr"))
	} else if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		bad("%s %q: use host:port, such as 127.0.0.1:8080", setting("addr"), c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		// Else net.Listen refuses it at start, in words that name neither
		// the setting nor what to write.
		bad("%s %q: the port must be a number from 0 to 65535, such as 127.0.0.1:8080", setting("addr"), c.Addr)
	} else {
		addrOK = true
	}
	if strings.TrimSpace(c.DBPath) == "" {
		bad("%s: empty; give the path of the SQLite file, such as data/copylab.db", setting("db"))
	}
	// A public URL made from a bad --addr would only repeat its mistake.
	if c.PublicURL != "" && (addrOK || strings.TrimSpace(given.PublicURL) != "") {
		if _, err := publicOrigin(c.PublicURL); err != nil {
			bad("%s %q: %v", setting("public-url"), c.PublicURL, err)
		}
	}
	if c.LLMBaseURL != "" {
		// Not quoted: the URL may hold a password.
		u, err := url.Parse(c.LLMBaseURL)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			bad("%s: use an http(s) URL, such as https://api.openai.com/v1", setting("llm-base-url"))
		case u.User != nil:
			bad("%s: must not hold a user name or password; give the key in %s", setting("llm-base-url"), setting("llm-api-key"))
		case u.RawQuery != "" || u.Fragment != "":
			bad("%s: must not hold a query (?…) or a fragment (#…)", setting("llm-base-url"))
		case netguard.CheckHost(u.Hostname()) != nil:
			// The generator refuses it too, at start, in the library's
			// words for the API ("variants: llm_blocked_address: …").
			bad("%s: %s is a link-local or cloud metadata address, which copylab never connects to; give the address of the model's server",
				setting("llm-base-url"), u.Hostname())
		}
	}
	if c.LLMTimeout < MinLLMTimeout || c.LLMTimeout > MaxLLMTimeout {
		// The range is MinLLMTimeout to MaxLLMTimeout, written as people type it.
		bad("%s %s: use 5s to 30m, such as 2m for a slow local model", setting("llm-timeout"), c.LLMTimeout)
	}
	for _, p := range c.TrustedProxies {
		if _, err := parseProxy(p); err != nil {
			bad("%s: %q is neither an IP nor a CIDR range", setting("trusted-proxies"), p)
		}
	}
	if c.CountryHeader != "" && !validHeaderName(c.CountryHeader) {
		bad("%s %q: not a valid header name", setting("country-header"), c.CountryHeader)
	}
	if c.GeoIPDB != "" {
		// Opened here, as a mistake of the configuration, so that it is
		// reported with the others rather than after the database is open.
		if l, err := geo.Open(c.GeoIPDB); err != nil {
			bad("%s: %v", setting("geoip-db"), err)
		} else {
			l.Close()
		}
	}
	if c.BcryptCost < 10 || c.BcryptCost > 16 {
		bad("bcrypt cost %d: use 10 to 16", c.BcryptCost)
	}
	if c.ShutdownTimeout < 0 {
		bad("shutdown timeout %s: must not be negative", c.ShutdownTimeout)
	}
	for _, p := range c.MetricsAllow {
		if _, err := parseProxy(p); err != nil {
			bad("%s: %q is neither an IP nor a CIDR range", setting("metrics-allow"), p)
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		bad("%s: use at least 16 characters", setting("metrics-token"))
	}
	if c.SetupToken != "" && len(c.SetupToken) < 16 {
		bad("setup token: use at least 16 characters")
	}
	return errors.Join(errs...)
}

// setting names a setting as a problem with it is reported: by its flag
// and its environment twin, "--rate-ip (COPYLAB_RATE_IP)".
func setting(flag string) string {
	return "--" + flag + " (COPYLAB_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_")) + ")"
}

// publicOrigin checks a public URL and returns it as scheme://host[:port].
func publicOrigin(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case (err != nil || (u.Scheme != "http" && u.Scheme != "https")) && !strings.Contains(raw, "://"):
		// A host alone, as people often give it (127.0.0.1:9000,
		// copylab.example.com): url.Parse refuses the first and reads
		// "localhost:9000" as a scheme. Say what to write.
		scheme := "https"
		if h := strings.Split(raw, ":")[0]; h == "localhost" || net.ParseIP(h) != nil {
			scheme = "http"
		}
		return nil, fmt.Errorf("start it with http:// or https://, such as %s://%s", scheme, raw)
	case err != nil:
		return nil, errors.New("not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, errors.New("use http:// or https://")
	case u.Host == "":
		return nil, errors.New("missing the host")
	case u.Path != "" && u.Path != "/":
		return nil, errors.New("serving copylab under a path is not supported; use an origin such as https://copylab.example.com")
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return nil, errors.New("use only scheme, host and port")
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// parseProxy parses one trusted proxy, an IP or a CIDR range.
func parseProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func validHeaderName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return s != ""
}

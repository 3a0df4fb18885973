package app

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/app/simulate"
	"copylab/experiments"
	"copylab/static"
)

// The snippet is fetched on every page view of every site that runs
// copylab, so it is rendered once per site and kept for a few seconds; the
// app also drops the cache whenever it changes an experiment or a site.
// Browsers and CDNs may keep it for snippetMaxAge, at the plain URL and
// at the pinned one alike, and then ask again with its ETag. A cache that
// honours stale-if-error (RFC 5861; CDNs do, browsers mostly not) serves
// the last tag it had for up to a day while copylab answers 5xx or not at
// all, so the site's pages keep their copy (and their visitors theirs)
// through an outage instead of waiting on the tag.
const (
	snippetCacheTTL = 5 * time.Second
	snippetMaxAge   = "public, max-age=60, stale-if-error=86400"
	snippetHashLen  = 16
	maxCachedSites  = 10_000
)

// snippetEntry is one site's rendered script, plain and gzipped, or the
// fact that the key is unknown.
type snippetEntry struct {
	raw, gz  []byte
	hash     string
	sri      string // Subresource Integrity of raw: "sha384-…"
	unknown  bool
	rendered time.Time
	seen     *tagSeen // the site's record of fetches, shared by its builds
}

type snippetCache struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]snippetEntry
	now func() time.Time
	// cacheControl is what the tag's answers send, snippetMaxAge; tests
	// shorten it to see a browser's cached tag go stale.
	cacheControl string
	// tags outlives the rendered scripts: reset and eviction leave it.
	tags *tagSightings
}

func newSnippetCache(ttl time.Duration) *snippetCache {
	return &snippetCache{ttl: ttl, m: map[string]snippetEntry{}, now: time.Now, cacheControl: snippetMaxAge,
		tags: newTagSightings(time.Now())}
}

func (sc *snippetCache) get(key string) (snippetEntry, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e, ok := sc.m[key]
	if !ok || sc.now().Sub(e.rendered) >= sc.ttl {
		return snippetEntry{}, false
	}
	return e, true
}

func (sc *snippetCache) put(key string, e snippetEntry) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.m) >= maxCachedSites {
		// Random keys from a scanner: they go, and the expired entries,
		// so that real sites' tags stay cached; all of it only when real
		// sites alone fill the cache.
		now := sc.now()
		for k, old := range sc.m {
			if old.unknown || now.Sub(old.rendered) >= sc.ttl {
				delete(sc.m, k)
			}
		}
		if len(sc.m) >= maxCachedSites {
			sc.m = map[string]snippetEntry{}
		}
	}
	e.rendered = sc.now()
	sc.m[key] = e
}

// reset forgets every rendered script (after any change of experiments).
func (sc *snippetCache) reset() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.m = map[string]snippetEntry{}
}

// siteKeyOK tells whether s can be a site key, before asking the database.
func siteKeyOK(s string) bool {
	if len(s) != experiments.SiteKeyLength {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// snippetServe answers GET /s/{site_key}.js with the site's script, its
// running experiments inlined, and GET /s/{site_key}.{hash}.js, the same
// content pinned to one version; GET /s/{site_key}.json is the config alone
// (see snippetConfigServe). ?guard=1 asks for the tag of the guarded async
// install (static.GuardedTag), a build of its own with its own hash; any
// other value of guard is refused, so that a typo shows in the browser's
// network panel instead of hiding every page until the guard's timeout.
// No cookies are read or set.
func (a *App) snippetServe(c *fiber.Ctx) error {
	if key, ok := strings.CutSuffix(c.Params("file"), ".json"); ok {
		return a.snippetConfigServe(c, key)
	}
	name, ok := strings.CutSuffix(c.Params("file"), ".js")
	key, pin, pinned := strings.Cut(name, ".")
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderVary, "Accept-Encoding")
	if !ok {
		// The key may be right: say what is wrong with the address.
		return snippetNotFound(c, "not a tag address: use /s/SITE_KEY.js", "not a tag address; the tag is /s/SITE_KEY.js")
	}
	guards := c.Context().QueryArgs().PeekMulti("guard")
	guard := len(guards) > 0
	if guard && (len(guards) > 1 || string(guards[0]) != "1") {
		return snippetRefused(c, fiber.StatusBadRequest, "guard takes only 1", "guard takes only 1: /s/SITE_KEY.js?guard=1")
	}
	if !siteKeyOK(key) {
		return a.snippetUnknown(c)
	}
	// A QA link's build never has the guard: the live tag that loads it
	// has taken the class off already.
	if qa := c.Query("p"); qa != "" {
		return a.snippetPreview(c, key, qa)
	}
	e, err := a.snippetFor(c.UserContext(), key, guard)
	if err != nil {
		return err
	}
	if e.unknown {
		return a.snippetUnknown(c)
	}
	if pinned && pin != e.hash {
		// The pinned version is gone: something in the script changed
		// since (an experiment started or stopped, a split, a site's
		// settings…; the site page lists them). Send the current one
		// rather than nothing. A browser that checks the pin's integrity
		// hash refuses it, so the request is no load of the tag: the site
		// page warns of it instead (tagSeen.sawOutdated).
		e.seen.sawOutdated(a.snippets.tags.clock(c), c)
		c.Set(fiber.HeaderCacheControl, a.snippets.cacheControl)
		c.Set("X-Copylab", "pinned version is outdated")
		current := "/s/" + key + ".js"
		if guard {
			current += "?guard=1"
		}
		return c.Redirect(current, fiber.StatusFound)
	}
	// The site page's "Tag loaded 2 minutes ago on …": any answer of the
	// script for a real site counts, a 304 included, except copylab
	// simulate's and a browser's following of an out-of-date pin's
	// redirect (tagSeen.saw).
	e.seen.saw(a.snippets.tags.clock(c), c, pinned)
	// The pinned URL is cached no longer than the plain one, though its
	// bytes never change: a stopped or paused test must reach a returning
	// visitor within snippetMaxAge, and only a browser that asks again
	// gets the redirect above, which the integrity hash refuses. Cached
	// for good (immutable), a browser ran the stopped test's variant for a
	// year. Asking again costs a 304 (the ETag below) while it is current.
	c.Set(fiber.HeaderCacheControl, a.snippets.cacheControl)
	// Weak: the same version is sent plain or gzipped, byte-different
	// representations of one content.
	etag := `W/"` + e.hash + `"`
	c.Set(fiber.HeaderETag, etag)
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatch(inm, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(e.gz)
	}
	return c.Send(e.raw)
}

// snippetUnknown answers for a key no site has. X-Copylab carries the
// code the tag's JSON config and POST /e give the same refusal,
// unknown_site, so that one spelling matches all three.
func (a *App) snippetUnknown(c *fiber.Ctx) error {
	return snippetNotFound(c, "unknown_site", "unknown site")
}

// snippetNotFound is the tag's 404: why in X-Copylab, and a body that is
// still valid JavaScript, so the host page's console shows no syntax error.
func snippetNotFound(c *fiber.Ctx, header, comment string) error {
	return snippetRefused(c, fiber.StatusNotFound, header, comment)
}

// snippetRefused answers a tag address copylab cannot serve, as
// snippetNotFound does, with another status.
func snippetRefused(c *fiber.Ctx, status int, header, comment string) error {
	c.Set(fiber.HeaderCacheControl, snippetMaxAge)
	c.Set("X-Copylab", header)
	c.Response().Header.Del(fiber.HeaderVary)
	return c.Status(status).SendString("/* copylab: " + comment + " */\n")
}

// snippetFor returns a site's rendered script, the guard build when guard
// is set, from the cache when fresh. The two builds are cached apart (the
// guard build under the key and "+guard"), so neither is ever served, or
// hashed, for the other.
func (a *App) snippetFor(ctx context.Context, key string, guard bool) (snippetEntry, error) {
	cacheKey := key
	if guard {
		cacheKey += "+guard"
	}
	if e, ok := a.snippets.get(cacheKey); ok {
		return e, nil
	}
	site, err := a.store.SiteByKey(ctx, key)
	if errors.Is(err, experiments.ErrNotFound) {
		e := snippetEntry{unknown: true}
		a.snippets.put(cacheKey, e)
		return e, nil
	}
	if err != nil {
		return snippetEntry{}, err
	}
	running, err := a.store.RunningExperiments(ctx, site.ID)
	if err != nil {
		return snippetEntry{}, err
	}
	// The recorders' code (site_recorders.go) is in the script only for a
	// site that set one up; a site without pays no byte for it. Unreadable
	// settings leave it out rather than fail the script.
	rec, err := a.store.SiteRecorders(ctx, site.ID)
	if err != nil {
		a.log.Error("snippet: recorders unreadable; serving without them", "site", site.Key, "error", err)
	}
	shipped, err := a.store.ShippedExperiments(ctx, site.ID)
	if err != nil {
		return snippetEntry{}, err
	}
	cfg := a.snippetConfig(site)
	cfg.Recorders = rec.Names()
	cfg.Guard = guard
	raw := a.renderSnippet(cfg, running, shipped)
	sum := sha256.Sum256(raw)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return snippetEntry{}, err
	}
	sri := sha512.Sum384(raw)
	seen := a.snippets.tags.of(key)
	seen.setDomain(site.Domain) // renewed with each render: an edited domain counts within snippetCacheTTL
	e := snippetEntry{raw: raw, gz: gz.Bytes(), hash: hex.EncodeToString(sum[:])[:snippetHashLen],
		sri: "sha384-" + base64.StdEncoding.EncodeToString(sri[:]), seen: seen}
	a.snippets.put(cacheKey, e)
	return e, nil
}

// snippetConfig is the site-wide part of a site's script config.
func (a *App) snippetConfig(site experiments.Site) static.SnippetConfig {
	return static.SnippetConfig{
		Site:      site.Key,
		Endpoint:  a.cfg.PublicURL + "/e",
		TimeoutMS: site.HideTimeoutMS,
		HonorGPC:  site.HonorGPC,
	}
}

// renderSnippet builds a site's script from cfg (snippetConfig, plus its
// recorders or the preview build) and the experiments it runs. An
// experiment the renderer refuses is left out (and logged) rather than
// failing the whole script: a snippet problem must never break the host
// page or the other tests. A shipped variant is left out while a running
// experiment tests its element (shipHidden).
func (a *App) renderSnippet(cfg static.SnippetConfig, running, shipped []experiments.Experiment) []byte {
	for _, e := range running {
		cfg.Experiments = append(cfg.Experiments, snippetExperiment(e))
	}
	for _, e := range shipped {
		if v, ok := e.Variant(e.ShippedVariant); ok && !shipHidden(e, running) {
			cfg.Shipped = append(cfg.Shipped, static.SnippetShipped{Page: e.Page, Selector: e.Selector, Text: v.Text})
		}
	}
	out, err := a.snippet.Render(cfg)
	if err == nil {
		return out
	}
	a.log.Error("snippet: render failed; leaving out the experiments it refuses", "site", cfg.Site, "error", err)
	all, ships := cfg.Experiments, cfg.Shipped
	cfg.Experiments, cfg.Shipped = nil, nil
	for _, x := range all {
		one := cfg
		one.Experiments = []static.SnippetExperiment{x}
		if _, err := a.snippet.Render(one); err == nil {
			cfg.Experiments = append(cfg.Experiments, x)
		}
	}
	for _, x := range ships {
		one := cfg
		one.Experiments, one.Shipped = nil, []static.SnippetShipped{x}
		if _, err := a.snippet.Render(one); err == nil {
			cfg.Shipped = append(cfg.Shipped, x)
		}
	}
	out, err = a.snippet.Render(cfg)
	if err != nil {
		// Only the site itself can be wrong now; serve a harmless script.
		return []byte("/* copylab: unavailable */\n")
	}
	return out
}

func snippetExperiment(e experiments.Experiment) static.SnippetExperiment {
	x := static.SnippetExperiment{
		ID:          e.ID,
		Seed:        e.Seed,
		Page:        e.Page,
		Selector:    e.Selector,
		CoverageBP:  e.CoverageBP,
		VisibleOnly: e.VisibleOnly,
		Goal:        static.SnippetGoal{Type: e.Goal.Type, Value: e.Goal.Value()},
	}
	for _, v := range e.Variants {
		x.Variants = append(x.Variants, static.SnippetVariant{Key: v.Key, WeightBP: v.WeightBP, Text: v.Text})
	}
	return x
}

// etagMatch tells whether an If-None-Match header names etag (or is *),
// comparing weakly as If-None-Match does.
func etagMatch(header, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding just enough: gzip listed and not q=0.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(params), " ", ""))
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// pinnedSnippetTag is the tag of a site's current script at its
// content-hashed URL, with its Subresource Integrity hash: a site that pins
// runs exactly these bytes or, once they change, nothing (and shows its own
// copy), never something else.
func (a *App) pinnedSnippetTag(ctx context.Context, key string) (string, error) {
	e, err := a.snippetFor(ctx, key, false)
	if err != nil {
		return "", err
	}
	u := a.cfg.PublicURL + "/s/" + key + "." + e.hash + ".js"
	return `<script src="` + u + `" integrity="` + e.sri + `" crossorigin="anonymous"></script>`, nil
}

// snippetConfigServe answers GET /s/{site_key}.json: the site's running
// experiments as JSON, the public twin of the script for servers that
// assign and render the copy themselves and for tools that send traffic
// without a browser (copylab simulate). It holds nothing the script does
// not already show. Shipped variants are left out: they assign nobody.
func (a *App) snippetConfigServe(c *fiber.Ctx, key string) error {
	if !siteKeyOK(key) {
		return errUnknownSite
	}
	ctx := c.UserContext()
	site, err := a.store.SiteByKey(ctx, key)
	if errors.Is(err, experiments.ErrNotFound) {
		return errUnknownSite
	}
	if err != nil {
		return err
	}
	running, err := a.store.RunningExperiments(ctx, site.ID)
	if err != nil {
		return err
	}
	type variant struct {
		Key      string `json:"key"`
		WeightBP int    `json:"weight_bp"`
		Text     string `json:"text"`
	}
	type goal struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	}
	type experiment struct {
		ID         string `json:"id"`
		Seed       string `json:"seed"`
		Page       string `json:"page"`
		Selector   string `json:"selector"`
		CoverageBP int    `json:"coverage_bp"`
		Goal       goal   `json:"goal"`
		// VisibleOnly: count the exposure only once the element has
		// been on screen, as the tag does.
		VisibleOnly bool      `json:"visible_only"`
		Variants    []variant `json:"variants"`
	}
	out := struct {
		Site        string       `json:"site"`
		Endpoint    string       `json:"endpoint"`
		Experiments []experiment `json:"experiments"`
	}{Site: site.Key, Endpoint: a.cfg.PublicURL + "/e", Experiments: []experiment{}}
	for _, e := range running {
		x := experiment{ID: e.ID, Seed: e.Seed, Page: e.Page, Selector: e.Selector, CoverageBP: e.CoverageBP,
			Goal: goal{Type: e.Goal.Type, Value: e.Goal.Value()}, VisibleOnly: e.VisibleOnly}
		for _, v := range e.Variants {
			x.Variants = append(x.Variants, variant{Key: v.Key, WeightBP: v.WeightBP, Text: v.Text})
		}
		out.Experiments = append(out.Experiments, x)
	}
	c.Set(fiber.HeaderCacheControl, snippetMaxAge)
	return c.JSON(out)
}

var errUnknownSite = newHTTPError(404, "unknown_site", "No site has this key.")

// tagPagesKept is how many pages (origins) copylab remembers a site's tag
// being loaded on, on the site's own domain (its www twin, http and
// https) and, apart, anywhere else (staging, a developer's machine):
// enough of each.
const tagPagesKept = 4

// tagSightings is what copylab has seen of each site's tag being fetched,
// by site key: when last, and on which pages. It answers the first
// question after pasting the tag, within seconds and before any
// experiment runs. The tag's GET records in memory only: a write per load
// beside the events on the single writer would slow the hottest path for
// a fact that a page view renews anyway. What changed is written about
// once a minute, and read back at start (site_tag_seen.go). Only sites
// that exist get a record (snippetFor makes it after finding the site),
// so a scanner's random keys add none.
type tagSightings struct {
	since time.Time // when copylab began keeping loads (Store.SiteTags)
	// clock is when a request came in, in Unix seconds (requestSecond);
	// tests set another.
	clock func(c *fiber.Ctx) int64
	mu    sync.Mutex
	m     map[string]*tagSeen
}

func newTagSightings(now time.Time) *tagSightings {
	return &tagSightings{since: now, clock: requestSecond, m: map[string]*tagSeen{}}
}

// requestSecond is the time fasthttp read when the request came in: the
// tag's GET pays for no clock read of its own (one costs as much as the
// rest of the record, about 50 ns here).
func requestSecond(c *fiber.Ctx) int64 {
	t := c.Context().Time()
	if t.IsZero() { // a server that reads the time lazily
		t = time.Now()
	}
	return t.Unix()
}

// of returns a site's record, making it on first use.
func (t *tagSightings) of(key string) *tagSeen {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.m[key]
	if s == nil {
		s = &tagSeen{}
		t.m[key] = s
	}
	return s
}

// seen returns when a site's tag was last fetched (zero: not since
// copylab began keeping loads, since) and the pages it was loaded on
// lately, newest first.
func (t *tagSightings) seen(key string) (time.Time, []tagPage) {
	t.mu.Lock()
	s := t.m[key]
	t.mu.Unlock()
	if s == nil {
		return time.Time{}, nil
	}
	return s.snapshot()
}

// outdated returns when a browser last asked for an out-of-date pinned
// tag of a site, one it refuses, and on which page (tagSeen.outdatedSeen).
func (t *tagSightings) outdated(key string) (time.Time, string) {
	t.mu.Lock()
	s := t.m[key]
	t.mu.Unlock()
	if s == nil {
		return time.Time{}, ""
	}
	return s.outdatedSeen()
}

// tagSeen is one site's record. The tag's GET is the hottest path copylab
// serves, so a fetch costs it little: each kind of fetch, one that names
// a page on the site's domain and any other, has a turn a second (by
// CompareAndSwap, with the request's own time, requestSecond), and only
// the fetch that takes it parses its page and takes the lock, so each
// kind's record is at most a second behind. Once both kinds have had this
// second's turn, a fetch costs two atomic loads and compares; before,
// its Referer (or Origin) is compared with the site's domain, byte by
// byte and without allocating (ownPage).
//
// The page origins come from the request's Referer or Origin, which
// anyone can forge: curl with four made-up Referers used to push the
// site's own page out of the four kept, and the site page then showed the
// tag as loaded only elsewhere. So the pages on the site's domain
// (pageOnSite) and the others each keep up to tagPagesKept places, and a
// page of one kind never takes the place of the other kind's. For the
// same reason the kinds take turns apart: with one turn a second for all,
// forged loads sent all the time took every turn, and the site's own page
// stayed listed with the time of its last load before them.
//
// A request for an out-of-date pinned tag is a third kind, with a turn of
// its own, and no load of the tag: the browser refuses the script it is
// redirected to, and the site page warns of it instead (sawOutdated).
type tagSeen struct {
	last atomic.Int64 // Unix second of the last fetch recorded, of either kind; 0: none
	// turn is the Unix second of the last turn of each kind of fetch:
	// tagOwn, a page on the site's domain, tagOther, any other page or
	// none, and tagOutdated, an out-of-date pinned tag's.
	turn [3]atomic.Int64
	site atomic.Pointer[string] // the site's domain without "www.", for ownPage (setDomain)
	// outdated is the Unix second of the last request for an out-of-date
	// pinned tag that a browser refuses (sawOutdated); 0: none.
	// outdatedFrom is its page as followsOutdated compares it.
	outdated     atomic.Int64
	outdatedFrom atomic.Pointer[string]

	mu         sync.Mutex
	domain     string // the site's, as stored (setDomain)
	pages      [2 * tagPagesKept]tagPage
	outdatedOn string // the origin of outdated's page (pageOrigin), "" when it named none
}

// The kinds of fetch that take turns (tagSeen.turn).
const (
	tagOwn      = 0
	tagOther    = 1
	tagOutdated = 2
)

// setDomain tells the record the site's domain, which sorts its pages
// into the site's own and the others (place), and its fetches into the
// two kinds that take turns (saw).
func (s *tagSeen) setDomain(domain string) {
	site := strings.TrimPrefix(domain, "www.")
	s.site.Store(&site)
	s.mu.Lock()
	s.domain = domain
	s.mu.Unlock()
}

// tagPage is a page origin the tag was loaded on, and when last.
type tagPage struct {
	origin string // scheme://host[:port] (pageOrigin)
	at     int64  // Unix second
}

// saw records a fetch of the tag at now (Unix seconds) for c, at most
// once a second for each kind of fetch (tagSeen.turn). A fetch by copylab
// simulate is not recorded: it is a load test, not a page of the site
// loading the tag, and alone it would mark the site "Installed" before
// any page has the tag. Nor is a browser's following of the redirect of
// an out-of-date pinned tag (pinned false: a fetch of the plain URL;
// followsOutdated): the browser refuses what it fetches. Both are checked
// after the time, so that the other fetches of the same second pay
// nothing more.
func (s *tagSeen) saw(now int64, c *fiber.Ctx, pinned bool) {
	own, other := &s.turn[tagOwn], &s.turn[tagOther]
	if now <= own.Load() && now <= other.Load() {
		return // both kinds have had this second's turn: the usual case under load
	}
	if !pinned && s.followsOutdated(now, c) {
		return
	}
	h := &c.Request().Header
	page := h.Referer()
	if len(page) == 0 {
		page = h.Peek(fiber.HeaderOrigin) // as record reads them
	}
	turn := other
	if site := s.site.Load(); site != nil && ownPage(page, *site) {
		turn = own
	}
	last := turn.Load()
	if now <= last || simulated(c) || !turn.CompareAndSwap(last, now) {
		return
	}
	for { // the record's last load: the later of its own and now
		l := s.last.Load()
		if now <= l || s.last.CompareAndSwap(l, now) {
			break
		}
	}
	if !s.record(now, c) && turn == own {
		// ownPage took the fetch for the site's but its page, parsed,
		// is not (or is none): the site's own next fetch of this second
		// takes the turn rather than lose it to an odd Referer.
		turn.CompareAndSwap(now, last)
	}
}

// sawOutdated records a request for an out-of-date pinned tag at now
// (Unix seconds), at most once a second (its own turn, tagOutdated), when
// the browser will refuse the script it is redirected to: when it checks
// the pin's integrity hash, which it can only over CORS (the crossorigin
// attribute of the pinned tag the site page offers; corsFetch). The page
// then runs no test, which the site page says. A request without CORS (a
// script without crossorigin, curl) runs the current script it is
// redirected to, so it is no warning, and the fetch that follows the
// redirect is recorded as any other (saw). The redirect itself is never
// a load of the tag: it is no script.
//
// It is kept in memory only, not with the loads (site_tag_seen.go): a
// page that still has the old tag says so again with its next visitor.
func (s *tagSeen) sawOutdated(now int64, c *fiber.Ctx) {
	turn := &s.turn[tagOutdated]
	last := turn.Load()
	if now <= last || !corsFetch(c) || simulated(c) || !turn.CompareAndSwap(last, now) {
		return
	}
	h := &c.Request().Header
	origin := pageOrigin(string(h.Referer()))
	if origin == "" {
		origin = pageOrigin(string(h.Peek(fiber.HeaderOrigin))) // as record reads them
	}
	s.mu.Lock()
	s.outdatedOn = origin
	s.mu.Unlock()
	from := string(corsPage(c))
	s.outdatedFrom.Store(&from)
	s.outdated.Store(now) // after its page: followsOutdated reads them in the other order
}

// followsOutdated tells whether c, a fetch of the plain URL at now, is a
// browser following the redirect of an out-of-date pinned tag that it
// will refuse (sawOutdated): a CORS fetch from the same page (corsPage)
// at most a second after it. A browser follows the redirect at once, with
// the same headers; the plain tag as the site page offers it makes no
// CORS request, so its loads are not taken for one.
func (s *tagSeen) followsOutdated(now int64, c *fiber.Ctx) bool {
	at := s.outdated.Load()
	if at == 0 || now < at || now-at > 1 {
		return false
	}
	from := s.outdatedFrom.Load()
	return from != nil && string(corsPage(c)) == *from && corsFetch(c)
}

// corsFetch tells whether the browser fetches the tag over CORS, as it
// does for a script with the crossorigin attribute (the pinned tag): it
// then sends Sec-Fetch-Mode: cors, and the page's Origin when the page is
// on another origin (browsers without Sec-Fetch-Mode send that too).
func corsFetch(c *fiber.Ctx) bool {
	h := &c.Request().Header
	return len(h.Peek(fiber.HeaderOrigin)) > 0 || string(h.Peek("Sec-Fetch-Mode")) == "cors"
}

// corsPage is the page a CORS fetch names, as followsOutdated compares
// an out-of-date pin's request with the one that follows its redirect:
// the Origin header, the same on every page of a site whatever its
// referrer policy, or the Referer where there is none (a page on
// copylab's own origin).
func corsPage(c *fiber.Ctx) []byte {
	h := &c.Request().Header
	if o := h.Peek(fiber.HeaderOrigin); len(o) > 0 {
		return o
	}
	return h.Referer()
}

// ownPage tells whether a Referer or Origin header names a page on the
// site's domain (site: as stored, without "www."), as pageOnSite tells of
// its origin (pageOrigin), without allocating: it runs on the tag's
// GET. It answers yes only when the page's host and port, "www." and the
// letters' case aside, are the domain's: anything unusual (a default port
// spelt out, a root dot) counts as another page, which only changes the
// turn the fetch takes (saw), not the kind its page is kept as (place).
func ownPage(page []byte, site string) bool {
	switch {
	case hasPrefixFold(page, "https://"):
		page = page[len("https://"):]
	case hasPrefixFold(page, "http://"):
		page = page[len("http://"):]
	default:
		return false
	}
	if hasPrefixFold(page, "www.") {
		page = page[len("www."):]
	}
	if site == "" || !hasPrefixFold(page, site) {
		return false
	}
	if len(page) == len(site) {
		return true
	}
	switch page[len(site)] { // the host ends: a path, a query, a fragment
	case '/', '?', '#':
		return true
	}
	return false
}

// hasPrefixFold tells whether b begins with s, a lower-case ASCII string,
// in any case.
func hasPrefixFold(b []byte, s string) bool {
	if len(b) < len(s) {
		return false
	}
	for i := range len(s) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// simulated tells whether copylab simulate sent c: it names itself in
// simulate.Header, since its user agents are browsers' on purpose.
func simulated(c *fiber.Ctx) bool {
	return len(c.Request().Header.Peek(simulate.Header)) > 0
}

// record keeps the page of a fetch, when the request names one (place),
// and tells whether that page is on the site's domain.
func (s *tagSeen) record(now int64, c *fiber.Ctx) bool {
	h := &c.Request().Header
	origin := pageOrigin(string(h.Referer()))
	if origin == "" {
		origin = pageOrigin(string(h.Peek(fiber.HeaderOrigin)))
	}
	if origin == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.place(tagPage{origin: origin, at: now})
	return pageOnSite(origin, s.domain)
}

// place keeps page p, under s.mu: a known page's time moves on; a new one
// takes a free place while its kind (on the site's domain or not) has
// fewer than tagPagesKept pages, and otherwise the place of the oldest of
// its own kind, if it is newer than that. Only when the other kind holds
// more than its share (the site's domain changed since) does a page take
// the place of the other kind's oldest.
func (s *tagSeen) place(p tagPage) {
	own := pageOnSite(p.origin, s.domain)
	free, kin, oldestKin, oldestOther := -1, 0, -1, -1
	for i, q := range s.pages {
		switch {
		case q.origin == p.origin:
			s.pages[i].at = max(q.at, p.at)
			return
		case q.origin == "":
			if free < 0 {
				free = i
			}
		case pageOnSite(q.origin, s.domain) == own:
			kin++
			if oldestKin < 0 || q.at < s.pages[oldestKin].at {
				oldestKin = i
			}
		default:
			if oldestOther < 0 || q.at < s.pages[oldestOther].at {
				oldestOther = i
			}
		}
	}
	switch {
	case kin >= tagPagesKept:
		if p.at > s.pages[oldestKin].at {
			s.pages[oldestKin] = p
		}
	case free >= 0:
		s.pages[free] = p
	default: // kin < tagPagesKept, so the other kind holds more than its share
		s.pages[oldestOther] = p
	}
}

// outdatedSeen is when a browser last asked for an out-of-date pinned
// tag it refuses (zero: not since copylab started), and on which page's
// origin ("" for none named).
func (s *tagSeen) outdatedSeen() (time.Time, string) {
	at := s.outdated.Load()
	if at == 0 {
		return time.Time{}, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Unix(at, 0), s.outdatedOn
}

// snapshot is seen for one site.
func (s *tagSeen) snapshot() (time.Time, []tagPage) {
	last := s.last.Load()
	if last == 0 {
		return time.Time{}, nil
	}
	s.mu.Lock()
	var pages []tagPage
	for _, p := range s.pages {
		if p.origin != "" {
			pages = append(pages, p)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(pages, func(a, b tagPage) int { return cmp.Compare(b.at, a.at) })
	return time.Unix(last, 0), pages
}

// maxPageOrigin bounds an origin kept from a request: a host name is at
// most 253 characters, and a port and the scheme add a few.
const maxPageOrigin = 300

// pageOrigin is the origin of the page a Referer or Origin header names:
// "https://shop.example", cut from "https://shop.example/pricing?x=1". A
// browser sends at least this under its default referrer policy
// (strict-origin-when-cross-origin), and the Origin header where the tag
// is loaded with crossorigin (the pinned tag). It is outside input: only
// an http or https URL whose host is a host as browsers send it
// (experiments.WebHost, the rule the events' referrers follow too: a
// name in labels of letters, digits, hyphens and underscores, IDNs as
// xn--, or an IP address), with a port or not, is kept, in lower case;
// anything else (no header, "null", another scheme, user info, a host
// with other characters) gives "".
func pageOrigin(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	scheme = strings.ToLower(scheme)
	if !ok || scheme != "http" && scheme != "https" {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if rest == "" || len(rest) > maxPageOrigin || strings.Contains(rest, "@") {
		return ""
	}
	rest = strings.ToLower(rest)
	u, err := url.Parse(scheme + "://" + rest)
	if err != nil || u.Hostname() == "" || u.Host != rest {
		return ""
	}
	if !experiments.WebHost(u.Hostname()) {
		return ""
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return ""
		}
	}
	return u.Scheme + "://" + u.Host
}

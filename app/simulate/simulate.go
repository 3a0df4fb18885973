// Package simulate sends realistic visitor traffic to a running copylab
// through its public HTTP endpoints, for demos and load tests: it reads the
// site's public config, assigns each visitor per the shared spec, and sends
// what the snippet would send from a browser. A visitor views the tested
// page once or a few times (an exposure each, one request per page view),
// and converts at the given rate for their variant, either within the last
// page view (the snippet batches a page view's events for a second, so the
// conversion rides in the same request) or in a request of its own later.
// A share of the visitors may be crawlers (Options.Bots), whose events
// copylab stores and does not count. It reports throughput, latency and
// failures, and can check afterwards that the stored counts grew by
// exactly what copylab's answers said it counted.
//
// RunSnippet loads the snippet itself (GET /s/{key}.js) the way browsers do
// on their first page view.
package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/valyala/fasthttp"

	"copylab/experiments"
)

// Header names the simulator in every request it sends, with the value
// "1". Its user agents are browsers' on purpose (see Options.UserAgent),
// so they cannot say it. copylab serves the simulator's fetches of a
// site's tag as any other, but does not count them as the tag seen on the
// site: they are a load test, not a page of the site loading it, and a
// site whose tag only the simulator fetched still says "Not seen yet".
const Header = "X-Copylab-Simulate"

// Options configure one run.
type Options struct {
	URL         string             // base URL of copylab, e.g. http://127.0.0.1:8080
	Site        string             // site key
	Experiment  string             // experiment id
	Visitors    int                // how many visitors to simulate
	Rates       map[string]float64 // conversion rate per variant key; a key left out never converts
	Concurrency int                // requests in flight
	Token       string             // API token; with it, Verify compares stored counts
	Seed        uint64             // random seed, for repeatable runs
	// EveryRate refuses a run whose Rates leave out a variant of the
	// experiment, naming it, instead of letting that variant never convert.
	// The command line sets it: a person who copies the usual example
	// (control and b) onto a test with a third variant would otherwise read
	// "Variant C: 0 conversions" as a result.
	EveryRate bool
	// UserAgent is sent with every request; empty means a realistic
	// browser's, varied per visitor. (Go's own user agent is a program's,
	// which copylab rightly records as a bot and never counts.)
	UserAgent string
	// Bots is the share of visitors (0 to 1) sent with a crawler's user
	// agent (BotUserAgents) instead, so that a load test mixes in the
	// bots a real site gets: copylab stores their events and does not
	// count them, and the report and Verify take that into account.
	Bots float64
	// SamePageView is the share of conversions sent in the same request as
	// the visitor's exposure, as the snippet does when the visitor converts
	// within a second of the page view (a click on the tested page); the
	// others come in a request of their own, as from a later page. 0 means
	// DefaultSamePageView; negative means never.
	SamePageView float64
	// PageViews is the mean number of times a visitor views the tested page
	// (geometric: each view is followed by another with probability
	// 1 - 1/PageViews). Only the first exposure counts in the results; the
	// others are stored as events. 0 means DefaultPageViews; 1 means every
	// visitor views it once.
	PageViews float64
	// Requests is how many snippet requests RunSnippet sends.
	Requests int
	// GiveUp is how long Run goes on while copylab answers none of its
	// requests and they fail to connect (connection refused or closed,
	// network unreachable): once that long has passed since the last
	// answer, with at least minUnreachable such failures since, Run stops
	// the run and returns a *NotAnsweringError with the report of what it
	// sent, instead of failing every visitor left until ctx ends. Any
	// answer, a refusal or an error status included, shows that copylab is
	// there and starts the wait again; a request that times out is slow,
	// not refused, and does not count towards it. 0 means DefaultGiveUp;
	// negative means never.
	GiveUp time.Duration
	// Client, when set, sends every request through net/http (tests use it
	// to observe or alter requests). Otherwise a fasthttp client is used:
	// on a small machine that shares its cores with the server under test,
	// net/http's client would spend about twice the CPU per request and
	// measure itself more than the server.
	Client *http.Client
}

// Defaults of Options.
const (
	DefaultSamePageView = 0.5
	DefaultPageViews    = 1.5
	DefaultGiveUp       = 10 * time.Second
	maxPageViews        = 20
	// minUnreachable is how many requests must have failed to connect
	// since copylab last answered before Run gives up (Options.GiveUp):
	// a single one, on a connection a live copylab had just closed, says
	// little, while a copylab that is gone fails many within the wait at
	// any concurrency (a refused request fails, its retries included, in
	// about a quarter of a second).
	minUnreachable = 3
)

// BrowserUserAgents are the user agents simulated visitors send: current
// desktop and mobile browsers.
var BrowserUserAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
}

// BotUserAgents are the user agents of the visitors Options.Bots sends:
// crawlers that run a page's scripts, and so its tag.
var BotUserAgents = []string{
	"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
}

// Config is the public JSON twin of a site's snippet (GET /s/{key}.json).
type Config struct {
	Site        string             `json:"site"`
	Experiments []ExperimentConfig `json:"experiments"`
}

// ExperimentConfig is one running experiment in Config.
type ExperimentConfig struct {
	ID         string `json:"id"`
	Seed       string `json:"seed"`
	CoverageBP int    `json:"coverage_bp"`
	Goal       struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"goal"`
	Variants []VariantConfig `json:"variants"`
}

// VariantConfig is one variant in ExperimentConfig.
type VariantConfig struct {
	Key      string `json:"key"`
	WeightBP int    `json:"weight_bp"`
}

// Report is what a run did.
//
// copylab acknowledges every event it stores, but does not count them
// all: a bot's, for one, are stored and never counted. Its answer says
// which it did not count and why (X-Copylab: "stored; 2 not counted:
// bot"), and the report counts those apart, so that the visitors and
// conversions per variant are the ones the results count.
type Report struct {
	Visitors int // asked for
	// Started is how many of them the run began to send, those outside
	// the test included: fewer than Visitors when it ended early (its
	// context ended, or copylab stopped answering).
	Started     int
	OutOfTest   int            // visitors the assignment left out (coverage)
	PageViews   int            // acknowledged exposures, repeats included
	Exposures   map[string]int // visitors with an acknowledged exposure that copylab counted, per variant
	Conversions map[string]int // acknowledged conversions that copylab counted, per variant
	// Acknowledged and, as copylab's answers said, not counted: visitors
	// none of whose acknowledged exposures counted, and conversions, per
	// variant.
	UncountedVisitors, UncountedConversions map[string]int
	// NotCounted is how many acknowledged events copylab did not count,
	// by the reasons its answers gave ("bot"; "bot, experiment_not_running"
	// when one answer gave several).
	NotCounted map[string]int
	// Bots is how many visitors copylab marked as bots: an answer to one
	// of their exposures said "not counted: bot". copylab's results count
	// them among the excluded bots.
	Bots int
	// Sent but not acknowledged (the request failed after its retries):
	// exposures of visitors not yet counted, and conversions, that may or
	// may not be stored and counted, and visitors not yet marked as bots
	// that copylab may have marked so.
	UnackedExposures, UnackedConversions map[string]int
	UnackedBots                          int
	Events                               int            // acknowledged
	Requests                             int            // acknowledged
	Failures                             map[string]int // by status and refusal code ("503 write_failed") or error ("connection refused"; "interrupted" by the run's end), after retries
	Retries                              int
	Elapsed                              time.Duration
	Latencies                            []time.Duration // of acknowledged requests, sorted
	Verified                             bool
	Verification                         string
}

// EventsPerSecond is acknowledged events over the run's wall time.
func (r Report) EventsPerSecond() float64 { return perSecond(r.Events, r.Elapsed) }

// RequestsPerSecond is acknowledged requests over the run's wall time.
func (r Report) RequestsPerSecond() float64 { return perSecond(r.Requests, r.Elapsed) }

func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// Percentile returns the p-th (0..100) latency percentile.
func (r Report) Percentile(p float64) time.Duration { return percentile(r.Latencies, p) }

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[int(float64(len(sorted)-1)*p/100)]
}

// Failed is the number of requests that failed after their retries.
func (r Report) Failed() int { return total(r.Failures) }

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// plural is "1 visitor" or "2 visitors".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// String formats the report for people. The "throughput" and "verify"
// lines are read by scripts/loadtest.sh.
func (r Report) String() string {
	var b strings.Builder
	// A run that ended early says how far it got: "visitors 320 of
	// 100000".
	visitors := strconv.Itoa(r.Visitors)
	if r.Started < r.Visitors {
		visitors = strconv.Itoa(r.Started) + " of " + visitors
	}
	fmt.Fprintf(&b, "visitors %s (outside the test %d), page views %d, requests %d, events acknowledged %d in %.2fs\n",
		visitors, r.OutOfTest, r.PageViews, r.Requests, r.Events, r.Elapsed.Seconds())
	fmt.Fprintf(&b, "throughput %.0f events/s, %.0f requests/s; latency p50 %s, p95 %s, p99 %s, max %s\n",
		r.EventsPerSecond(), r.RequestsPerSecond(), r.Percentile(50).Round(time.Microsecond), r.Percentile(95).Round(time.Microsecond),
		r.Percentile(99).Round(time.Microsecond), r.Percentile(100).Round(time.Microsecond))
	keys := map[string]bool{}
	for _, m := range []map[string]int{r.Exposures, r.Conversions, r.UncountedVisitors, r.UncountedConversions} {
		for k := range m {
			keys[k] = true
		}
	}
	// Per variant, visitors (each once, however many page views they
	// made), as the results count them: not exposure events; and what
	// copylab said it did not count.
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		fmt.Fprintf(&b, "  %-10s visitors %7d  conversions %7d", k, r.Exposures[k], r.Conversions[k])
		if v, c := r.UncountedVisitors[k], r.UncountedConversions[k]; v > 0 || c > 0 {
			fmt.Fprintf(&b, "  not counted by copylab: %s, %s", plural(v, "visitor", "visitors"), plural(c, "conversion", "conversions"))
		}
		b.WriteByte('\n')
	}
	if n := total(r.NotCounted); n > 0 {
		fmt.Fprintf(&b, "not counted by copylab: %s%s", plural(n, "event", "events"), failureWords(r.NotCounted))
		if r.Bots > 0 {
			fmt.Fprintf(&b, "; %s marked as bots", plural(r.Bots, "visitor", "visitors"))
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "failures %d%s, retries %d\n", r.Failed(), failureWords(r.Failures), r.Retries)
	if r.Verification != "" {
		fmt.Fprintf(&b, "verify: %s\n", r.Verification)
	}
	return b.String()
}

// ParseRates reads "control=0.10,b=0.12". A key given twice is an error:
// which of its rates was meant cannot be known. So is a rate with no key
// ("=0.2"), which names no variant.
func ParseRates(s string) (map[string]float64, error) {
	out := map[string]float64{}
	given := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		rate, err := strconv.ParseFloat(v, 64)
		// Written so that NaN, which ParseFloat reads, is out of range too.
		if !ok || err != nil || !(rate >= 0 && rate <= 1) {
			return nil, fmt.Errorf("rates: %q is not key=rate with a rate between 0 and 1", part)
		}
		if k == "" {
			return nil, fmt.Errorf("rates: %q names no variant: write key=rate, such as control=%s", part, v)
		}
		if prev, dup := given[k]; dup {
			return nil, fmt.Errorf("rates: %s is given twice (%s and %s): give each variant one rate", k, prev, v)
		}
		out[k], given[k] = rate, v
	}
	if len(out) == 0 {
		return nil, errors.New("rates: give at least one, such as control=0.10,b=0.12")
	}
	return out, nil
}

// exampleRates writes a --rates value for every key: the rates given, and
// for each missing key the first rate given, so that the example can be
// run as it is.
func exampleRates(keys []string, given map[string]float64) string {
	fill := 0.1
	for _, k := range keys {
		if r, ok := given[k]; ok {
			fill = r
			break
		}
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		r, ok := given[k]
		if !ok {
			r = fill
		}
		parts[i] = k + "=" + strconv.FormatFloat(r, 'f', -1, 64)
	}
	return strings.Join(parts, ",")
}

// A RefusalError is Run's answer when it sends no traffic at all: the
// site, the experiment, the rates or the token do not fit, copylab cannot
// be reached or answers with an error, or ctx ends first. Its message is a
// sentence for the person who ran the command, saying what went wrong;
// there is no report to print. Err, when set, is the error behind it (a
// context's, so that a caller can tell a timeout).
type RefusalError struct {
	Reason string
	Err    error
}

func (e *RefusalError) Error() string { return "simulate: " + e.Reason }

func (e *RefusalError) Unwrap() error { return e.Err }

// notStarted is the *RefusalError for err, which ended a run before it
// sent any traffic.
func notStarted(ctx context.Context, err error) error {
	if r := (*RefusalError)(nil); errors.As(err, &r) {
		return err
	}
	if cerr := ctx.Err(); cerr != nil {
		return &RefusalError{Reason: "stopped before any traffic was sent: " + cerr.Error(), Err: cerr}
	}
	return &RefusalError{Reason: strings.TrimPrefix(err.Error(), "simulate: "), Err: err}
}

// errTokenRefused is the refusal when copylab's API answers o.Token 401.
var errTokenRefused = &RefusalError{Reason: "copylab refused the API token given as --token (or COPYLAB_TOKEN): it is not valid, or was revoked. " +
	"Create one with copylab token create, or under Settings → API tokens."}

// A NotAnsweringError is Run's error when it stopped the run early
// because copylab had answered none of its requests for Options.GiveUp,
// each failing to connect. Run returns it with the report of what it
// sent.
type NotAnsweringError struct {
	For      time.Duration // Options.GiveUp
	Failures int           // requests that failed to connect since the last answer
}

func (e *NotAnsweringError) Error() string {
	return fmt.Sprintf("simulate: copylab answered none of the requests for %s (%s failed to connect), so the run stopped early",
		e.For, plural(e.Failures, "request", "requests"))
}

// liveness tells from the requests' outcomes when copylab has stopped
// answering (Options.GiveUp), and then stops the run.
type liveness struct {
	giveUp     time.Duration // <= 0: never
	lastAnswer atomic.Int64  // when copylab last answered, or the run began, in Unix nanoseconds
	failures   atomic.Int64  // requests that failed to connect since
	stop       context.CancelCauseFunc
}

// answered records an answer of copylab's, whatever it said.
func (l *liveness) answered() {
	if l == nil {
		return
	}
	l.lastAnswer.Store(time.Now().UnixNano())
	l.failures.Store(0)
}

// unreachable records a request that failed to connect, after its
// retries, and stops the run when copylab has not answered for giveUp.
func (l *liveness) unreachable() {
	if l == nil {
		return
	}
	n := l.failures.Add(1)
	if l.giveUp > 0 && n >= minUnreachable && time.Since(time.Unix(0, l.lastAnswer.Load())) >= l.giveUp {
		l.stop(&NotAnsweringError{For: l.giveUp, Failures: int(n)})
	}
}

// unreachableKind tells whether a failure, as errorKind names it, is a
// request that got no answer because it could not connect, or lost its
// connection: the failures of a copylab that is not running.
func unreachableKind(kind string) bool {
	switch kind {
	case "connection refused", "connection closed", "network error":
		return true
	}
	return false
}

func refuse(format string, args ...any) error {
	return &RefusalError{Reason: fmt.Sprintf(format, args...)}
}

// Run simulates the visitors and returns what happened. When it sends no
// traffic at all, it returns a zero Report and a *RefusalError. When the
// run ends early, it returns the report of what was sent with ctx's
// error, or a *NotAnsweringError when copylab stopped answering
// (Options.GiveUp).
func Run(ctx context.Context, o Options) (Report, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.SamePageView == 0 {
		o.SamePageView = DefaultSamePageView
	}
	if o.PageViews == 0 {
		o.PageViews = DefaultPageViews
	}
	if o.GiveUp == 0 {
		o.GiveUp = DefaultGiveUp
	}
	another := 1 - 1/max(1, o.PageViews) // chance of one more page view
	base := strings.TrimRight(o.URL, "/")
	hc := newHTTP(o)
	cfg, err := fetchConfig(ctx, hc, base, o.Site)
	if err != nil {
		return Report{}, notStarted(ctx, err)
	}
	idx := slices.IndexFunc(cfg.Experiments, func(e ExperimentConfig) bool { return strings.EqualFold(e.ID, o.Experiment) })
	if idx < 0 {
		return Report{}, notStarted(ctx, notRunning(ctx, hc, base, o))
	}
	exp := cfg.Experiments[idx]
	weights := make([]int, len(exp.Variants))
	keys := make([]string, len(exp.Variants))
	for i, v := range exp.Variants {
		weights[i], keys[i] = v.WeightBP, v.Key
	}
	// A running test's share or split may have been lowered to nothing
	// since it started: every visitor would fall outside it, and a run
	// would end "requests 0" as if all went well.
	if exp.CoverageBP <= 0 {
		return Report{}, refuse("experiment %s has a traffic share of 0%%, so no visitor takes part in it and there is nothing to send. "+
			"Raise its share in copylab first.", o.Experiment)
	}
	if !slices.ContainsFunc(weights, func(w int) bool { return w > 0 }) {
		return Report{}, refuse("every variant of experiment %s gets 0%% of the split, so no visitor takes part in it and there is nothing to send. "+
			"Give a variant a share of the split in copylab first.", o.Experiment)
	}
	for _, k := range slices.Sorted(maps.Keys(o.Rates)) {
		if !slices.Contains(keys, k) {
			return Report{}, refuse("experiment %s has no variant %q: its variants are %s.", o.Experiment, k, strings.Join(keys, ", "))
		}
	}
	if o.EveryRate {
		var missing []string
		for _, k := range keys {
			if _, ok := o.Rates[k]; !ok {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			which := "variant " + missing[0]
			if len(missing) > 1 {
				which = "variants " + strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1]
			}
			return Report{}, refuse("--rates gives no rate for %s of experiment %s. Give every variant one, such as --rates %s (%s=0 for one that never converts).",
				which, o.Experiment, exampleRates(keys, o.Rates), missing[0])
		}
	}
	goal := exp.Goal.Type
	if goal == experiments.GoalEvent {
		goal = exp.Goal.Value
	}

	var before counts
	if o.Token != "" {
		if before, err = fetchCounts(ctx, hc, base, o.Experiment, o.Token); err != nil {
			return Report{}, notStarted(ctx, err)
		}
	}

	rep := newReport()
	rep.Visitors = o.Visitors
	// The workers stop when ctx ends, or when copylab stops answering.
	runCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	live := &liveness{giveUp: o.GiveUp, stop: stop}
	live.answered()
	hc.live = live
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	endpoint := base + "/e"
	page := base + "/simulated/pricing"
	for w := 0; w < o.Concurrency; w++ {
		wg.Add(1)
		go func(worker uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(o.Seed, worker))
			var lat []time.Duration
			local := newReport()
			var body []byte
			for runCtx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(o.Visitors) {
					break
				}
				local.Started++
				// A new visitor's id, made as the snippet makes it: a
				// UUIDv7, so that their rows append to the visitor table
				// as a real site's new visitors' do.
				visitor := uuid.Must(uuid.NewV7FromReader(rngReader{rng})).String()
				vi := experiments.Assign(exp.Seed, visitor, weights, exp.CoverageBP)
				if vi < 0 {
					local.OutOfTest++
					continue
				}
				key := exp.Variants[vi].Key
				ua := o.UserAgent
				// Drawn only when asked for, so that a run without bots
				// sends what it sent before for the same seed.
				if o.Bots > 0 && rng.Float64() < o.Bots {
					ua = BotUserAgents[rng.IntN(len(BotUserAgents))]
				} else if ua == "" {
					ua = BrowserUserAgents[rng.IntN(len(BrowserUserAgents))]
				}
				views := 1
				for views < maxPageViews && rng.Float64() < another {
					views++
				}
				converts := rng.Float64() < o.Rates[key]
				together := converts && rng.Float64() < o.SamePageView
				// What copylab made of this visitor, from its answers: the
				// visitor counts in the results from the first exposure it
				// counted, and is among its bots from the first it did
				// not count as a bot's.
				lost, counted, bot, seen := false, false, false, false
				for v := 1; v <= views && !lost; v++ {
					// A page view: an exposure, and on the last one the
					// conversion when it happened within the snippet's
					// one-second batch.
					withConversion := together && v == views
					b := beginBody(body[:0], o.Site, visitor)
					b = appendEvent(b, experiments.EventExposure, exp.ID, key, "", page, 20+rng.IntN(400))
					if withConversion {
						b = appendEvent(append(b, ','), experiments.EventConversion, exp.ID, key, goal, page, -1)
					}
					body = endBody(b)
					d, retries, fail, unc := hc.post(runCtx, endpoint, ua, body)
					local.Retries += retries
					if fail != "" {
						// A visitor whose page view was lost sends nothing
						// more: no conversion without its exposure.
						local.Failures[fail]++
						if !counted {
							local.UnackedExposures[key]++
							if !bot {
								local.UnackedBots++
							}
						}
						if withConversion {
							local.UnackedConversions[key]++
						}
						lost = true
						break
					}
					local.Requests++
					local.PageViews++
					local.Events++
					lat = append(lat, d)
					seen = true
					events := 1
					if withConversion {
						events = 2
					}
					// The answer says how many of the request's events were
					// not counted, not which. All of them when it names as
					// many as were sent (a bot's); otherwise the conversion,
					// since an exposure counts unless its visitor does not.
					local.tally(unc)
					switch {
					case unc.n < events && !counted:
						local.Exposures[key]++
						counted = true
					case unc.n >= events && !counted && !bot && slices.Contains(unc.reasons, experiments.ReasonBot):
						local.Bots++
						bot = true
					}
					if withConversion {
						local.Events++
						if unc.n > 0 {
							local.UncountedConversions[key]++
						} else {
							local.Conversions[key]++
						}
					}
				}
				if seen && !counted {
					local.UncountedVisitors[key]++
				}
				if lost || !converts || together {
					continue
				}
				// A later page: the conversion alone.
				b := beginBody(body[:0], o.Site, visitor)
				b = appendEvent(b, experiments.EventConversion, exp.ID, key, goal, page+"/thanks", -1)
				body = endBody(b)
				d, retries, fail, unc := hc.post(runCtx, endpoint, ua, body)
				local.Retries += retries
				if fail != "" {
					local.Failures[fail]++
					local.UnackedConversions[key]++
					continue
				}
				local.Requests++
				local.Events++
				lat = append(lat, d)
				local.tally(unc)
				if unc.n > 0 {
					local.UncountedConversions[key]++
				} else {
					local.Conversions[key]++
				}
			}
			mu.Lock()
			defer mu.Unlock()
			rep.Started += local.Started
			rep.OutOfTest += local.OutOfTest
			rep.PageViews += local.PageViews
			rep.Requests += local.Requests
			rep.Retries += local.Retries
			rep.Events += local.Events
			rep.Bots += local.Bots
			rep.UnackedBots += local.UnackedBots
			rep.Latencies = append(rep.Latencies, lat...)
			for _, m := range [][2]map[string]int{{rep.Exposures, local.Exposures}, {rep.Conversions, local.Conversions},
				{rep.UncountedVisitors, local.UncountedVisitors}, {rep.UncountedConversions, local.UncountedConversions},
				{rep.NotCounted, local.NotCounted}, {rep.Failures, local.Failures},
				{rep.UnackedExposures, local.UnackedExposures}, {rep.UnackedConversions, local.UnackedConversions}} {
				for k, n := range m[1] {
					m[0][k] += n
				}
			}
		}(uint64(w))
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	slices.Sort(rep.Latencies)
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if down := (*NotAnsweringError)(nil); errors.As(context.Cause(runCtx), &down) {
		return rep, down
	}
	if rep.OutOfTest == rep.Visitors && rep.Visitors > 0 {
		// A share so small that none of the visitors fell in it: nothing
		// was sent, and a report of zeros would read as a success.
		return Report{}, refuse("none of the %d visitors fell in the traffic share of experiment %s (%s%%), so nothing was sent. "+
			"Simulate more with --visitors (COPYLAB_VISITORS), or raise its share in copylab.",
			rep.Visitors, o.Experiment, strconv.FormatFloat(float64(exp.CoverageBP)/100, 'f', -1, 64))
	}
	if o.Token != "" {
		after, err := fetchCounts(ctx, hc, base, o.Experiment, o.Token)
		if err != nil {
			return rep, err
		}
		rep.Verified, rep.Verification = verify(before, after, rep)
	}
	return rep, nil
}

// verify compares the growth of the stored counts with what copylab
// acknowledged and, as its answers said, counted. Every simulated visitor
// is new, and counts once in their variant's visitors (the results'
// "exposures") and at most once in its conversions, unless copylab said
// it did not count them; a visitor it marked as a bot counts once in its
// bots. So the counts must grow by exactly that: less means a loss, more
// a duplicate. Requests that failed after their retries may or may not
// have been stored, so they widen the range by what they carried.
func verify(before, after counts, rep Report) (bool, string) {
	ok := true
	var parts []string
	uncounted := total(rep.UncountedVisitors)+total(rep.UncountedConversions) > 0
	acked := "acknowledged"
	if uncounted {
		acked = "acknowledged as counted"
	}
	check := func(what string, grew int64, want, unacked int) {
		switch {
		case grew < int64(want):
			ok = false
			parts = append(parts, fmt.Sprintf("%s: counted +%d, %s %d (lost %d)", what, grew, acked, want, int64(want)-grew))
		case grew > int64(want+unacked):
			ok = false
			parts = append(parts, fmt.Sprintf("%s: counted +%d, sent %d (duplicated %d)", what, grew, want+unacked, grew-int64(want+unacked)))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(after.variants)) {
		check(k+" visitors", after.variants[k][0]-before.variants[k][0], rep.Exposures[k], rep.UnackedExposures[k])
		check(k+" conversions", after.variants[k][1]-before.variants[k][1], rep.Conversions[k], rep.UnackedConversions[k])
	}
	bots := after.bots - before.bots
	switch {
	case bots < int64(rep.Bots):
		ok = false
		parts = append(parts, fmt.Sprintf("bots: +%d, marked as bots in copylab's answers %d (lost %d)", bots, rep.Bots, int64(rep.Bots)-bots))
	case bots > int64(rep.Bots+rep.UnackedBots):
		ok = false
		parts = append(parts, fmt.Sprintf("bots: +%d, marked as bots in copylab's answers %d (%d more)", bots, rep.Bots, bots-int64(rep.Bots+rep.UnackedBots)))
	}
	if !ok {
		return false, "MISMATCH: " + strings.Join(parts, "; ")
	}
	also, notes := "", "0 lost, 0 duplicated"
	if rep.Bots > 0 {
		also = fmt.Sprintf(", and its excluded bots by %d, the visitors it marked as bots", rep.Bots)
	}
	if uncounted {
		notes += fmt.Sprintf("; %s and %s stored and not counted, as its answers said",
			plural(total(rep.UncountedVisitors), "visitor", "visitors"), plural(total(rep.UncountedConversions), "conversion", "conversions"))
	}
	if n := rep.Failed(); n > 0 {
		notes += fmt.Sprintf("; %d failed requests may or may not have been stored", n)
	}
	switch {
	case rep.Failed() > 0 && uncounted:
		return true, "ok: every visitor and conversion copylab acknowledged as counted was counted once" + also + " (" + notes + ")"
	case rep.Failed() > 0:
		return true, "ok: every acknowledged visitor and conversion counted once" + also + " (" + notes + ")"
	case uncounted:
		return true, "ok: the stored visitors and conversions grew by exactly what copylab counted" + also + " (" + notes + ")"
	}
	return true, "ok: the stored visitors and conversions grew by exactly what was acknowledged" + also + " (" + notes + ")"
}

func newReport() Report {
	return Report{Exposures: map[string]int{}, Conversions: map[string]int{}, Failures: map[string]int{},
		UncountedVisitors: map[string]int{}, UncountedConversions: map[string]int{}, NotCounted: map[string]int{},
		UnackedExposures: map[string]int{}, UnackedConversions: map[string]int{}}
}

// tally adds the events an answer said were not counted.
func (r *Report) tally(u uncounted) {
	if u.n > 0 {
		r.NotCounted[strings.Join(u.reasons, ", ")] += u.n
	}
}

// The body is written by hand rather than through encoding/json: the
// simulator shares the machine with the server it measures, and every
// microsecond it spends is one the server does not get.

func beginBody(b []byte, site, visitor string) []byte {
	b = append(b, `{"site":`...)
	b = appendString(b, site)
	b = append(b, `,"visitor":`...)
	b = appendString(b, visitor)
	return append(b, `,"events":[`...)
}

func endBody(b []byte) []byte { return append(b, "]}"...) }

// appendEvent appends one event object; ms < 0 leaves out the swap time.
func appendEvent(b []byte, typ, exp, variant, goal, page string, ms int) []byte {
	b = append(b, `{"id":"`...)
	b = append(b, uuid.Must(uuid.NewV7()).String()...)
	b = append(b, `","type":`...)
	b = appendString(b, typ)
	b = append(b, `,"experiment":`...)
	b = appendString(b, exp)
	b = append(b, `,"variant":`...)
	b = appendString(b, variant)
	if goal != "" {
		b = append(b, `,"goal":`...)
		b = appendString(b, goal)
	}
	b = append(b, `,"url":`...)
	b = appendString(b, page)
	b = append(b, `,"ts":`...)
	b = strconv.AppendInt(b, time.Now().UnixMilli(), 10)
	if typ == experiments.EventExposure {
		b = append(b, `,"matched":true`...)
		if ms >= 0 {
			b = append(b, `,"ms":`...)
			b = strconv.AppendInt(b, int64(ms), 10)
		}
	}
	return append(b, '}')
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// httpClient sends the simulator's requests through net/http or fasthttp.
type httpClient struct {
	std  *http.Client
	fast *fasthttp.Client
	live *liveness // of Run's requests; nil for the others
}

func newHTTP(o Options) *httpClient {
	if o.Client != nil {
		return &httpClient{std: o.Client}
	}
	return &httpClient{
		std: &http.Client{Timeout: 30 * time.Second},
		fast: &fasthttp.Client{
			Name:                     "copylab-simulate",
			MaxConnsPerHost:          o.Concurrency,
			MaxConnWaitTimeout:       30 * time.Second,
			ReadTimeout:              30 * time.Second,
			WriteTimeout:             30 * time.Second,
			NoDefaultUserAgentHeader: true,
		},
	}
}

// answer is what do reads of an answer.
type answer struct {
	status     int
	retryAfter string // the Retry-After header
	copylab    string // the X-Copylab header: why events were refused, or not all counted
	size       int    // of the body
}

// do sends one request and returns what it read of the answer.
func (h *httpClient) do(ctx context.Context, method, u, ua string, hdr map[string]string, body []byte) (answer, error) {
	if h.fast == nil {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, u, rd)
		if err != nil {
			return answer{}, err
		}
		if ua != "" {
			req.Header.Set("User-Agent", ua)
		}
		req.Header.Set(Header, "1")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := h.std.Do(req)
		if err != nil {
			return answer{}, err
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return answer{resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("X-Copylab"), int(n)}, nil
	}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(u)
	req.Header.SetMethod(method)
	if ua != "" {
		req.Header.SetUserAgent(ua)
	}
	req.Header.Set(Header, "1")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if body != nil {
		req.SetBodyRaw(body)
	}
	resp.SkipBody = method == http.MethodHead
	var err error
	if dl, ok := ctx.Deadline(); ok {
		err = h.fast.DoDeadline(req, resp, dl)
	} else {
		err = h.fast.Do(req, resp)
	}
	if err != nil {
		return answer{}, err
	}
	// Nearly every answer has neither header: string() of an empty slice
	// allocates nothing.
	return answer{resp.StatusCode(), string(resp.Header.Peek("Retry-After")), string(resp.Header.Peek("X-Copylab")),
		len(resp.Body())}, nil
}

// refusalCode is the code of copylab's refusal of events, from its
// X-Copylab header ("rejected: write_failed: The events could not be
// saved…"), or "" when the header names none (another server, a proxy).
func refusalCode(header string) string {
	rest, ok := strings.CutPrefix(header, "rejected: ")
	code, _, _ := strings.Cut(rest, ":")
	if !ok || code == "" || len(code) > 40 || strings.IndexFunc(code, func(r rune) bool { return (r < 'a' || r > 'z') && r != '_' }) >= 0 {
		return ""
	}
	return code
}

// uncounted is what copylab's answer to accepted events says it did not
// count: how many of them, and the reasons it gave.
type uncounted struct {
	n       int
	reasons []string
}

// notCounted reads the X-Copylab header of an accepted request ("stored;
// 2 not counted: bot; 1 already received"): the events stored and not
// counted, those of a test deleted meanwhile (not stored), and those left
// out of the request (skipped) are all not counted, with their reasons,
// sorted and each once. Events received before were counted, or not, by
// the request that brought them; recordings kept without their replay or
// session are counted. A header it cannot read (another server's, a
// proxy's) says nothing was left uncounted.
func notCounted(header string) uncounted {
	var u uncounted
	if header == "" {
		return u
	}
	for _, clause := range strings.Split(header, "; ")[1:] {
		num, rest, _ := strings.Cut(clause, " ")
		what, reasons, ok := strings.Cut(rest, ": ")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n <= 0 || (what != "not counted" && what != "not stored" && what != "skipped") {
			continue
		}
		u.n += n
		for _, r := range strings.Split(reasons, ", ") {
			if r != "" && !slices.Contains(u.reasons, r) {
				u.reasons = append(u.reasons, r)
			}
		}
	}
	slices.Sort(u.reasons)
	return u
}

var postHeaders = map[string]string{"Content-Type": "text/plain;charset=UTF-8"}

// post sends one body, retrying 429 and 503 answers (honouring Retry-After,
// capped) and connection errors a few times, as the snippet's queue would.
// The latency is that of the last attempt. A failure is named by its
// status and the code copylab gave ("503 write_failed"), or how the
// connection failed, or "interrupted" when the run's end cut it off. An
// accepted body's answer says what copylab did not count of it.
func (h *httpClient) post(ctx context.Context, endpoint, ua string, body []byte) (time.Duration, int, string, uncounted) {
	retries := 0
	for {
		t0 := time.Now()
		ans, err := h.do(ctx, http.MethodPost, endpoint, ua, postHeaders, body)
		d := time.Since(t0)
		fail := ""
		if err == nil {
			h.live.answered()
			fail = strconv.Itoa(ans.status)
			if code := refusalCode(ans.copylab); code != "" {
				fail += " " + code
			}
		}
		wait := 50 * time.Millisecond
		switch {
		case err != nil:
			fail = errorKind(err)
			if ctx.Err() != nil && (fail == "network error" || fail == "timeout") {
				// Cut off because the run stopped (its context ended),
				// which says nothing of copylab.
				fail = "interrupted"
			}
		case ans.status/100 == 2:
			return d, retries, "", notCounted(ans.copylab)
		case ans.status == http.StatusTooManyRequests || ans.status == http.StatusServiceUnavailable:
			if s, err := strconv.Atoi(ans.retryAfter); err == nil && s > 0 {
				wait = min(time.Duration(s)*time.Second, 2*time.Second)
			}
		default:
			return d, retries, fail, uncounted{}
		}
		if retries >= 5 || ctx.Err() != nil {
			return d, retries, h.failed(fail), uncounted{}
		}
		retries++
		select {
		case <-ctx.Done():
			return d, retries, h.failed(fail), uncounted{}
		case <-time.After(wait):
		}
	}
}

// failed returns fail, the way a request failed after its retries, having
// told the liveness check of one that could not connect.
func (h *httpClient) failed(fail string) string {
	if unreachableKind(fail) {
		h.live.unreachable()
	}
	return fail
}

// SnippetReport is what RunSnippet did.
type SnippetReport struct {
	Requests  int // answered 200
	Bytes     int64
	Failures  map[string]int
	Elapsed   time.Duration
	Latencies []time.Duration // of answered requests, sorted
}

// RequestsPerSecond is answered requests over the run's wall time.
func (r SnippetReport) RequestsPerSecond() float64 { return perSecond(r.Requests, r.Elapsed) }

// String formats the report for people; scripts/loadtest.sh reads the
// "snippet" line.
func (r SnippetReport) String() string {
	failed := 0
	for _, n := range r.Failures {
		failed += n
	}
	avg := 0
	if r.Requests > 0 {
		avg = int(r.Bytes / int64(r.Requests))
	}
	return fmt.Sprintf("snippet %d requests in %.2fs: %.0f requests/s, %d bytes each; latency p50 %s, p99 %s, max %s\nfailures %d%s\n",
		r.Requests, r.Elapsed.Seconds(), r.RequestsPerSecond(), avg,
		percentile(r.Latencies, 50).Round(time.Microsecond), percentile(r.Latencies, 99).Round(time.Microsecond),
		percentile(r.Latencies, 100).Round(time.Microsecond), failed, failureWords(r.Failures))
}

// failureWords lists failures by kind, most first: " (connection refused
// 250, 503 2)", the status codes as numbers; "" when there are none.
func failureWords(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	kinds := slices.Collect(maps.Keys(m))
	sort.Slice(kinds, func(i, j int) bool {
		if m[kinds[i]] != m[kinds[j]] {
			return m[kinds[i]] > m[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = k + " " + strconv.Itoa(m[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// errorKind names a request that got no answer, for the failures line:
// the server down, gone mid-answer, or too slow.
func errorKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, fasthttp.ErrConnectionClosed):
		return "connection closed"
	case errors.Is(err, fasthttp.ErrTimeout), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "network error"
}

// RunSnippet fetches the site's snippet o.Requests times, o.Concurrency at
// a time, as browsers on a first page view do: gzip accepted, nothing cached.
// Unlike a browser it names no page (no Referer, no Origin), and it names
// itself (Header): copylab records when and on which page a site's tag
// loads, for the site page, which would otherwise say the tag is
// installed, or even show a page that does not exist, on a domain that
// may not be the site's ("Check the domain"). copylab does not record
// these fetches at all.
func RunSnippet(ctx context.Context, o Options) (SnippetReport, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	hc := newHTTP(o)
	u := strings.TrimRight(o.URL, "/") + "/s/" + url.PathEscape(o.Site) + ".js"
	hdr := map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd", "Accept": "*/*"}
	rep := SnippetReport{Failures: map[string]int{}}
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < o.Concurrency; w++ {
		wg.Add(1)
		go func(worker int) {
			defer wg.Done()
			ua := o.UserAgent
			if ua == "" {
				ua = BrowserUserAgents[worker%len(BrowserUserAgents)]
			}
			var lat []time.Duration
			var size int64
			fails := map[string]int{}
			for ctx.Err() == nil && next.Add(1) <= int64(o.Requests) {
				t0 := time.Now()
				ans, err := hc.do(ctx, http.MethodGet, u, ua, hdr, nil)
				switch {
				case err != nil:
					fails["error"]++
				case ans.status != http.StatusOK:
					fails[strconv.Itoa(ans.status)]++
				default:
					lat = append(lat, time.Since(t0))
					size += int64(ans.size)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			rep.Requests += len(lat)
			rep.Bytes += size
			rep.Latencies = append(rep.Latencies, lat...)
			for k, n := range fails {
				rep.Failures[k] += n
			}
		}(w)
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	slices.Sort(rep.Latencies)
	return rep, ctx.Err()
}

// fetchConfig reads the site's running experiments, as its tag has them.
func fetchConfig(ctx context.Context, h *httpClient, base, site string) (Config, error) {
	var cfg Config
	err := getJSON(ctx, h.std, base+"/s/"+url.PathEscape(site)+".json", "", &cfg)
	var status *statusError
	switch {
	case err == nil:
		return cfg, nil
	case errors.As(err, &status) && status.code == http.StatusNotFound:
		return Config{}, refuse("no site has the key %q at %s. The key is the part of the site's tag after /s/ (its page in copylab shows the tag).", site, base)
	case errors.As(err, &status):
		return Config{}, fmt.Errorf("simulate: site config: %w", err)
	case ctx.Err() != nil:
		return Config{}, err
	}
	return Config{}, refuse("cannot reach copylab at %s (%v). Is it running, and is --url its address?", base, err)
}

// notRunning says why the experiment is not among the site's running
// ones. The site's public config lists only running experiments; with an
// API token the experiment itself says whether it is a draft, paused,
// stopped, on another site, or unknown.
func notRunning(ctx context.Context, h *httpClient, base string, o Options) error {
	generic := refuse("experiment %s is not running on the site with key %s. Start it (or resume it, if paused) in copylab, "+
		"and check that --experiment and --site belong together (with --token, copylab says which it is).", o.Experiment, o.Site)
	if o.Token == "" {
		return generic
	}
	var e struct {
		Status experiments.Status `json:"status"`
	}
	err := getJSON(ctx, h.std, base+"/api/v1/experiments/"+url.PathEscape(o.Experiment), o.Token, &e)
	var status *statusError
	switch {
	case errors.As(err, &status) && status.code == http.StatusNotFound:
		return refuse("no experiment has the id %s. Its page in copylab shows the id in the address: /experiments/ID.", o.Experiment)
	case errors.As(err, &status) && status.code == http.StatusUnauthorized:
		return errTokenRefused
	case err != nil:
		return generic
	}
	switch e.Status {
	case experiments.StatusDraft:
		return refuse("experiment %s is a draft, so it takes no traffic. Start it in copylab first.", o.Experiment)
	case experiments.StatusPaused:
		return refuse("experiment %s is paused, so it takes no traffic. Resume it in copylab first.", o.Experiment)
	case experiments.StatusStopped:
		return refuse("experiment %s has stopped, so it takes no more traffic. Duplicate it in copylab to run it again.", o.Experiment)
	case experiments.StatusRunning:
		return refuse("experiment %s runs on another site than the one with key %s. Give that site's key as --site.", o.Experiment, o.Site)
	}
	return generic
}

// counts are the stored counts Verify compares: exposures and
// conversions per variant, and the visitors excluded as bots.
type counts struct {
	variants map[string][2]int64
	bots     int64
}

// fetchCounts reads the counts from the results API.
func fetchCounts(ctx context.Context, h *httpClient, base, exp, token string) (counts, error) {
	var doc struct {
		Variants []struct {
			Key         string `json:"key"`
			Exposures   int64  `json:"exposures"`
			Conversions int64  `json:"conversions"`
		} `json:"variants"`
		Excluded struct {
			Bots int64 `json:"bots"`
		} `json:"excluded"`
	}
	if err := getJSON(ctx, h.std, base+"/api/v1/experiments/"+url.PathEscape(exp)+"/results", token, &doc); err != nil {
		if status := (*statusError)(nil); errors.As(err, &status) && status.code == http.StatusUnauthorized {
			return counts{}, errTokenRefused
		}
		return counts{}, fmt.Errorf("simulate: results: %w", err)
	}
	out := counts{variants: map[string][2]int64{}, bots: doc.Excluded.Bots}
	for _, v := range doc.Variants {
		out.variants[v.Key] = [2]int64{v.Exposures, v.Conversions}
	}
	return out, nil
}

func getJSON(ctx context.Context, c *http.Client, u, token string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set(Header, "1")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if resp.StatusCode != http.StatusOK {
		return &statusError{code: resp.StatusCode, msg: fmt.Sprintf("copylab answered GET %s with %s%s", u, resp.Status, apiMessage(body))}
	}
	return json.Unmarshal(body, into)
}

// apiMessage is ": " and the sentence of an API error's body
// ({"error": {"message": …}}), or "" when the body holds none.
func apiMessage(body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || strings.TrimSpace(e.Error.Message) == "" {
		return ""
	}
	return ": " + strings.Join(strings.Fields(e.Error.Message), " ")
}

// statusError is an answer other than 200 to getJSON.
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return e.msg }

// rngReader reads random bytes from a seeded generator, for ids whose
// random bits follow the run's seed.
type rngReader struct{ r *rand.Rand }

func (g rngReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(g.r.Uint32())
	}
	return len(p), nil
}

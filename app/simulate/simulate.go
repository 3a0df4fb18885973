// Package simulate sends realistic visitor traffic to a running copylab
// through its public HTTP endpoints, for demos and load tests: it reads the
// site's public config, assigns each visitor per the shared spec, sends an
// exposure, and a conversion at the given rate for the visitor's variant. It
// reports throughput, latency and failures, and can check afterwards that the
// stored counts grew by exactly what it sent.
package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"copylab/experiments"
)

// Options configure one run.
type Options struct {
	URL         string             // base URL of copylab, e.g. http://127.0.0.1:8080
	Site        string             // site key
	Experiment  string             // experiment id
	Visitors    int                // how many visitors to simulate
	Rates       map[string]float64 // conversion rate per variant key
	Concurrency int                // requests in flight
	Token       string             // API token; with it, Verify compares stored counts
	Seed        uint64             // random seed, for repeatable runs
	Client      *http.Client
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
type Report struct {
	Visitors     int
	OutOfTest    int            // visitors the assignment left out (coverage)
	Exposures    map[string]int // sent, per variant
	Conversions  map[string]int // sent, per variant
	Events       int            // acknowledged
	Requests     int
	Failures     map[string]int // by status or error, after retries
	Retries      int
	Elapsed      time.Duration
	Latencies    []time.Duration // of acknowledged requests, sorted
	Verified     bool
	Verification string
}

// EventsPerSecond is acknowledged events over the run's wall time.
func (r Report) EventsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Events) / r.Elapsed.Seconds()
}

// Percentile returns the p-th (0..100) latency percentile.
func (r Report) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies)-1) * p / 100)
	return r.Latencies[i]
}

// String formats the report for people.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "visitors %d (outside the test %d), requests %d, events acknowledged %d in %.2fs\n",
		r.Visitors, r.OutOfTest, r.Requests, r.Events, r.Elapsed.Seconds())
	fmt.Fprintf(&b, "throughput %.0f events/s; latency p50 %s, p95 %s, p99 %s, max %s\n", r.EventsPerSecond(),
		r.Percentile(50).Round(time.Microsecond), r.Percentile(95).Round(time.Microsecond),
		r.Percentile(99).Round(time.Microsecond), r.Percentile(100).Round(time.Microsecond))
	keys := make([]string, 0, len(r.Exposures))
	for k := range r.Exposures {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-10s exposures %7d  conversions %7d\n", k, r.Exposures[k], r.Conversions[k])
	}
	failed := 0
	for _, n := range r.Failures {
		failed += n
	}
	fmt.Fprintf(&b, "failures %d %v, retries %d\n", failed, r.Failures, r.Retries)
	if r.Verification != "" {
		fmt.Fprintf(&b, "verify: %s\n", r.Verification)
	}
	return b.String()
}

// ParseRates reads "control=0.10,b=0.12".
func ParseRates(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		rate, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err != nil || rate < 0 || rate > 1 {
			return nil, fmt.Errorf("rates: %q is not key=rate with a rate between 0 and 1", part)
		}
		out[strings.TrimSpace(k)] = rate
	}
	if len(out) == 0 {
		return nil, errors.New("rates: give at least one, such as control=0.10,b=0.12")
	}
	return out, nil
}

// Run simulates the visitors and returns what happened.
func Run(ctx context.Context, o Options) (Report, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: o.Concurrency * 2, MaxIdleConnsPerHost: o.Concurrency * 2, IdleConnTimeout: 30 * time.Second,
		}}
	}
	base := strings.TrimRight(o.URL, "/")
	cfg, err := fetchConfig(ctx, o.Client, base, o.Site)
	if err != nil {
		return Report{}, err
	}
	idx := slices.IndexFunc(cfg.Experiments, func(e ExperimentConfig) bool { return e.ID == o.Experiment })
	if idx < 0 {
		return Report{}, fmt.Errorf("simulate: experiment %s is not running on site %s (start it first)", o.Experiment, o.Site)
	}
	exp := cfg.Experiments[idx]
	weights := make([]int, len(exp.Variants))
	for i, v := range exp.Variants {
		weights[i] = v.WeightBP
	}
	for k := range o.Rates {
		if !slices.ContainsFunc(exp.Variants, func(v VariantConfig) bool { return v.Key == k }) {
			return Report{}, fmt.Errorf("simulate: the experiment has no variant %q", k)
		}
	}
	goal := exp.Goal.Type
	if goal == experiments.GoalEvent {
		goal = exp.Goal.Value
	}

	var before map[string][2]int64
	if o.Token != "" {
		if before, err = fetchCounts(ctx, o.Client, base, o.Experiment, o.Token); err != nil {
			return Report{}, err
		}
	}

	rep := Report{Visitors: o.Visitors, Exposures: map[string]int{}, Conversions: map[string]int{}, Failures: map[string]int{}}
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	endpoint := base + "/e"
	for w := 0; w < o.Concurrency; w++ {
		wg.Add(1)
		go func(worker uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(o.Seed, worker))
			var lat []time.Duration
			local := Report{Exposures: map[string]int{}, Conversions: map[string]int{}, Failures: map[string]int{}}
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(o.Visitors) {
					break
				}
				visitor := fmt.Sprintf("sim-%016x-%d", rng.Uint64(), i)
				vi := experiments.Assign(exp.Seed, visitor, weights, exp.CoverageBP)
				if vi < 0 {
					local.OutOfTest++
					continue
				}
				key := exp.Variants[vi].Key
				steps := []string{experiments.EventExposure}
				if rng.Float64() < o.Rates[key] {
					steps = append(steps, experiments.EventConversion)
				}
				for _, typ := range steps {
					body := eventBody(o.Site, visitor, exp.ID, key, typ, goal, base)
					d, retries, fail := post(ctx, o.Client, endpoint, body)
					local.Requests++
					local.Retries += retries
					if fail != "" {
						local.Failures[fail]++
						break // a visitor whose exposure was lost must not convert
					}
					lat = append(lat, d)
					local.Events++
					if typ == experiments.EventExposure {
						local.Exposures[key]++
					} else {
						local.Conversions[key]++
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			rep.OutOfTest += local.OutOfTest
			rep.Requests += local.Requests
			rep.Retries += local.Retries
			rep.Events += local.Events
			rep.Latencies = append(rep.Latencies, lat...)
			for k, n := range local.Exposures {
				rep.Exposures[k] += n
			}
			for k, n := range local.Conversions {
				rep.Conversions[k] += n
			}
			for k, n := range local.Failures {
				rep.Failures[k] += n
			}
		}(uint64(w))
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	slices.Sort(rep.Latencies)
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if o.Token != "" {
		after, err := fetchCounts(ctx, o.Client, base, o.Experiment, o.Token)
		if err != nil {
			return rep, err
		}
		rep.Verified, rep.Verification = verify(before, after, rep)
	}
	return rep, nil
}

// verify compares the growth of the stored counts with what was sent.
func verify(before, after map[string][2]int64, rep Report) (bool, string) {
	ok := true
	var parts []string
	keys := make([]string, 0, len(after))
	for k := range after {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		de := after[k][0] - before[k][0]
		dc := after[k][1] - before[k][1]
		if de != int64(rep.Exposures[k]) || dc != int64(rep.Conversions[k]) {
			ok = false
			parts = append(parts, fmt.Sprintf("%s stored +%d/+%d, sent %d/%d", k, de, dc, rep.Exposures[k], rep.Conversions[k]))
		}
	}
	if ok {
		return true, "ok: the stored exposures and conversions grew by exactly what was acknowledged (0 lost, 0 duplicated)"
	}
	return false, "MISMATCH: " + strings.Join(parts, "; ")
}

func eventBody(site, visitor, exp, variant, typ, goal, base string) []byte {
	ev := map[string]any{
		"id": uuid.Must(uuid.NewV7()).String(), "type": typ, "experiment": exp, "variant": variant,
		"url": base + "/simulated", "ts": time.Now().UnixMilli(),
	}
	if typ == experiments.EventConversion {
		ev["goal"] = goal
	} else {
		ev["matched"] = true
	}
	b, _ := json.Marshal(map[string]any{"site": site, "visitor": visitor, "events": []any{ev}})
	return b
}

// post sends one body, retrying 429 and 503 answers (honouring Retry-After,
// capped) and connection errors a few times, as the snippet's queue would.
func post(ctx context.Context, c *http.Client, endpoint string, body []byte) (time.Duration, int, string) {
	retries := 0
	for {
		t0 := time.Now()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
		req.Header.Set("Content-Type", "text/plain")
		resp, err := c.Do(req)
		d := time.Since(t0)
		fail := ""
		wait := 50 * time.Millisecond
		if err != nil {
			fail = "error"
		} else {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			switch {
			case resp.StatusCode/100 == 2:
				return d, retries, ""
			case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
				fail = strconv.Itoa(resp.StatusCode)
				if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
					wait = min(time.Duration(s)*time.Second, 2*time.Second)
				}
			default:
				return d, retries, strconv.Itoa(resp.StatusCode)
			}
		}
		if retries >= 5 || ctx.Err() != nil {
			return d, retries, fail
		}
		retries++
		select {
		case <-ctx.Done():
			return d, retries, fail
		case <-time.After(wait):
		}
	}
}

func fetchConfig(ctx context.Context, c *http.Client, base, site string) (Config, error) {
	var cfg Config
	err := getJSON(ctx, c, base+"/s/"+url.PathEscape(site)+".json", "", &cfg)
	if err != nil {
		return Config{}, fmt.Errorf("simulate: site config: %w", err)
	}
	return cfg, nil
}

// fetchCounts reads exposures and conversions per variant from the results API.
func fetchCounts(ctx context.Context, c *http.Client, base, exp, token string) (map[string][2]int64, error) {
	var doc struct {
		Variants []struct {
			Key         string `json:"key"`
			Exposures   int64  `json:"exposures"`
			Conversions int64  `json:"conversions"`
		} `json:"variants"`
	}
	if err := getJSON(ctx, c, base+"/api/v1/experiments/"+url.PathEscape(exp)+"/results", token, &doc); err != nil {
		return nil, fmt.Errorf("simulate: results: %w", err)
	}
	out := map[string][2]int64{}
	for _, v := range doc.Variants {
		out[v.Key] = [2]int64{v.Exposures, v.Conversions}
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
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(body)))
	}
	return json.Unmarshal(body, into)
}

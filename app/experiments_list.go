package app

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/stats"
	"copylab/views"
)

// experimentsList answers GET /experiments, the app's start page:
// newest first, listPageSize at a time. ?status= picks a tab, ?site=
// narrows to one site (its id in any case), ?q= to names, pages or sites
// holding the words; unknown values show everything. The pages go by
// position, as the API's do (listPage). The tabs' counts come from one
// count by status, and only the page's experiments are read.
func (a *App) experimentsList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	sites, err := a.store.Sites(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, s := range sites {
		names[s.ID] = s.Name
	}
	p := views.ExperimentsPage{Page: a.page(c, views.NavExperiments), HasSites: len(sites) > 0}
	p.Title = "Experiments"
	f := experiments.ExperimentFilter{}
	// A site id in any case, as the API reads one (apiLowerIDs): the
	// store keeps it in lower case.
	if id := asciiLower(c.Query("site")); names[id] != "" {
		f.SiteID, p.SiteID, p.SiteName = id, id, names[id]
	}
	p.Query = strings.ToValidUTF8(strings.TrimSpace(c.Query("q")), "")
	if r := []rune(p.Query); len(r) > 200 {
		p.Query = string(r[:200])
	}
	f.Search = p.Query
	counts, err := a.store.StatusCounts(ctx, f)
	if err != nil {
		return err
	}
	p.Total = counts.Total
	for _, n := range counts.Matched {
		p.Matched += n
	}
	filter := experiments.Status(c.Query("status"))
	if !slices.Contains(listFilters, filter) {
		filter = ""
	}
	p.Filter = string(filter)
	p.ClearURL, p.AllURL = listURL(p.SiteID, "", filter, 1), listURL(p.SiteID, "", "", 1)
	for _, st := range listFilters {
		t := views.FilterTab{Label: filterLabels[st], URL: listURL(p.SiteID, p.Query, st, 1), Count: p.Matched, Active: st == filter}
		if st != "" {
			t.Count = counts.Matched[st]
		}
		p.Tabs = append(p.Tabs, t)
	}
	n := p.Matched
	if filter != "" {
		f.Status, n = filter, counts.Matched[filter]
	}
	var shown []experiments.Experiment
	if n > 0 {
		var at listPlace
		shown, at, err = a.listPage(ctx, f, n, c.Query("after"), c.Query("before"), c.Query("page"))
		if err != nil {
			return err
		}
		p.Pager = at.pager(shown, n, func(key string, pos experiments.PagePosition) string {
			return listURLAt(p.SiteID, p.Query, filter, key, pos)
		})
	}
	p.Experiments, err = a.experimentRows(ctx, shown, func(e experiments.Experiment) string { return names[e.SiteID] })
	if err != nil {
		return err
	}
	p.Title = listTitle(p.SiteName, p.Query, filter, p.Pager)
	return render(c, views.Experiments(p))
}

// listPageSize is how many experiments a list shows at once: each started
// one costs its statistics (or a cache lookup) to show its verdict.
const listPageSize = 50

// listPlace is where a page of a list stands when it is read: how many
// experiments come before it, and whether older ones follow it.
type listPlace struct {
	newer int
	older bool
}

// pager says where shown, a page of a list of n experiments (as counted),
// stands and links to its neighbours by position: Older continues after
// its last experiment, Newer goes back from its first, or to the newest
// page when fewer than a page come before it. url is the list's link at a
// position (listURLAt).
func (at listPlace) pager(shown []experiments.Experiment, n int, url func(key string, pos experiments.PagePosition) string) views.Pager {
	if len(shown) == 0 {
		return views.Pager{Total: n}
	}
	// An experiment created or deleted since the count moves the page;
	// the pager says what the page shows.
	pg := views.Pager{From: at.newer + 1, To: at.newer + len(shown)}
	pg.Total = max(n, pg.To)
	switch {
	case at.newer > listPageSize:
		pg.PrevURL = url("before", experiments.PositionOf(shown[0]))
	case at.newer > 0:
		pg.PrevURL = url("", experiments.PagePosition{})
	}
	if at.older {
		pg.NextURL = url("after", experiments.PositionOf(shown[len(shown)-1]))
	}
	return pg
}

// listPage reads the page of the experiments f holds (n of them when
// counted) that a list's link asks for, and where it stands. The pages go
// by position, as GET /api/v1/experiments does with its cursor, so that
// an experiment created or deleted between two pages neither repeats one
// nor skips one: after (a cursor) asks for the page after that position,
// or the last page when none is left after it; before for the page just
// before it, or the newest page when fewer than a page come before it;
// page, a page number from the links of old, for that page by offset (the
// nearest when out of range). Anything else is the newest page.
func (a *App) listPage(ctx context.Context, f experiments.ExperimentFilter, n int, after, before, page string) ([]experiments.Experiment, listPlace, error) {
	q := experiments.PageQuery{Filter: f, Limit: listPageSize}
	if pos, ok := parseCursor(after); ok {
		q.After = pos
	} else if pos, ok := parseCursor(before); ok {
		q.Before = pos
	} else if k, err := strconv.Atoi(page); err == nil && k > 1 {
		q.Offset = min(k-1, (n-1)/listPageSize) * listPageSize
	}
	shown, more, err := a.store.ExperimentsPage(ctx, q)
	if err != nil {
		return nil, listPlace{}, err
	}
	again := true
	switch {
	case q.After.ID != "" && len(shown) == 0:
		q.After, q.Offset = experiments.PagePosition{}, (n-1)/listPageSize*listPageSize
	case q.Before.ID != "" && !more:
		q.Before = experiments.PagePosition{}
	default:
		again = false
	}
	if again {
		if shown, more, err = a.store.ExperimentsPage(ctx, q); err != nil {
			return nil, listPlace{}, err
		}
	}
	at := listPlace{older: more}
	if len(shown) == 0 || q == (experiments.PageQuery{Filter: f, Limit: listPageSize}) {
		return shown, at, nil // the newest page
	}
	if q.Before.ID != "" {
		// more said that newer ones come before the page; whether older
		// ones follow it is one index lookup.
		next, _, err := a.store.ExperimentsPage(ctx, experiments.PageQuery{Filter: f, Limit: 1, After: experiments.PositionOf(shown[len(shown)-1])})
		if err != nil {
			return nil, listPlace{}, err
		}
		at.older = len(next) > 0
	}
	at.newer, err = a.store.NewerCount(ctx, f, experiments.PositionOf(shown[0]))
	if err != nil {
		return nil, listPlace{}, err
	}
	return shown, at, nil
}

// pagerOf returns the page (from 1; out of range is the nearest page) of a
// list of n experiments, and the pager that says where it is: a site's
// page, which shows the newest page and links to the rest of the list.
func pagerOf(n, page int, url func(page int) string) (int, views.Pager) {
	pages := max(1, (n+listPageSize-1)/listPageSize)
	page = min(max(page, 1), pages)
	from, to := (page-1)*listPageSize, min(page*listPageSize, n)
	pg := views.Pager{From: from + 1, To: to, Total: n}
	if n == 0 {
		pg.From = 0
	}
	if page > 1 {
		pg.PrevURL = url(page - 1)
	}
	if page < pages {
		pg.NextURL = url(page + 1)
	}
	return page, pg
}

// listURL is the experiments list with these filters; the zero values are
// left out.
func listURL(siteID, q string, status experiments.Status, page int) string {
	v := listQuery(siteID, q, status)
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return listHref(v)
}

// listURLAt is the experiments list with these filters at a position (see
// listPage): key "after" is the page after pos, "before" the page before
// it, and "" the newest page.
func listURLAt(siteID, q string, status experiments.Status, key string, pos experiments.PagePosition) string {
	v := listQuery(siteID, q, status)
	if key != "" {
		v.Set(key, cursorOf(pos))
	}
	return listHref(v)
}

// listQuery is the query string of the experiments list's filters; the
// zero values are left out.
func listQuery(siteID, q string, status experiments.Status) url.Values {
	v := url.Values{}
	if siteID != "" {
		v.Set("site", siteID)
	}
	if q != "" {
		v.Set("q", q)
	}
	if status != "" {
		v.Set("status", string(status))
	}
	return v
}

// listHref is the experiments list with the query v.
func listHref(v url.Values) string {
	if len(v) == 0 {
		return "/experiments"
	}
	return "/experiments?" + v.Encode()
}

// listFilters are the experiments list's status tabs, in order ("" is
// all of them); filterLabels name them.
var (
	listFilters  = []experiments.Status{"", experiments.StatusRunning, experiments.StatusDraft, experiments.StatusPaused, experiments.StatusStopped}
	filterLabels = map[experiments.Status]string{"": "All", experiments.StatusRunning: "Running", experiments.StatusDraft: "Drafts",
		experiments.StatusPaused: "Paused", experiments.StatusStopped: "Stopped"}
)

// experimentRows are exps as a list shows them. A started experiment also
// gets its counted visitors and the verdict of its results, from its
// variants' totals (read for the whole list at once) and the verdict cache,
// whether the tag never found its element (foundNowhere, which heads the
// results' verdict), and whether that verdict is an answer too early to
// act on, as the results page judges it (answerTooEarly). That is asked
// outside the cache: it changes with time as well as counts (a test turns
// a week old with no new visitor), and it reads an experiment's history
// only for an answer.
func (a *App) experimentRows(ctx context.Context, exps []experiments.Experiment, siteName func(experiments.Experiment) string) ([]views.ExperimentRow, error) {
	var started []experiments.Experiment
	for _, e := range exps {
		if !e.StartedAt.IsZero() {
			started = append(started, e)
		}
	}
	totals, err := a.store.VariantTotals(ctx, started)
	if err != nil {
		return nil, err
	}
	rows := make([]views.ExperimentRow, len(exps))
	for i, e := range exps {
		// The Variants column counts the new copies, not the original
		// they are tested against, as the page says "Add at least one
		// variant" of a draft with only the original.
		rows[i] = views.ExperimentRow{
			ID: e.ID, Name: e.Name, SiteName: siteName(e), Page: e.Page, Status: badgeStatus(e),
			Variants: max(len(e.Variants)-1, 0), Created: e.CreatedAt,
		}
		if e.StartedAt.IsZero() {
			continue
		}
		sum := a.verdicts.get(e, totals[e.ID])
		early, err := a.answerTooEarly(ctx, e, experiments.Counts{Variants: totals[e.ID]}, sum.status)
		if err != nil {
			return nil, err
		}
		r := &rows[i]
		r.Started, r.Verdict, r.Visitors, r.Early, r.Unsure = true, sum.status, sum.visitors, early, sum.unsure
		r.NotFound = foundNowhere(e, totals[e.ID])
		r.Ended = e.Status == experiments.StatusStopped
		r.Leader, r.LeaderLift, r.HasLeadLift, r.Beaten = sum.leader, sum.lift, sum.hasLift, sum.beaten
	}
	return rows, nil
}

// verdictSummary is what a list shows of an experiment's results.
type verdictSummary struct {
	status   string
	unsure   bool // called only as probable (stats.Verdict.Unsure)
	visitors int64
	leader   string // the arm the verdict names in the lead (stats.Verdict.Lead): "The original", "Variant B", or ""
	lift     float64
	hasLift  bool
	beaten   int // variants that beat the original where the verdict waits to tell which is best (views.ExperimentRow.Beaten)
}

// verdictCache keeps the lists' verdicts by what they are computed from:
// an experiment's variants (keys, weights) and their totals, and its
// threshold. The statistics take about half a millisecond per experiment,
// mostly the uplift intervals the verdict needs, and between two views of
// a list most experiments have no new visitors (every stopped one). It
// forgets everything once it holds maxCachedVerdicts entries.
type verdictCache struct {
	mu sync.Mutex
	m  map[string]verdictEntry
}

type verdictEntry struct {
	key string
	sum verdictSummary
}

const maxCachedVerdicts = 10_000

func (vc *verdictCache) get(e experiments.Experiment, totals []experiments.VariantCounts) verdictSummary {
	var k strings.Builder
	fmt.Fprintf(&k, "%g", e.Threshold)
	for i, v := range e.Variants {
		fmt.Fprintf(&k, "|%s:%d", v.Key, v.WeightBP)
		if i < len(totals) {
			t := totals[i]
			fmt.Fprintf(&k, ":%s:%d:%d:%d", t.Key, t.Exposures, t.Conversions, t.SinceSplit)
		}
	}
	key := k.String()
	vc.mu.Lock()
	ent, ok := vc.m[e.ID]
	vc.mu.Unlock()
	if ok && ent.key == key {
		return ent.sum
	}
	sum := summarize(e, totals)
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.m == nil || len(vc.m) >= maxCachedVerdicts {
		vc.m = map[string]verdictEntry{}
	}
	vc.m[e.ID] = verdictEntry{key, sum}
	return sum
}

// summarize runs the statistics of the results page on an experiment's
// totals and keeps what a list shows. The list names the arm in the lead
// exactly where the results' verdict does (stats.Verdict.Leads), and that
// arm: a winner or the original ahead, early or not, and, while it is too
// early to call, the arm the verdict says is (or was) ahead ("Variant B is
// ahead on clicks … but it is too early to call"). Where the verdict
// names none (no clear leader yet, several variants that beat the
// original with the best of them open, no meaningful difference, not
// enough data, a broken split) neither does the list.
func summarize(e experiments.Experiment, totals []experiments.VariantCounts) verdictSummary {
	_, an := analyzeCounts(e, experiments.Counts{Variants: totals})
	sum := verdictSummary{status: an.Verdict.Status, unsure: an.Verdict.Unsure}
	for _, v := range an.Variants {
		sum.visitors += v.Exposures
	}
	best := an.Verdict.Lead
	switch {
	case !an.Verdict.Leads && an.Verdict.Status == stats.StatusKeepRunning:
		// The verdict's own rule for "Variant B and Variant C both beat
		// the original" (stats.DecisionProb on each chance to beat it):
		// no other verdict that waits has two variants past it.
		n := 0
		for _, v := range an.Variants[1:] {
			if v.ProbBeatControl != nil && *v.ProbBeatControl >= stats.DecisionProb {
				n++
			}
		}
		if n > 1 {
			sum.beaten = n
		}
	case !an.Verdict.Leads || best < 0 || best >= len(an.Variants):
	case best == 0:
		sum.leader = "The original"
	default:
		sum.leader = an.Variants[best].Label
		if u := an.Variants[best].Uplift; u != nil {
			sum.lift, sum.hasLift = *u, true
		}
	}
	return sum
}

// listTitle names what the list shows, for the browser tab and a screen
// reader's first words: "Running experiments on Shop matching “pricing”,
// 51–100 of 120".
func listTitle(site, query string, filter experiments.Status, pg views.Pager) string {
	t := "Experiments"
	if filter != "" {
		t = filterLabels[filter] + " experiments"
		if filter == experiments.StatusDraft {
			t = "Draft experiments"
		}
	}
	if site != "" {
		t += " on " + site
	}
	if query != "" {
		t += " matching “" + query + "”"
	}
	if pg.From > 1 {
		t += ", " + strconv.Itoa(pg.From) + "–" + strconv.Itoa(pg.To) + " of " + strconv.Itoa(pg.Total)
	}
	return t
}

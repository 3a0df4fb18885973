package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// resultsShow answers GET /experiments/:id/results: the verdict and the
// table (live, every 5 s), the charts and segments (every 30 s), how to read
// them, the CSV exports and the share link.
func (a *App) resultsShow(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	base := "/experiments/" + e.ID
	p := views.ResultsPage{
		Page:        a.page(c, views.NavExperiments),
		ID:          e.ID,
		Name:        e.Name,
		Status:      badgeStatus(e),
		ShareURL:    a.shareURL(e),
		Goal:        goalSentence(e.Goal),
		CSVURL:      base + "/results.csv",
		DailyCSVURL: base + "/daily.csv",
	}
	p.Title = "Results: " + e.Name
	if e.Status != experiments.StatusDraft { // a draft has no results yet: the page says so
		p.Results, p.Trends = a.resultsAndTrends(c, e, base+"/results/live", base+"/results/trends")
		p.Recordings = a.recordingsView(c, e, base+"/recordings", recordingsSetupURL(e)) // recordings.go
	}
	return render(c, views.ResultsFull(p))
}

// resultsAndTrends builds the live panel and the trends from one report.
func (a *App) resultsAndTrends(c *fiber.Ctx, e experiments.Experiment, liveURL, trendsURL string) (views.Results, views.Trends) {
	r, err := a.trendsReport(c, e)
	if err != nil {
		a.log.Error("results: report failed", "request_id", requestIDOf(c), "experiment", e.ID, "error", err)
		const msg = "The results could not be read just now. They will appear on the next refresh."
		return views.Results{Status: string(e.Status), LiveURL: liveURL, UpdatedAt: a.now(), Unavailable: msg},
			views.Trends{LiveURL: trendsURL, Unavailable: msg}
	}
	live := liveURL
	if e.Status == experiments.StatusStopped {
		live = ""
	}
	res := withProvenance(c, e, r.resultsView(live)) // generate.go
	// The experiment's page says what was shipped in its own notice; these
	// pages say it in the panel, and mark the variant's row.
	if e.ShippedVariant != "" {
		res.ShippedKey, res.ShippedAt = e.ShippedVariant, e.ShippedAt
	}
	return res, r.trendsWithOverall(trendsURL)
}

// trendsWithOverall is the trends with each marked variant's overall
// uplift, the figure its segments' marks compare with.
func (r *resultsReport) trendsWithOverall(trendsURL string) views.Trends {
	t := r.trendsView(trendsURL)
	for _, f := range r.flags {
		if t.Overall == nil {
			t.Overall = map[string]float64{}
		}
		t.Overall[f.Variant] = f.OverallUplift
	}
	return t
}

// trendsReport is the report behind the pages' charts: with the trends,
// and by hour while the test is young (addHours). The results document
// and the CSV keep the days.
func (a *App) trendsReport(c *fiber.Ctx, e experiments.Experiment) (*resultsReport, error) {
	r, err := a.buildReport(c.UserContext(), e, true, readerOf(c))
	if err != nil {
		return nil, err
	}
	if err := a.addHours(c.UserContext(), r); err != nil {
		return nil, err
	}
	return r, nil
}

// trends builds the charts and segments fragment. A draft's is its empty
// state: nothing is counted before the start, so its counts are not read
// and no empty chart is drawn. experimentURL leads a member back to the
// experiment from it ("" on a share link).
func (a *App) trends(c *fiber.Ctx, e experiments.Experiment, trendsURL, experimentURL string) views.Trends {
	if e.Status == experiments.StatusDraft {
		return views.Trends{Draft: true, ExperimentURL: experimentURL}
	}
	r, err := a.trendsReport(c, e)
	if err != nil {
		a.log.Error("results: report failed", "request_id", requestIDOf(c), "experiment", e.ID, "error", err)
		return views.Trends{LiveURL: trendsURL, Unavailable: "The charts could not be read just now. They will appear on the next refresh."}
	}
	return r.trendsWithOverall(trendsURL)
}

// resultsLive answers GET /experiments/:id/results/live, the fragment
// htmx polls every five seconds, for the results page and, with
// ?heading=3 (its panel's hx-vals), for the experiment page, where the
// panel's headings are a level below the card's "Results". Any other
// level is the results page's.
func (a *App) resultsLive(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	r := a.results(c, e, "/experiments/"+e.ID+"/results/live")
	if c.Query("heading") == "3" {
		r.Heading = 3
	}
	return render(c, views.ResultsPanel(r))
}

// resultsTrends answers GET /experiments/:id/results/trends, the charts and
// segments fragment htmx polls every 30 seconds.
func (a *App) resultsTrends(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.ResultsTrends(a.trends(c, e, "/experiments/"+e.ID+"/results/trends", "/experiments/"+e.ID)))
}

package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// experimentShow answers GET /experiments/:id: status, actions, live
// results, copy, preview links and the share link (a draft has neither
// results nor share link yet).
func (a *App) experimentShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	site, err := a.store.Site(ctx, e.SiteID)
	if err != nil {
		return err
	}
	others, err := a.elementOthers(ctx, e)
	if err != nil {
		return err
	}
	tag, err := a.experimentTag(ctx, e, site)
	if err != nil {
		return err
	}
	now := a.now()
	p := views.ExperimentPage{
		Page:        a.page(c, views.NavExperiments),
		ID:          e.ID,
		Name:        e.Name,
		Status:      badgeStatus(e),
		SiteID:      site.ID,
		SiteName:    site.Name,
		PageURL:     experiments.PageShown(e.Page), // the stored escapes as letters
		Selector:    e.Selector,
		VisibleOnly: e.VisibleOnly,
		Goal:        goalSentence(e.Goal),
		CoveragePct: experiments.PercentOfBP(e.CoverageBP) + "%",
		Variants:    variantViews(e),
		Actions:     actionsFor(e, others, site.Name, tag, now),
		QALinks:     a.qaLinks(e, site),
		ShareURL:    a.shareURL(e),
		CanEdit:     e.Status != experiments.StatusStopped,
		Started:     e.StartedAt,
		Ended:       e.EndedAt,
		Demo:        isDemo(e, site.Name),
		Tag:         tag,
		Unset:       unsetNames(e),
	}
	if e.FollowsID != "" {
		// A follow-up links to the test it follows, unless that was
		// deleted since e was read.
		f, err := a.store.Experiment(ctx, e.FollowsID)
		switch {
		case err == nil:
			p.FollowsID, p.FollowsName = f.ID, f.Name
		case !errors.Is(err, experiments.ErrNotFound):
			return err
		}
	}
	if !e.Complete() {
		// A draft saved to draft copy for before these were chosen:
		// neither the tag nor a preview link could show it yet.
		p.QALinks = nil
		if e.Goal.Value() == "" {
			p.Goal = ""
		}
	}
	p.Title = e.Name
	if e.Status == experiments.StatusDraft {
		p.Drafts = a.genJobs.draftsWaiting(e.ID, personOf(sessionOf(c).user))
	}
	// A draft counts nobody: its page shows what to do before the start,
	// not an empty panel that polls for results that cannot come.
	if e.Status != experiments.StatusDraft {
		p.Results = a.results(c, e, "/experiments/"+e.ID+"/results/live")
		// The panel sits under the card's own "Results" heading; its
		// polls ask for the same level (resultsLive).
		p.Results.Heading = 3
	}
	if e.Status != experiments.StatusDraft {
		// The Ship buttons word the panel's own numbers and verdict
		// (views.shipConfirm): the variant they say leads is the one the
		// verdict names in the lead, so they never call a leader the
		// verdict does not.
		p.Leader = p.Results.Verdict.Lead
		for _, v := range e.Variants[min(1, len(e.Variants)):] {
			if v.Key != e.ShippedVariant {
				p.Ship = append(p.Ship, views.ShipOption{Key: v.Key, Label: views.VariantLabel(v.Key, false), Text: v.Text})
			}
		}
	}
	if v, ok := e.Variant(e.ShippedVariant); ok {
		p.Shipped, p.ShippedText, p.ShippedAt = views.VariantLabel(v.Key, false), v.Text, e.ShippedAt
		// A running test of the element hides it (shipHidden): others
		// holds those.
		p.ShipHidden = len(others.running) > 0
		p.UnshipConfirm = "Stop showing this variant? Visitors will see " + others.unshipped(e) + "."
	}
	history, err := a.store.History(ctx, e.ID)
	if err != nil {
		return err
	}
	p.History = historyLines(history)
	plannedStopView(&p, e, history, now) // run.go
	p.Now = now
	if e.Status == experiments.StatusDraft && stopPassed(e, now) {
		// Said as passed instead (views.plannedOn): the test cannot
		// start, let alone stop too soon.
		p.StopsWarning = ""
	}
	p.Element = elementNotes(e, others, history)
	switch e.Status {
	case experiments.StatusRunning, experiments.StatusPaused:
		p.EditNote = "Started experiments can change their name, traffic share and split, and set, move or remove their planned stop (each change is listed under History); their page, element, goal, copy and practical threshold stay fixed, as does whether they count only visitors who see the element on screen."
	case experiments.StatusStopped:
		p.EditNote = "Stopped experiments keep their settings as they were, for their results."
	}
	return render(c, views.Experiment(p))
}

// experimentTag is the site page's tag status (tagStatus) as e's pages
// use it: a draft and a running test nobody has entered warn while
// copylab has seen nothing of the tag, and Start says when visitors come.
// The loads are in memory; the site's last event is a query, which only
// those two read, and only while no load named a page
// (views.TagStatus.PageSeen: the draft's notice then says the last event
// in place of a load).
func (a *App) experimentTag(ctx context.Context, e experiments.Experiment, site experiments.Site) (views.TagStatus, error) {
	now := a.now()
	tag := a.tagStatus(site, now, time.Time{}, e.Status == experiments.StatusRunning) // site_show.go
	if (e.Status == experiments.StatusDraft || e.Status == experiments.StatusRunning) && !tag.PageSeen() {
		var err error
		if tag.LastEvent, _, err = a.store.SiteLastEvent(ctx, site.ID, now); err != nil {
			return tag, err
		}
	}
	return tag, nil
}

// elementNotes are what the page says of the other experiments on e's
// element (others), each with a link: what visitors see there while e
// does not run, the running test that keeps e from starting or resuming,
// the shipped copies a ship of e would replace, and the shipped copy that
// replaced e's own. That one is the experiment
// shipped, on e's element and pages, in the transaction that unshipped
// e's copy (Store.Ship): the same instant as e's last unship, when
// nothing of e was shipped since (history, newest first).
func elementNotes(e experiments.Experiment, others elementOthers, history []experiments.Change) views.ElementNotes {
	n := views.ElementNotes{Without: others.copyWithout(e)}
	for _, o := range others.running {
		n.Running = append(n.Running, views.OtherCopy{ID: o.ID, Name: o.Name})
	}
	if o := others.inTest; o != nil {
		n.InTest = &views.OtherCopy{ID: o.ID, Name: o.Name, Where: experiments.SharedPages(e, *o)}
	}
	if e.Status != experiments.StatusDraft {
		for _, o := range others.replaces(e) {
			n.Replaces = append(n.Replaces, otherShipped(o))
		}
	}
	if e.ShippedVariant != "" {
		return n
	}
	i := slices.IndexFunc(history, func(ch experiments.Change) bool {
		return ch.Action == experiments.ChangeShipped || ch.Action == experiments.ChangeUnshipped
	})
	if i < 0 || history[i].Action != experiments.ChangeUnshipped {
		return n
	}
	for _, o := range others.shipped {
		if o.ShippedAt.UnixMilli() == history[i].At.UnixMilli() && experiments.ElementCovers(o, e) {
			c := otherShipped(o)
			n.ReplacedBy = &c
		}
	}
	return n
}

// otherShipped names experiment o and its shipped variant.
func otherShipped(o experiments.Experiment) views.OtherCopy {
	return views.OtherCopy{ID: o.ID, Name: o.Name, Shipped: views.VariantLabel(o.ShippedVariant, false), At: o.ShippedAt}
}

func variantViews(e experiments.Experiment) []views.VariantView {
	out := make([]views.VariantView, len(e.Variants))
	for i, v := range e.Variants {
		out[i] = views.VariantView{Key: v.Key, Text: v.Text, WeightBP: v.WeightBP, Source: v.Source, Control: i == 0,
			Provenance: provenanceOf(v)}
	}
	return out
}

// actionsFor lists the life-cycle buttons the status allows. Start and
// Stop ask first, saying what they do to the element's copy, which others
// (the experiments that test or ship copy on the same element) decide in
// part; Start also says when copylab has not seen the site's tag (tag).
func actionsFor(e experiments.Experiment, others elementOthers, siteName string, tag views.TagStatus, now time.Time) []views.Action {
	base := "/experiments/" + e.ID + "/"
	stop := views.Action{Name: "stop", Label: "Stop", URL: base + "stop", Style: "danger", Confirm: stopConfirm(e, others)}
	switch e.Status {
	case experiments.StatusDraft:
		// While another test has the element on its pages, the store
		// refuses the start: the page leaves Start out and its notice
		// (views.elementInTest) says why, as it leaves out Delete while a
		// test runs.
		if others.inTest != nil {
			return nil
		}
		start := views.Action{Name: "start", Label: "Start", URL: base + "start", Style: "primary"}
		// A test that could never answer (only the original, a 0%
		// share or split), or that lacks its page, element or goal, is
		// refused, and the refusal says why: asking first whether to
		// start it would promise what will not happen. So is a draft
		// whose planned stop has passed (stops_at_passed), as the page
		// says beside Start, and one whose element the rules refuse now
		// (ElementRefused).
		if e.Complete() && experiments.StartRefusal(e) == nil && e.ElementRefused() == nil && !stopPassed(e, now) {
			start.Confirm = startConfirm(e, others, siteName, tag)
		}
		return []views.Action{start}
	case experiments.StatusRunning:
		return []views.Action{{Name: "pause", Label: "Pause", URL: base + "pause", Style: "secondary"}, stop}
	case experiments.StatusPaused:
		if others.inTest != nil {
			return []views.Action{stop}
		}
		return []views.Action{{Name: "resume", Label: "Resume", URL: base + "resume", Style: "primary"}, stop}
	}
	return nil
}

// stopPassed is whether e's planned stop is at or before now: a draft's
// start is then refused (Store.Transition's stops_at_passed).
func stopPassed(e experiments.Experiment, now time.Time) bool {
	return !e.StopsAt.IsZero() && !e.StopsAt.After(now)
}

// goalSentence describes a goal in words: "not chosen yet" for the goal
// of a draft saved without one (Store.CreateDraft). A goal page is
// written as a person reads it (experiments.PageShown): "a visit to
// /danke-schön*", not the escapes it is stored and compared in.
func goalSentence(g experiments.Goal) string {
	if strings.TrimSpace(g.Value()) == "" {
		return "not chosen yet"
	}
	switch g.Type {
	case experiments.GoalClick:
		return "a click on " + g.Selector
	case experiments.GoalPageview:
		return "a visit to " + experiments.PageShown(g.URL)
	case experiments.GoalEvent:
		return `the custom event "` + g.Name + `" (copylab.convert)`
	}
	return g.Type
}

// qaLinks are the preview links of each variant. A page pattern that names
// one page gives a full URL on the site; a wildcard pattern gives only the
// parameter to add. The URL keeps the page's escapes, as the browser
// follows it; the link's text has its letters (experiments.PageShown),
// as the address bar shows them.
func (a *App) qaLinks(e experiments.Experiment, site experiments.Site) []views.QALink {
	base, shown := "", ""
	if page, ok := previewPage(e.Page); ok {
		scheme := experiments.SiteScheme(site.Domain)
		// Copylab's own address read as a site's would be, scheme and all:
		// its host alone would lose the port of http://copylab.test:443.
		if site.Domain == experiments.SiteDomain(a.public.String()) {
			scheme = a.public.Scheme
		}
		base = scheme + "://" + site.Domain + page
		shown = scheme + "://" + site.Domain + experiments.PageShown(page)
	}
	out := make([]views.QALink, len(e.Variants))
	for i, v := range e.Variants {
		param := "copylab=" + e.ID + ":" + v.Key
		q := views.QALink{Label: views.VariantLabel(v.Key, i == 0), Key: v.Key, Param: "?" + param}
		if base != "" {
			sep := "?"
			if strings.Contains(base, "?") {
				sep = "&"
			}
			q.URL, q.Shown = base+sep+param, shown+sep+param
		}
		out[i] = q
	}
	return out
}

// previewPage is the one page a preview link can open for a page
// pattern: the pattern itself without a * (an empty one: the site's
// root), or, for one whose only * ends a path's last word (/pricing*),
// that word's page (/pricing), which it matches. Others (/pricing/*,
// /*/plans, *) have none: their rows say what to add to a matching
// page's URL instead.
func previewPage(pattern string) (string, bool) {
	if !strings.Contains(pattern, "*") {
		return pattern, true
	}
	stem, ok := strings.CutSuffix(pattern, "*")
	if !ok || strings.ContainsAny(stem, "*?") || !strings.HasPrefix(stem, "/") || strings.HasSuffix(stem, "/") ||
		!experiments.MatchPage(pattern, stem, "") {
		return "", false
	}
	return stem, true
}

// shareURL is the public read-only results link, or "" while it is
// turned off: its token then opens nothing, and is not shown.
func (a *App) shareURL(e experiments.Experiment) string {
	if e.ShareOff {
		return ""
	}
	return a.cfg.PublicURL + "/r/" + e.ShareToken
}

// historyLines are an experiment's changes as its page lists them.
func historyLines(changes []experiments.Change) []views.HistoryLine {
	out := make([]views.HistoryLine, len(changes))
	for i, ch := range changes {
		out[i] = views.HistoryLine{At: ch.At, Who: ch.Actor, Action: changeLabel(ch.Action), Detail: ch.Detail}
	}
	return out
}

// changeLabel names a history action for people.
func changeLabel(action string) string {
	switch action {
	case experiments.ChangeUnshipped:
		return "Stopped showing the shipped variant"
	case experiments.ChangeShareLink:
		return "New share link"
	case experiments.ChangeShareOff:
		return "Share link turned off"
	case experiments.ChangeNotStarted:
		return "Not started"
	case "":
		return ""
	}
	return strings.ToUpper(action[:1]) + action[1:]
}

package app

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/views"
)

// Session recordings on the results: per variant, where to watch its
// recordings (recorders.Settings.VariantLinks) and a list of its recent
// sessions with a direct link each (recorders.Settings.SessionLink). Every
// URL shown is one of those two builders' results, never a value as the
// snippet sent it.

// recordingsPage is how many sessions the list shows at a time.
const recordingsPage = 20

// recordingsShow answers GET /experiments/:id/recordings: the recordings
// of an experiment on a page of their own, filtered by the query (variant,
// converted, device, country, browser, source, before). htmx asks for the
// session list alone, to swap it in place.
func (a *App) recordingsShow(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	base := "/experiments/" + e.ID
	return a.renderRecordings(c, e, base+"/recordings", recordingsSetupURL(e), func(r views.Recordings) error {
		p := views.RecordingsPage{Page: a.page(c, views.NavExperiments), ID: e.ID, Name: e.Name, Status: string(e.Status),
			ResultsURL: base + "/results", Recordings: r}
		p.Title = "Recordings: " + e.Name
		return render(c, views.RecordingsFull(p))
	})
}

// shareRecordings answers GET /r/:token/recordings, the same for a share
// link: read-only, no session.
func (a *App) shareRecordings(c *fiber.Ctx) error {
	e, err := a.startedByShareToken(c)
	if err != nil {
		return err
	}
	base := "/r/" + e.ShareToken
	return a.renderRecordings(c, e, base+"/recordings", "", func(r views.Recordings) error {
		r.ReadOnly = true
		p := views.RecordingsPage{Page: views.Page{Title: "Recordings: " + e.Name, Assets: a.assets.views()},
			Name: e.Name, Status: string(e.Status), ResultsURL: base, Recordings: r}
		return render(c, views.ShareRecordingsFull(p))
	})
}

// renderRecordings answers with the session list alone for htmx, else
// with the page full renders.
func (a *App) renderRecordings(c *fiber.Ctx, e experiments.Experiment, listURL, setupURL string, full func(views.Recordings) error) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Get("HX-Request") == "true" {
		set, err := a.store.SiteRecorders(c.UserContext(), e.SiteID)
		if err != nil {
			return err
		}
		counts, err := a.store.RecordingCounts(c.UserContext(), e.ID, experiments.RecorderNamesOf(set))
		if err != nil {
			return err
		}
		list, err := a.recordingList(c, e, set, listURL, counts)
		if err != nil {
			return err
		}
		return render(c, views.RecordingListView(list))
	}
	return full(a.recordingsView(c, e, listURL, setupURL))
}

// recordingsSetupURL is where the site's recorders are set up.
func recordingsSetupURL(e experiments.Experiment) string { return "/sites/" + e.SiteID + "#recorders" }

// recordingsView builds the "Watch recordings" card. A failure to read
// is logged and shown in the card: the rest of the results page stands.
func (a *App) recordingsView(c *fiber.Ctx, e experiments.Experiment, listURL, setupURL string) views.Recordings {
	r, err := a.recordings(c, e, listURL, setupURL)
	if err != nil {
		a.log.Error("recordings: read failed", "request_id", requestIDOf(c), "experiment", e.ID, "error", err)
		return views.Recordings{StyleURL: a.assets.url("css/recordings.css"), Configured: true,
			Unavailable: "The recordings could not be read just now. Reload the page to try again."}
	}
	return r
}

func (a *App) recordings(c *fiber.Ctx, e experiments.Experiment, listURL, setupURL string) (views.Recordings, error) {
	ctx := c.UserContext()
	out := views.Recordings{StyleURL: a.assets.url("css/recordings.css"), SetupURL: setupURL}
	set, err := a.store.SiteRecorders(ctx, e.SiteID)
	if err != nil {
		return out, err
	}
	names := experiments.RecorderNamesOf(set)
	if len(names) == 0 {
		return out, nil
	}
	out.Configured = true
	out.Recorders = recorderSummary(set)
	tallies, err := a.store.RecordingTallies(ctx, e.ID, names)
	if err != nil {
		return out, err
	}
	counts := map[string]int64{}
	for k, t := range tallies {
		counts[k] = t.Visitors
	}
	x := recorders.Experiment{ID: e.ID, Start: e.StartedAt, End: e.EndedAt}
	for i, v := range e.Variants {
		rv := views.RecordingVariant{Key: v.Key, Label: recordingVariantLabel(e, v.Key), Index: i,
			Sessions: tallies[v.Key].Visitors, Recordings: tallies[v.Key].Recordings,
			ListURL: listURL + views.RecordingFilter{Variant: v.Key}.Query()}
		for _, l := range set.VariantLinks(x, v.Key) {
			rv.Links = append(rv.Links, recordingLinkView(l))
		}
		out.Variants = append(out.Variants, rv)
	}
	out.List, err = a.recordingList(c, e, set, listURL, counts)
	return out, err
}

// recordingList builds the list of sessions the query asks for; counts
// are the experiment's sessions per variant (Store.RecordingCounts).
func (a *App) recordingList(c *fiber.Ctx, e experiments.Experiment, set recorders.Settings, listURL string, counts map[string]int64) (views.RecordingList, error) {
	ctx := c.UserContext()
	f, q := recordingQueryOf(c, e)
	q.Recorders = experiments.RecorderNamesOf(set)
	q.Limit = recordingsPage + 1 // one more tells whether there is an older page
	// A visitor once, with a link per recording (two recorders, or two
	// visits), not once per recording.
	q.ByVisitor = true
	out := views.RecordingList{URL: listURL, Filter: f, Ended: e.Status == experiments.StatusStopped}
	// Whether there is any session at all decides between the filters and
	// an empty state: a filter that matches nothing says so, and offers
	// the way back; nothing recorded offers nothing to filter.
	for _, n := range counts {
		out.Total += n
	}
	if out.Total == 0 {
		return out, nil
	}
	var err error
	if out.Options, err = a.recordingOptions(ctx, e); err != nil {
		return out, err
	}
	matchOptions(&out.Filter, &q, out.Options)
	f = out.Filter
	recs, err := a.store.Recordings(ctx, q)
	if err != nil {
		return out, err
	}
	more := len(recs) > recordingsPage
	if more {
		recs = recs[:recordingsPage]
	}
	for _, r := range recs {
		s, ok := recordingSessionView(e, set, r)
		if ok {
			out.Sessions = append(out.Sessions, s)
		}
	}
	if more {
		out.OlderURL = listURL + f.Query("before", strconv.FormatInt(recs[len(recs)-1].Seq, 10))
	}
	if q.Before > 0 {
		out.NewestURL = listURL + f.Query()
	}
	return out, nil
}

// recordingQueryOf reads the list's filters from the query string. Values
// that cannot be right (an unknown variant, an overlong value) are dropped
// rather than refused: the list is a view, not an API.
func recordingQueryOf(c *fiber.Ctx, e experiments.Experiment) (views.RecordingFilter, experiments.RecordingQuery) {
	q := experiments.RecordingQuery{Experiment: e.ID}
	var f views.RecordingFilter
	if v := c.Query("variant"); v != "" {
		if _, ok := e.Variant(v); ok {
			f.Variant, q.Variant = v, v
		}
	}
	switch c.Query("converted") {
	case "1":
		f.Converted, q.Converted = "1", new(bool)
		*q.Converted = true
	case "0":
		f.Converted, q.Converted = "0", new(bool)
	}
	segment := func(param, dim string, dst *string) {
		v := strings.TrimSpace(c.Query(param))
		if v == "" || len(v) > 100 {
			return
		}
		*dst = v
		if q.Segment == nil {
			q.Segment = map[string]string{}
		}
		if v == views.UnknownValue {
			v = ""
		}
		q.Segment[dim] = v
	}
	segment("device", experiments.DimDevice, &f.Device)
	segment("country", experiments.DimCountry, &f.Country)
	segment("browser", experiments.DimBrowser, &f.Browser)
	segment("source", experiments.DimReferrer, &f.Source)
	if n, err := strconv.ParseInt(c.Query("before"), 10, 64); err == nil && n > 0 {
		q.Before = n
	}
	return f, q
}

// recordingOptions are the filters' choices: the variants, and the segment
// values the experiment's visitors have (the top ones, as on the results).
func (a *App) recordingOptions(ctx context.Context, e experiments.Experiment) (views.RecordingOptions, error) {
	var o views.RecordingOptions
	for _, v := range e.Variants {
		o.Variants = append(o.Variants, views.RecordingOption{Value: v.Key, Label: recordingVariantLabel(e, v.Key)})
	}
	dims, err := a.store.Segments(ctx, e, segmentTop)
	if err != nil {
		return o, err
	}
	for _, d := range dims {
		var dst *[]views.RecordingOption
		switch d.Dimension {
		case experiments.DimDevice:
			dst = &o.Devices
		case experiments.DimCountry:
			dst = &o.Countries
		case experiments.DimBrowser:
			dst = &o.Browsers
		case experiments.DimReferrer:
			dst = &o.Sources
		default:
			continue
		}
		for _, v := range d.Values {
			if v.Other {
				continue
			}
			value := v.Value
			if value == "" {
				value = views.UnknownValue
			}
			*dst = append(*dst, views.RecordingOption{Value: value, Label: segmentLabel(d.Dimension, v)})
		}
	}
	return o, nil
}

// recordingSessionView is one session in the list, with the link
// SessionLink builds; ok is false when the site no longer uses its
// recorder.
func recordingSessionView(e experiments.Experiment, set recorders.Settings, r experiments.Recording) (views.RecordingSession, bool) {
	l, ok := set.SessionLink(recorders.Recording{Recorder: r.Recorder, Session: r.Session, Replay: r.Replay,
		Visitor: r.Visitor, Experiment: r.Experiment, Variant: r.Variant})
	if !ok {
		return views.RecordingSession{}, false
	}
	idx := 0
	for i, v := range e.Variants {
		if v.Key == r.Variant {
			idx = i
		}
	}
	var parts []string
	if r.Device != "" {
		parts = append(parts, capitalise(r.Device))
	}
	if r.Country != "" {
		parts = append(parts, views.CountryName(r.Country))
	}
	for _, p := range []string{r.Browser, r.Referrer} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	page := ""
	if u, err := url.Parse(r.URL); err == nil {
		page = u.Path
	}
	var more []views.RecordingLink
	for _, o := range r.Also {
		if ol, ok := set.SessionLink(recorders.Recording{Recorder: o.Recorder, Session: o.Session, Replay: o.Replay,
			Visitor: o.Visitor, Experiment: o.Experiment, Variant: o.Variant}); ok {
			more = append(more, recordingLinkView(ol))
		}
	}
	return views.RecordingSession{
		At: r.At, Variant: recordingVariantLabel(e, r.Variant), Index: idx,
		Link: recordingLinkView(l), More: more, Converted: r.Converted, Segment: strings.Join(parts, " · "), Page: page,
	}, true
}

// recordingLinkView is a recorders.Link for a page.
func recordingLinkView(l recorders.Link) views.RecordingLink {
	return views.RecordingLink{Recorder: l.Recorder, Label: recorderInSentence(l.Recorder), URL: l.URL, Text: l.Text}
}

// recordingVariantLabel names a variant as the results table does.
func recordingVariantLabel(e experiments.Experiment, key string) string {
	return views.VariantLabel(key, len(e.Variants) > 0 && e.Variants[0].Key == key)
}

// matchOptions maps a segment filter from the address to the option it
// names in another case (?device=Mobile is "mobile", as the select shows
// "Mobile"), so the select never adds a second, invented option for it.
// A device that is no option is dropped: devices are a closed set, so no
// visitor of the test has it. Other values are kept, whether or not a
// visitor has them: the list then says nothing matches. Values compare
// as every search of the product compares text (experiments.Fold).
func matchOptions(f *views.RecordingFilter, q *experiments.RecordingQuery, o views.RecordingOptions) {
	match := func(dim string, v *string, opts []views.RecordingOption, closed bool) {
		if *v == "" {
			return
		}
		for _, opt := range opts {
			if opt.Value == *v {
				return
			}
		}
		typed := experiments.Fold(*v)
		for _, opt := range opts {
			if experiments.Fold(opt.Value) == typed {
				*v = opt.Value
				if opt.Value == views.UnknownValue {
					q.Segment[dim] = ""
				} else {
					q.Segment[dim] = opt.Value
				}
				return
			}
		}
		if closed {
			*v = ""
			delete(q.Segment, dim)
		}
	}
	match(experiments.DimDevice, &f.Device, o.Devices, true)
	match(experiments.DimCountry, &f.Country, o.Countries, false)
	match(experiments.DimBrowser, &f.Browser, o.Browsers, false)
	match(experiments.DimReferrer, &f.Source, o.Sources, false)
}

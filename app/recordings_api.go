package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/views"
)

// apiRecordingsRecent is how many sessions per variant the results
// document lists, and how many recorded visitors: GET …/recordings
// (apiRecordingsList), its visitors_url, lists them all.
const apiRecordingsRecent = 10

// GET /api/v1/experiments/{id}/recordings answers apiRecordingsPage
// visitors at a time unless ?limit= asks for up to apiRecordingsMaxPage,
// the most the store reads at once (Store.Recordings).
const (
	apiRecordingsPage    = 50
	apiRecordingsMaxPage = 500
)

// apiRecordingsParams are the query parameters GET …/recordings takes.
var apiRecordingsParams = []string{"variant", "limit", "before"}

// apiRecordingSession is one recorded session in the results document: a
// direct link to its replay (recorders.Settings.SessionLink), or null;
// the words the page shows beside or instead of it (text: instructions
// for a recorder that has no such link, such as Hotjar), or null; whether
// the visitor's conversion counted; and when it was reported.
type apiRecordingSession struct {
	Recorder  string  `json:"recorder"`
	URL       *string `json:"url"`
	Text      *string `json:"text"`
	Converted bool    `json:"converted"`
	At        apiTime `json:"at"`
}

// apiRecordedVisitor is one recorded visitor in the results document, as
// the results page lists them (recordingList): the visitor's id as the
// snippet sent it, whether their conversion counted, when their newest
// recording was reported, and a link for each of their recordings, that
// one first.
type apiRecordedVisitor struct {
	Visitor   string             `json:"visitor"`
	Converted bool               `json:"converted"`
	At        apiTime            `json:"at"`
	Links     []apiRecordingLink `json:"links"`
}

// apiRecordingLink is one of a visitor's recordings, as the page's row
// shows it: the recorder's name, the address of the replay (null when the
// recorder has none to give), and the words the page shows beside or
// instead of it (null when there are none), such as Hotjar's or
// Clarity's instructions to find the session.
type apiRecordingLink struct {
	Recorder string  `json:"recorder"`
	URL      *string `json:"url"`
	Text     *string `json:"text"`
}

// addRecordings fills each variant's recordings in the results document.
// A site without recorders leaves them empty: list_url null, no
// instructions, no sessions, no visitors, visitors_total 0 and
// visitors_url null. visitors_total is the count the results page gives
// ("26 visitors recorded"), of which visitors holds the newest 10 and
// visitors_url, GET …/recordings of the variant, every one.
func (a *App) addRecordings(ctx context.Context, e experiments.Experiment, variants []apiResultVariant) error {
	set, err := a.store.SiteRecorders(ctx, e.SiteID)
	if err != nil {
		return err
	}
	names := experiments.RecorderNamesOf(set)
	if len(names) == 0 {
		return nil
	}
	tallies, err := a.store.RecordingTallies(ctx, e.ID, names)
	if err != nil {
		return err
	}
	x := recorders.Experiment{ID: e.ID, Start: e.StartedAt, End: e.EndedAt}
	for i := range variants {
		v := &variants[i]
		if u := variantListURL(set, x, v.Key); u != "" {
			v.Recordings.ListURL = &u
		}
		v.Recordings.VisitorsTotal = tallies[v.Key].Visitors
		u := a.recordingsListURL(e, v.Key, url.Values{})
		v.Recordings.VisitorsURL = &u
		for _, l := range set.VariantLinks(x, v.Key) {
			if l.Text != "" {
				v.Recordings.Instructions = append(v.Recordings.Instructions, l.Text)
			}
		}
		recs, err := a.store.Recordings(ctx, experiments.RecordingQuery{Experiment: e.ID, Variant: v.Key, Recorders: names,
			Limit: apiRecordingsRecent})
		if err != nil {
			return err
		}
		for _, r := range recs {
			l, ok := set.SessionLink(recorders.Recording{Recorder: r.Recorder, Session: r.Session, Replay: r.Replay,
				Visitor: r.Visitor, Experiment: r.Experiment, Variant: r.Variant})
			if !ok {
				continue
			}
			v.Recordings.Sessions = append(v.Recordings.Sessions, apiRecordingSession{Recorder: r.Recorder,
				URL: optString(l.URL), Text: optString(l.Text), Converted: r.Converted, At: apiTime(r.At)})
		}
		if v.Recordings.Visitors, _, err = a.apiRecordedVisitors(ctx, e, set, names, v.Key, 0, apiRecordingsRecent); err != nil {
			return err
		}
	}
	return nil
}

// apiRecordingsList answers GET /api/v1/experiments/:id/recordings
// ?variant=KEY[&limit=&before=]: every recorded visitor of the variant,
// newest first, as the results document's visitors lists the newest 10,
// a page at a time. The answer's next (and its Link header) is the URL
// of the following page, or null on the last, as GET
// /api/v1/experiments gives it; before is where it goes on from, the
// last visitor's newest recording, as the recordings page's Older link
// has it. A visitor recorded again while a client pages moves to the
// first page, so a list read while the test runs can miss them; a
// stopped test's is final. A site without recorders, and a draft, have
// none to list.
func (a *App) apiRecordingsList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	limit := apiRecordingsPage
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiRecordingsMaxPage {
			return errBadRequest("invalid_limit", "limit", "Set limit to a whole number from 1 to 500.")
		}
		limit = n
	}
	var before int64
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return errBadRequest("invalid_cursor", "before", "Send before as the last answer’s next link has it.")
		}
		before = n
	}
	key := c.Query("variant")
	if key == "" {
		return errBadRequest("required", "variant", "Name the variant by its key, such as ?variant=b.")
	}
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if _, ok := e.Variant(key); !ok {
		return newHTTPError(http.StatusNotFound, "unknown_variant", fmt.Sprintf("This experiment has no variant %q.", clip(key, 40)))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	set, err := a.store.SiteRecorders(ctx, e.SiteID)
	if err != nil {
		return err
	}
	visitors, last, err := a.apiRecordedVisitors(ctx, e, set, experiments.RecorderNamesOf(set), key, before, limit)
	if err != nil {
		return err
	}
	var next *string
	if last > 0 {
		v := url.Values{"before": {strconv.FormatInt(last, 10)}}
		if limit != apiRecordingsPage {
			v.Set("limit", strconv.Itoa(limit))
		}
		u := a.recordingsListURL(e, key, v)
		next = &u
		c.Set(fiber.HeaderLink, "<"+u+`>; rel="next"`)
	}
	return c.JSON(fiber.Map{"visitors": visitors, "next": next})
}

// recordingsListURL is the URL of GET …/recordings for a variant, with
// the query v adds (before, limit).
func (a *App) recordingsListURL(e experiments.Experiment, variant string, v url.Values) string {
	v.Set("variant", variant)
	return a.cfg.PublicURL + "/api/v1/experiments/" + e.ID + "/recordings?" + v.Encode()
}

// apiRecordedVisitors is a page of a variant's recorded visitors, newest
// first, the results page's rows: the store's list by visitor
// (ByVisitor, as recordingList asks it), from before (0: the newest),
// and each row's links as recordingSessionView makes them. last is where
// the next page starts (its before), or 0 when this one is the last.
func (a *App) apiRecordedVisitors(ctx context.Context, e experiments.Experiment, set recorders.Settings, names []string,
	variant string, before int64, limit int) (out []apiRecordedVisitor, last int64, err error) {
	out = []apiRecordedVisitor{}
	if len(names) == 0 {
		return out, 0, nil
	}
	q := experiments.RecordingQuery{Experiment: e.ID, Variant: variant, Recorders: names, Before: before,
		Limit: min(limit+1, apiRecordingsMaxPage), ByVisitor: true} // one more tells whether there is another page
	recs, err := a.store.Recordings(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	more := len(recs) > limit
	if more {
		recs = recs[:limit]
	} else if len(recs) == limit && limit == apiRecordingsMaxPage {
		// The store reads no more than a full page: whether another
		// follows takes a look past it.
		q.Before, q.Limit = recs[len(recs)-1].Seq, 1
		further, err := a.store.Recordings(ctx, q)
		if err != nil {
			return nil, 0, err
		}
		more = len(further) > 0
	}
	if more {
		last = recs[len(recs)-1].Seq
	}
	for _, r := range recs {
		row, ok := recordingSessionView(e, set, r)
		if !ok {
			continue
		}
		v := apiRecordedVisitor{Visitor: r.Visitor, Converted: row.Converted, At: apiTime(row.At),
			Links: make([]apiRecordingLink, 0, 1+len(row.More))}
		for _, l := range append([]views.RecordingLink{row.Link}, row.More...) {
			v.Links = append(v.Links, apiRecordingLink{Recorder: l.Recorder, URL: optString(l.URL), Text: optString(l.Text)})
		}
		out = append(out, v)
	}
	return out, last, nil
}

// variantListURL is the results document's list_url of a variant: the
// first of its recorders' links that is a URL (the site's first recorder
// with a filtered list of that variant's sessions), or "" when none is.
// The results CSV's recordings column is the same link.
func variantListURL(set recorders.Settings, x recorders.Experiment, variant string) string {
	for _, l := range set.VariantLinks(x, variant) {
		if l.URL != "" {
			return l.URL
		}
	}
	return ""
}

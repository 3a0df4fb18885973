package app

import (
	"context"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/views"
)

// apiRecordingsRecent is how many sessions per variant the results
// document lists, and how many recorded visitors.
const apiRecordingsRecent = 10

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
// instructions, no sessions, no visitors.
func (a *App) addRecordings(ctx context.Context, e experiments.Experiment, variants []apiResultVariant) error {
	set, err := a.store.SiteRecorders(ctx, e.SiteID)
	if err != nil {
		return err
	}
	names := experiments.RecorderNamesOf(set)
	if len(names) == 0 {
		return nil
	}
	x := recorders.Experiment{ID: e.ID, Start: e.StartedAt, End: e.EndedAt}
	for i := range variants {
		v := &variants[i]
		if u := variantListURL(set, x, v.Key); u != "" {
			v.Recordings.ListURL = &u
		}
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
		if v.Recordings.Visitors, err = a.apiRecordedVisitors(ctx, e, set, names, v.Key); err != nil {
			return err
		}
	}
	return nil
}

// apiRecordedVisitors is the newest recorded visitors of a variant, the
// results page's rows: the store's list by visitor (ByVisitor, as
// recordingList asks it) and each row's links as recordingSessionView
// makes them.
func (a *App) apiRecordedVisitors(ctx context.Context, e experiments.Experiment, set recorders.Settings, names []string, variant string) ([]apiRecordedVisitor, error) {
	recs, err := a.store.Recordings(ctx, experiments.RecordingQuery{Experiment: e.ID, Variant: variant, Recorders: names,
		Limit: apiRecordingsRecent, ByVisitor: true})
	if err != nil {
		return nil, err
	}
	out := []apiRecordedVisitor{}
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
	return out, nil
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

package recorders

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Link is where to see some recordings in one recorder: a URL (always
// http or https), plain-text instructions, or both. Text is plain text:
// escape it like any other text when rendering.
type Link struct {
	// Recorder is the recorder's name (PostHogName …).
	Recorder string `json:"recorder"`
	// Label names the recorder for people ("PostHog").
	Label string `json:"label"`
	URL   string `json:"url,omitempty"`
	Text  string `json:"text,omitempty"`
}

// Labels name the recorders for people.
var Labels = map[string]string{
	PostHogName:   "PostHog",
	ClarityName:   "Microsoft Clarity",
	FullStoryName: "FullStory",
	LogRocketName: "LogRocket",
	HotjarName:    "Hotjar",
	CustomName:    "Recordings",
}

func link(recorder, u, text string) Link {
	return Link{Recorder: recorder, Label: Labels[recorder], URL: u, Text: text}
}

// Experiment is what the variant links need of an experiment.
type Experiment struct {
	ID string
	// Start is when it started; End when it stopped, zero while it runs.
	Start, End time.Time
}

// VariantLinks returns, for each recorder the site uses, where to find the
// recordings of one variant of an experiment: PostHog's replay list
// filtered to the variant and the experiment's dates; for Clarity,
// FullStory, LogRocket and Hotjar, which have no list a link can filter,
// plain-text instructions naming the tag to filter on; and the custom
// template when it needs nothing but {experiment} and {variant} (a
// template that needs a session or a visitor gives per-session links only,
// see SessionLink).
func (s Settings) VariantLinks(x Experiment, variant string) []Link {
	var links []Link
	if p := s.PostHog; p != nil {
		if u := postHogListURL(p, x, variant); u != "" {
			links = append(links, link(PostHogName, u, ""))
		}
	}
	if s.Clarity != nil {
		links = append(links, link(ClarityName, "", clarityText(x.ID, variant)))
	}
	if s.FullStory != nil {
		links = append(links, link(FullStoryName, "", eventText("FullStory", "sessions", x.ID, variant)))
	}
	if s.LogRocket != nil {
		links = append(links, link(LogRocketName, "", eventText("LogRocket", "sessions", x.ID, variant)))
	}
	if s.Hotjar != nil {
		links = append(links, link(HotjarName, "", hotjarText(x.ID, variant)))
	}
	if t, err := ParseTemplate(s.Custom); err == nil && !t.Uses(PlaceholderSession) && !t.Uses(PlaceholderVisitor) {
		if u := t.Expand(Values{Experiment: x.ID, Variant: variant}); u != "" {
			links = append(links, link(CustomName, u, ""))
		}
	}
	return links
}

func clarityText(experiment, variant string) string {
	return "In Clarity, filter recordings by the custom tags " + TagVariant + " = " + variant +
		" and " + TagExperiment + " = " + experiment + "."
}

func eventText(product, things, experiment, variant string) string {
	return "In " + product + ", filter " + things + " by the custom event “" + EventName + "” with " +
		TagVariant + " = " + variant + " and " + TagExperiment + " = " + experiment + "."
}

func hotjarText(experiment, variant string) string {
	return "In Hotjar, filter recordings by the event " + HotjarEvent(experiment, variant) + "."
}

// postHogListURL builds the link to PostHog's replay list filtered to the
// sessions with an event whose properties copylab_experiment and
// copylab_variant are the experiment and the variant (the snippet sends
// an EventName event with both; tags before it registered them on every
// event of the visitor, which the same filter finds), over the
// experiment's dates. The filter names no event, so that it finds both.
//
// PostHog documents no URL format for this. The format is its own front
// end's (products/replay/manifest.tsx, urls.replay(): the list at
// /project/ID/replay/home, filters as JSON in the "filters" query
// parameter, of the type RecordingUniversalFilters in
// frontend/src/types.ts, read back by sessionRecordingsPlaylistLogic's
// urlToAction), as of 2025. Should PostHog change it, the link still opens
// the replay list, unfiltered. Dates are whole days in UTC: date_from the
// day the experiment started, date_to the day it ended (PostHog reads a
// date without a time as that whole day), or null while it runs.
func postHogListURL(p *PostHog, x Experiment, variant string) string {
	base, err := appURL(p.Host)
	if err != nil || !numericID.MatchString(p.ProjectID) {
		return ""
	}
	type property struct {
		Type     string   `json:"type"`
		Key      string   `json:"key"`
		Value    []string `json:"value"`
		Operator string   `json:"operator"`
	}
	type group struct {
		Type   string `json:"type"`
		Values []any  `json:"values"`
	}
	filters := struct {
		DateFrom           *string `json:"date_from"`
		DateTo             *string `json:"date_to"`
		FilterTestAccounts bool    `json:"filter_test_accounts"`
		FilterGroup        group   `json:"filter_group"`
	}{
		FilterGroup: group{Type: "AND", Values: []any{group{Type: "AND", Values: []any{
			property{Type: "event", Key: TagExperiment, Value: []string{x.ID}, Operator: "exact"},
			property{Type: "event", Key: TagVariant, Value: []string{variant}, Operator: "exact"},
		}}}},
	}
	day := func(t time.Time) *string {
		s := t.UTC().Format(time.DateOnly)
		return &s
	}
	if !x.Start.IsZero() {
		filters.DateFrom = day(x.Start)
	}
	if !x.End.IsZero() {
		filters.DateTo = day(x.End)
	}
	j, err := json.Marshal(filters)
	if err != nil {
		return ""
	}
	u := *base
	u.Path = strings.TrimSuffix(u.Path, "/") + "/project/" + p.ProjectID + "/replay/home"
	u.RawQuery = url.Values{"filters": {string(j)}}.Encode()
	return u.String()
}

// Recording is one "recording" event as stored: a recorder's session of a
// visitor, exposed to a variant.
type Recording struct {
	// Recorder is the recorder's name (PostHogName …).
	Recorder string
	// Session is the recorder's session id, as the snippet sent it
	// (Clarity's is "USER/SESSION"); Replay is the replay URL, for the
	// recorders that give one. Both came from a browser: outside input.
	Session, Replay string
	// Visitor, Experiment and Variant are copylab's.
	Visitor, Experiment, Variant string
}

// SessionLink returns the link to one recorded session, and false when
// the site does not use that recorder (any more). The URL is the recorder's
// replay of the session: PostHog's replay URL as sent, or one built from
// the session id; Clarity's player; FullStory's and LogRocket's session
// URL as sent; the custom template filled in. A replay URL as sent is used
// only when it is http(s) on the recorder's own host (for PostHog: its
// cloud app hosts or the configured host); otherwise the link is built
// from the session id, and where nothing can be built (FullStory and
// LogRocket without a valid URL; Hotjar, which has no link to a session)
// it is plain-text instructions.
func (s Settings) SessionLink(r Recording) (Link, bool) {
	switch r.Recorder {
	case PostHogName:
		p := s.PostHog
		if p == nil {
			return Link{}, false
		}
		if u, ok := postHogReplay(p, r.Replay); ok {
			return link(PostHogName, u, ""), true
		}
		base, err := appURL(p.Host)
		if err != nil || r.Session == "" || onlyDots(r.Session) || !numericID.MatchString(p.ProjectID) {
			return link(PostHogName, postHogListURL(p, Experiment{ID: r.Experiment}, r.Variant), "This session's id is missing."), true
		}
		// base has no query or fragment (appURL), so the path can follow.
		u := strings.TrimSuffix(base.String(), "/") + "/project/" + p.ProjectID + "/replay/" + escapeAll(r.Session)
		return link(PostHogName, u, ""), true
	case ClarityName:
		c := s.Clarity
		if c == nil {
			return Link{}, false
		}
		user, session, ok := strings.Cut(r.Session, "/")
		if !ok || user == "" || session == "" || onlyDots(user) || onlyDots(session) || !clarityID.MatchString(c.ProjectID) {
			return link(ClarityName, "", clarityText(r.Experiment, r.Variant)), true
		}
		return link(ClarityName, "https://clarity.microsoft.com/player/"+c.ProjectID+"/"+escapeAll(user)+"/"+escapeAll(session), ""), true
	case FullStoryName:
		if s.FullStory == nil {
			return Link{}, false
		}
		if u, ok := replayOn(r.Replay, "app.fullstory.com", "app.eu1.fullstory.com"); ok {
			return link(FullStoryName, u, ""), true
		}
		return link(FullStoryName, "", eventText("FullStory", "sessions", r.Experiment, r.Variant)), true
	case LogRocketName:
		if s.LogRocket == nil {
			return Link{}, false
		}
		if u, ok := replayOn(r.Replay, "app.logrocket.com"); ok {
			return link(LogRocketName, u, ""), true
		}
		return link(LogRocketName, "", eventText("LogRocket", "sessions", r.Experiment, r.Variant)), true
	case HotjarName:
		if s.Hotjar == nil {
			return Link{}, false
		}
		text := hotjarText(r.Experiment, r.Variant)
		if sessionID.MatchString(r.Session) {
			text = strings.TrimSuffix(text, ".") + " (Hotjar session " + r.Session + ")."
		}
		return link(HotjarName, "", text), true
	case CustomName:
		t, err := ParseTemplate(s.Custom)
		if err != nil {
			return Link{}, false
		}
		u := t.Expand(Values{Session: r.Session, Visitor: r.Visitor, Experiment: r.Experiment, Variant: r.Variant})
		if u == "" {
			return link(CustomName, "", "This recording's session id is missing."), true
		}
		return link(CustomName, u, ""), true
	}
	return Link{}, false
}

// NeedsReplay tells whether SessionLink needs a recorder's replay URL to
// link to one of its sessions: FullStory's and LogRocket's sessions are
// reachable only through the URL their scripts report. For the others the
// session id alone gives the link (PostHog builds one from it, Clarity's
// player and the custom template take it) or the text (Hotjar), so a
// recording whose replay URL cannot be used is still worth keeping.
func NeedsReplay(recorder string) bool {
	return recorder == FullStoryName || recorder == LogRocketName
}

// sessionID is what a session id may look like to be quoted in text.
var sessionID = regexp.MustCompile(`^[a-zA-Z0-9._:-]{1,64}$`)

// postHogReplay accepts a replay URL sent by the snippet when it is an
// http(s) URL of a PostHog app (its cloud app hosts, or the configured
// host) under /project/…/replay/. posthog-js builds it from the app host
// it links to, with the project's API token where the app has the project
// id (the app resolves either).
func postHogReplay(p *PostHog, raw string) (string, bool) {
	hosts := []string{"us.posthog.com", "eu.posthog.com", "app.posthog.com"}
	if base, err := appURL(p.Host); err == nil {
		hosts = append(hosts, base.Host)
		if base.Scheme == "http" { // a self-hosted app on plain http
			if u, ok := replayURL(raw, true, hosts...); ok && postHogReplayPath(u) {
				return u.String(), true
			}
			return "", false
		}
	}
	if u, ok := replayURL(raw, false, hosts...); ok && postHogReplayPath(u) {
		return u.String(), true
	}
	return "", false
}

func postHogReplayPath(u *url.URL) bool {
	rest, ok := strings.CutPrefix(u.EscapedPath(), "/project/")
	if !ok {
		return false
	}
	_, session, ok := strings.Cut(rest, "/replay/")
	return ok && session != ""
}

// replayOn accepts an https replay URL on one of the hosts.
func replayOn(raw string, hosts ...string) (string, bool) {
	if u, ok := replayURL(raw, false, hosts...); ok {
		return u.String(), true
	}
	return "", false
}

// replayURL parses a replay URL sent from a browser and accepts it when it
// is https (or http, if allowHTTP) on one of the hosts (compared without
// case, with the port), with no user info, spaces or control characters.
// The URL returned is re-encoded by net/url.
func replayURL(raw string, allowHTTP bool, hosts ...string) (*url.URL, bool) {
	if raw == "" || len(raw) > 2048 || strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' }) {
		return nil, false
	}
	u, err := url.Parse(raw)
	if err != nil || !httpURL(u) || (u.Scheme == "http" && !allowHTTP) || dotSegments(u.EscapedPath()) {
		return nil, false
	}
	for _, h := range hosts {
		if strings.EqualFold(u.Host, h) {
			return u, true
		}
	}
	return nil, false
}

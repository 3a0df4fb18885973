package views

import (
	"net/url"
	"strings"
	"time"
)

// The view models of session recordings: the recorder settings on the site
// page, and the "Watch recordings" card of the results and share pages with
// its list of recent sessions. Package app fills them from
// experiments/recorders; every URL in them is one that package built
// (VariantLinks, SessionLink), never one taken as sent.

// RecordersForm is the "Session recordings" form of the site page. Field
// names are the JSON paths of recorders.Settings ("posthog.host"), which
// are also the fields of its errors.
type RecordersForm struct {
	Action           string // POST target
	StyleURL         string // css/recordings.css, linked by the section
	PostHogHost      string
	PostHogProject   string
	ClarityProject   string
	FullStoryOrg     string
	LogRocketApp     string
	HotjarSite       string
	Custom           string
	Errors           Errors
	Active           []string // labels of the recorders set up, for the summary
	CustomNeedsCalls bool     // the template takes {session_id}: the site calls copylab.recording(id)
}

// SiteSettingsForm is the form of a site's own settings.
type SiteSettingsForm struct {
	Action        string
	Name          string
	Domain        string
	HideTimeoutMS string // as typed
	HonorGPC      bool
	BrandVoice    string
	// Orig is the settings as the page was first opened with them, sent
	// back in hidden fields (orig_name, …) so that saving writes only
	// what the person changed, and a change saved meanwhile elsewhere
	// stays. Shown again after a problem, the form keeps them as sent.
	Orig   SiteSettingsValues
	Errors Errors
}

// SiteSettingsValues is the settings as a settings form was rendered
// with them, its fields as the form's own.
type SiteSettingsValues struct {
	Name          string
	Domain        string
	HideTimeoutMS string
	HonorGPC      bool
	BrandVoice    string
}

// RecordingLink is where to watch: a URL (http or https, built by
// experiments/recorders), plain-text instructions, or both.
type RecordingLink struct {
	Recorder string // posthog, clarity, …
	Label    string // "PostHog"
	URL      string
	Text     string
}

// RecordingVariant is one variant's line in the recordings card.
type RecordingVariant struct {
	Key      string
	Label    string // "Variant B", "Control (original)"
	Index    int    // its colour (SeriesClass)
	Links    []RecordingLink
	Sessions int64 // visitors recorded so far (Store.RecordingCounts), not recordings
	// Recordings is their recordings, more than Sessions when a visitor
	// was recorded by two recorders or on two visits.
	Recordings int64
	ListURL    string // the session list filtered to this variant
}

// Recordings is the "Watch recordings" card of the results and share
// pages.
type Recordings struct {
	StyleURL string
	// Configured is false when the site uses no recorder; SetupURL then
	// says where to set one up ("" on the share page).
	Configured bool
	SetupURL   string
	// ReadOnly is the card of a share link. Its viewer has no account and
	// cannot set a recorder up, so a site without one reads as a fact
	// ("no recordings are linked"), not as advice.
	ReadOnly    bool
	Recorders   []string // labels of the recorders in use
	Variants    []RecordingVariant
	List        RecordingList
	Unavailable string
}

// RecordingList is the filterable list of recent sessions, a fragment of
// its own (htmx swaps it when a filter changes).
type RecordingList struct {
	URL     string // the list's own address, without a query
	Filter  RecordingFilter
	Options RecordingOptions
	// Sessions are newest first, a page at a time.
	Sessions []RecordingSession
	// OlderURL is the next page; NewestURL goes back to the first one
	// (both "" when there is no such page).
	OlderURL, NewestURL string
	Unavailable         string
	// Total is how many sessions the experiment has recorded, whatever
	// the filter. With none, the list is an empty state with no filters
	// to choose from; Ended then says none will come (the test stopped).
	Total int64
	Ended bool
}

// None reports whether the experiment has no recorded session at all, so
// that there is nothing to filter.
func (l RecordingList) None() bool {
	return l.Unavailable == "" && l.Total == 0 && len(l.Sessions) == 0
}

// Announcement is what a screen reader hears when a filter or a page
// swaps the list in: what it now shows.
func (l RecordingList) Announcement() string {
	switch {
	case l.Unavailable != "":
		return l.Unavailable
	case l.None() && l.Ended:
		return "No sessions were recorded in this test."
	case l.None():
		return "No recorded sessions yet."
	case len(l.Sessions) == 0 && l.Filter.Active():
		return "No recorded sessions match these filters."
	case len(l.Sessions) == 0:
		return "No recorded sessions on this page."
	case l.OlderURL != "" || l.NewestURL != "":
		return "Showing " + itoa(len(l.Sessions)) + " " + plural(len(l.Sessions), "session", "sessions") + " of several pages."
	}
	return "Showing " + itoa(len(l.Sessions)) + " " + plural(len(l.Sessions), "session", "sessions") + "."
}

// RecordingFilter is the list's current filter, as in the query string.
// "" means any; a segment filter of UnknownValue keeps unknown values.
type RecordingFilter struct {
	Variant   string
	Converted string // "1", "0" or ""
	Device    string
	Country   string
	Browser   string
	Source    string // the referring site's domain
}

// UnknownValue is the filter value of an unknown segment value (no country
// known, direct traffic).
const UnknownValue = "-"

// Query is the filter as a query string, with extra pairs appended (a
// page's before=…), or "" for none.
func (f RecordingFilter) Query(extra ...string) string {
	var parts []string
	for _, kv := range [][2]string{{"variant", f.Variant}, {"converted", f.Converted}, {"device", f.Device},
		{"country", f.Country}, {"browser", f.Browser}, {"source", f.Source}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+url.QueryEscape(kv[1]))
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		parts = append(parts, extra[i]+"="+url.QueryEscape(extra[i+1]))
	}
	if len(parts) == 0 {
		return ""
	}
	return "?" + strings.Join(parts, "&")
}

// Active reports whether any filter is set.
func (f RecordingFilter) Active() bool { return f != RecordingFilter{} }

// RecordingOption is one choice of a filter's select.
type RecordingOption struct {
	Value string
	Label string
}

// RecordingOptions are the choices of the filters: the experiment's
// variants, and the segment values its visitors have.
type RecordingOptions struct {
	Variants  []RecordingOption
	Devices   []RecordingOption
	Countries []RecordingOption
	Browsers  []RecordingOption
	Sources   []RecordingOption
}

// RecordingsPage is the recordings sub-page of an experiment's results
// (and of a share link, read-only): the same card, on its own.
type RecordingsPage struct {
	Page
	ID         string
	Name       string
	Status     string
	ResultsURL string
	Recordings Recordings
}

// RecordingSession is one recorded session in the list.
type RecordingSession struct {
	At      time.Time
	Variant string // label
	Index   int    // the variant's colour
	Link    RecordingLink
	// More are the links of the visitor's other recordings (another
	// recorder's, an earlier visit's): the list shows a visitor once.
	More      []RecordingLink
	Converted bool
	Segment   string // "Mobile · France · Safari · google.com"
	Page      string // the page's path
}

// hasOption reports whether value is one of the options.
func hasOption(options []RecordingOption, value string) bool {
	for _, o := range options {
		if o.Value == value {
			return true
		}
	}
	return false
}

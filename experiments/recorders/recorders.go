// Package recorders connects copylab's experiments to the session recordings
// of the recorders a site already runs: PostHog, Microsoft Clarity,
// FullStory, LogRocket, Hotjar, or the site's own tool through a URL
// template.
//
// It holds three things:
//   - Settings, a site's recorder setup (stored as JSON in a site column),
//     and Settings.Validate, which checks it on save;
//   - Settings.Names, the recorders whose code the site's snippet includes
//     (static.SnippetConfig.Recorders): in the visitor's browser the snippet
//     tags each recording with the experiment and variant through the
//     recorder's own API, and reports the recorder's session in a
//     "recording" event;
//   - the link builders: per variant, the recorder's own list of recordings
//     filtered to that variant where the recorder has one, or plain-text
//     instructions where it has none (VariantLinks); per recorded session, a
//     direct link to its replay (SessionLink).
//
// Every URL the builders return is http or https. Values that came from a
// visitor's browser (session ids, replay URLs) are escaped, or checked
// against the recorder's own hosts, before they go into a link.
package recorders

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// The recorders, by the names the snippet and the "recording" events use.
const (
	PostHogName   = "posthog"
	ClarityName   = "clarity"
	FullStoryName = "fullstory"
	LogRocketName = "logrocket"
	HotjarName    = "hotjar"
	CustomName    = "custom"
)

// What the snippet tags recordings with. Clarity gets TagExperiment and
// TagVariant as custom tags; PostHog, FullStory and LogRocket get an
// event named EventName with both as properties; Hotjar, whose events carry no properties, gets the event
// HotjarEvent(experiment, variant). static/snippet/snippet.js writes the
// same strings.
const (
	TagExperiment = "copylab_experiment"
	TagVariant    = "copylab_variant"
	EventName     = "copylab"
)

// HotjarEvent is the name of the Hotjar event the snippet sends for a
// variant: "copylab:EXPERIMENT:VARIANT". Hotjar event names allow letters,
// digits, spaces, "-", "_", ".", ":" and "/", up to 250 characters;
// experiment ids and variant keys stay within those.
func HotjarEvent(experiment, variant string) string {
	return EventName + ":" + experiment + ":" + variant
}

// Settings is a site's recorder setup: any of the recorders, each nil when
// unused, and optionally a custom URL template. The zero value uses none.
// It is stored as JSON (see Parse).
type Settings struct {
	PostHog   *PostHog   `json:"posthog,omitempty"`
	Clarity   *Clarity   `json:"clarity,omitempty"`
	FullStory *FullStory `json:"fullstory,omitempty"`
	LogRocket *LogRocket `json:"logrocket,omitempty"`
	Hotjar    *Hotjar    `json:"hotjar,omitempty"`
	// Custom is a URL template for another recorder: an http or https URL
	// that may contain the placeholders {session_id}, {visitor},
	// {experiment} and {variant} (after the host; see Template). With
	// {session_id} the site reports its recorder's session id to the
	// snippet with copylab.recording(id).
	Custom string `json:"custom,omitempty"`
}

// PostHog is a PostHog project.
type PostHog struct {
	// Host is the URL of the PostHog app: https://us.posthog.com,
	// https://eu.posthog.com, or a self-hosted instance. The ingestion
	// hosts (us.i.posthog.com, eu.i.posthog.com) are taken for their app.
	Host string `json:"host"`
	// ProjectID is the number in the app's URLs (/project/12345/…).
	ProjectID string `json:"project_id"`
}

// Clarity is a Microsoft Clarity project.
type Clarity struct {
	// ProjectID is the id in Clarity's tracking code and URLs.
	ProjectID string `json:"project_id"`
}

// FullStory is a FullStory organization.
type FullStory struct {
	// OrgID is the org id of the FullStory snippet (window._fs_org).
	OrgID string `json:"org_id"`
}

// LogRocket is a LogRocket app.
type LogRocket struct {
	// AppID is the "org/app" id passed to LogRocket.init.
	AppID string `json:"app_id"`
}

// Hotjar is a Hotjar site.
type Hotjar struct {
	// SiteID is the number of the Hotjar tracking code (hjid).
	SiteID string `json:"site_id"`
}

// Parse reads Settings stored as JSON; an empty string is no recorder.
// Unknown fields are ignored, so settings written by a later version load.
func Parse(stored string) (Settings, error) {
	var s Settings
	if strings.TrimSpace(stored) == "" {
		return s, nil
	}
	if err := json.Unmarshal([]byte(stored), &s); err != nil {
		return Settings{}, fmt.Errorf("recorders: parse settings: %w", err)
	}
	return s, nil
}

// Names returns the recorders whose code the site's snippet needs, in a
// fixed order: every recorder set up, and "custom" when the template
// takes a {session_id} (only then has the snippet anything to report for
// it). Pass it to static.SnippetConfig.Recorders.
func (s Settings) Names() []string {
	var names []string
	if s.PostHog != nil {
		names = append(names, PostHogName)
	}
	if s.Clarity != nil {
		names = append(names, ClarityName)
	}
	if s.FullStory != nil {
		names = append(names, FullStoryName)
	}
	if s.LogRocket != nil {
		names = append(names, LogRocketName)
	}
	if s.Hotjar != nil {
		names = append(names, HotjarName)
	}
	if t, err := ParseTemplate(s.Custom); err == nil && t.Uses(PlaceholderSession) {
		names = append(names, CustomName)
	}
	return names
}

// FieldError is one problem with a field of Settings, for the form to show
// beside that field. Field is the JSON path of the field
// ("posthog.host", "custom").
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Ids are checked against the charsets the recorders use, a little wider
// where unsure, so a typo is caught on save and an id can never change the
// shape of a URL it goes into.
var (
	numericID   = regexp.MustCompile(`^[0-9]{1,20}$`)
	clarityID   = regexp.MustCompile(`^[a-zA-Z0-9]{1,32}$`)
	fullStoryID = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$`)
	logRocketID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}/[a-zA-Z0-9_-]{1,64}$`)
)

// Validate checks the settings and returns every problem, or nil. Values
// are taken as they are: trim them before (Clean does).
// sentence turns an error into a form message: capitalised and ended with
// a full stop, as the other messages beside the fields are.
func sentence(err error) string {
	msg := err.Error()
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

func (s Settings) Validate() []FieldError {
	var errs []FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if p := s.PostHog; p != nil {
		if _, err := appURL(p.Host); err != nil {
			add("posthog.host", "invalid_url", "%s", sentence(err))
		}
		if !numericID.MatchString(p.ProjectID) {
			add("posthog.project_id", "invalid_id", "The project id is the number in your PostHog URLs (/project/12345).")
		}
	}
	if c := s.Clarity; c != nil && !clarityID.MatchString(c.ProjectID) {
		add("clarity.project_id", "invalid_id", "The Clarity project id is letters and digits (from Settings → Overview).")
	}
	if f := s.FullStory; f != nil && !fullStoryID.MatchString(f.OrgID) {
		add("fullstory.org_id", "invalid_id", "The FullStory org id is letters, digits and dashes (window._fs_org in your snippet).")
	}
	if l := s.LogRocket; l != nil && !logRocketID.MatchString(l.AppID) {
		add("logrocket.app_id", "invalid_id", "The LogRocket app id looks like org/app, as passed to LogRocket.init.")
	}
	if h := s.Hotjar; h != nil && !numericID.MatchString(h.SiteID) {
		add("hotjar.site_id", "invalid_id", "The Hotjar site id is a number (hjid in your tracking code).")
	}
	if s.Custom != "" {
		if _, err := ParseTemplate(s.Custom); err != nil {
			add("custom", "invalid_template", "%s", sentence(err))
		}
	}
	return errs
}

// Clean returns s with surrounding spaces trimmed from every value and one
// trailing "/" from the PostHog host, as a form should store it.
func (s Settings) Clean() Settings {
	if s.PostHog != nil {
		p := *s.PostHog
		p.Host = strings.TrimSuffix(strings.TrimSpace(p.Host), "/")
		p.ProjectID = strings.TrimSpace(p.ProjectID)
		s.PostHog = &p
	}
	if s.Clarity != nil {
		s.Clarity = &Clarity{ProjectID: strings.TrimSpace(s.Clarity.ProjectID)}
	}
	if s.FullStory != nil {
		s.FullStory = &FullStory{OrgID: strings.TrimSpace(s.FullStory.OrgID)}
	}
	if s.LogRocket != nil {
		s.LogRocket = &LogRocket{AppID: strings.TrimSpace(s.LogRocket.AppID)}
	}
	if s.Hotjar != nil {
		s.Hotjar = &Hotjar{SiteID: strings.TrimSpace(s.Hotjar.SiteID)}
	}
	s.Custom = strings.TrimSpace(s.Custom)
	return s
}

// appURL checks the URL of a recorder's app (PostHog's host) and returns it
// parsed, without a trailing "/": http or https, a host, no user info, no
// query or fragment. The ingestion hosts of PostHog Cloud become their app
// hosts.
func appURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	switch {
	case raw == "":
		return nil, fmt.Errorf("enter the address of your PostHog app, like https://us.posthog.com")
	case err != nil || u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("%q is not a URL like https://us.posthog.com", raw)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("the address must start with https:// (or http://)")
	case u.User != nil:
		return nil, fmt.Errorf("the address must not contain a user name or password")
	case u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(raw, "?#"):
		return nil, fmt.Errorf("the address must not have a query or fragment")
	case strings.ContainsAny(raw, " \t\r\n\\"):
		return nil, fmt.Errorf("the address must not contain spaces or backslashes")
	}
	// posthog-js does the same to find the app of an ingestion host.
	switch strings.ToLower(u.Hostname()) {
	case "us.i.posthog.com", "app.posthog.com":
		u.Host = "us.posthog.com"
	case "eu.i.posthog.com":
		u.Host = "eu.posthog.com"
	}
	u.RawPath = ""
	return u, nil
}

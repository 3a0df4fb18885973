// Package experiments is copylab's domain: sites, experiments, variants,
// goals, assignment, events and results, and their storage in SQLite.
// It knows nothing of HTTP or of how copy is generated.
package experiments

import (
	"errors"
	"time"
)

// ErrNotFound is returned when a row asked for by id or key does not exist.
var ErrNotFound = errors.New("not found")

// ErrApproverGone is returned by AddVariants when the user approving the
// copy was removed before it was added.
var ErrApproverGone = errors.New("the approver's account was removed")

// ErrConflict is returned when a write would break a uniqueness rule (an
// email already in use, a variant key taken).
var ErrConflict = errors.New("conflict")

// Status is an experiment's life-cycle state.
type Status string

// The statuses an experiment moves through. Only running experiments reach
// the snippet; stopped ones keep their results.
const (
	StatusDraft   Status = "draft"
	StatusRunning Status = "running"
	StatusPaused  Status = "paused"
	StatusStopped Status = "stopped"
)

// Goal types.
const (
	GoalClick    = "click"
	GoalPageview = "pageview"
	GoalEvent    = "event"
)

// Variant sources: where a variant's copy came from.
const (
	SourceControl = "control"
	SourceHuman   = "human"
	SourceModel   = "model"
	SourceOffline = "offline"
)

// ControlKey is the key of the first variant, the page's current copy.
const ControlKey = "control"

// User is a person who signs in to the app.
type User struct {
	ID        int64
	Email     string
	Name      string
	CreatedAt time.Time
}

// Session is a signed-in browser.
type Session struct {
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time // when the user signed in
	ExpiresAt  time.Time
	LastSeenAt time.Time // moved forward at most once an hour (the app's sessionRefresh)
}

// APIToken describes a bearer token (never the secret itself).
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	Access     TokenAccess
	CreatedAt  time.Time
	LastUsedAt time.Time // zero when never used
}

// ReadOnly tells whether the token may only read.
func (t APIToken) ReadOnly() bool { return t.Access == AccessRead }

// TokenAccess is what an API token may do.
type TokenAccess string

const (
	// AccessFull calls every route of the API, as its user could in the
	// browser. Tokens made before tokens had a kind are full.
	AccessFull TokenAccess = "full"
	// AccessRead calls only the API's GETs: a dashboard's or a report's
	// token that leaks cannot stop, ship or delete a test.
	AccessRead TokenAccess = "read"
)

// Site is a website that embeds the snippet.
type Site struct {
	ID            string
	Key           string // public key in the snippet URL
	Name          string
	Domain        string
	BrandVoice    string
	HideTimeoutMS int
	HonorGPC      bool
	// WebhookURL is where copylab announces its experiments' verdicts
	// ("" for nowhere); set with SetSiteWebhook.
	WebhookURL string
	CreatedAt  time.Time
}

// Goal is what counts as a conversion.
type Goal struct {
	Type     string `json:"type"`               // click, pageview or event
	Selector string `json:"selector,omitempty"` // click: CSS selector
	URL      string `json:"url,omitempty"`      // pageview: URL pattern
	Name     string `json:"name,omitempty"`     // event: custom event name
}

// Value is the goal's single parameter, whichever its type.
func (g Goal) Value() string {
	switch g.Type {
	case GoalClick:
		return g.Selector
	case GoalPageview:
		return g.URL
	default:
		return g.Name
	}
}

// GoalOf builds a Goal from its stored type and value.
func GoalOf(typ, value string) Goal {
	switch typ {
	case GoalClick:
		return Goal{Type: typ, Selector: value}
	case GoalPageview:
		return Goal{Type: typ, URL: value}
	default:
		return Goal{Type: typ, Name: value}
	}
}

// Experiment is one copy test on one element of one page pattern.
type Experiment struct {
	ID          string
	SiteID      string
	Name        string
	Page        string // URL pattern, see MatchPage
	Selector    string // CSS selector of the tested element
	Goal        Goal
	CoverageBP  int // share of visitors in the experiment, basis points
	Status      Status
	Seed        string
	Brief       string  // JSON of the last brief used to generate copy
	Threshold   float64 // practical threshold, relative (0.10 = 10%)
	VisibleOnly bool    // count exposure only once the element was in the viewport
	ShareToken  string
	ShareOff    bool // the share link is turned off: ShareToken opens nothing (Store.TurnOffShareLink)
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	StartedAt   time.Time // zero until first started
	EndedAt     time.Time // zero until stopped
	// ShippedVariant is the key of the variant the tag shows every visitor
	// since ShippedAt (see Store.Ship), or "".
	ShippedVariant string
	ShippedAt      time.Time
	// SplitChangedAt is when the weights last changed after the start
	// (zero: never). Visitors keep their variant, so only those who first
	// came after that UTC day were split by the weights the experiment has
	// now: VariantCounts.SinceSplit counts them for the split check.
	SplitChangedAt time.Time
	// FollowsID is the test this one follows up (Store.FollowUpExperiment):
	// the one whose shipped copy is its original. "" for any other
	// experiment, and once the followed test is deleted.
	FollowsID string
	// StopsAt is the experiment's planned end (zero: none): from then
	// on copylab stops it by itself, as a person's Stop would
	// (Store.StopDue). The form sets 00:00 UTC of the day chosen.
	StopsAt time.Time
	// StartsAt is a draft's planned start (zero: none): from then on
	// copylab starts it by itself, as a person's Start would, with the
	// same checks (Store.StartDue). Any start clears it, so only a draft
	// has one. The form sets 00:00 UTC of the day chosen, as StopsAt.
	StartsAt time.Time
	Variants []Variant // in order, control first
}

// Variant is one arm of an experiment: the original (control) or a
// text to try against it.
type Variant struct {
	Key           string
	Position      int
	Text          string
	WeightBP      int
	Source        string // control, human, model or offline
	Model         string // model name when Source is model
	PromptVersion string
	Angle         string
	Rationale     string
	Edited        bool // a person edited a generated draft
	ApprovedBy    string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Weights returns the variants' weights in order.
func (e Experiment) Weights() []int {
	w := make([]int, len(e.Variants))
	for i, v := range e.Variants {
		w[i] = v.WeightBP
	}
	return w
}

// Variant returns the variant with the given key.
func (e Experiment) Variant(key string) (Variant, bool) {
	for _, v := range e.Variants {
		if v.Key == key {
			return v, true
		}
	}
	return Variant{}, false
}

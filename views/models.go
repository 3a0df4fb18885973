package views

import (
	"time"
)

// LoginPage is the sign-in form.
type LoginPage struct {
	Page
	Email   string
	Next    string // local path to go to after signing in
	Error   string // one message for every failure: no user enumeration
	NoUsers bool   // nobody can sign in yet: point at the setup link
}

// SetupPage is the one-time form that creates the first account.
type SetupPage struct {
	Page
	Token  string
	Email  string
	Errors Errors
}

// RateLimitedPage says that too many sign-in attempts were made.
type RateLimitedPage struct {
	Page
	RetryMinutes int
}

// ErrorPage is the page shown for 404s and failures, in the app's look.
type ErrorPage struct {
	Page
	Status    int
	Heading   string
	Message   string
	RequestID string // shown on server errors so a report can be matched to a log line
}

// SiteRow is one site in the sites list.
type SiteRow struct {
	ID      string
	Name    string
	Domain  string
	Key     string
	Running int
	Total   int
}

// SiteForm is the add-a-site form with its values and errors.
type SiteForm struct {
	Name   string
	Domain string
	Errors Errors
}

// SitesPage lists the sites and has the form that adds one.
type SitesPage struct {
	Page
	Sites []SiteRow
	Form  SiteForm
}

// SitePage shows one site: its tag, how to install it, and its experiments.
type SitePage struct {
	Page
	ID          string
	Name        string
	Domain      string
	Key         string
	Tag         string // the <script> tag to paste
	PinnedTag   string // the same with the content-hashed URL
	SnippetURL  string
	Experiments []ExperimentRow
	QAExample   string // a QA link to show as an example, or ""
}

// ExperimentRow is one experiment in a list.
type ExperimentRow struct {
	ID       string
	Name     string
	SiteName string
	Page     string
	Status   string
	Variants int
	Created  time.Time
}

// ExperimentsPage lists the experiments.
type ExperimentsPage struct {
	Page
	Experiments []ExperimentRow
	HasSites    bool
	Filter      string // status filter, "" for all
}

// SiteOption is one choice of the site select.
type SiteOption struct {
	ID   string
	Name string
}

// VariantField is one row of copy in the experiment form. Weight is in
// percent as typed ("" means an equal split).
type VariantField struct {
	Key    string
	Text   string
	Weight string
}

// GoalTypes offered by the form, in order.
var GoalTypes = []struct{ Value, Label string }{
	{"click", "Click on an element"},
	{"pageview", "Visit to a page"},
	{"event", "Custom event (copylab.convert)"},
}

// ExperimentForm is the create and edit form. Locked means the experiment
// has started: its page, element, goal and copy can no longer change.
type ExperimentForm struct {
	Page
	ID           string // "" when creating
	Locked       bool
	Status       string
	Sites        []SiteOption
	SiteID       string
	Name         string
	PageURL      string
	Selector     string
	GoalType     string
	GoalSelector string
	GoalURL      string
	GoalEvent    string
	Coverage     string // percent of visitors in the test
	Variants     []VariantField
	Errors       Errors
	GenerateURL  string // the reserved page for AI generation
}

// Creating reports whether the form creates a new experiment.
func (f ExperimentForm) Creating() bool { return f.ID == "" }

// Action is one life-cycle button on the experiment page.
type Action struct {
	Name    string // start, pause, resume, stop
	Label   string
	URL     string
	Style   string // primary, secondary, danger
	Confirm string // "" when no confirmation is asked
}

// QALink previews one variant on the site without sending events.
type QALink struct {
	Key   string
	URL   string // a full URL when the page pattern names one page
	Param string // the ?copylab=… parameter, always
}

// VariantView is one variant on the experiment page.
type VariantView struct {
	Key      string
	Text     string
	WeightBP int
	Source   string
	Control  bool
}

// ExperimentPage shows one experiment.
type ExperimentPage struct {
	Page
	ID          string
	Name        string
	Status      string
	SiteID      string
	SiteName    string
	PageURL     string
	Selector    string
	Goal        string // a sentence describing the goal
	CoveragePct string
	Variants    []VariantView
	Actions     []Action
	QALinks     []QALink
	ShareURL    string
	CanEdit     bool
	EditNote    string
	Started     time.Time
	Ended       time.Time
	Results     Results
	Demo        bool
}

// ResultRow is one variant's line of the results table. The statistics
// columns (intervals, probability to be best) come with the statistics
// work; their fields are here so the table's shape does not change.
type ResultRow struct {
	Key         string
	Text        string
	Control     bool
	Exposures   int64
	Conversions int64
	Rate        float64 // conversions / exposures; meaningful when Exposures > 0
	RateLow     float64 // interval bounds, when HasInterval
	RateHigh    float64
	HasInterval bool
	ProbBest    float64 // when HasProbBest
	HasProbBest bool
}

// Results is the live results panel, shared by the experiment page, the
// results page and the read-only share page.
type Results struct {
	LiveURL      string // the fragment to poll; "" stops polling
	Status       string
	Rows         []ResultRow
	Excluded     int64 // visitors who saw several variants
	Bots         int64
	UpdatedAt    time.Time
	Unavailable  string // shown instead of the table when counts could not be read
	TotalVisits  int64
	TotalConvert int64
}

// ResultsPage is the full results page of one experiment.
type ResultsPage struct {
	Page
	ID       string
	Name     string
	Status   string
	ShareURL string
	Results  Results
}

// SharePage is the public, read-only results page behind a share link.
type SharePage struct {
	Page
	Name     string
	Status   string
	PageURL  string
	Goal     string
	Started  time.Time
	Results  Results
	Variants []VariantView
}

// GeneratePage is the reserved place for AI copy generation.
type GeneratePage struct {
	Page
	ID   string
	Name string
}

// UserRow is one user in the users list.
type UserRow struct {
	ID      int64
	Email   string
	Name    string
	Created time.Time
	Self    bool
}

// UsersPage lists the team and has the form that adds a teammate.
type UsersPage struct {
	Page
	Users       []UserRow
	Email       string
	Errors      Errors
	NewEmail    string // set once after adding a user with a generated password
	NewPassword string
}

// TokenRow is one API token (never its secret).
type TokenRow struct {
	ID       int64
	Name     string
	Prefix   string
	Created  time.Time
	LastUsed time.Time
}

// SettingsPage shows the API tokens and the server's settings.
type SettingsPage struct {
	Page
	Tokens     []TokenRow
	TokenName  string
	Errors     Errors
	NewToken   string // the secret, shown once after creating it
	PublicURL  string
	APIBase    string
	LLM        string // a sentence about copy generation's setup
	DBPath     string
	NewTokenID int64
}

// DemoPage is the fake landing page copylab serves at /demo.
type DemoPage struct {
	SnippetURL   string // "" when the demo site does not exist
	CSS          string
	JS           string
	Icon         string
	ExperimentID string
	Variants     []string // keys, for the QA links
	Headline     string
}

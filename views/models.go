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
	Seen    TagStatus // what copylab has seen of its tag (sites.templ)
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
	GuardedTag  string // the guarded async install (static.GuardedTag)
	GuardCSP    string // what a CSP needs to allow its inline lines
	SnippetURL  string
	Experiments []ExperimentRow // the newest of its experiments (a list's page)
	Pager       Pager           // NextURL: the rest, on the experiments list
	Running     []string        // names of its running experiments, the newest few (runningShown)
	RunningAll  int             // how many are running
	RunningURL  string          // the experiments list of its running ones
	QAExample   string          // a QA link to show as an example, or ""
	Seen        TagStatus       // what copylab has seen of its tag (sites.templ)
	// The site's own settings and its session recorders (recordings.templ).
	Settings  SiteSettingsForm
	Recorders RecordersForm
	Notify    NotifyForm
}

// NotifyForm is the site's webhook for verdict messages.
type NotifyForm struct {
	URL    string // as typed, when it was refused ("" otherwise)
	Saved  string // the saved webhook, masked (see app.maskedWebhook); "" for none
	Plain  bool   // the saved webhook uses http:// where copylab now asks for https:// (sites.templ)
	Error  string
	Recent []SentNotice // the latest messages, newest first
	Flash  Flash        // what the last save, test message or Turn off did, shown in the card
	// Refused: the saved webhook refused a message for good (sites.templ); nil while not.
	Refused     *NotifyRefusal
	Undelivered []UndeliveredNotice // the latest messages the webhook refused by themselves, newest first (sites.templ)
}

// SentNotice is one message copylab posted about an experiment.
type SentNotice struct {
	ExperimentID   string
	ExperimentName string
	Title          string // "We have a winner", …
	SentAt         time.Time
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
	// Once started: the counted visitors, the verdict's status (a
	// stats.Status… constant) and the variant in the lead, the original
	// included, with its uplift against the original when there is one;
	// a leader only where the verdict names one (a winner, the original
	// ahead, or, while it is too early to call, the arm it says is
	// ahead), so none where it says there is no clear leader yet.
	Started  bool
	Visitors int64
	Verdict  string
	Ended    bool // stopped (shipped ones too): the verdict's title does not say to wait
	Early    bool // an answer too early to act on, as the results page judges it: the chip says it is not called yet
	Unsure   bool // an answer called only as probable: the chip says so, as the results page heads it
	// NotFound says the tag found the page but never the tested element
	// on it (Verdict.NotFound): the chip says so, as the results page
	// heads the verdict, rather than "Not enough data yet".
	NotFound    bool
	Leader      string
	LeaderLift  float64
	HasLeadLift bool
	// Beaten is how many variants beat the original where the verdict
	// names no leader because several do and which is best is still open
	// ("Variant B and Variant C both beat the original …"); 0 otherwise.
	Beaten int
}

// ExperimentsPage lists the experiments.
type ExperimentsPage struct {
	Page
	Experiments []ExperimentRow // the ones this page of the list shows
	Total       int             // experiments in all (of the site, when narrowed to one)
	Matched     int             // those the search matched (Total without one)
	HasSites    bool
	Filter      string // status filter, "" for all
	Query       string // the search, as typed
	SiteID      string // the site the list is narrowed to, or ""
	SiteName    string
	ClearURL    string // the list without the search
	AllURL      string // the list without the search and the status filter
	Tabs        []FilterTab
	Pager       Pager
}

// Pager says which rows of a long list a page shows (From and To count
// from 1; both 0 when there are none) and links to its neighbours ("" at
// either end).
type Pager struct {
	From, To, Total  int
	PrevURL, NextURL string
}

// FilterTab is one status filter of the experiments list, with how many
// experiments it holds.
type FilterTab struct {
	Label  string
	URL    string
	Count  int
	Active bool
}

// SiteOption is one choice of the site select.
type SiteOption struct {
	ID   string
	Name string
}

// VariantField is one row of copy in the experiment form. Weight is in
// percent as typed: "" takes an equal part of what the typed weights
// leave, so a split nobody typed stays equal as rows come and go.
type VariantField struct {
	Key    string
	Text   string
	Weight string
	// NewKey is the key a row added in the form (Key "") gets when it is
	// saved, which names it ("Variant E"); "" for a stored row.
	NewKey string
	// Auto is the share an empty Weight gets, in percent ("33.33"), as
	// its placeholder; "" when it cannot be told (a typed weight is not
	// a number).
	Auto string
	// LongLimit is the brief's length when the copy typed in this row
	// goes over it and breaks none of the brief's other rules, else 0:
	// the row then offers a box to save it anyway (AllowLong), as the
	// drafting page offers one for its drafts.
	LongLimit int
	AllowLong bool // that box is ticked
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
	VisibleOnly  bool // count a visitor only once the element is on screen
	GoalType     string
	GoalSelector string
	GoalURL      string
	GoalEvent    string
	Coverage     string // percent of visitors in the test
	Variants     []VariantField
	Plan         PlanForm // the practical threshold and the sample-size estimate
	// StopsAt is the planned stop day as the date input has it
	// ("2026-12-12", a UTC day; "" for none), and StopsWarning what
	// that day means for the verdict when the test may stop before it
	// can be called ("" otherwise): a warning, not an error.
	StopsAt      string
	StopsWarning string
	// StartsAt is a draft's planned start day, as StopsAt ("" for none).
	// Only a draft's form (or a new one) has the field: a start clears
	// the plan.
	StartsAt string
	// StopsPlanned and StartsPlanned are the plans as stored (zero:
	// none, and on the New form): the date fields hold only their days,
	// and the help beside each says a time of day other than 00:00 UTC,
	// which a save of the same day keeps.
	StopsPlanned, StartsPlanned time.Time
	Errors                      Errors
	// Refused says why the form came back instead of what was asked
	// ("This draft cannot start yet: …"), before the list of problems.
	Refused string
	// Opened names the stored experiment as the edit form was first
	// opened on it, sent back hidden (the edit handler's openedToken):
	// its save is refused when the experiment changed since. "" on the
	// New form.
	Opened string
	// Changed says, on an edit form whose save was refused because the
	// experiment changed after the form was opened, that nothing was
	// saved and who changed it when; the form then links to itself as
	// the experiment is now. "" otherwise.
	Changed     string
	GenerateURL string // the generation page of a saved experiment
	// Focus is where the focus lands when the form comes back from its
	// "+ Add a variant" or "Remove" button: a row's copy box
	// ("variants[2].text"), or FocusAdd for the Add button; "" leaves it
	// to the page (the first field in error, if any).
	Focus string
}

// FocusAdd puts the focus on the form's "+ Add a variant" button
// (ExperimentForm.Focus).
const FocusAdd = "add"

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
	Label string // "Original", "Variant B" (VariantLabel)
	Key   string
	URL   string // a full URL when the page pattern names one page
	// Shown is URL as its link's text reads: the page's letters written
	// as letters (experiments.PageShown), where URL keeps the escapes
	// the browser follows.
	Shown string
	Param string // the ?copylab=… parameter, always
}

// VariantView is one variant on the experiment page.
type VariantView struct {
	Key        string
	Text       string
	WeightBP   int
	Source     string
	Control    bool
	Provenance Provenance // where generated copy came from (generate_models.go)
}

// ExperimentPage shows one experiment.
// DraftsWaiting is what the signed-in person's newest drafting job for an
// experiment holds that they have not added: drafts being written
// (Writing), or Drafts written and kept on the drafting page Until then.
// The zero value: nothing waits.
type DraftsWaiting struct {
	Writing bool
	Drafts  int
	Until   time.Time
}

type ExperimentPage struct {
	Page
	// Drafts says what waits on the drafting page (drafts only).
	Drafts      DraftsWaiting
	ID          string
	Name        string
	Status      string
	SiteID      string
	SiteName    string
	PageURL     string
	Selector    string
	VisibleOnly bool   // visitors count only once the element is on screen
	Goal        string // a sentence describing the goal
	CoveragePct string
	Variants    []VariantView
	Actions     []Action
	QALinks     []QALink
	ShareURL    string // "" while the share link is turned off
	CanEdit     bool
	EditNote    string
	Started     time.Time
	Ended       time.Time
	Results     Results
	Demo        bool
	// Ship: the variants that can be shipped to everyone (none for a
	// draft), and, once one is, its name, copy and since when. Leader is
	// the key of the variant the verdict of Results names in the lead
	// (Verdict.Lead, the original's included), "" where it names none, so
	// that the buttons call a leader exactly where the verdict does.
	Ship        []ShipOption
	Leader      string
	Shipped     string // "Variant B", or "" when nothing is shipped
	ShippedText string
	ShippedAt   time.Time
	ShipHidden  bool // a running experiment on the same element hides the shipped copy
	// UnshipConfirm is the question "Stop showing it" asks: what visitors
	// see once the shipped copy goes (the page's own, or another
	// experiment's copy of the element).
	UnshipConfirm string
	Element       ElementNotes  // what other experiments do to this one's element (experiments.templ)
	History       []HistoryLine // newest first
	// Tag is what copylab has seen of the site's tag, as the site page
	// says it (sites.templ): a draft, and a running test nobody has
	// entered, warn while it is "Not seen yet" (experiments.templ).
	Tag TagStatus
	// Unset names what a draft saved before it was chosen still lacks,
	// in the page's words ("page", "element", "goal"; none once it has
	// them all): Start asks for each, and the preview links wait for them.
	Unset []string
	// FollowsID and FollowsName are the test this one follows up, which
	// the page links to; "" for none, and once that test is deleted.
	FollowsID   string
	FollowsName string
	// StopsAt is the planned stop (zero: none), Now the moment the page
	// was made (by the App's clock), a plan at or before which has passed,
	// and from whose UTC day the page counts "in 9 days",
	// StopsWarning that the test may stop before it can be called (""),
	// and StoppedOnPlan that copylab stopped it on that date rather than
	// a person.
	StopsAt       time.Time
	Now           time.Time
	StopsWarning  string
	StoppedOnPlan bool
	// StartsAt is a draft's planned start (zero: none), and
	// StartedOnPlan that copylab started the test on that date rather
	// than a person.
	StartsAt      time.Time
	StartedOnPlan bool
}

// HistoryLine is one change in an experiment's history.
type HistoryLine struct {
	At     time.Time
	Who    string // "ana@example.com", "ana@example.com (API)", or "" when not known
	Action string // "Started", "Edited", …
	Detail string
}

// ShipOption is a variant the experiment page offers to ship.
type ShipOption struct {
	Key   string
	Label string // "Variant B"
	Text  string
}

// UserRow is one user in the users list.
type UserRow struct {
	ID             int64
	Email          string
	Name           string
	Created        time.Time
	Self           bool
	PendingInvites int // invites they sent that still work; removing them cancels these
	Tokens         int // their API tokens; removing them revokes these
	// AddedBy says who added them, in words: "setup", "command line",
	// a teammate's email, "invite from …", with ", since removed" once
	// that teammate is gone; "" for an account older than the record.
	AddedBy string
	// Added are the emails of the accounts they added (AddedKept):
	// removing them leaves those, and the Remove button says so.
	Added []string
	Role  string // "admin" or "member"
}

// UsersPage lists the team and has the form that adds a teammate.
type UsersPage struct {
	Page
	// Admin is whether the person viewing is an admin: only then does the
	// page show the controls that manage people (add, invite, remove,
	// change a role), which answer only admins (app.adminOnly).
	Admin       bool
	Role        string // the add form's role after a refusal; "" for member
	Users       []UserRow
	Now         time.Time // what "3 days ago" is counted from
	Email       string
	Errors      Errors
	NewEmail    string // set once after adding a user with a generated password
	NewPassword string
	Invites     InvitesSection // invite.templ
}

// TokenRow is one API token (never its secret).
type TokenRow struct {
	ID       int64
	Name     string
	Prefix   string
	ReadOnly bool // it may only read: the API refuses its changes
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
	LLM        string             // a sentence about copy generation's setup
	AI         LLMSettingsSection // the AI copy section (settings_llm.templ)
	Sessions   SessionsSection    // the signed-in browsers (settings.templ)
	DBPath     string
	NewTokenID int64
	// PasswordErrors are the change-password form's problems.
	PasswordErrors Errors
	// NewTokenReadOnly is the new token made Read only: the shown-once
	// message says which kind it is.
	NewTokenReadOnly bool
	// TokenAccess is the create form's choice as sent, "full" or "read",
	// kept when the form comes back with a problem ("": Can change things).
	TokenAccess string
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

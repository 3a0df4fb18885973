package views

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"copylab/experiments/chars"
)

// BriefHelp explains one field of the brief form: label, help and an
// example. The app fills it from the generation library's field list.
type BriefHelp struct {
	Label    string
	Help     string
	Example  string
	Required bool
}

// BriefForm is the brief as typed into the form, every value a string so
// that a wrong number comes back as typed, with the errors beside fields.
// MustSay and MustNotSay hold one item a line.
type BriefForm struct {
	CurrentCopy string
	Goal        string
	ElementKind string
	Product     string
	Audience    string
	Tone        string
	Language    string
	MustSay     string
	MustNotSay  string
	MaxLength   string
	BrandVoice  string
	N           string
	// Selector is the experiment's element selector, sent back with the
	// form for guessing the element kind when the form leaves it to
	// guess (variants.Brief.Selector); it is not a field a person types.
	Selector string
	Errors   Errors
}

// LLMInfo says which generator writes the drafts, for the generation page
// and the settings page. KeyHint shows only enough of the key to recognise
// it.
type LLMInfo struct {
	Offline bool
	Mode    string
	BaseURL string
	Model   string
	KeyHint string
	Timeout time.Duration // how long copylab waits for one answer; 0 offline
	// JobLimit is how long a set of drafts may take in all, as Settings
	// says it: room for two answers (the drafts, then any missing ones)
	// and for retries while the model service is busy, and 3 minutes at
	// least, whatever the Timeout.
	JobLimit time.Duration
}

// GeneratePage is the brief form, and the drafts of a generation when
// there is one.
type GeneratePage struct {
	Page
	ID        string
	Name      string
	SiteName  string
	Status    string
	Locked    bool   // not a draft: nothing can be added
	Room      int    // how many more variants the experiment can hold
	Existing  int    // how many variants it has besides the original
	PostURL   string // where the brief form posts
	ScriptURL string // the page's own script (character counts)
	StyleURL  string // the page's own stylesheet
	Brief     BriefForm
	Help      map[string]BriefHelp
	LLM       LLMInfo
	Job       *GenerateJob // nil before the first generation
	Error     string       // a failure to start a generation
	Added     string       // the job asked for was added to the experiment: what it added
}

// Job states.
const (
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// GenerateJob is one generation as the page shows it: progress while it
// runs, then the drafts or the failure.
type GenerateJob struct {
	ID       string
	State    string
	Progress string // "Writing 5 drafts with gpt-4o-mini…"
	// RetryWhy says why copylab waits to ask the model service again
	// ("The model service asked to wait"), after the progress; "" when
	// it does not wait. RetryLeft is the wait left when the page was
	// rendered, which generate.js counts down; RetryWait is the wait as
	// it was asked, and RetryTry the try it waits to make: they, not the
	// wait left, go into PollKey and Announcement.
	RetryWhy   string
	RetryLeft  time.Duration
	RetryWait  time.Duration
	RetryTry   int
	StatusURL  string // the fragment htmx polls while it runs
	PageURL    string // the full page of this job, for browsers without JavaScript
	ApproveURL string
	CSRF       string
	Offline    bool
	Model      string
	Started    time.Time
	Elapsed    time.Duration // how long it has been running, when the page was rendered
	Limit      time.Duration // how long copylab waits for the model in all; 0 when not known
	// AnswerLimit is how long copylab waits for each answer of the model
	// (--llm-timeout): a job may ask twice, and retry, within Limit.
	AnswerLimit time.Duration
	// CustomSplit is the experiment's split when someone set it unequal
	// ("Original 30% / Variant B 70%"): adding drafts makes it equal
	// again, and the page says so before. "" when it is equal.
	CustomSplit string
	Error       string // the failure, as one sentence
	ErrorCode   string
	RetryAfter  int // seconds the model service asked to wait; 0 when it did not say
	// TryAgainLeft is what was left of that wait when the failure was
	// drawn, 0 when none is: a try before it is over is only refused, so
	// Try again waits it out (generate.js counts it down).
	TryAgainLeft time.Duration
	// WaitOver is set when that wait was over as the page was drawn, or
	// copylab restarted since (it keeps no wait across one): the failure
	// then names no wait (FailureText), even to a page without
	// JavaScript, whose reload would otherwise still say to wait.
	WaitOver bool
	// PreviousURL is the page of the drafts this brief was to replace,
	// kept as they were: a failed brief offers the way back to them. ""
	// when there are none.
	PreviousURL string
	// Replaces is what the server knows of those drafts, set with
	// PreviousURL: the page does not show them, and a brief sent from it
	// (Try again, Write drafts again) would replace them, so generate.js
	// asks first, from this and what the browser keeps of their edits.
	Replaces *ReplacedDrafts
	// Previous is the set of drafts this brief's drafts will take the
	// place of, while the brief is written: kept until then, and shown
	// below the progress, labelled so. nil when there is none, and once
	// the brief is done.
	Previous *GenerateJob
	// PreviousEnd is set in the last poll of a brief whose page shows
	// previous drafts below its progress: what became of them,
	// PreviousReplaced (the page takes them away) or PreviousKept (they
	// stay, and say so). "" otherwise.
	PreviousEnd string
	Drafts      []DraftCard
	Dropped     []DroppedDraft
	Notes       []string
	Errors      Errors // errors of the approve form: "drafts" and "drafts[i].text"
	// LongLimit is the brief's length limit when the Add was refused for
	// drafts over it, else 0: the approve bar then offers to add such
	// drafts anyway, as a marketer may mean to go over.
	LongLimit int
	Room      int
	Existing  int // the experiment's variants besides the original, for the split
	// GuessedKind is the element kind copylab guessed for these drafts
	// when their brief left it to guess ("button"), which sets their
	// length limit; "" when the brief chose one.
	GuessedKind string
}

// What became of the previous drafts shown below a brief's progress, once
// the brief is done (GenerateJob.PreviousEnd).
const (
	PreviousReplaced = "replaced" // its drafts took their place, or they are gone otherwise
	PreviousKept     = "kept"     // it brought none to take their place
)

// What the previous drafts below a brief's progress say of themselves:
// while it is written, and once it ended without taking their place.
// Adding them works as anywhere (it does not stop the new brief), and
// this is the place to say so: the new drafts come anyway.
const (
	previousRunningNote = "These are your previous drafts, kept as you left them while your new brief is written. Once its drafts are ready they take the place of these: to keep any of these, tick them and add them to the experiment now. Adding them does not stop the new brief."
	previousKeptNote    = "Your new brief brought no drafts to replace these, so they stay as you left them."
)

// Announcement is what a screen reader hears when this state of the
// generation is swapped into the page: the progress, the failure, or how
// many drafts are ready.
func (j GenerateJob) Announcement() string {
	switch j.State {
	case JobRunning:
		progress := j.Progress
		if j.RetryWhy != "" {
			progress += " " + retrySentence(j.RetryWhy, j.RetryWait)
		}
		if j.StillWorking() {
			return progress + " Still working; you can leave this page and come back within the hour."
		}
		return progress
	case JobFailed:
		return "The drafts could not be written. " + j.FailureText()
	}
	n := len(j.Drafts)
	switch {
	case n == 0 && len(j.Dropped) > 0:
		return "No new drafts this time: each one was left out, for the reason given."
	case n == 0:
		return "No drafts were written."
	case j.Offline:
		return itoa(n) + " " + plural(n, "offline suggestion is", "offline suggestions are") + " ready below."
	}
	return itoa(n) + " " + plural(n, "draft is", "drafts are") + " ready below."
}

// stillWorkingAfter is when the progress of a model's generation starts
// to say that it is still working and that the marketer need not wait on
// the page: most models answer well before, so by then they wonder.
const stillWorkingAfter = 15 * time.Second

// StillWorking reports whether a running generation has run long enough
// for the page to say it is still working. The offline generator answers
// at once, so its progress never does.
func (j GenerateJob) StillWorking() bool {
	return j.State == JobRunning && !j.Offline && j.Elapsed >= stillWorkingAfter
}

// PollKey is the running generation's data-poll-quiet: it changes when
// what the progress says changes (the progress line, a wait to ask the
// model again starting or ending, then "still working"), not with each
// second, which generate.js counts in place (the running time, the wait
// left), so that a poll does not replace the region every second. The
// try a wait is for tells two waits of the same length apart.
func (j GenerateJob) PollKey() string {
	key := j.Progress
	if j.RetryWhy != "" {
		key += " " + retrySentence(j.RetryWhy, j.RetryWait) + " (try " + itoa(j.RetryTry) + ")"
	}
	if j.StillWorking() {
		return key + " (still working)"
	}
	return key
}

// retrySentence is the wait to ask the model service again, as a
// sentence: "The model service asked to wait; trying again in 9
// seconds." The page says it with the wait counting down (retryWait).
func retrySentence(why string, wait time.Duration) string {
	return why + "; trying again in " + WaitText(retrySeconds(wait)) + "."
}

// retrySeconds is a wait in whole seconds, a part of one counted whole,
// as generate.js rounds the wait it counts down.
func retrySeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

// retryMS is a wait left in milliseconds, for generate.js to count down
// from (data-retry-ms), a part of one counted whole: a wait that has not
// ended does not read as over.
func retryMS(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Millisecond-1)/time.Millisecond), 10)
}

// Expectation says how long a generation may take: the offline generator
// is done in a moment; copylab waits up to AnswerLimit for each answer of
// a model, which fails the job when it passes (a slow self-hosted model
// can use all of it), and up to Limit in all.
func (j GenerateJob) Expectation() string {
	switch {
	case j.Offline:
		return "The offline generator is usually done in a moment."
	case j.AnswerLimit > 0 && j.Limit > j.AnswerLimit:
		return "copylab waits up to " + WaitText(int(j.AnswerLimit/time.Second)) + " for each answer from the model, " +
			WaitText(int(j.Limit/time.Second)) + " in all."
	case j.Limit > 0:
		return "copylab waits up to " + WaitText(int(j.Limit/time.Second)) + " for the model."
	}
	return ""
}

// ElapsedMS is the running time in milliseconds, for generate.js to count
// on from.
func (j GenerateJob) ElapsedMS() string { return strconv.FormatInt(j.Elapsed.Milliseconds(), 10) }

// elapsedText words a running time the way generate.js does when it
// counts on: "less than a second", "12 seconds", "1 minute 5 seconds".
// Change both together.
func elapsedText(d time.Duration) string {
	s := int(d / time.Second)
	switch {
	case s < 1:
		return "less than a second"
	case s < 60:
		return itoa(s) + " " + plural(s, "second", "seconds")
	}
	m, r := s/60, s%60
	out := itoa(m) + " " + plural(m, "minute", "minutes")
	if r > 0 {
		out += " " + itoa(r) + " " + plural(r, "second", "seconds")
	}
	return out
}

// Selected counts the drafts ticked to be added.
func (j GenerateJob) Selected() int {
	n := 0
	for _, d := range j.Drafts {
		if d.Include {
			n++
		}
	}
	return n
}

// SplitText says how the test's visitors would be split if the ticked
// drafts were added: the store splits them equally between the original
// and every variant, so each one added makes every share smaller and the
// test longer. generate.js writes the same words as boxes are ticked
// (splitText there); change both together.
func (j GenerateJob) SplitText() string { return splitText(j.Existing, j.Selected()) }

func splitText(existing, ticked int) string {
	if ticked == 0 {
		return "No drafts ticked."
	}
	n := existing + ticked
	arms := n + 1
	share := itoa((100+arms/2)/arms) + "%"
	if 100%arms != 0 {
		share = "about " + share // 3 arms get 33.33% each, 8 get 12.5%
	}
	out := "Original and " + itoa(n) + " " + plural(n, "variant", "variants")
	if existing > 0 {
		out += " (" + itoa(existing) + " already in the experiment)"
	}
	return out + ": " + share + " of the test's visitors each."
}

// DraftCard is one generated draft the marketer can edit, regenerate and
// tick to add.
type DraftCard struct {
	Index         int
	Text          string // the current text, edits included
	Original      string // the text as generated, to tell an edit
	Angle         string
	Rationale     string
	Source        string // model or offline
	Model         string
	PromptVersion string
	Created       time.Time
	MaxLength     int
	Include       bool
	Regenerating  bool
	Rev           int    // the draft's revision: a rewrite raises it (see the form's drafts[i].rev)
	Instruction   string // the last regenerate request, shown while it runs
	Note          string // the free-text request as typed
	Message       string // the outcome of the last regenerate, or why it failed
	Failed        bool   // Message is a failure
	// NoteInvalid says Message is about the request in words (Note):
	// none was written, or it is too long. The note is then marked
	// invalid and described by Message, so the focus goes there.
	NoteInvalid   bool
	URL           string // this card's fragment, polled while regenerating
	RegenerateURL string
	CSRF          string
	Errors        Errors
	// Offline is set when the offline generator wrote the drafts: it
	// cannot follow a request in words, so the card does not offer one.
	Offline bool
	// RetryWhy says why the running rewrite waits to ask the model
	// service again, "" when it does not wait; RetryLeft is the wait
	// left when the card was rendered (generate.js counts it down), and
	// RetryTry the try it waits to make, for PollKey.
	RetryWhy  string
	RetryLeft time.Duration
	RetryTry  int
}

// PollKey is a rewriting card's data-poll-quiet: it changes when the
// rewrite's instruction does, and when a wait to ask the model again
// starts or ends, not as the wait runs down (generate.js counts it).
func (d DraftCard) PollKey() string {
	key := "rewriting " + d.Instruction
	if d.RetryWhy != "" {
		key += " (waiting for try " + itoa(d.RetryTry) + ")"
	}
	return key
}

// llmConnectURL is where the drafting page sends people who want a model:
// the settings page's steps, which are environment variables and a
// restart, not a form.
const llmConnectURL = "/settings#llm-connect"

// experimentGoneText is what the drafting page says once its experiment
// is deleted.
const experimentGoneText = "This experiment has been deleted, so its drafts are gone."

// Edited reports whether the marketer changed the generated text.
func (d DraftCard) Edited() bool { return d.Text != d.Original }

// Announcement is what a screen reader hears when the card is swapped in:
// that a rewrite runs, then how it went.
func (d DraftCard) Announcement() string {
	if d.Regenerating && d.RetryWhy != "" {
		return "Rewriting draft " + itoa(d.Index+1) + "… " + retrySentence(d.RetryWhy, d.RetryLeft)
	}
	if d.Regenerating {
		return "Rewriting draft " + itoa(d.Index+1) + "…"
	}
	if d.Message != "" {
		return "Draft " + itoa(d.Index+1) + ": " + d.Message
	}
	return ""
}

// DroppedDraft is a discarded draft and why.
type DroppedDraft struct {
	Text   string
	Reason string
}

// Provenance is where a variant's copy came from, for the compact line
// under each variant on the experiment and results pages.
type Provenance struct {
	Source        string // control, human, model or offline
	Model         string
	PromptVersion string
	Created       time.Time
	ApprovedBy    string
	Edited        bool
}

// Generated reports whether a generator drafted the copy.
func (p Provenance) Generated() bool { return p.Source == "model" || p.Source == "offline" }

// Line is the provenance in one line: "gpt-4o-mini · prompt v1 ·
// 2 Jan 2026, 15:04 UTC · approved by ana@example.com · edited".
func (p Provenance) Line() string {
	if !p.Generated() {
		return ""
	}
	parts := []string{}
	if p.Source == "offline" {
		parts = append(parts, "offline generator")
	} else if p.Model != "" {
		parts = append(parts, p.Model)
	} else {
		parts = append(parts, "AI model")
	}
	if p.PromptVersion != "" {
		if p.Source == "offline" {
			parts = append(parts, "templates "+p.PromptVersion)
		} else {
			parts = append(parts, "prompt "+p.PromptVersion)
		}
	}
	if !p.Created.IsZero() {
		parts = append(parts, dateTime(p.Created))
	}
	if p.ApprovedBy != "" {
		parts = append(parts, "approved by "+p.ApprovedBy)
	}
	if p.Edited {
		parts = append(parts, "edited by hand")
	}
	return strings.Join(parts, " · ")
}

// LLMSettingsSection is the AI copy section of the settings page.
type LLMSettingsSection struct {
	LLM     LLMInfo
	TestURL string
	CSRF    string
}

// LLMTestResult is the answer of the Test connection button.
type LLMTestResult struct {
	OK      bool
	Message string
}

// briefField builds the form field of one brief field, with its help and
// example from the generation library. The brief's words (the page's
// copy, what it must say, the product, the voice) are in whatever
// language the site is, so each field takes its direction from its own
// text (dir="auto"), as the drafts' boxes do: Arabic typed into one reads
// from the right, with or without the page's script.
func briefField(p GeneratePage, name, value string) Field {
	h := p.Help[name]
	f := Field{Name: name, Label: h.Label, Value: value, Help: h.Help, Errors: p.Brief.Errors, Required: h.Required,
		Dir: "auto"}
	if h.Required {
		f.Label += " (required)"
	}
	if h.Example != "" {
		f.Placeholder = "e.g. " + h.Example
	}
	return f
}

// numberField makes f a field for a whole number, which has no direction
// of its own to take.
func numberField(f Field) Field {
	f.InputMode = "numeric"
	f.Dir = ""
	return f
}

// guessedKind is the element kind to show as guessed beside the brief's
// Element: the drafts' guess, while the form still leaves the kind to
// guess.
func guessedKind(p GeneratePage) string {
	if p.Job == nil || strings.TrimSpace(p.Brief.ElementKind) != "" {
		return ""
	}
	return p.Job.GuessedKind
}

// commonKinds are the element kinds the form offers; the library knows a
// few more spellings and folds them into these.
var commonKinds = []string{"headline", "subheadline", "button", "link", "tagline", "paragraph", "description", "banner"}

// elementKinds is the select's options, with a stored kind that is not
// among the common ones kept as an option.
func elementKinds(current string) []string {
	for _, k := range commonKinds {
		if k == current {
			return commonKinds
		}
	}
	if current == "" {
		return commonKinds
	}
	return append(append([]string{}, commonKinds...), current)
}

// WaitText words a wait of s seconds, as the drafting page says every
// wait (a Retry-After, the limits on a generation): "a second",
// "20 seconds", "2 minutes".
func WaitText(s int) string {
	switch {
	case s <= 1:
		return "a second"
	case s < 90:
		return itoa(s) + " seconds"
	default:
		return itoa((s+59)/60) + " minutes"
	}
}

// RetryAfterText is the sentence that follows a failure the model service
// asked to wait s seconds after: a failed set of drafts, a failed rewrite.
func RetryAfterText(s int) string {
	return "The model service asked to wait " + WaitText(s) + " before the next try."
}

// ReplacedDrafts is a set of drafts a brief sent from a page that does
// not show them would replace: the job they belong to (generate.js keeps
// the browser's edits under its id) and each draft as the server has it.
type ReplacedDrafts struct {
	Job    string          `json:"job"`
	Drafts []ReplacedDraft `json:"drafts"`
}

// ReplacedDraft is one of them: its revision (a finished rewrite is past
// 0), its text as written (DraftCard.Original, to tell the browser's
// kept text an edit), whether the server's text differs from that,
// whether it is ticked, and whether it is being rewritten.
type ReplacedDraft struct {
	Rev       int    `json:"rev"`
	Original  string `json:"original"`
	Edited    bool   `json:"edited"`
	Include   bool   `json:"include"`
	Rewriting bool   `json:"rewriting"`
}

// JSON is r as generate.js reads it (data-replaces).
func (r ReplacedDrafts) JSON() string {
	b, err := json.Marshal(r)
	if err != nil {
		return "" // strings, numbers and booleans always marshal
	}
	return string(b)
}

// FailureText is the failure's sentence as the page says it: once the
// wait the model service asked for is over (WaitOver), without that wait
// ("…; wait 18 seconds and try again." would still say to wait); while
// it lasts, as it is, the wait named for a browser without JavaScript.
func (j GenerateJob) FailureText() string {
	if j.WaitOver {
		if free := sentenceWithoutWait(j.Error, j.RetryAfter); free != "" {
			return free
		}
	}
	return j.Error
}

// RetryAfterNote is RetryAfterText(s) to follow the failure msg, or ""
// when there is no wait to say or msg says it already: the library's
// sentence for a rate limit names the wait the service asked for
// ("…; wait 2 minutes and try again."), in WaitText's words, and the
// page should not say it twice.
func RetryAfterNote(msg string, s int) string {
	if s <= 0 || strings.Contains(msg, "wait "+WaitText(s)) {
		return ""
	}
	return RetryAfterText(s)
}

// settingsHint reports whether a failure is about the settings (key, URL,
// model name) rather than a passing problem.
func settingsHint(code string) bool {
	switch code {
	case "llm_auth", "llm_unreachable", "llm_not_found", "llm_bad_request", "llm_blocked_address":
		return true
	}
	return false
}

func draftField(i int, name string) string { return "drafts[" + itoa(i) + "]." + name }

// runeCount is a draft's length as its counter shows it ("17 / 70
// characters"): characters as people count them (chars.Count), as the
// brief's max length and static/js/generate.js count them.
func runeCount(s string) int { return chars.Count(s) }

// draftSource is the short provenance shown on a draft card.
func draftSource(d DraftCard) string {
	if d.Source == "offline" {
		return "offline template"
	}
	if d.PromptVersion != "" {
		return d.Model + " · prompt " + d.PromptVersion
	}
	return d.Model
}

func regenURL(d DraftCard, instruction string) string {
	return d.RegenerateURL + "?instruction=" + url.QueryEscape(instruction)
}

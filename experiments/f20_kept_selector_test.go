package experiments_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// f20SubmitSentence is the refusal of a tested input[type=submit], word
// for word.
const f20SubmitSentence = `copylab's tag writes the copy as text, and an <input type="submit"> shows its value attribute, ` +
	`which copylab does not change: test the text of a <button> or <a> instead.`

// f20Older opens a store on a file of its own and returns it with the
// file's path, for a test to write a row as a copylab before the rule
// on elements without text (f17) would have.
func f20Older(t *testing.T) (*experiments.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// f20SetSelector writes sel as experiment id's selector with SQL, as a
// database written before the rule holds it.
func f20SetSelector(t *testing.T, path, id, sel string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`update experiments set selector = ? where id = ?`, sel, id); err != nil {
		t.Fatal(err)
	}
}

// f20WantSelectorRefused fails unless err is the one field error of the
// selector, saying want.
func f20WantSelectorRefused(t *testing.T, what string, err error, want string) {
	t.Helper()
	var ve experiments.ValidationError
	if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != "selector" || ve[0].Code != "invalid_selector" || ve[0].Message != want {
		t.Fatalf("%s: %v; want the selector refused with %q", what, err, want)
	}
}

// TestF20KeptSelectorStillSaves: a test started before the rule with
// input[type=submit] as its element keeps working: its name, traffic
// share and planned stop save, it pauses and resumes, and Duplicate and
// Follow-up make drafts of it. Those drafts keep the element, save their
// other fields, and are refused at Start with the sentence on the
// selector, by a person or on their planned date, until the element
// changes; a change to another element without text is refused.
func TestF20KeptSelectorStillSaves(t *testing.T) {
	s, path := f20Older(t)
	ctx := context.Background()
	site := mustSite(t, s)
	in := draft(site.ID)
	in.Selector = "button.buy"
	x, err := s.CreateExperiment(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	f20SetSelector(t, path, x.ID, "input[type=submit]")
	x, err = s.Experiment(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}

	x.Name = "Buy button"
	if _, err := s.UpdateExperiment(ctx, x); err != nil {
		t.Fatalf("rename of the running test: %v", err)
	}
	for _, tt := range []struct {
		name  string
		patch func(*experiments.Experiment)
	}{
		{"rename", func(e *experiments.Experiment) { e.Name = "Buy button, again" }},
		{"traffic", func(e *experiments.Experiment) { e.CoverageBP = 5000 }},
		{"planned stop", func(e *experiments.Experiment) { e.StopsAt = time.Now().Add(30 * 24 * time.Hour).Truncate(time.Second) }},
	} {
		if _, err := s.PatchExperiment(ctx, x.ID, func(e *experiments.Experiment) error { tt.patch(e); return nil }); err != nil {
			t.Errorf("patch %s: %v", tt.name, err)
		}
	}
	for _, action := range []string{experiments.ActionPause, experiments.ActionResume} {
		if _, err := s.Transition(ctx, x.ID, action); err != nil {
			t.Errorf("%s: %v", action, err)
		}
	}

	d, err := s.DuplicateExperiment(ctx, x.ID, 0)
	if err != nil {
		t.Fatalf("duplicate: %v", err)
	}
	if d.Status != experiments.StatusDraft || d.Selector != "input[type=submit]" {
		t.Fatalf("duplicate: %s, %q", d.Status, d.Selector)
	}
	_, err = s.Transition(ctx, d.ID, experiments.ActionStart)
	f20WantSelectorRefused(t, "start of the duplicate", err, f20SubmitSentence)
	_, err = s.StartDraft(ctx, d.ID)
	f20WantSelectorRefused(t, "StartDraft of the duplicate", err, f20SubmitSentence)

	// Its other fields save, the element kept; another element without
	// text does not.
	d.Name = "Buy button, round two"
	if _, err := s.UpdateExperiment(ctx, d); err != nil {
		t.Fatalf("rename of the duplicate: %v", err)
	}
	if _, err := s.UpdateDraft(ctx, d); err != nil {
		t.Fatalf("UpdateDraft of the duplicate: %v", err)
	}
	d.Selector = "input.buy"
	_, err = s.UpdateExperiment(ctx, d)
	var ve experiments.ValidationError
	if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != "selector" {
		t.Fatalf("change to input.buy: %v", err)
	}
	_, err = s.PatchExperiment(ctx, d.ID, func(e *experiments.Experiment) error { e.Selector = "input[type=checkbox]"; return nil })
	f20WantSelectorRefused(t, "patch to a check box", err, `copylab's tag writes the copy as text, and an <input type="checkbox"> shows no text of its own: test the text of its <label> instead.`)

	// Planned, it is refused when its time comes, and says why.
	d.Selector = "input[type=submit]"
	d.StartsAt = time.Now().Add(time.Hour).Truncate(time.Second)
	if _, err := s.UpdateExperiment(ctx, d); err != nil {
		t.Fatalf("plan the duplicate's start: %v", err)
	}
	started, refused, err := s.StartDue(ctx, d.StartsAt.Add(time.Minute))
	if err != nil || len(started) != 0 || len(refused) != 1 || refused[0].ID != d.ID {
		t.Fatalf("StartDue: started %d, refused %d, %v", len(started), len(refused), err)
	}
	h, err := s.History(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h[0].Action != experiments.ChangeNotStarted || h[0].Detail != experiments.NotStartedPrefix+f20SubmitSentence {
		t.Fatalf("history line %+v", h[0])
	}

	// The element changed, it starts.
	d, err = s.Experiment(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	d.Selector = "button.buy"
	if _, err := s.UpdateExperiment(ctx, d); err != nil {
		t.Fatalf("change to button.buy: %v", err)
	}
	if got, err := s.Transition(ctx, d.ID, experiments.ActionStart); err != nil || got.Status != experiments.StatusRunning {
		t.Fatalf("start with button.buy: %v", err)
	}

	// A follow-up is a draft too.
	if _, err := s.Ship(ctx, x.ID, "b"); err != nil {
		t.Fatalf("ship: %v", err)
	}
	f, err := s.FollowUpExperiment(ctx, x.ID, 0)
	if err != nil || f.Selector != "input[type=submit]" {
		t.Fatalf("follow-up: %q, %v", f.Selector, err)
	}
	if _, _, err := s.AddVariants(ctx, f.ID, []experiments.Variant{{Text: "Get it now"}}, experiments.User{}); err != nil {
		t.Fatalf("drafts added to the follow-up: %v", err)
	}

	// Stopped (by the ship), it is refused as every stopped test is.
	x, err = s.Experiment(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	x.Name = "Renamed after the stop"
	_, err = s.UpdateExperiment(ctx, x)
	var se *experiments.StateError
	if !errors.As(err, &se) || se.Code != "experiment_stopped" {
		t.Fatalf("rename after the stop: %v; want experiment_stopped", err)
	}
}

// TestF20InputSentences: the refusal of a tested <input> is true of the
// input it names: a button's label is its value, a check box or radio
// button shows the words of its <label>, a field what is typed; an input
// of no named type hears all three. No sentence says "The tag", which
// reads as an HTML tag among <tags>.
func TestF20InputSentences(t *testing.T) {
	const pre = "copylab's tag writes the copy as text, and "
	for _, tt := range []struct{ sel, want string }{
		{"input[type=submit]", f20SubmitSentence},
		{`form input[type="reset"].x`, pre + `an <input type="reset"> shows its value attribute, which copylab does not change: test the text of a <button> or <a> instead.`},
		{"input[type=checkbox]", pre + `an <input type="checkbox"> shows no text of its own: test the text of its <label> instead.`},
		{"INPUT[TYPE='Radio' i]", pre + `an <input type="radio"> shows no text of its own: test the text of its <label> instead.`},
		{"input[type=email]", pre + `an <input type="email"> shows its placeholder or what the visitor types, never that text: test the text of its <label> instead.`},
		{"input[type=image]", pre + `an <input type="image"> shows a picture, not text: test the text of a heading or caption near it instead.`},
		{"input.cta", pre + "an <input> shows no text of its own (a button input shows its value attribute, a text field its placeholder or what the visitor types, " +
			"and the words by a check box or radio button are its <label>): test the text of a <button>, <a> or <label> instead."},
		// Only the input's own [type=…] chooses: one in :not() or on
		// another element does not.
		{"input:not([type=submit])", pre + "an <input> shows no text of its own"},
		{"[type=submit] ~ input", pre + "an <input> shows no text of its own"},
		{"input[type=date]", pre + "an <input> shows no text of its own"},
		{"img.hero", pre + "an <img> shows a picture, not text: test the text of a heading or caption near it instead."},
	} {
		_, msg := experiments.SelectorProblem(tt.sel)
		if !strings.HasPrefix(msg, tt.want) {
			t.Errorf("SelectorProblem(%q) = %q\nwant %q", tt.sel, msg, tt.want)
		}
	}
}

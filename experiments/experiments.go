package experiments

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// StateError says an action is not allowed in an experiment's current state
// (changing the copy of a running test, starting a stopped one). Code is a
// short machine code, Message a sentence for a person. Other is the
// experiment the refusal names (the other test of the element), when it
// names one, so that a page can link to it.
type StateError struct {
	Code    string
	Message string
	Other   *Experiment
	// Err, when set, tells this refusal from the others of its code,
	// for errors.Is (ErrThresholdFixed).
	Err error
}

func (e *StateError) Error() string { return e.Message }
func (e *StateError) Unwrap() error { return e.Err }

// ErrThresholdFixed is the refusal (a StateError, experiment_started) of
// another practical threshold for an experiment that has started, by
// every update of the store (updateTx), whoever calls it. The threshold
// sizes the planned sample and the "no meaningful difference" band of the
// verdict: changed once the data is in, it would change the verdict.
var ErrThresholdFixed = errors.New("experiments: the practical threshold of a started experiment cannot change")

func stateErr(code, msg string) error { return &StateError{Code: code, Message: msg} }

const experimentCols = `id, site_id, name, page, selector, goal_type, goal_value, coverage_bp, status, seed, brief,
	threshold, visible_only, share_token, share_off, coalesce(created_by, 0), created_at, updated_at, started_at, ended_at,
	shipped_variant, shipped_at, split_changed_at, coalesce(follows_id, ''), stops_at, starts_at`

func scanExperiment(row interface{ Scan(...any) error }) (Experiment, error) {
	var e Experiment
	var goalType, goalValue string
	var created, updated, started, ended, shipped, split, stops, starts sql.NullInt64
	err := row.Scan(&e.ID, &e.SiteID, &e.Name, &e.Page, &e.Selector, &goalType, &goalValue, &e.CoverageBP, &e.Status,
		&e.Seed, &e.Brief, &e.Threshold, &e.VisibleOnly, &e.ShareToken, &e.ShareOff, &e.CreatedBy, &created, &updated, &started, &ended,
		&e.ShippedVariant, &shipped, &split, &e.FollowsID, &stops, &starts)
	if errors.Is(err, sql.ErrNoRows) {
		return Experiment{}, ErrNotFound
	}
	e.Goal = GoalOf(goalType, goalValue)
	e.CreatedAt, e.UpdatedAt, e.StartedAt, e.EndedAt = fromMS(created), fromMS(updated), fromMS(started), fromMS(ended)
	e.ShippedAt, e.SplitChangedAt, e.StopsAt, e.StartsAt = fromMS(shipped), fromMS(split), fromMS(stops), fromMS(starts)
	return e, err
}

const variantCols = `experiment_id, key, position, text, weight_bp, source, model, prompt_version, angle, rationale, edited, approved_by, created_at, updated_at`

// CreateExperiment validates and stores a draft experiment with its variants.
func (s *Store) CreateExperiment(ctx context.Context, in Experiment) (Experiment, error) {
	return s.createExperiment(ctx, in, "", Experiment.Validate)
}

// CreateDraft is CreateExperiment for a draft whose page, element and goal
// may still be empty (ValidateDraft): one saved to draft copy for before
// they are chosen. Transition refuses to start it until they are set.
func (s *Store) CreateDraft(ctx context.Context, in Experiment) (Experiment, error) {
	return s.createExperiment(ctx, in, "", Experiment.ValidateDraft)
}

// SiteError is the field error of an experiment whose site is not one of
// the sites: required when it names none (as a missing name is), and
// unknown_site when the id is no site's.
func SiteError(siteID string) FieldError {
	if strings.TrimSpace(siteID) == "" {
		return FieldError{Field: "site_id", Code: "required", Message: "Choose the site the experiment runs on."}
	}
	return FieldError{Field: "site_id", Code: "unknown_site", Message: "Choose one of your sites."}
}

// createExperiment is CreateExperiment with the detail of the history's
// first line and the rules the draft must meet (validate).
func (s *Store) createExperiment(ctx context.Context, in Experiment, detail string, validate func(Experiment) ValidationError) (Experiment, error) {
	in = in.Normalize()
	if errs := append(validate(in), planErrors(in, Experiment{}, s.now())...); len(errs) > 0 {
		// List the site too, so that one answer names every problem (the
		// transaction below checks it again for the insert).
		var n int
		if err := s.r.QueryRowContext(ctx, `/* Store.CreateExperiment */ select count(*) from sites where id = ?`, in.SiteID).Scan(&n); err == nil && n == 0 {
			errs = append(ValidationError{SiteError(in.SiteID)}, errs...)
		}
		return Experiment{}, errs
	}
	now := s.now()
	in.ID = NewID()
	if in.Seed == "" {
		in.Seed = in.ID
	}
	in.Status = StatusDraft
	in.ShareToken = RandomToken(32)
	in.CreatedAt, in.UpdatedAt = now, now
	if in.Brief == "" {
		in.Brief = "{}"
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `/* Store.CreateExperiment */ select count(*) from sites where id = ?`, in.SiteID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return ValidationError{SiteError(in.SiteID)}
		}
		// follows_id only while that test is there: one deleted since the
		// caller read it leaves the new test following none, as the
		// delete would have left it, rather than failing the insert.
		_, err := tx.ExecContext(ctx, `/* Store.CreateExperiment */ insert into experiments (id, site_id, name, page, selector,
			goal_type, goal_value, coverage_bp, status, seed, brief, threshold, visible_only, share_token, created_by, created_at,
			updated_at, started_at, ended_at, follows_id, stops_at, starts_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0), ?, ?, ?, ?,
			(select id from experiments where id = ?), ?, ?)`,
			in.ID, in.SiteID, in.Name, in.Page, in.Selector, in.Goal.Type, in.Goal.Value(), in.CoverageBP, in.Status, in.Seed, in.Brief,
			in.Threshold, in.VisibleOnly, in.ShareToken, in.CreatedBy, ms(now), ms(now), nil, nil, in.FollowsID, nullMS(in.StopsAt), nullMS(in.StartsAt))
		if err != nil {
			return err
		}
		if err := recordChange(ctx, tx, in.ID, ms(now), ChangeCreated, detail); err != nil {
			return err
		}
		return insertVariants(ctx, tx, in.ID, in.Variants, now.UnixMilli())
	})
	if err != nil {
		return Experiment{}, wrapExp("create experiment", "", err)
	}
	return s.Experiment(ctx, in.ID)
}

// DuplicateExperiment creates a new draft from experiment id: the same
// site, page, element, goal, traffic share, options, brief and variants
// (each with where it came from, who approved it and when), named "NAME
// (copy)". Nothing of the
// original's life comes along: no results, no status, no share link, and
// a seed of its own, so the new test assigns visitors afresh rather than
// repeating the old split. The duplicate of a follow-up follows the same
// test (FollowsID), as its history says: it asks the same question
// again, so its drafting leaves out the same tried copy (TriedCopy). by
// is the user who asked (0: none). A draft whose page, element or goal
// is not chosen yet makes one as unfinished.
func (s *Store) DuplicateExperiment(ctx context.Context, id string, by int64) (Experiment, error) {
	e, err := s.Experiment(ctx, id)
	if err != nil {
		return Experiment{}, wrapExp("duplicate experiment", id, err)
	}
	in := Experiment{SiteID: e.SiteID, Name: suffixed(e.Name, " (copy)"), Page: e.Page, Selector: e.Selector,
		Goal: e.Goal, CoverageBP: e.CoverageBP, Brief: e.Brief, Threshold: e.Threshold, VisibleOnly: e.VisibleOnly,
		CreatedBy: by}
	// Each variant keeps its CreatedAt, the time its provenance line
	// gives as when it was approved, with whom by (ApprovedBy): the copy
	// was approved then, not when it was duplicated.
	in.Variants = slices.Clone(e.Variants)
	detail := "Duplicated from “" + e.Name + "”."
	if e.FollowsID != "" {
		var followed string
		err := s.r.QueryRowContext(ctx, `/* Store.DuplicateExperiment */ select name from experiments where id = ?`, e.FollowsID).Scan(&followed)
		switch {
		case err == nil:
			in.FollowsID = e.FollowsID
			detail = fmt.Sprintf("Duplicated from “%s”, and like it follows “%s”.", e.Name, followed)
		case !errors.Is(err, sql.ErrNoRows): // deleted since: the duplicate follows none
			return Experiment{}, wrapExp("duplicate experiment", id, err)
		}
	}
	return s.createExperiment(ctx, in, detail, keepingElement(e))
}

// keepingElement is ValidateDraft for a copy of e (Duplicate, Follow-up),
// which keeps e's element even where a rule newer than e would refuse it
// (KeptElement): the copy is a draft, whose element can change before
// Start.
func keepingElement(e Experiment) func(Experiment) ValidationError {
	return func(in Experiment) ValidationError { return KeptElement(in.ValidateDraft(), in, e) }
}

// FollowUpExperiment creates the next test after a ship: a new draft whose
// original is the copy experiment id shipped, with no other variants yet,
// and the same site, page, element, goal, traffic share and options. The
// brief comes along with the shipped copy as its current copy (a test
// without a brief gives a follow-up without one). It is named "NAME
// (follow-up)", or "NAME (follow-up 2)" after a follow-up; its
// FollowsID is id, and its history says which test and variant it
// follows (the history outlives a delete of that test, FollowsID does
// not: drafting leaves out the copy that test tried). by is the user who
// asked (0: none). A test with nothing shipped is refused (not_shipped):
// Duplicate is the way to test its copy again.
func (s *Store) FollowUpExperiment(ctx context.Context, id string, by int64) (Experiment, error) {
	e, err := s.Experiment(ctx, id)
	if err != nil {
		return Experiment{}, wrapExp("follow up experiment", id, err)
	}
	shipped, ok := e.Variant(e.ShippedVariant)
	if e.ShippedVariant == "" || !ok {
		return Experiment{}, wrapExp("follow up experiment", id, stateErr("not_shipped",
			"Nothing of this experiment is shipped, so there is no copy to start a follow-up test from: ship a variant first, or use Duplicate to test the same copy again."))
	}
	in := Experiment{SiteID: e.SiteID, Name: followUpName(e.Name), Page: e.Page, Selector: e.Selector,
		Goal: e.Goal, CoverageBP: e.CoverageBP, Brief: briefWithCurrentCopy(e.Brief, shipped.Text), Threshold: e.Threshold,
		VisibleOnly: e.VisibleOnly, CreatedBy: by, FollowsID: e.ID,
		// Only the text: the control's source is "control" whatever
		// wrote the copy, and the angle it was drafted with, and its
		// approval, were for the old test, not this one: here it is the
		// page's copy, which the old test's history says was shipped.
		Variants: []Variant{{Key: ControlKey, Text: shipped.Text}}}
	detail := fmt.Sprintf("Follows “%s” (shipped %s).", e.Name, variantWords(shipped.Key))
	return s.createExperiment(ctx, in, detail, keepingElement(e))
}

// MaxFollows is how many tests up the chain of follows TriedCopy looks:
// a follow-up, the test it follows, the one that followed, and so on.
// Copy tried that long ago may be worth a test again, and the bound keeps
// a drafting prompt's list of copy to avoid short.
const MaxFollows = 20

// TriedText is a text a test before a follow-up already put before
// visitors (TriedCopy), with the nearest test up the chain of follows
// that had it: ExperimentID and its name now, and Steps, 1 for the test
// the follow-up follows, 2 for the one that test follows, and so on.
type TriedText struct {
	Text           string
	ExperimentID   string
	ExperimentName string
	Steps          int
}

// TriedCopy returns the copy the tests before experiment id tried: every
// text of the test it follows (FollowsID), of the test that one follows,
// and so on up to MaxFollows tests, nearest first and in each test's
// order, each text once, named by the nearest test that had it. Drafting
// leaves it all out: a follow-up of a follow-up must not offer again the
// copy that lost two tests ago. A loop in the follows, which copylab does
// not make but a database edited by hand may hold, ends the walk at the
// bound and never counts id's own copy. A test that follows none, or is
// not there, has none; a deleted test ends the chain (its follow-up
// follows none).
func (s *Store) TriedCopy(ctx context.Context, id string) ([]TriedText, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.TriedCopy */ with recursive chain(id, steps) as (
			select follows_id, 1 from experiments where id = ?1 and follows_id is not null and follows_id <> ?1
			union all
			select x.follows_id, chain.steps + 1 from chain join experiments x on x.id = chain.id
			where x.follows_id is not null and x.follows_id <> ?1 and chain.steps < ?2
		)
		select chain.steps, x.id, x.name, v.text from chain join experiments x on x.id = chain.id
		join variants v on v.experiment_id = x.id order by chain.steps, v.position`, id, MaxFollows)
	if err != nil {
		return nil, wrapExp("tried copy", id, err)
	}
	defer rows.Close()
	var out []TriedText
	seen := map[string]bool{}
	for rows.Next() {
		var t TriedText
		if err := rows.Scan(&t.Steps, &t.ExperimentID, &t.ExperimentName, &t.Text); err != nil {
			return nil, wrapExp("tried copy", id, err)
		}
		if !seen[t.Text] {
			seen[t.Text] = true
			out = append(out, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrapExp("tried copy", id, err)
	}
	return out, nil
}

// suffixed is name with suffix, cut so that both fit in MaxNameLen.
func suffixed(name, suffix string) string {
	r := []rune(name)
	if max := MaxNameLen - len([]rune(suffix)); len(r) > max {
		r = r[:max]
	}
	return strings.TrimSpace(string(r)) + suffix
}

// followUpRe matches the suffix followUpName gives.
var followUpRe = regexp.MustCompile(` \(follow-up(?: ([0-9]+))?\)$`)

// followUpName is the name of the follow-up of a test named name: "NAME
// (follow-up)", and for the follow-up of a follow-up "NAME (follow-up
// 2)" rather than the suffix twice.
func followUpName(name string) string {
	n := 1
	if m := followUpRe.FindStringSubmatchIndex(name); m != nil {
		n = 2
		if m[2] >= 0 {
			if k, err := strconv.Atoi(name[m[2]:m[3]]); err == nil && k < 1<<20 {
				n = k + 1
			}
		}
		name = name[:m[0]]
	}
	if n == 1 {
		return suffixed(name, " (follow-up)")
	}
	return suffixed(name, fmt.Sprintf(" (follow-up %d)", n))
}

// briefWithCurrentCopy is the stored brief (JSON) with text as its current
// copy, its other fields as they are. A brief that says nothing ("{}"),
// or is not a JSON object, is returned as it is: drafting takes the
// original as the current copy of such a draft anyway, and an empty brief
// lets the drafting page start from the site's latest one.
func briefWithCurrentCopy(brief, text string) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(brief), &fields) != nil || len(fields) == 0 {
		return brief
	}
	quoted, err := json.Marshal(text)
	if err != nil {
		return brief // a string always marshals
	}
	fields["current_copy"] = quoted
	out, err := json.Marshal(fields)
	if err != nil {
		return brief
	}
	return string(out)
}

func insertVariants(ctx context.Context, tx *sql.Tx, expID string, vs []Variant, now int64) error {
	for _, v := range vs {
		created := ms(v.CreatedAt)
		if created == 0 {
			created = now
		}
		_, err := tx.ExecContext(ctx, `/* Store.insertVariants */ insert into variants (`+variantCols+`) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			expID, v.Key, v.Position, v.Text, v.WeightBP, v.Source, v.Model, v.PromptVersion, v.Angle, v.Rationale, v.Edited, v.ApprovedBy, created, now)
		if isUnique(err) {
			return ValidationError{{Field: "variants", Code: "duplicate_key", Message: fmt.Sprintf("The variant key %q is used twice.", v.Key)}}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// wrapExp adds the operation to err, leaving validation and state errors
// unwrapped in the chain so callers can show them.
func wrapExp(op, id string, err error) error {
	if id != "" {
		op += " " + id
	}
	return fmt.Errorf("experiments: %s: %w", op, err)
}

// Experiment returns an experiment with its variants.
func (s *Store) Experiment(ctx context.Context, id string) (Experiment, error) {
	return s.experimentWhere(ctx, "id = ?", id)
}

// ExperimentByShareToken returns the experiment a read-only share link names.
// A link turned off (TurnOffShareLink) names none: ErrNotFound, as for a
// token that never existed.
func (s *Store) ExperimentByShareToken(ctx context.Context, token string) (Experiment, error) {
	if token == "" {
		return Experiment{}, fmt.Errorf("experiments: experiment by share token: %w", ErrNotFound)
	}
	return s.experimentWhere(ctx, "share_token = ? and share_off = 0", token)
}

// experimentWhere returns the experiment that cond, a condition on one
// argument, finds.
func (s *Store) experimentWhere(ctx context.Context, cond, val string) (Experiment, error) {
	e, err := scanExperiment(s.r.QueryRowContext(ctx, `/* Store.Experiment */ select `+experimentCols+` from experiments where `+cond, val))
	if err != nil {
		return Experiment{}, wrapExp("experiment", val, err)
	}
	vs, err := s.variants(ctx, []string{e.ID})
	if err != nil {
		return Experiment{}, err
	}
	e.Variants = vs[e.ID]
	return e, nil
}

func (s *Store) variants(ctx context.Context, ids []string) (map[string][]Variant, error) {
	out := map[string][]Variant{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.r.QueryContext(ctx, `/* Store.variants */ select `+variantCols+` from variants where experiment_id in (?`+
		strings.Repeat(",?", len(ids)-1)+`) order by experiment_id, position`, args...)
	if err != nil {
		return nil, fmt.Errorf("experiments: variants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v Variant
		var expID string
		var created, updated sql.NullInt64
		if err := rows.Scan(&expID, &v.Key, &v.Position, &v.Text, &v.WeightBP, &v.Source, &v.Model, &v.PromptVersion,
			&v.Angle, &v.Rationale, &v.Edited, &v.ApprovedBy, &created, &updated); err != nil {
			return nil, fmt.Errorf("experiments: variants: %w", err)
		}
		v.CreatedAt, v.UpdatedAt = fromMS(created), fromMS(updated)
		out[expID] = append(out[expID], v)
	}
	return out, rows.Err()
}

// ExperimentFilter narrows Experiments; zero fields match everything.
type ExperimentFilter struct {
	SiteID  string
	Status  Status
	Shipped bool // only experiments with a shipped variant
	// Search keeps the experiments that hold every word of it in their
	// name, page or site name, ignoring case (a search without words keeps
	// them all).
	Search string
}

// Experiments returns experiments with their variants, newest first.
func (s *Store) Experiments(ctx context.Context, f ExperimentFilter) ([]Experiment, error) {
	where, args := f.where()
	rows, err := s.r.QueryContext(ctx, `/* Store.Experiments */ select `+experimentCols+` from experiments where `+where+
		` order by created_at desc, id desc`, args...)
	if err != nil {
		return nil, fmt.Errorf("experiments: experiments: %w", err)
	}
	defer rows.Close()
	var out []Experiment
	for rows.Next() {
		e, err := scanExperiment(rows)
		if err != nil {
			return nil, fmt.Errorf("experiments: experiments: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: experiments: %w", err)
	}
	return out, s.withVariants(ctx, out)
}

// where is the SQL condition of f, with its arguments.
func (f ExperimentFilter) where() (string, []any) {
	where, args := f.unsearched()
	if cond, arg, ok := f.search(); ok {
		where += ` and ` + cond
		args = append(args, arg)
	}
	return where, args
}

// unsearched is the SQL condition of f without its search, with its
// arguments.
func (f ExperimentFilter) unsearched() (string, []any) {
	where, args := "1 = 1", []any{}
	if f.SiteID != "" {
		where += ` and site_id = ?`
		args = append(args, f.SiteID)
	}
	if f.Status != "" {
		where += ` and status = ?`
		args = append(args, f.Status)
	}
	if f.Shipped {
		where += ` and shipped_variant <> ''`
	}
	return where, args
}

// withVariants reads the variants of exps, in one query, into each.
func (s *Store) withVariants(ctx context.Context, exps []Experiment) error {
	ids := make([]string, len(exps))
	for i, e := range exps {
		ids[i] = e.ID
	}
	vs, err := s.variants(ctx, ids)
	if err != nil {
		return err
	}
	for i := range exps {
		exps[i].Variants = vs[exps[i].ID]
	}
	return nil
}

// RunningExperiments returns a site's running experiments, the ones the
// snippet serves, oldest first so that their order is stable.
func (s *Store) RunningExperiments(ctx context.Context, siteID string) ([]Experiment, error) {
	all, err := s.Experiments(ctx, ExperimentFilter{SiteID: siteID, Status: StatusRunning})
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	return all, err
}

// UpdateExperiment saves an experiment's settings and variants. A draft can
// change everything. Once started, the copy, page, element and goal are
// fixed (changing them would mix two tests in one result), and so is the
// practical threshold (ErrThresholdFixed); the name, traffic share,
// weights and brief can still change. A draft saved without its page,
// element or goal (CreateDraft) may go on lacking what it lacks, as with
// PatchExperiment; what it has stays required. A problem with the planned
// start or stop is named with the others, as CreateExperiment names it.
func (s *Store) UpdateExperiment(ctx context.Context, in Experiment, opts ...UpdateOption) (Experiment, error) {
	return s.updateExperiment(ctx, in, func(in, cur Experiment) ValidationError { return KeptElement(in.validate(cur.Unset()), in, cur) }, opts)
}

// UpdateDraft is UpdateExperiment for a draft saved to draft copy for,
// whose page, element and goal may all be left empty (CreateDraft). A
// started experiment keeps the ones it has (updateTx).
func (s *Store) UpdateDraft(ctx context.Context, in Experiment, opts ...UpdateOption) (Experiment, error) {
	return s.updateExperiment(ctx, in, func(in, cur Experiment) ValidationError { return KeptElement(in.ValidateDraft(), in, cur) }, opts)
}

// UpdateOption changes how UpdateExperiment and UpdateDraft save.
type UpdateOption struct {
	version string
}

// Unchanged is the UpdateOption of a save based on the experiment as it
// was at version (Experiment.Version), such as an edit form opened then:
// when the experiment is no longer at that version, the save is refused
// with ErrChanged and nothing is written. Saved, the form would put back
// what it showed over what changed since (drafts another tab added, a
// rename through the API). It is checked in the save's own transaction,
// so that no change can come between the check and the write.
func Unchanged(version string) UpdateOption { return UpdateOption{version: version} }

// ErrChanged is the refusal of a save whose experiment changed after the
// version it was based on (Unchanged).
var ErrChanged = errors.New("experiments: changed since it was read")

// Version names e as an edit form shows and saves it: its status, name,
// page, element, goal, traffic share, practical threshold, planned start
// and stop, and each variant's key, copy and weight, in order. Any change
// to one of those, by any path, gives another version; a change the form
// neither shows nor writes (a share link, the brief saved by drafting)
// does not, so it does not make an open form's save refused (Unchanged).
func (e Experiment) Version() string {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	for _, s := range []string{string(e.Status), e.Name, e.Page, e.Selector, strconv.FormatBool(e.VisibleOnly),
		e.Goal.Type, e.Goal.Value(), strconv.Itoa(e.CoverageBP), strconv.FormatFloat(e.Threshold, 'g', -1, 64),
		strconv.FormatInt(e.StopsAt.UnixMilli(), 10), strconv.FormatInt(e.StartsAt.UnixMilli(), 10)} {
		field(s)
	}
	for _, v := range e.Variants {
		field(v.Key)
		field(v.Text)
		field(strconv.Itoa(v.WeightBP))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// PlanErrors is the refusal of in's planned start and stop that saving it
// over cur, the experiment as stored (Experiment{} for a new one), would
// give now, for a form that names it beside the problems it finds itself
// before it saves, so that every problem shows at once.
func (s *Store) PlanErrors(in, cur Experiment) ValidationError {
	return planErrors(in.Normalize(), cur, s.now())
}

// updateExperiment saves in when validate, given in normalised and the
// experiment as stored, finds no problem, and nor does planErrors; both
// are named together.
func (s *Store) updateExperiment(ctx context.Context, in Experiment, validate func(in, cur Experiment) ValidationError, opts []UpdateOption) (Experiment, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// The read pool sees every commit up to now, and none can come
		// until this transaction ends (PatchExperiment).
		cur, err := s.Experiment(ctx, in.ID)
		if err != nil {
			return err
		}
		for _, o := range opts {
			if o.version != "" && o.version != cur.Version() {
				return ErrChanged
			}
		}
		// Validation does not hang on which keys new variants get (each
		// gets one no other has): updateTx gives them. The plan is
		// checked again there, for PatchExperiment.
		norm := in.Normalize()
		if errs := validate(norm, cur); len(errs) > 0 {
			return append(errs, planErrors(norm, cur, s.now())...)
		}
		return s.updateTx(ctx, tx, in)
	})
	if err != nil {
		return Experiment{}, wrapExp("update experiment", in.ID, err)
	}
	return s.Experiment(ctx, in.ID)
}

// PatchExperiment changes an experiment as patch says, reading it and
// writing it back in one write transaction, so that a change made meanwhile
// (another PATCH, drafts added by a generation) is neither undone nor
// recorded twice: patch gets the experiment as it is now. An error patch
// returns is returned as it is (wrapped); the rules of UpdateExperiment
// apply to the result, but for the page, element and goal of a draft
// saved without them (CreateDraft), which may stay empty: none of the
// patches sets them. patch must not write through the Store: the
// transaction holds its one writer connection.
func (s *Store) PatchExperiment(ctx context.Context, id string, patch func(*Experiment) error) (Experiment, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// The read pool sees every commit up to now, and none can come
		// until this transaction ends: it began IMMEDIATE, holding the
		// write lock.
		cur, err := s.Experiment(ctx, id)
		if err != nil {
			return err
		}
		in := cur
		in.Variants = slices.Clone(cur.Variants)
		if err := patch(&in); err != nil {
			return err
		}
		norm := in.Normalize()
		if errs := KeptElement(norm.validate(cur.Unset()), norm, cur); len(errs) > 0 {
			return errs
		}
		return s.updateTx(ctx, tx, in)
	})
	if err != nil {
		return Experiment{}, wrapExp("patch experiment", id, err)
	}
	return s.Experiment(ctx, id)
}

// updateTx is UpdateExperiment's transaction, for an in valid once
// normalised, which it normalises itself: the keys of new variants are
// given here, in the transaction that saves them (newKeys).
func (s *Store) updateTx(ctx context.Context, tx *sql.Tx, in Experiment) error {
	cur, err := scanExperiment(tx.QueryRowContext(ctx, `/* Store.UpdateExperiment */ select `+experimentCols+` from experiments where id = ?`, in.ID))
	if err != nil {
		return err
	}
	now := ms(s.now())
	if cur.Status == StatusStopped {
		return stateErr("experiment_stopped", "This experiment has stopped; its settings are kept as they were for its results.")
	}
	if cur.Status != StatusDraft && !in.StartsAt.Equal(cur.StartsAt) {
		return stateErr("experiment_started", "This experiment has started already: only a draft can be planned to start.")
	}
	if errs := planErrors(in, cur, s.now()); len(errs) > 0 {
		return errs
	}
	if cur.Variants, err = txVariants(ctx, tx, in.ID); err != nil {
		return err
	}
	if in, err = newKeys(ctx, tx, in, cur); err != nil {
		return err
	}
	// Only a change moves updated_at (and rewrites the variants): a PATCH
	// that sends what is there already, or nothing, leaves the
	// experiment as it was, as its history and the tag's ETag see it.
	changed := false
	if cur.Status != StatusDraft {
		if in.Page != cur.Page || in.Selector != cur.Selector || in.VisibleOnly != cur.VisibleOnly || in.Goal != cur.Goal || !sameCopy(cur.Variants, in.Variants) {
			return stateErr("experiment_started", "The page, element, goal and copy of a started experiment cannot change, so that its results keep their meaning. Duplicate it to test other copy: the new draft can start once this one stops.")
		}
		if in.Threshold != cur.Threshold {
			return &StateError{Code: "experiment_started", Err: ErrThresholdFixed,
				Message: "The practical threshold of a started experiment cannot change: it would change the verdict after the data is in. Duplicate it to test with another threshold."}
		}
		resplit := false
		for i, v := range in.Variants {
			if v.WeightBP == cur.Variants[i].WeightBP {
				continue
			}
			resplit = true
			if _, err := tx.ExecContext(ctx, `/* Store.UpdateExperiment */ update variants set weight_bp = ?, updated_at = ? where experiment_id = ? and key = ?`,
				v.WeightBP, now, in.ID, v.Key); err != nil {
				return err
			}
		}
		if resplit {
			changed = true
			// Visitors keep the variant they were given, so from now on
			// the counts mix two splits: the split check must know.
			if _, err := tx.ExecContext(ctx, `/* Store.UpdateExperiment */ update experiments set split_changed_at = ? where id = ?`, now, in.ID); err != nil {
				return err
			}
		}
	} else {
		// As stored, with where each came from: the read pool sees every
		// commit, and none can come until this transaction ends.
		stored, err := s.variants(ctx, []string{in.ID})
		if err != nil {
			return err
		}
		if !sameVariants(stored[in.ID], in.Variants) {
			changed = true
			if _, err := tx.ExecContext(ctx, `/* Store.UpdateExperiment */ delete from variants where experiment_id = ?`, in.ID); err != nil {
				return err
			}
			if err := insertVariants(ctx, tx, in.ID, in.Variants, now); err != nil {
				return err
			}
		}
	}
	if in.Brief == "" {
		in.Brief = cur.Brief
	}
	if !changed && in.Name == cur.Name && in.Page == cur.Page && in.Selector == cur.Selector && in.Goal == cur.Goal &&
		in.CoverageBP == cur.CoverageBP && in.Brief == cur.Brief && in.Threshold == cur.Threshold && in.VisibleOnly == cur.VisibleOnly &&
		in.StopsAt.Equal(cur.StopsAt) && in.StartsAt.Equal(cur.StartsAt) {
		return nil
	}
	detail := strings.Join(slices.DeleteFunc([]string{describeEdit(cur, in), describePlan("start", cur.StartsAt, in.StartsAt),
		describePlan("stop", cur.StopsAt, in.StopsAt)}, func(s string) bool { return s == "" }), " ")
	if detail != "" {
		if err := recordChange(ctx, tx, in.ID, now, ChangeEdited, detail); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `/* Store.UpdateExperiment */ update experiments set name = ?, page = ?, selector = ?, goal_type = ?, goal_value = ?,
		coverage_bp = ?, brief = ?, threshold = ?, visible_only = ?, stops_at = ?, starts_at = ?, updated_at = ? where id = ?`,
		in.Name, in.Page, in.Selector, in.Goal.Type, in.Goal.Value(), in.CoverageBP, in.Brief, in.Threshold, in.VisibleOnly,
		nullMS(in.StopsAt), nullMS(in.StartsAt), now, in.ID)
	return err
}

// planErrors is the refusal of a planned start or stop set anew at or
// before now (starts_at_past, stops_at_past: copylab cannot start or stop
// a test in the past, and the job would do it at once), and of a planned
// stop not after the planned start (stops_at_not_after_starts_at: the
// test would stop before it ran). A plan kept as it was (cur's) is not
// checked again against now: a test whose date has just come can still
// be renamed while the job acts on it.
func planErrors(in, cur Experiment, now time.Time) ValidationError {
	var v ValidationError
	if !in.StartsAt.IsZero() && !in.StartsAt.Equal(cur.StartsAt) && !in.StartsAt.After(now) {
		v.add(FieldStartsAt, "starts_at_past", "The planned start is in the past: choose a day after today (UTC).")
	}
	if !in.StopsAt.IsZero() && !in.StopsAt.Equal(cur.StopsAt) && !in.StopsAt.After(now) {
		v.add(FieldStopsAt, "stops_at_past", "The planned stop is in the past: choose a day after today (UTC).")
	}
	if len(v) == 0 && !in.StartsAt.IsZero() && !in.StopsAt.IsZero() && !in.StopsAt.After(in.StartsAt) {
		v.add(FieldStopsAt, "stops_at_not_after_starts_at", "The planned stop is not after the planned start: choose a stop day after the start day.")
	}
	return v
}

// FieldStopsAt and FieldStartsAt are the fields of the planned stop and
// start (Experiment.StopsAt, StartsAt) in validation errors.
const (
	FieldStopsAt  = "stops_at"
	FieldStartsAt = "starts_at"
)

// describePlan is the history's sentence for a change of the planned
// start or stop (what: "start", "stop") from cur to in, "" for none:
// "Planned to stop at 00:00 UTC on 25 Nov 2026." (planWords).
func describePlan(what string, cur, in time.Time) string {
	switch {
	case in.Equal(cur):
		return ""
	case in.IsZero():
		return "Planned " + what + " removed (it was " + PlanWords(cur) + ")."
	case cur.IsZero():
		return "Planned to " + what + " at " + PlanWords(in) + "."
	default:
		return "Planned " + what + " moved from " + PlanWords(cur) + " to " + PlanWords(in) + "."
	}
}

// PlanWords is a planned start or stop as History, the refusals and the
// experiment page word it: its time of day and its day, in UTC, "00:00 UTC on
// 25 Nov 2026" for a plan the form set and "17:30 UTC on 25 Nov 2026" for
// one the API set. The time is said even at midnight, and the zone
// always: a reader far from UTC takes a bare day for their own.
func PlanWords(t time.Time) string {
	t = t.UTC()
	return t.Format("15:04") + " UTC on " + t.Format("2 Jan 2006")
}

// newKeys is in normalised, each new variant given a key the experiment
// never gave (usedVariantKeys, read in tx), after the last one copylab
// gave, as AddVariants gives: keys name the copy in exports, recording
// links, the API and the history, where a removed variant's key already
// names other copy. A variant is new when it comes without a key, or with
// the key of a variant removed since (from a page opened before the
// removal); a key the experiment never gave (one a script chose) is kept.
func newKeys(ctx context.Context, tx *sql.Tx, in, cur Experiment) (Experiment, error) {
	in.Variants = slices.Clone(in.Variants) // the caller's stay as they are
	fresh := false
	for i := 1; i < len(in.Variants); i++ {
		k := strings.TrimSpace(in.Variants[i].Key)
		_, held := cur.Variant(k)
		fresh = fresh || !held
	}
	if !fresh {
		return in.Normalize(), nil
	}
	used, err := usedVariantKeys(ctx, tx, in.ID)
	if err != nil {
		return in, err
	}
	for i := 1; i < len(in.Variants); i++ {
		k := strings.TrimSpace(in.Variants[i].Key)
		if _, held := cur.Variant(k); !held && used[k] {
			in.Variants[i].Key = ""
		}
	}
	return in.normalize(used), nil
}

func txVariants(ctx context.Context, tx *sql.Tx, id string) ([]Variant, error) {
	rows, err := tx.QueryContext(ctx, `/* Store.txVariants */ select key, text, weight_bp from variants where experiment_id = ? order by position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Variant
	for rows.Next() {
		var v Variant
		if err := rows.Scan(&v.Key, &v.Text, &v.WeightBP); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// sameVariants tells whether the variants b, to be saved, are those
// stored, a: the same in order, with the same copy, weight and
// provenance.
func sameVariants(a, b []Variant) bool {
	return slices.EqualFunc(a, b, func(x, y Variant) bool {
		return x.Key == y.Key && x.Position == y.Position && x.Text == y.Text && x.WeightBP == y.WeightBP &&
			x.Source == y.Source && x.Model == y.Model && x.PromptVersion == y.PromptVersion && x.Angle == y.Angle &&
			x.Rationale == y.Rationale && x.Edited == y.Edited && x.ApprovedBy == y.ApprovedBy
	})
}

func sameCopy(a, b []Variant) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Text != b[i].Text {
			return false
		}
	}
	return true
}

// VariantPatch changes one variant; nil fields stay as they are.
type VariantPatch struct {
	Text     *string
	WeightBP *int
	// Check, when set, is asked about the change inside its write
	// transaction: before is the experiment as stored then (its brief
	// included), after the same with the patch applied. An error it
	// returns refuses the change, and is returned as it is (wrapped).
	// The caller's own rules for copy (a draft's brief) belong here
	// rather than in a read before the call: a brief saved between
	// that read and the change would not be the one the copy meets.
	// Like PatchExperiment's patch, it must not write through the Store.
	Check func(before, after Experiment) error
}

// UpdateVariant edits one variant's copy (drafts only) or weight. When the
// weight changes, the other variants are rescaled in proportion so the split
// still adds up to 100%. Editing generated copy marks it as edited.
func (s *Store) UpdateVariant(ctx context.Context, expID, key string, p VariantPatch) (Experiment, error) {
	if p.WeightBP != nil && (*p.WeightBP < 0 || *p.WeightBP > 10000) {
		return Experiment{}, ValidationError{{Field: "weight_bp", Code: "out_of_range", Message: "Weights are between 0 and 10000 basis points."}}
	}
	return s.PatchExperiment(ctx, expID, func(e *Experiment) error {
		// e is the experiment as it is now, in the transaction; before
		// keeps it so for Check.
		before := *e
		before.Variants = slices.Clone(e.Variants)
		idx := -1
		for i, v := range e.Variants {
			if v.Key == key {
				idx = i
			}
		}
		if idx < 0 {
			return ErrNotFound
		}
		if p.Text != nil && *p.Text != e.Variants[idx].Text {
			v := &e.Variants[idx]
			v.Text = *p.Text
			if v.Source == SourceModel || v.Source == SourceOffline {
				v.Edited = true
			}
		}
		if p.WeightBP != nil {
			Reweight(e.Variants, idx, *p.WeightBP)
		}
		if p.Check != nil {
			return p.Check(before, *e)
		}
		return nil
	})
}

// Reweight sets variant idx's weight and rescales the others in proportion
// to their current weights (equally when they are all zero) so that the
// total stays 10000.
func Reweight(vs []Variant, idx, weight int) {
	rest := 10000 - weight
	others := 0
	for i, v := range vs {
		if i != idx {
			others += v.WeightBP
		}
	}
	vs[idx].WeightBP = weight
	n := len(vs) - 1
	if n == 0 {
		return
	}
	given, last := 0, -1
	for i := range vs {
		if i == idx {
			continue
		}
		if others == 0 {
			vs[i].WeightBP = rest / n
		} else {
			vs[i].WeightBP = vs[i].WeightBP * rest / others
		}
		given += vs[i].WeightBP
		last = i
	}
	vs[last].WeightBP += rest - given
}

// StartRefusal is why e, as it is set up, could never answer if it ran,
// and so may not start or resume (a *StateError): only the original, a
// traffic share of 0%, or a split that leaves the original or every
// variant at 0%. nil when none of these holds. Transition asks it of the
// stored experiment; the pages ask it before offering Start's question.
func StartRefusal(e Experiment) error {
	vs := e.Variants
	if len(vs) < 2 {
		return stateErr("too_few_variants", "Add at least one variant of the copy before starting.")
	}
	// Each would run a test that can never answer: say so now rather than
	// after a week of traffic.
	if e.CoverageBP <= 0 {
		return stateErr("no_traffic", "The traffic share is 0%, so no visitor would be in the test. Set a share above 0% first.")
	}
	if vs[0].WeightBP <= 0 {
		return stateErr("control_without_traffic", "The original gets 0% of the split, so no variant could be compared with it. Give it a share of the split first.")
	}
	if !slices.ContainsFunc(vs[1:], func(v Variant) bool { return v.WeightBP > 0 }) {
		return stateErr("variants_without_traffic", "Every variant gets 0% of the split, so visitors would see only the original. Give a variant a share of the split first.")
	}
	return nil
}

// AddVariants appends variants to a draft (for example generated drafts)
// and splits traffic equally again. Each gets a key the experiment never
// gave before (UsedVariantKeys): the one after the last key copylab gave,
// or its own when it brings one not used yet. Keys name the copy in
// exports, recording links, the API and the history, so a removed
// variant's key given again would name two different copies. When
// approver has an id, the copy is added only if that account is still
// there (the same id, made at the same time: ids are given again), asked
// in the same transaction: a removal that commits first makes it
// ErrApproverGone, and one that comes after finds the copy added.
func (s *Store) AddVariants(ctx context.Context, expID string, add []Variant, approver User) (Experiment, []Variant, error) {
	var added []Variant
	e, err := s.PatchExperiment(ctx, expID, func(e *Experiment) error {
		if approver.ID != 0 {
			// The read pool sees every commit, and none can come until
			// this transaction ends (PatchExperiment).
			u, err := s.User(ctx, approver.ID)
			if errors.Is(err, ErrNotFound) || err == nil && u.CreatedAt.UnixMilli() != approver.CreatedAt.UnixMilli() {
				return ErrApproverGone
			}
			if err != nil {
				return err
			}
		}
		if e.Status != StatusDraft {
			return stateErr("experiment_started", "New copy can be added only before the experiment starts.")
		}
		// The read pool sees every commit, and none can come until this
		// transaction ends (PatchExperiment). used holds e's keys too.
		used, err := s.UsedVariantKeys(ctx, e.ID)
		if err != nil {
			return err
		}
		added = make([]Variant, 0, len(add))
		for _, v := range add {
			if v.Key == "" || used[v.Key] {
				v.Key = NextVariantKey(used)
			}
			used[v.Key] = true
			v.Position = len(e.Variants)
			e.Variants = append(e.Variants, v)
			added = append(added, v)
		}
		EqualWeights(e.Variants)
		return nil
	})
	if err != nil {
		return Experiment{}, nil, err
	}
	for i := range added {
		added[i], _ = e.Variant(added[i].Key)
	}
	return e, added, nil
}

// DeleteVariant removes a variant from a draft; the control stays.
func (s *Store) DeleteVariant(ctx context.Context, expID, key string) (Experiment, error) {
	if key == ControlKey {
		return Experiment{}, stateErr("control_required", "The original copy is the control of the test and cannot be removed.")
	}
	return s.PatchExperiment(ctx, expID, func(e *Experiment) error {
		if e.Status != StatusDraft {
			return stateErr("experiment_started", "Copy can be removed only before the experiment starts.")
		}
		kept := e.Variants[:0]
		found := false
		for _, v := range e.Variants {
			if v.Key == key {
				found = true
				continue
			}
			kept = append(kept, v)
		}
		if !found {
			return ErrNotFound
		}
		e.Variants = kept
		EqualWeights(e.Variants)
		return nil
	})
}

// SaveBrief stores the last brief used to generate copy for an experiment.
func (s *Store) SaveBrief(ctx context.Context, expID, briefJSON string) error {
	res, err := s.w.ExecContext(ctx, `/* Store.SaveBrief */ update experiments set brief = ?, updated_at = ? where id = ?`, briefJSON, ms(s.now()), expID)
	if err != nil {
		return wrapExp("save brief", expID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrapExp("save brief", expID, ErrNotFound)
	}
	return nil
}

// Actions on an experiment's life cycle.
const (
	ActionStart  = "start"
	ActionPause  = "pause"
	ActionResume = "resume"
	ActionStop   = "stop"
)

// Transition moves an experiment through its life cycle: start (a draft),
// pause (running), resume (paused), stop (running or paused; final). A
// start clears the draft's planned start (StartsAt): it has come, or a
// person started the test before it.
func (s *Store) Transition(ctx context.Context, id, action string) (Experiment, error) {
	return s.transition(ctx, id, action, time.Time{}, false)
}

// StartDraft is Transition's start for a caller that means only "start
// this draft", such as the web page's Start, offered on drafts: a paused
// test is refused (a *StateError, experiment_paused) rather than resumed,
// as Transition's start does. The status is read in the transaction that
// starts the draft, so a start and a pause made by someone else just
// before cannot be undone by it. A running or stopped test is refused as
// Transition refuses its start (invalid_transition, experiment_stopped).
func (s *Store) StartDraft(ctx context.Context, id string) (Experiment, error) {
	return s.transition(ctx, id, ActionStart, time.Time{}, true)
}

// PlannedStopDetail is the history's detail of a stop that copylab made
// on an experiment's planned date (StopDue), with no person behind it:
// the experiment page says who stopped a test from it.
const PlannedStopDetail = "Stopped on its planned date."

// PlannedStartDetail is the history's detail of a start that copylab
// made on a draft's planned date (StartDue), as PlannedStopDetail.
const PlannedStartDetail = "Started on its planned date."

// NotStartedPrefix begins the history's detail of a planned start that
// Transition refused when its time came (StartDue): the refusal's own
// sentences follow, as a person's Start would have heard them.
const NotStartedPrefix = "Not started on its planned date: "

// ErrNotDue is StopDue's and StartDue's refusal, inside its transaction,
// of an experiment whose planned stop or start was moved later, or
// removed, since it was found due: a person's change wins over the job's
// look a moment before.
var ErrNotDue = errors.New("experiments: the planned change is not due")

// StopDue stops every running or paused experiment whose planned end
// (StopsAt) is at or before now, as a person's Stop does (Transition,
// the same path: the same history line, ended_at and status), with
// PlannedStopDetail in its history. It returns those it stopped. It is
// idempotent: an experiment stopped already, or whose plan was moved
// later meanwhile, is left alone, so two runs at once, or a run racing
// a person's Stop, stop each test once. now is the caller's clock, so
// that a job can be tested without waiting for the date.
func (s *Store) StopDue(ctx context.Context, now time.Time) ([]Experiment, error) {
	done, _, err := s.transitionDue(ctx, "stop due", `/* Store.StopDue */ select id from experiments
		where stops_at is not null and status in (?, ?) and stops_at <= ? order by stops_at, id`,
		ActionStop, now, StatusRunning, StatusPaused, now.UnixMilli())
	return done, err
}

// StartDue starts every draft whose planned start (StartsAt) is at or
// before now, as a person's Start does (Transition, the same path and
// the same checks), with PlannedStartDetail in its history, and returns
// those it started. A draft that Start refuses then (incomplete, too few
// variants, no traffic, its element in another running test) stays a
// draft, its plan cleared, with the refusal in its history
// (NotStartedPrefix, ChangeNotStarted), all in one transaction; those
// are returned as refused. So is a draft whose planned stop (StopsAt)
// has come as well, which would stop as soon as it started: both its
// plans are cleared. Like StopDue it is idempotent, and a draft
// started, moved or deleted meanwhile is left alone.
func (s *Store) StartDue(ctx context.Context, now time.Time) (started, refused []Experiment, err error) {
	return s.transitionDue(ctx, "start due", `/* Store.StartDue */ select id from experiments
		where starts_at is not null and status = ? and starts_at <= ? order by starts_at, id`,
		ActionStart, now, StatusDraft, now.UnixMilli())
}

// transitionDue is StopDue and StartDue: action, on plan (due), for each
// experiment query finds, one transaction each.
func (s *Store) transitionDue(ctx context.Context, op, query, action string, due time.Time, args ...any) (done, refused []Experiment, err error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("experiments: %s: %w", op, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("experiments: %s: %w", op, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("experiments: %s: %w", op, err)
	}
	var errs []error
	for _, id := range ids {
		e, err := s.transition(ctx, id, action, due, false)
		var se *StateError
		var nr *notStartedError
		switch {
		case err == nil:
			done = append(done, e)
		case errors.As(err, &nr):
			refused = append(refused, nr.e)
		case errors.Is(err, ErrNotDue), errors.Is(err, ErrNotFound), errors.As(err, &se):
			// Moved, deleted, started or stopped since the look: nothing
			// to do.
		default:
			errs = append(errs, err)
		}
	}
	return done, refused, errors.Join(errs...)
}

// notStartedError is transition's answer for a planned start refused
// when it came: the refusal is in the draft's history, and the draft (e,
// its plan cleared) is saved so; StartDue reports it.
type notStartedError struct {
	e      Experiment
	reason error
}

func (e *notStartedError) Error() string {
	return "not started on its planned date: " + e.reason.Error()
}

// refusalWords is a start's refusal (a ValidationError or *StateError) as
// the sentences a person would have heard; ok is false for any other
// error, which is no refusal (the database failed).
func refusalWords(err error) (string, bool) {
	var ve ValidationError
	var se *StateError
	switch {
	case errors.As(err, &ve):
		msgs := make([]string, len(ve))
		for i, f := range ve {
			msgs[i] = f.Message
		}
		return strings.Join(msgs, " "), true
	case errors.As(err, &se):
		return se.Message, true
	}
	return "", false
}

// transition is Transition; a non-zero due makes it a planned stop
// (StopDue) or start (StartDue), done only while the experiment's
// StopsAt or StartsAt is still at or before due. A planned start that
// the checks refuse is recorded as refused (notStartedError) rather than
// rolled back. draftOnly refuses a start of a paused test (StartDraft).
func (s *Store) transition(ctx context.Context, id, action string, due time.Time, draftOnly bool) (Experiment, error) {
	planned := !due.IsZero()
	detail := ""
	if planned {
		detail = PlannedStopDetail
		if action == ActionStart {
			detail = PlannedStartDetail
		}
	}
	var refused error
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := scanExperiment(tx.QueryRowContext(ctx, `/* Store.Transition */ select `+experimentCols+` from experiments where id = ?`, id))
		if err != nil {
			return err
		}
		if planned {
			// Only a draft has a planned start (any start clears it), so
			// one started meanwhile is no longer due: never a resume.
			plan, open := cur.StopsAt, cur.Status != StatusStopped
			if action == ActionStart {
				plan, open = cur.StartsAt, true
			}
			if open && (plan.IsZero() || plan.After(due) || action == ActionStart && cur.Status != StatusDraft) {
				return ErrNotDue
			}
		}
		var to Status
		var change string
		switch {
		case action == ActionStart && cur.Status == StatusDraft:
			to, change = StatusRunning, ChangeStarted
			if !planned && !cur.StartsAt.IsZero() {
				detail = "Started ahead of its planned start at " + PlanWords(cur.StartsAt) + "; the plan is removed."
			}
		case action == ActionStart && cur.Status == StatusPaused && draftOnly:
			return stateErr("experiment_paused", "This experiment is paused: resume it to run it again.")
		case (action == ActionStart || action == ActionResume) && cur.Status == StatusPaused:
			to, change = StatusRunning, ChangeResumed
		case action == ActionPause && cur.Status == StatusRunning:
			to, change = StatusPaused, ChangePaused
		case action == ActionStop && (cur.Status == StatusRunning || cur.Status == StatusPaused):
			to, change = StatusStopped, ChangeStopped
		case action == ActionStop && cur.Status == StatusDraft:
			return stateErr("invalid_transition", "This experiment has not started; delete the draft instead.")
		case cur.Status == StatusStopped:
			return stateErr("experiment_stopped", "This experiment has stopped and cannot run again. Duplicate it to test more copy.")
		case action == ActionStart || action == ActionResume || action == ActionPause || action == ActionStop:
			return stateErr("invalid_transition", fmt.Sprintf("A %s experiment cannot %s.", cur.Status, action))
		default:
			return stateErr("invalid_action", fmt.Sprintf("Unknown action %q.", action))
		}
		now := ms(s.now())
		if to == StatusRunning {
			// A planned start whose planned stop has passed too (the
			// server was down across both) would start a test that
			// StopDue stops at its next look, with no visitor in it.
			stopPassed := planned && cur.stopPassed(due)
			var err error
			if stopPassed {
				err = stateErr("stops_at_passed", "Its planned stop, "+PlanWords(cur.StopsAt)+
					", had already passed, so the test would have stopped at once. Both plans are removed.")
			} else {
				// A planned start is checked at its plan, as the job
				// found it due; a person's at this moment.
				at := due
				if !planned {
					at = time.UnixMilli(now)
				}
				err = startChecks(ctx, tx, cur, at)
			}
			words, ok := refusalWords(err)
			if err != nil && planned && ok {
				// The draft stays one, and says why: the plan is
				// cleared, so that the job does not refuse it every
				// minute, and a person sees what to fix. A stop that
				// has passed goes too: kept, it would stop the test
				// as soon as a person starts it.
				refused = err
				if err := recordChange(ctx, tx, id, now, ChangeNotStarted, NotStartedPrefix+words); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `/* Store.Transition */ update experiments set starts_at = null,
					stops_at = case when ? then null else stops_at end, updated_at = ? where id = ?`, stopPassed, now, id)
				return err
			}
			if err != nil {
				return err
			}
		}
		if err := recordChange(ctx, tx, id, now, change, detail); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `/* Store.Transition */ update experiments set status = ?, updated_at = ?,
			started_at = case when ? = 'running' and started_at is null then ? else started_at end,
			ended_at = case when ? = 'stopped' then ? else ended_at end,
			starts_at = case when ? = 'running' then null else starts_at end where id = ?`,
			to, now, to, now, to, now, to, id)
		return err
	})
	if err != nil {
		return Experiment{}, wrapExp(action, id, err)
	}
	e, err := s.Experiment(ctx, id)
	if err == nil && refused != nil {
		return Experiment{}, wrapExp(action, id, &notStartedError{e: e, reason: refused})
	}
	return e, err
}

// startChecks is every refusal of a start (or resume) of cur at now,
// read in tx: the stored experiment is checked once more, since a draft
// may have been saved by an older version with looser rules.
func startChecks(ctx context.Context, tx *sql.Tx, cur Experiment, now time.Time) error {
	vs, err := txVariants(ctx, tx, cur.ID)
	if err != nil {
		return err
	}
	stored := cur
	stored.Variants = vs
	// A draft saved to draft copy for before its page, element and goal
	// were chosen (CreateDraft) gets a sentence for each one missing
	// (StartIncomplete), and a draft whose element today's rules refuse
	// (kept from an older copylab, or copied from a test started with
	// it: KeptElement) a sentence for that, in the fields' order
	// (ElementRefused). A started test resumes with the element it has.
	errs := stored.StartIncomplete()
	at := slices.IndexFunc(errs, func(f FieldError) bool { return f.Field == FieldGoal })
	if at < 0 {
		at = len(errs)
	}
	if errs = slices.Insert(errs, at, stored.ElementRefused()...); len(errs) > 0 {
		return errs
	}
	// A draft whose planned stop has passed (never started by its date)
	// would start a test that StopDue stops at its next look, with no
	// visitor in it. A paused test's passed stop is StopDue's to act on.
	if cur.Status == StatusDraft && cur.stopPassed(now) {
		return stateErr("stops_at_passed", "Its planned stop, "+PlanWords(cur.StopsAt)+", has passed: move or remove it, then start.")
	}
	if err := StartRefusal(stored); err != nil {
		return err
	}
	return refuseElementInTest(ctx, tx, cur)
}

// stopPassed is whether e's planned stop (StopsAt) is at or before at:
// StopDue would stop e then, were it running.
func (e Experiment) stopPassed(at time.Time) bool {
	return !e.StopsAt.IsZero() && !e.StopsAt.After(at)
}

// refuseElementInTest refuses to run e while another running experiment
// certainly tests its element on its pages (ElementOverlap): the tag
// would write both tests' copy on one element, each visitor would see
// only the last, and each test would count exposures to copy that the
// other replaced. Where the pages only may meet, the start and resume
// go ahead (the page warns). It reads inside the transaction that starts
// e, so two starts at once cannot both pass.
func refuseElementInTest(ctx context.Context, tx *sql.Tx, e Experiment) error {
	rows, err := tx.QueryContext(ctx, `/* Store.Transition */ select `+experimentCols+` from experiments
		where site_id = ? and status = ? and selector = ? and id <> ? order by created_at, id`, e.SiteID, StatusRunning, e.Selector, e.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanExperiment(rows)
		if err != nil {
			return err
		}
		if ElementOverlap(e, o) == OverlapCertain {
			return &StateError{Code: "element_in_test", Other: &o,
				Message: "“" + o.Name + "” already tests this element " + SharedPages(e, o) + ", and two tests on one element spoil each other’s results. " + stopItFirst(e)}
		}
	}
	return rows.Err()
}

// Ship stops an experiment that has started (running, paused or already
// stopped) and has the tag show the variant key to every visitor of its
// page, uncounted, until Unship: the winner, live while the site's own copy
// is updated. Shipping another variant replaces the one shipped. The
// original (control) cannot be shipped: it is what the page shows anyway.
// Shipping the variant already shipped changes nothing: no history line,
// and shipped_at keeps when it first shipped, so that a client retrying
// its request neither fills the history nor moves the date.
func (s *Store) Ship(ctx context.Context, id, key string) (Experiment, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := scanExperiment(tx.QueryRowContext(ctx, `/* Store.Ship */ select `+experimentCols+` from experiments where id = ?`, id))
		if err != nil {
			return err
		}
		if cur.Status == StatusDraft {
			return stateErr("invalid_transition", "This experiment has not started: there are no results to ship a variant on. Start it first.")
		}
		vs, err := txVariants(ctx, tx, id)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(vs, func(v Variant) bool { return v.Key == key })
		switch {
		case i < 0:
			return ValidationError{{Field: "variant", Code: "unknown_variant", Message: fmt.Sprintf("This experiment has no variant %q.", key)}}
		case i == 0:
			return stateErr("ship_control", "The original copy is what the page shows already; stop the experiment instead.")
		case cur.ShippedVariant == key:
			return nil
		}
		now := ms(s.now())
		detail := fmt.Sprintf("%s shown to every visitor: “%s”.", variantWords(key), clip(vs[i].Text, quoteBytes))
		if cur.Status != StatusStopped {
			// variantWords names a variant as the rest of the UI does
			// ("Variant B"), mid-sentence too.
			detail = "Stopped the test; " + detail
		}
		replaced, err := replaceShipped(ctx, tx, cur, key, now)
		if err != nil {
			return err
		}
		for _, o := range replaced {
			detail += fmt.Sprintf(" It replaces %s of “%s”, shipped on the same element.", variantWords(o.ShippedVariant), o.Name)
		}
		if err := recordChange(ctx, tx, id, now, ChangeShipped, detail); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `/* Store.Ship */ update experiments set status = 'stopped', updated_at = ?,
			ended_at = coalesce(ended_at, ?), shipped_variant = ?, shipped_at = ? where id = ?`, now, now, key, now, id)
		return err
	})
	if err != nil {
		return Experiment{}, wrapExp("ship", id, err)
	}
	return s.Experiment(ctx, id)
}

// replaceShipped ends the ships of the other experiments whose shipped
// copy sits on e's element on pages all among e's (ElementCovers), as e
// ships its variant key at now: each is unshipped, its history saying
// which shipped copy replaced it, and returned. Left alone, the tag would
// write both on one element (the newest last), and the older experiment
// would still claim a copy no visitor sees; unshipping the newer one
// would then bring the older copy back rather than the page's own. A
// shipped copy that also reaches pages e does not keep showing there
// (the tag writes the newest ship last, ShippedExperiments).
func replaceShipped(ctx context.Context, tx *sql.Tx, e Experiment, key string, now int64) ([]Experiment, error) {
	rows, err := tx.QueryContext(ctx, `/* Store.Ship */ select `+experimentCols+` from experiments
		where site_id = ? and selector = ? and shipped_variant <> '' and id <> ? order by shipped_at, id`, e.SiteID, e.Selector, e.ID)
	if err != nil {
		return nil, err
	}
	var out []Experiment
	for rows.Next() {
		o, err := scanExperiment(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if ElementCovers(e, o) {
			out = append(out, o)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range out {
		detail := fmt.Sprintf("%s no longer shown: %s of “%s”, shipped on the same element, replaced it.", variantWords(o.ShippedVariant), variantWords(key), e.Name)
		if err := recordChange(ctx, tx, o.ID, now, ChangeUnshipped, detail); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `/* Store.Ship */ update experiments set shipped_variant = '', shipped_at = null, updated_at = ?
			where id = ?`, now, o.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Unship stops showing an experiment's shipped variant: the page shows its
// own copy again. Unshipping what is not shipped (any more) changes
// nothing and records nothing, as a second stop or ship does, so that a
// client retrying its request hears that it is done.
func (s *Store) Unship(ctx context.Context, id string) (Experiment, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ms(s.now())
		var shipped string
		err := tx.QueryRowContext(ctx, `/* Store.Unship */ select shipped_variant from experiments where id = ?`, id).Scan(&shipped)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNotFound
		case err != nil:
			return err
		case shipped == "":
			return nil
		}
		if err := recordChange(ctx, tx, id, now, ChangeUnshipped, variantWords(shipped)+" no longer shown; the page shows its own copy."); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `/* Store.Unship */ update experiments set shipped_variant = '', shipped_at = null, updated_at = ?
			where id = ?`, now, id)
		return err
	})
	if err != nil {
		return Experiment{}, wrapExp("unship", id, err)
	}
	return s.Experiment(ctx, id)
}

// NewShareLink replaces an experiment's read-only share token: the old
// link stops working at once (for a link that went further than meant).
// A link turned off (TurnOffShareLink) comes back on, with the new token:
// the link turned off never opens anything again. A draft is refused
// (not_started): nobody is offered its link until the test starts, so
// there is no link out there to replace, and a history line saying one was
// replaced would be false.
func (s *Store) NewShareLink(ctx context.Context, id string) (Experiment, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ms(s.now())
		off, err := shareLinkState(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `/* Store.NewShareLink */ update experiments set share_token = ?, share_off = 0, updated_at = ?
			where id = ?`, RandomToken(32), now, id); err != nil {
			return err
		}
		detail := "A new share link replaced the old one, which no longer opens the results."
		if off {
			detail = "A new share link turned sharing back on; the link that was turned off still opens nothing."
		}
		return recordChange(ctx, tx, id, now, ChangeShareLink, detail)
	})
	if err != nil {
		return Experiment{}, wrapExp("new share link", id, err)
	}
	return s.Experiment(ctx, id)
}

// TurnOffShareLink turns an experiment's read-only share link off, for a
// link shared with someone who should no longer see the results: it stops
// working at once and ExperimentByShareToken finds nothing by it. Its
// token is replaced too, never to be shown, so that the link given out is
// gone for good even to a query that forgot share_off; NewShareLink turns
// sharing back on with a token of its own. A link already off stays off,
// with no new history line. A draft is refused (not_started), as
// NewShareLink refuses it: it has no link anyone was given.
func (s *Store) TurnOffShareLink(ctx context.Context, id string) (Experiment, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ms(s.now())
		off, err := shareLinkState(ctx, tx, id)
		if err != nil || off {
			return err
		}
		if _, err := tx.ExecContext(ctx, `/* Store.TurnOffShareLink */ update experiments set share_token = ?, share_off = 1, updated_at = ?
			where id = ?`, RandomToken(32), now, id); err != nil {
			return err
		}
		return recordChange(ctx, tx, id, now, ChangeShareOff, "The share link was turned off: it no longer opens the results, for anyone who has it.")
	})
	if err != nil {
		return Experiment{}, wrapExp("turn off share link", id, err)
	}
	return s.Experiment(ctx, id)
}

// shareLinkState tells whether experiment id's share link is off, for a
// change to it: ErrNotFound for an unknown experiment, and not_started for
// a draft, which has no link to change yet.
func shareLinkState(ctx context.Context, tx *sql.Tx, id string) (off bool, err error) {
	var status Status
	err = tx.QueryRowContext(ctx, `/* Store.shareLinkState */ select status, share_off from experiments where id = ?`, id).Scan(&status, &off)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, ErrNotFound
	case err != nil:
		return false, err
	case status == StatusDraft:
		return false, stateErr("not_started", "A draft has no share link yet: it gets one when the test starts.")
	}
	return off, nil
}

// ShippedExperiments returns a site's experiments with a shipped variant,
// the ones the tag shows that variant of to everyone, in the order they
// were shipped: the tag writes them in this order, so where two meet on
// one element and page, the newest ship is the one visitors see.
func (s *Store) ShippedExperiments(ctx context.Context, siteID string) ([]Experiment, error) {
	all, err := s.Experiments(ctx, ExperimentFilter{SiteID: siteID, Status: StatusStopped, Shipped: true})
	slices.Reverse(all)
	slices.SortStableFunc(all, func(a, b Experiment) int { return a.ShippedAt.Compare(b.ShippedAt) })
	return all, err
}

// deleteChunks runs q, a delete of at most ?2 rows of what id ?1 names,
// until it deletes fewer than limit, and returns how many rows went. Each
// statement is its own transaction, so the events writer's batches commit
// in between.
func (s *Store) deleteChunks(ctx context.Context, id, q string, limit int) (int64, error) {
	var total int64
	for {
		res, err := s.w.ExecContext(ctx, q, id, limit)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += n
		if n < int64(limit) {
			return total, nil
		}
	}
}

// deleteChunk is how many rows of a table that grows with traffic one
// statement of DeleteExperiment or DeleteSite removes.
const deleteChunk = 2000

// trafficTables are the tables whose rows grow with an experiment's
// traffic, each with the columns that name one row: the events, a row per
// visitor, a row per recorded session, and up to MaxSegmentValues values
// per dimension and variant. Everything else that points at an experiment
// is a few rows per variant or per day, or a line per change, and goes
// with the experiment's row.
var trafficTables = []struct {
	name string
	key  []string
}{
	{"events", []string{"seq"}},
	{"experiment_visitors", []string{"experiment_id", "visitor"}},
	{"recordings", []string{"seq"}},
	{"variant_segments", []string{"experiment_id", "dimension", "value", "variant"}},
}

// trafficDeleteStmts returns, for each of trafficTables in order, a
// delete of at most ?2 of its rows of the experiments x that scope (a
// condition on x with ?1) selects and that are not running, tagged with
// caller. The cross join keeps SQLite on the index that scope reads and
// then each experiment's rows (its primary key or experiment_id index),
// never a whole table; a row is deleted by its key.
func trafficDeleteStmts(caller, scope string) []string {
	var out []string
	for _, t := range trafficTables {
		key := strings.Join(t.key, ", ")
		cols := "r." + strings.Join(t.key, ", r.")
		out = append(out, fmt.Sprintf(`/* %[1]s */ delete from %[2]s where (%[3]s) in
		(select %[4]s from experiments x cross join %[2]s r on r.experiment_id = x.id
		where %[5]s and x.status <> 'running' limit ?2)`, caller, t.name, key, cols, scope))
	}
	return out
}

// expDeleteRowsStmts are DeleteExperiment's deletes of the rows that grow
// with traffic, events first.
var expDeleteRowsStmts = trafficDeleteStmts("Store.DeleteExperiment", "x.id = ?1")

// DeleteExperiment removes an experiment with its variants, events, counts,
// history and recordings, and returns how many events went with it. A
// running experiment is refused (experiment_running): stop it first, so
// that a live test never vanishes from visitors' pages by a slip.
//
// An experiment can hold millions of events and hundreds of thousands of
// visitors, and one cascading delete of them all would hold the
// database's single writer for seconds, during which the events writer
// could not commit (its senders would get 503s). So the rows that grow
// with traffic (trafficTables: events, per-visitor rows, recordings,
// segments) go first, deleteChunk at a time, each statement its own
// transaction, and the events writer's batches commit in between; the
// experiment's row goes last, with the small tables that cascade from it.
// A paused experiment is stopped first (stopPausedToDelete), so that it
// cannot be resumed with part of its rows gone. Like DeleteSite's, each
// chunk leaves the experiment alone should it run anyway, and the last
// step, in one transaction, refuses should it: a running test is never
// deleted. Should the process stop half way, the experiment is still there
// (stopped), and deleting it again finishes the job.
func (s *Store) DeleteExperiment(ctx context.Context, id string) (events int64, err error) {
	defer func() {
		var se *StateError
		if err != nil && !errors.As(err, &se) {
			err = wrapExp("delete experiment", id, err)
		}
	}()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := refuseExpRunning(ctx, tx, id); err != nil {
			return err
		}
		return stopPausedToDelete(ctx, tx, s.now(), "id = ?", id)
	})
	if err != nil {
		return 0, err
	}
	for i, q := range expDeleteRowsStmts {
		n, err := s.deleteChunks(ctx, id, q, deleteChunk)
		if i == 0 {
			events = n
		}
		if err != nil {
			return events, err
		}
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := refuseExpRunning(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `/* Store.DeleteExperiment */ delete from experiments where id = ?`, id)
		return err
	})
	return events, err
}

// refuseExpRunning refuses to delete experiment id while it runs
// (experimentRunning), or when there is none (ErrNotFound).
func refuseExpRunning(ctx context.Context, tx *sql.Tx, id string) error {
	var st Status
	err := tx.QueryRowContext(ctx, `/* Store.DeleteExperiment */ select status from experiments where id = ?`, id).Scan(&st)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrNotFound
	case err != nil:
		return err
	case st == StatusRunning:
		return experimentRunning()
	}
	return nil
}

// stopPausedToDelete stops the paused experiments that where (a condition
// on experiments, with arg) selects, inside a delete's first transaction,
// and records each stop in their history. A delete takes an experiment's
// rows in many transactions; a paused test resumed half way would go on
// with part of its visitors gone, and those would be counted afresh on
// their next visit. A stopped test cannot run again.
func stopPausedToDelete(ctx context.Context, tx *sql.Tx, now time.Time, where, arg string) error {
	rows, err := tx.QueryContext(ctx, `/* Store.stopPausedToDelete */ select id from experiments where status = ? and `+where, StatusPaused, arg)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	at := ms(now)
	for _, id := range ids {
		if err := recordChange(ctx, tx, id, at, ChangeStopped, "Stopped to be deleted."); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `/* Store.stopPausedToDelete */ update experiments set status = ?, updated_at = ?, ended_at = ?
			where id = ?`, StatusStopped, at, at, id); err != nil {
			return err
		}
	}
	return nil
}

// experimentRunning refuses to delete a running experiment.
func experimentRunning() error {
	return stateErr("experiment_running", "Stop the experiment before you delete it.")
}

// Overlap says how far two experiments act on the same element of the same
// pages: the tag writes the element of every experiment whose page pattern
// matches, so two on one element and page undo each other's copy.
type Overlap int

const (
	// OverlapNone: another site or element, or page patterns no page
	// matches both.
	OverlapNone Overlap = iota
	// OverlapPossible: a page may match both patterns, or may not
	// (/blog/* and /*/comments meet only if the site has such a page).
	OverlapPossible
	// OverlapCertain: every page one of them reaches, the other reaches
	// too (equal patterns, either is *, /pricing and /pricing*).
	OverlapCertain
)

// ElementOverlap says how far a and b act on the same element (ElementCovers,
// one way or the other, is certain).
func ElementOverlap(a, b Experiment) Overlap {
	switch {
	case a.SiteID != b.SiteID || a.Selector != b.Selector || pagesApart(a.Page, b.Page):
		return OverlapNone
	case pagesCover(a.Page, b.Page) || pagesCover(b.Page, a.Page):
		return OverlapCertain
	}
	return OverlapPossible
}

// stopItFirst is what to do about a test that keeps e from starting or
// resuming: stop it, or, while e is a draft whose element can still
// change, test another element.
func stopItFirst(e Experiment) string {
	if e.Status == StatusDraft {
		return "Stop it first, or test another element."
	}
	return "Stop it first."
}

// SharedPages says where other, a test that certainly meets e on its
// element (ElementOverlap), meets it: "on the same pages" when each page
// pattern matches every page the other does (/pricing and /pricing/),
// else "on pages this one reaches too (it runs on /pricing)", since one
// pattern only contains the other (* and /pricing). The page is written
// as a person reads it (PageShown): "(it runs on /料金*)".
func SharedPages(e, other Experiment) string {
	if pagesCover(e.Page, other.Page) && pagesCover(other.Page, e.Page) {
		return "on the same pages"
	}
	page := PageShown(other.Page)
	if page == "" {
		page = "*"
	}
	return "on pages this one reaches too (it runs on " + page + ")"
}

// ElementCovers reports whether a acts on b's element on every page where
// b does: the same site and selector, and every page b's pattern matches,
// a's matches too.
func ElementCovers(a, b Experiment) bool {
	return a.SiteID == b.SiteID && a.Selector == b.Selector && pagesCover(a.Page, b.Page)
}

// pagePattern is a page pattern cut as MatchPage reads it: all (every
// page), or the glob on the path (its trailing slash trimmed) and the
// query's non-empty pairs.
type pagePattern struct {
	all   bool
	glob  string
	pairs []string
}

func parsePagePattern(p string) pagePattern {
	if p == "" || p == "*" {
		return pagePattern{all: true}
	}
	glob, query, _ := strings.Cut(p, "?")
	out := pagePattern{glob: trimSlash(glob)}
	for pair := range strings.SplitSeq(query, "&") {
		if pair != "" {
			out.pairs = append(out.pairs, pair)
		}
	}
	// Every path the browser gives starts with "/": a glob of / and stars
	// alone, without pairs, matches every page, as * does.
	if len(out.pairs) == 0 && strings.HasPrefix(out.glob, "/") && strings.Trim(out.glob[1:], "*") == "" && out.glob != "/" {
		out.all = true
	}
	return out
}

// pagesCover reports whether every page that inner matches (MatchPage),
// outer matches too. It answers true only when that is sure, for the
// patterns people write (equal ones, *, a page and a glob that matches
// it, a prefix or suffix glob and a narrower one, the same path with
// more query pairs); false may also mean "could not tell".
func pagesCover(outer, inner string) bool {
	o, i := parsePagePattern(outer), parsePagePattern(inner)
	switch {
	case o.all:
		return true
	case i.all:
		return false
	}
	if !globCovers(o.glob, i.glob) {
		return false
	}
	// Each pair outer requires must be one inner requires too, as
	// written; k=* is met by any pair of inner with the key k.
	for _, op := range o.pairs {
		k, v, _ := strings.Cut(op, "=")
		if !slices.ContainsFunc(i.pairs, func(ip string) bool {
			ik, _, _ := strings.Cut(ip, "=")
			return ip == op || (v == "*" && ik == k)
		}) {
			return false
		}
	}
	return true
}

// globCovers reports, where it can tell, whether every path inner (a
// trimmed glob) matches, outer matches too: equal globs, a literal inner
// that outer matches, or an outer with one * whose literal prefix and
// suffix begin and end inner's.
func globCovers(outer, inner string) bool {
	switch {
	case outer == inner:
		return true
	case !strings.Contains(inner, "*"):
		return globMatch(outer, inner)
	case strings.Count(outer, "*") != 1:
		return false
	}
	op, os, _ := strings.Cut(outer, "*")
	ip, is := inner[:strings.Index(inner, "*")], inner[strings.LastIndex(inner, "*")+1:]
	return strings.HasPrefix(ip, op) && strings.HasSuffix(is, os)
}

// pagesApart reports whether no page can match both patterns, where that
// is sure: their paths cannot meet (two different pages, a page the other
// glob misses, globs whose literal starts or ends differ).
func pagesApart(a, b string) bool {
	pa, pb := parsePagePattern(a), parsePagePattern(b)
	if pa.all || pb.all {
		return false
	}
	ga, gb := pa.glob, pb.glob
	switch {
	case !strings.Contains(ga, "*"):
		return !globMatch(gb, ga)
	case !strings.Contains(gb, "*"):
		return !globMatch(ga, gb)
	}
	prefixA, prefixB := ga[:strings.Index(ga, "*")], gb[:strings.Index(gb, "*")]
	suffixA, suffixB := ga[strings.LastIndex(ga, "*")+1:], gb[strings.LastIndex(gb, "*")+1:]
	return !strings.HasPrefix(prefixA, prefixB) && !strings.HasPrefix(prefixB, prefixA) ||
		!strings.HasSuffix(suffixA, suffixB) && !strings.HasSuffix(suffixB, suffixA)
}

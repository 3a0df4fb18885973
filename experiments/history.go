package experiments

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// An experiment's history is written by the store itself, in the same
// transaction as each change, so that no change lands without its line and
// no line without its change. Who made it travels in the context: the app
// puts the signed-in user (or the API token's owner) there once per request.

type actorKey struct{}

// WithActor returns ctx carrying who makes the changes done with it: an
// email for a person, "email (API)" for an API token. Changes made without
// one are copylab's own.
func WithActor(ctx context.Context, who string) context.Context {
	return context.WithValue(ctx, actorKey{}, who)
}

func actorOf(ctx context.Context) string {
	who, _ := ctx.Value(actorKey{}).(string)
	return who
}

// Actions in an experiment's history.
const (
	ChangeCreated   = "created"
	ChangeEdited    = "edited"
	ChangeStarted   = "started"
	ChangePaused    = "paused"
	ChangeResumed   = "resumed"
	ChangeStopped   = "stopped"
	ChangeShipped   = "shipped"
	ChangeUnshipped = "unshipped"
	ChangeShareLink = "share_link"
	ChangeShareOff  = "share_off"
	// ChangeNotStarted is a draft's planned start refused when it came
	// (Store.StartDue): the draft stays one, and the detail says why.
	ChangeNotStarted = "not_started"
)

// Change is one line of an experiment's history.
type Change struct {
	At     time.Time
	Actor  string // who, as known when it happened; "" for copylab itself
	Action string // one of the Change… constants
	Detail string // what changed, in sentences; may be ""
}

// quoteBytes bounds copy quoted in a history line.
const quoteBytes = 160

// MaxHistory bounds how many lines History returns.
const MaxHistory = 200

// History returns an experiment's changes, newest first, at most
// MaxHistory.
func (s *Store) History(ctx context.Context, expID string) ([]Change, error) {
	return s.changes(ctx, "history", expID, `/* Store.History */ select at, actor, action, detail from experiment_history
		where experiment_id = ? order by id desc limit ?`, expID, MaxHistory)
}

// RunChanges returns every start, pause, resume, stop and ship of an
// experiment, newest first, however long its history: the results count a
// test's running time without its pauses, and History keeps only the newest
// MaxHistory lines, which a busy test's edits can fill.
func (s *Store) RunChanges(ctx context.Context, expID string) ([]Change, error) {
	return s.changes(ctx, "run changes", expID, `/* Store.RunChanges */ select at, actor, action, detail from experiment_history
		where experiment_id = ? and action in (?, ?, ?, ?, ?) order by id desc`,
		expID, ChangeStarted, ChangePaused, ChangeResumed, ChangeStopped, ChangeShipped)
}

// changes runs a query of history lines (at, actor, action, detail).
func (s *Store) changes(ctx context.Context, op, expID, query string, args ...any) ([]Change, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrapExp(op, expID, err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at int64
		if err := rows.Scan(&at, &c.Actor, &c.Action, &c.Detail); err != nil {
			return nil, wrapExp(op, expID, err)
		}
		c.At = time.UnixMilli(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapExp(op, expID, err)
	}
	return out, nil
}

// recordChange adds a line to an experiment's history inside tx.
func recordChange(ctx context.Context, tx *sql.Tx, expID string, at int64, action, detail string) error {
	_, err := tx.ExecContext(ctx, `/* Store.recordChange */ insert into experiment_history (experiment_id, at, actor, action, detail)
		values (?, ?, ?, ?, ?)`, expID, at, actorOf(ctx), action, detail)
	return err
}

// describeEdit says in sentences what saving in over cur changes; "" when
// nothing a history reader cares about does (the brief is left out: it is
// the input to drafting copy, not part of the test). Pages are written
// as a person reads them, letters and all (PageShown): "Page changed from
// /pricing to /料金*", not the escapes they are stored in.
func describeEdit(cur, in Experiment) string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if in.Name != cur.Name {
		add("Renamed from “%s” to “%s”.", cur.Name, in.Name)
	}
	// A draft saved before its page, element or goal was chosen
	// (CreateDraft) has them set, or unset again, rather than changed.
	changed := func(what, from, to string) {
		switch {
		case from == to:
		case from == "":
			add("%s set to %s.", what, to)
		case to == "":
			add("%s removed (it was %s).", what, from)
		default:
			add("%s changed from %s to %s.", what, from, to)
		}
	}
	changed("Page", PageShown(cur.Page), PageShown(in.Page))
	changed("Element", cur.Selector, in.Selector)
	if in.Goal != cur.Goal {
		from, to := goalWords(cur.Goal), goalWords(in.Goal)
		if cur.Goal.Value() == "" {
			from = ""
		}
		if in.Goal.Value() == "" {
			to = ""
		}
		changed("Goal", from, to)
	}
	if in.CoverageBP != cur.CoverageBP {
		add("Traffic share changed from %s to %s.", PercentOfBP(cur.CoverageBP)+"%", PercentOfBP(in.CoverageBP)+"%")
	}
	if in.Threshold != cur.Threshold {
		add("Practical threshold changed from %s to %s.", ratioWords(cur.Threshold), ratioWords(in.Threshold))
	}
	if in.VisibleOnly != cur.VisibleOnly {
		if in.VisibleOnly {
			add("Now counts only visitors who see the element on screen.")
		} else {
			add("Now counts every visitor whose page has the element, on screen or not.")
		}
	}
	keys := func(vs []Variant) []string {
		ks := make([]string, len(vs))
		for i, v := range vs {
			ks[i] = v.Key
		}
		return ks
	}
	for _, v := range in.Variants {
		old, ok := cur.Variant(v.Key)
		switch {
		case !ok:
			add("Added %s%s: “%s”.", variantWords(v.Key), sourceWords(v), clip(v.Text, quoteBytes))
		case old.Text != v.Text:
			add("Copy of %s changed to “%s”.", variantWords(v.Key), clip(v.Text, quoteBytes))
		}
	}
	for _, v := range cur.Variants {
		if _, ok := in.Variant(v.Key); !ok {
			add("Removed %s.", variantWords(v.Key))
		}
	}
	split := func(vs []Variant) string {
		ws := make([]string, len(vs))
		for i, v := range vs {
			ws[i] = PercentOfBP(v.WeightBP)
		}
		return strings.Join(ws, "/") + "%"
	}
	names := func(vs []Variant) string {
		ns := make([]string, len(vs))
		for i, v := range vs {
			ns[i] = strings.ToUpper(v.Key)
			if v.Key == ControlKey {
				ns[i] = "original"
			}
		}
		return strings.Join(ns, "/")
	}
	if slices.Equal(keys(in.Variants), keys(cur.Variants)) {
		if split(in.Variants) != split(cur.Variants) {
			add("Split (%s) changed from %s to %s.", names(in.Variants), split(cur.Variants), split(in.Variants))
		}
	} else if len(in.Variants) > 0 {
		add("Split (%s) now %s.", names(in.Variants), split(in.Variants))
	}
	return strings.Join(out, " ")
}

// quotedRe matches what describeEdit quotes (a name, a copy), “…”, up to
// the closing quote of its own sentence: one followed by the sentence's
// full stop or by " to " (“old” to “new”). The person's text is left out
// of the sentences read for a removal, whatever sentences it holds, also
// when it has quotes of its own, unless it holds one of those endings.
var quotedRe = regexp.MustCompile(`“.*?”(\.$|\. | to )`)

// removedKeys returns the keys a history line names as removed:
// describeEdit writes each as a sentence of its own, "Removed Variant C.",
// the key in capitals (variantWords). A sentence is one only where it
// starts the line or follows another's full stop, outside the text it
// quotes (quotedRe), so quoted copy or a name holding the words does not
// count; a selector or page holding them still can, and the key is then
// only skipped.
func removedKeys(detail string) []string {
	var out []string
	detail = quotedRe.ReplaceAllString(detail, "“”$1")
	for _, sentence := range strings.Split(detail, ". ") {
		words, ok := strings.CutPrefix(sentence, "Removed Variant ")
		words = strings.TrimSuffix(words, ".") // the line's last sentence
		if key := strings.ToLower(words); ok && strings.ToUpper(key) == words && variantKeyRe.MatchString(key) {
			out = append(out, key)
		}
	}
	return out
}

// UsedVariantKeys returns every key experiment id has given a variant:
// those it has and those removed since, which its history names (every
// change to a draft's copy writes its line in the same transaction). A
// removal made before copylab kept a history (migration 0009) is not known.
func (s *Store) UsedVariantKeys(ctx context.Context, id string) (map[string]bool, error) {
	return usedVariantKeys(ctx, s.r, id)
}

// usedVariantKeys is UsedVariantKeys read through q: a transaction that
// gives keys reads them in itself (updateTx).
func usedVariantKeys(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, id string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `/* Store.UsedVariantKeys */ select 0, key from variants where experiment_id = ?
		union all select 1, detail from experiment_history where experiment_id = ? and action = ? and detail like '%Removed Variant %'`,
		id, id, ChangeEdited)
	if err != nil {
		return nil, wrapExp("used variant keys", id, err)
	}
	defer rows.Close()
	used := map[string]bool{}
	for rows.Next() {
		var fromHistory bool
		var text string
		if err := rows.Scan(&fromHistory, &text); err != nil {
			return nil, wrapExp("used variant keys", id, err)
		}
		if !fromHistory {
			used[text] = true
			continue
		}
		for _, k := range removedKeys(text) {
			used[k] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrapExp("used variant keys", id, err)
	}
	return used, nil
}

func variantWords(key string) string {
	if key == ControlKey {
		return "the original"
	}
	return "Variant " + strings.ToUpper(key)
}

// sourceWords says where added copy came from, to follow its name in
// the history, in the words the pages use: ", an offline suggestion"
// (Settings promises offline drafts are labelled so wherever they
// appear), ", drafted by gpt-4o-mini" (the experiment page's "drafted by
// AI" with the model its provenance line names), either one "edited by
// hand" when the person changed it before adding it; "" for copy
// written by hand. Lines written before keep their words.
func sourceWords(v Variant) string {
	switch {
	case v.Source == SourceOffline && v.Edited:
		return ", an offline suggestion edited by hand"
	case v.Source == SourceOffline:
		return ", an offline suggestion"
	case v.Source != SourceModel:
		return ""
	}
	by := "AI"
	if v.Model != "" {
		by = v.Model
	}
	if v.Edited {
		return ", drafted by " + by + " and edited by hand"
	}
	return ", drafted by " + by
}

// goalWords is a goal as the history names it: a goal page written as a
// person reads it (PageShown), "a visit to /danke-schön*".
func goalWords(g Goal) string {
	switch g.Type {
	case GoalClick:
		return "a click on " + g.Selector
	case GoalPageview:
		return "a visit to " + PageShown(g.URL)
	case GoalEvent:
		return "the event " + g.Name
	}
	return g.Type
}

// PercentOfBP writes basis points as a percentage without the sign and
// without useless decimals: 5000 → "50", 3333 → "33.33", 1250 → "12.5".
// The pages, the form and the history all write shares with it.
func PercentOfBP(bp int) string {
	if bp%100 == 0 {
		return strconv.Itoa(bp / 100)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%02d", bp/100, bp%100), "0")
}

func ratioWords(r float64) string {
	return strconv.FormatFloat(r*100, 'f', -1, 64) + "%"
}

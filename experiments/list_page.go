package experiments

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// PageQuery asks ExperimentsPage for one page of experiments, in the order
// of Experiments: newest first, then by id.
type PageQuery struct {
	Filter ExperimentFilter
	// After starts the page after this position, the last of the previous
	// page; the zero position starts at the newest experiment.
	After PagePosition
	// Before ends the page just before this position, the first of the
	// following page: the page holds the Limit experiments closest to it
	// that are newer, still newest first, and "more" says whether newer
	// ones come before the page. It is how a list goes back a page without
	// counting rows, so that experiments created or deleted meanwhile
	// neither repeat nor skip one. It cannot go with After or Offset.
	Before PagePosition
	// Offset skips as many experiments first.
	Offset int
	// Limit is the most experiments on the page, at least 1.
	Limit int
}

// PagePosition is an experiment's place in the newest-first order: its
// creation time (to the millisecond, as stored) and id.
type PagePosition struct {
	CreatedMS int64
	ID        string
}

// PositionOf is e's place in the newest-first order.
func PositionOf(e Experiment) PagePosition {
	return PagePosition{CreatedMS: ms(e.CreatedAt), ID: e.ID}
}

// ExperimentsPage returns a page of the experiments q asks for, with their
// variants, and whether more follow it. SQLite reads only the page's
// experiments in full (and skips the others by an index when there is no
// search), and the variants only of the page's.
func (s *Store) ExperimentsPage(ctx context.Context, q PageQuery) ([]Experiment, bool, error) {
	if q.Limit < 1 || q.Offset < 0 || q.Before.ID != "" && (q.After.ID != "" || q.Offset > 0) {
		return nil, false, fmt.Errorf("experiments: experiments page: limit %d, offset %d, after %q, before %q", q.Limit, q.Offset, q.After.ID, q.Before.ID)
	}
	stmt, args := q.stmt()
	rows, err := s.r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, false, fmt.Errorf("experiments: experiments page: %w", err)
	}
	defer rows.Close()
	var out []Experiment
	more := false
	for rows.Next() {
		if len(out) == q.Limit {
			more = true
			break
		}
		e, err := scanExperiment(rows)
		if err != nil {
			return nil, false, fmt.Errorf("experiments: experiments page: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("experiments: experiments page: %w", err)
	}
	rows.Close() // before the next query on the read pool
	if q.Before.ID != "" {
		slices.Reverse(out) // read oldest first, from the position up
	}
	if err := s.withVariants(ctx, out); err != nil {
		return nil, false, err
	}
	return out, more, nil
}

// stmt is the query of ExperimentsPage, with its arguments.
func (q PageQuery) stmt() (string, []any) {
	where, args := q.Filter.where()
	stmt := `/* Store.ExperimentsPage */ select ` + experimentCols + ` from experiments where ` + where
	if q.After.ID != "" {
		stmt += ` and (created_at < ? or (created_at = ? and id < ?))`
		args = append(args, q.After.CreatedMS, q.After.CreatedMS, q.After.ID)
	}
	order := ` order by created_at desc, id desc`
	if q.Before.ID != "" {
		stmt += ` and ` + newerThan
		args = append(args, q.Before.CreatedMS, q.Before.ID)
		order = ` order by created_at, id`
	}
	// One more than the page says whether another follows.
	stmt += order + ` limit ? offset ?`
	return stmt, append(args, q.Limit+1, q.Offset)
}

// newerThan is the SQL condition of an experiment newer than a position
// (its creation time in ms and its id): before it in the newest-first
// order. As a row value SQLite reads it as a range of the index on
// (site_id, created_at, id), where the OR of the same test would scan
// the site's rows for a count.
const newerThan = `(created_at, id) > (?, ?)`

// NewerCount says how many experiments f holds before pos in the
// newest-first order: where a page that starts at pos stands in its list
// ("51–100 of 120"), counted at the time, not carried in a link.
func (s *Store) NewerCount(ctx context.Context, f ExperimentFilter, pos PagePosition) (int, error) {
	stmt, args := newerCountStmt(f, pos)
	var n int
	if err := s.r.QueryRowContext(ctx, stmt, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("experiments: newer count: %w", err)
	}
	return n, nil
}

// newerCountStmt is the query of NewerCount, with its arguments.
func newerCountStmt(f ExperimentFilter, pos PagePosition) (string, []any) {
	where, args := f.where()
	return `/* Store.NewerCount */ select count(*) from experiments where ` + where + ` and ` + newerThan,
		append(args, pos.CreatedMS, pos.ID)
}

// StatusCounts says how many experiments a filter holds.
type StatusCounts struct {
	// Total is how many the filter holds without its search.
	Total int
	// Matched is how many of those its search keeps (all of them without
	// one), by status.
	Matched map[Status]int
}

// StatusCounts counts the experiments f holds, by status, in one query
// that reads no experiment's row unless f has a search (and then only
// its name, page and site's name): the experiment lists' tabs.
func (s *Store) StatusCounts(ctx context.Context, f ExperimentFilter) (StatusCounts, error) {
	stmt, args := f.countStmt()
	rows, err := s.r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return StatusCounts{}, fmt.Errorf("experiments: status counts: %w", err)
	}
	defer rows.Close()
	out := StatusCounts{Matched: map[Status]int{}}
	for rows.Next() {
		var st Status
		var all, n int
		if err := rows.Scan(&st, &all, &n); err != nil {
			return StatusCounts{}, fmt.Errorf("experiments: status counts: %w", err)
		}
		out.Total += all
		out.Matched[st] = n
	}
	if err := rows.Err(); err != nil {
		return StatusCounts{}, fmt.Errorf("experiments: status counts: %w", err)
	}
	return out, nil
}

// countStmt is the query of StatusCounts, with its arguments.
func (f ExperimentFilter) countStmt() (string, []any) {
	where, args := f.unsearched()
	matched := `count(*)`
	if cond, arg, ok := f.search(); ok {
		matched = `coalesce(sum(` + cond + `), 0)`
		args = append([]any{arg}, args...)
	}
	return `/* Store.StatusCounts */ select status, count(*), ` + matched + ` from experiments where ` + where + ` group by status`, args
}

// search is the SQL condition of f's search and its argument; ok is false
// when the search has no words. The condition calls searchFunc, which
// every connection of the read pool has (openReader), with the search's
// words folded here, once, so that each row folds only its own text. The
// experiment's text comes as one argument, page first (searchMatches):
// go-sqlite3 copies and boxes every argument of every call, the larger
// part of what the search costs a row.
func (f ExperimentFilter) search() (cond string, arg any, ok bool) {
	words := searchWords(f.Search)
	if words == "" {
		return "", nil, false
	}
	return searchFunc + `(?, page || char(10) || name || char(10) ||
		coalesce((select s.name from sites s where s.id = experiments.site_id), ''))`, words, true
}

// searchFunc is the name of searchMatches in SQL. SQLite's own lower()
// and like fold only ASCII letters, and the search ignores case in every
// language ("über" finds "Über", "GRÖSSE" finds "Größe").
const searchFunc = "copylab_search"

// searchWords is the words of a search as typed, each folded (Fold), one
// space between them: what searchMatches looks for.
func searchWords(q string) string {
	return strings.Join(strings.Fields(Fold(q)), " ")
}

// searchMatches tells whether every one of words (searchWords) is in
// text: an experiment's page pattern, name and site's name, a line break
// after each of the first two (no word holds one, so none spans two of
// them; a page holds none either). The page is searched both as stored
// and as PageShown writes it, so that /料金 finds the page stored as
// /%E6%96%99%E9%87%91 and a pasted escape finds it too.
func searchMatches(words, text string) bool {
	if page, _, _ := strings.Cut(text, "\n"); strings.Contains(page, "%") {
		if shown := PageShown(page); shown != page {
			text += "\n" + shown
		}
	}
	// Text in ASCII, most of it, is searched as Fold would write it
	// without writing it: a row then costs no copy.
	ascii := isASCII(text)
	if !ascii {
		text = Fold(text)
	}
	for words != "" {
		var w string
		w, words, _ = strings.Cut(words, " ")
		if ascii && !holdsLowered(text, w) || !ascii && !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// holdsLowered tells whether s, in ASCII, holds w once its capitals are
// small (asciiLower). A w outside ASCII is in no such s.
func holdsLowered(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for j < len(w) && lowerByte(s[i+j]) == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// lowerByte is an ASCII byte with a capital made small.
func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Fold is text as every search of the product compares it: in Unicode's
// full case folding, so that capitals in any language find small letters
// and ß, ẞ and SS find each other (lower case keeps ß and SS apart), and
// with canonically equivalent spellings made one, so that ö typed as one
// letter (NFC) and as o and a combining diaeresis (NFD, as macOS and some
// keyboards write it) are the same text. A search folds what is typed and
// what it searches, each with Fold, and compares the two as bytes.
//
// Two texts fold alike exactly when Unicode's canonical caseless match
// (§3.13, D145: NFD, fold, NFD) says they match. Fold writes NFC, the
// shorter, and composes first rather than decomposing: that too gives the
// folding every mark in its canonical order (what D145's first NFD is
// for, as U+0345 folds to ι and changes class), and text already in NFC,
// nearly all of it, is not copied for it. FuzzSearchMatches holds Fold to
// D145's steps. Invalid UTF-8 reads as U+FFFD. Before the case, it folds
// the width, as East Asian keyboards type Latin letters and digits full
// width (Ｐｒｉｃｉｎｇ ２０２６ finds Pricing 2026) and half-width katakana
// (ｶﾞ finds ガ), as the number fields read full-width digits.
func Fold(s string) string {
	if isASCII(s) {
		return asciiLower(s)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// A Caser is not safe for concurrent use, and the read pool's
	// connections search side by side: each call builds its own. Its
	// folder is stateless and of size zero, so that costs no allocation,
	// and it measured no slower than a sync.Pool of them
	// (BenchmarkSearchRow, serial and parallel).
	return norm.NFC.String(cases.Fold().String(width.Fold.String(norm.NFC.String(s))))
}

// asciiLower is s, all ASCII, with its capitals small: what Fold makes of
// ASCII, without its tables. It copies s only when s has a capital.
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		b[i] = lowerByte(b[i])
	}
	return string(b)
}

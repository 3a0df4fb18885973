package experiments

import (
	"context"
	"fmt"
	"slices"
	"strings"
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
// every connection of the read pool has (openReader).
func (f ExperimentFilter) search() (cond string, arg any, ok bool) {
	if strings.TrimSpace(f.Search) == "" {
		return "", nil, false
	}
	return searchFunc + `(name || char(10) || page || char(10) ||
		coalesce((select s.name from sites s where s.id = experiments.site_id), ''), ?)`, f.Search, true
}

// searchFunc is the name of searchMatches in SQL. SQLite's own lower()
// and like fold only ASCII letters, and the search ignores case in every
// language ("über" finds "Über").
const searchFunc = "copylab_search"

// searchMatches tells whether every word of q is in hay, ignoring case.
func searchMatches(hay, q string) bool {
	hay = strings.ToLower(hay)
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

package experiments

import (
	"context"
	"fmt"
)

// PageQuery asks ExperimentsPage for one page of experiments, in the order
// of Experiments: newest first, then by id.
type PageQuery struct {
	Filter ExperimentFilter
	// Match keeps only the experiments it accepts, such as a search; nil
	// keeps them all. It sees an experiment without its variants.
	Match func(Experiment) bool
	// After starts the page after this position, the last of the previous
	// page; the zero position starts at the newest experiment.
	After PagePosition
	// Offset skips as many experiments (those Match keeps) first.
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
// variants, and whether more follow it. Only the page's experiments are
// read in full: without Match, SQLite skips to the page; with it, rows
// are read one at a time until the page is full, and variants only for
// the page.
func (s *Store) ExperimentsPage(ctx context.Context, q PageQuery) ([]Experiment, bool, error) {
	if q.Limit < 1 || q.Offset < 0 {
		return nil, false, fmt.Errorf("experiments: experiments page: limit %d, offset %d", q.Limit, q.Offset)
	}
	where, args := q.Filter.where()
	stmt := `/* Store.ExperimentsPage */ select ` + experimentCols + ` from experiments where ` + where
	if q.After.ID != "" {
		stmt += ` and (created_at < ? or (created_at = ? and id < ?))`
		args = append(args, q.After.CreatedMS, q.After.CreatedMS, q.After.ID)
	}
	stmt += ` order by created_at desc, id desc`
	if q.Match == nil {
		// One more than the page says whether another follows.
		stmt += ` limit ? offset ?`
		args = append(args, q.Limit+1, q.Offset)
	}
	rows, err := s.r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, false, fmt.Errorf("experiments: experiments page: %w", err)
	}
	defer rows.Close()
	var out []Experiment
	skip, more := q.Offset, false
	for rows.Next() {
		e, err := scanExperiment(rows)
		if err != nil {
			return nil, false, fmt.Errorf("experiments: experiments page: %w", err)
		}
		if q.Match != nil {
			if !q.Match(e) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
		}
		if len(out) == q.Limit {
			more = true
			break
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("experiments: experiments page: %w", err)
	}
	rows.Close() // before the next query on the read pool
	if err := s.withVariants(ctx, out); err != nil {
		return nil, false, err
	}
	return out, more, nil
}

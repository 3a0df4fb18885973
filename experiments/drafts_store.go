package experiments

import (
	"context"
	"errors"
	"fmt"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// DraftJob is a job of the drafting page as copylab keeps it across
// restarts (table drafting_jobs): the web app holds its jobs in memory
// and writes each here as it changes, then reads them back when it
// starts. State and Data are the app's; the store only keeps them.
type DraftJob struct {
	ID           string
	ExperimentID string
	UserID       int64
	UserCreated  int64 // the user's created_at in Unix milliseconds: ids are given again
	Seq          int64 // the order the jobs were started in
	State        string
	Touched      time.Time // last looked at: the job is kept for a while after
	Data         []byte    // JSON
}

// SaveDraftJob writes the job, in place of what was kept under its id.
// It is ErrNotFound when the job's experiment or user is gone: a job
// that finishes just after its experiment is deleted has nothing to
// keep.
func (s *Store) SaveDraftJob(ctx context.Context, j DraftJob) error {
	_, err := s.w.ExecContext(ctx, `/* Store.SaveDraftJob */ insert into drafting_jobs
		(id, experiment_id, user_id, user_created, seq, state, touched_at, data) values (?, ?, ?, ?, ?, ?, ?, ?)
		on conflict (id) do update set experiment_id = excluded.experiment_id, user_id = excluded.user_id,
			user_created = excluded.user_created, seq = excluded.seq, state = excluded.state,
			touched_at = excluded.touched_at, data = excluded.data`,
		j.ID, j.ExperimentID, j.UserID, j.UserCreated, j.Seq, j.State, ms(j.Touched), string(j.Data))
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey {
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("experiments: save drafting job %s: %w", j.ID, err)
	}
	return nil
}

// TouchDraftJob notes that the job was looked at, at at; a job not kept
// is left so.
func (s *Store) TouchDraftJob(ctx context.Context, id string, at time.Time) error {
	if _, err := s.w.ExecContext(ctx, `/* Store.TouchDraftJob */ update drafting_jobs set touched_at = max(touched_at, ?) where id = ?`,
		ms(at), id); err != nil {
		return fmt.Errorf("experiments: touch drafting job %s: %w", id, err)
	}
	return nil
}

// DeleteDraftJob forgets the job, if it is kept.
func (s *Store) DeleteDraftJob(ctx context.Context, id string) error {
	if _, err := s.w.ExecContext(ctx, `/* Store.DeleteDraftJob */ delete from drafting_jobs where id = ?`, id); err != nil {
		return fmt.Errorf("experiments: delete drafting job %s: %w", id, err)
	}
	return nil
}

// DeleteDraftJobsBefore forgets the jobs last looked at before before,
// and returns how many it forgot.
func (s *Store) DeleteDraftJobsBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `/* Store.DeleteDraftJobsBefore */ delete from drafting_jobs where touched_at < ?`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("experiments: delete old drafting jobs: %w", err)
	}
	return res.RowsAffected()
}

// DraftJobs returns at most limit jobs looked at since since, the most
// recently looked at first.
func (s *Store) DraftJobs(ctx context.Context, since time.Time, limit int) ([]DraftJob, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.DraftJobs */ select id, experiment_id, user_id, user_created, seq, state, touched_at, data
		from drafting_jobs where touched_at >= ? order by touched_at desc, seq desc limit ?`, ms(since), limit)
	if err != nil {
		return nil, fmt.Errorf("experiments: drafting jobs: %w", err)
	}
	defer rows.Close()
	var out []DraftJob
	for rows.Next() {
		var j DraftJob
		var touched int64
		var data string
		if err := rows.Scan(&j.ID, &j.ExperimentID, &j.UserID, &j.UserCreated, &j.Seq, &j.State, &touched, &data); err != nil {
			return nil, fmt.Errorf("experiments: drafting jobs: %w", err)
		}
		j.Touched, j.Data = time.UnixMilli(touched), []byte(data)
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("experiments: drafting jobs: %w", err)
	}
	return out, nil
}

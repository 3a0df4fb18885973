package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// SiteKeyLength is the length of a site's public key.
const SiteKeyLength = 16

const siteCols = `id, key, name, domain, brand_voice, hide_timeout_ms, honor_gpc, created_at`

func scanSite(row interface{ Scan(...any) error }) (Site, error) {
	var s Site
	var created sql.NullInt64
	err := row.Scan(&s.ID, &s.Key, &s.Name, &s.Domain, &s.BrandVoice, &s.HideTimeoutMS, &s.HonorGPC, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, ErrNotFound
	}
	s.CreatedAt = fromMS(created)
	return s, err
}

// CreateSite validates and stores a new site, giving it an id and a key.
func (s *Store) CreateSite(ctx context.Context, in Site) (Site, error) {
	in = in.Normalize()
	if errs := in.Validate(); len(errs) > 0 {
		return Site{}, errs
	}
	in.ID, in.Key, in.CreatedAt = NewID(), RandomToken(SiteKeyLength), s.now()
	_, err := s.w.ExecContext(ctx, `/* Store.CreateSite */ insert into sites (`+siteCols+`) values (?, ?, ?, ?, ?, ?, ?, ?)`,
		in.ID, in.Key, in.Name, in.Domain, in.BrandVoice, in.HideTimeoutMS, in.HonorGPC, ms(in.CreatedAt))
	if err != nil {
		return Site{}, fmt.Errorf("experiments: create site: %w", err)
	}
	return in, nil
}

// UpdateSite saves a site's editable settings.
func (s *Store) UpdateSite(ctx context.Context, in Site) (Site, error) {
	in = in.Normalize()
	if errs := in.Validate(); len(errs) > 0 {
		return Site{}, errs
	}
	res, err := s.w.ExecContext(ctx, `/* Store.UpdateSite */ update sites set name = ?, domain = ?, brand_voice = ?, hide_timeout_ms = ?, honor_gpc = ? where id = ?`,
		in.Name, in.Domain, in.BrandVoice, in.HideTimeoutMS, in.HonorGPC, in.ID)
	if err != nil {
		return Site{}, fmt.Errorf("experiments: update site: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Site{}, fmt.Errorf("experiments: update site %s: %w", in.ID, ErrNotFound)
	}
	return s.Site(ctx, in.ID)
}

// Site returns the site with the given id.
func (s *Store) Site(ctx context.Context, id string) (Site, error) {
	site, err := scanSite(s.r.QueryRowContext(ctx, `/* Store.Site */ select `+siteCols+` from sites where id = ?`, id))
	if err != nil {
		return Site{}, fmt.Errorf("experiments: site %s: %w", id, err)
	}
	return site, nil
}

// SiteByKey returns the site with the given public key.
func (s *Store) SiteByKey(ctx context.Context, key string) (Site, error) {
	site, err := scanSite(s.r.QueryRowContext(ctx, `/* Store.SiteByKey */ select `+siteCols+` from sites where key = ?`, key))
	if err != nil {
		return Site{}, fmt.Errorf("experiments: site by key: %w", err)
	}
	return site, nil
}

// Sites returns every site, by name.
func (s *Store) Sites(ctx context.Context) ([]Site, error) {
	rows, err := s.r.QueryContext(ctx, `/* Store.Sites */ select `+siteCols+` from sites order by name collate nocase, created_at`)
	if err != nil {
		return nil, fmt.Errorf("experiments: sites: %w", err)
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		site, err := scanSite(rows)
		if err != nil {
			return nil, fmt.Errorf("experiments: sites: %w", err)
		}
		out = append(out, site)
	}
	return out, rows.Err()
}

// DeleteSite removes a site with its experiments (each as DeleteExperiment
// does, its events in chunks), its recorder settings and recordings, and
// returns how many experiments and events went. A site with a running
// experiment is refused (site_running), naming them: stop them first.
func (s *Store) DeleteSite(ctx context.Context, id string) (exps int, events int64, err error) {
	if _, err := s.Site(ctx, id); err != nil {
		return 0, 0, fmt.Errorf("experiments: delete site %s: %w", id, err)
	}
	all, err := s.Experiments(ctx, ExperimentFilter{SiteID: id})
	if err != nil {
		return 0, 0, fmt.Errorf("experiments: delete site %s: %w", id, err)
	}
	var running []string
	for _, e := range all {
		if e.Status == StatusRunning {
			running = append(running, "“"+e.Name+"”")
		}
	}
	if len(running) > 0 {
		return 0, 0, stateErr("site_running", "Stop the site's running experiments before you delete it: "+strings.Join(running, ", ")+".")
	}
	for _, e := range all {
		n, err := s.DeleteExperiment(ctx, e.ID)
		events += n
		if err != nil {
			return exps, events, err
		}
		exps++
	}
	res, err := s.w.ExecContext(ctx, `/* Store.DeleteSite */ delete from sites where id = ?`, id)
	if err != nil {
		return exps, events, fmt.Errorf("experiments: delete site: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return exps, events, fmt.Errorf("experiments: delete site %s: %w", id, ErrNotFound)
	}
	return exps, events, nil
}

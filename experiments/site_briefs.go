package experiments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SiteBrief is the brief saved with one of a site's experiments (as
// SaveBrief stored it), with that experiment's name, for a new brief on
// the same site to start from.
type SiteBrief struct {
	ExperimentID   string
	ExperimentName string
	Brief          string
}

// latestSiteBriefSQL finds the site's rows through an experiments_site_*
// index and sorts only those. updated_at stands for when the brief was
// saved: SaveBrief sets it, though so do other changes to an experiment.
// An experiment that never had a brief keeps the column's default, '{}'.
const latestSiteBriefSQL = `/* Store.LatestSiteBrief */ select id, name, brief from experiments
	where site_id = ? and id <> ? and brief not in ('', '{}', 'null')
	order by updated_at desc, id desc limit 1`

// LatestSiteBrief returns the brief saved most recently with an
// experiment of the site other than exceptID; ok is false when none of
// them has one. Briefs never cross sites: each site has its own product,
// audience and banned words.
func (s *Store) LatestSiteBrief(ctx context.Context, siteID, exceptID string) (b SiteBrief, ok bool, err error) {
	err = s.r.QueryRowContext(ctx, latestSiteBriefSQL, siteID, exceptID).Scan(&b.ExperimentID, &b.ExperimentName, &b.Brief)
	if errors.Is(err, sql.ErrNoRows) {
		return SiteBrief{}, false, nil
	}
	if err != nil {
		return SiteBrief{}, false, fmt.Errorf("experiments: latest brief of site %s: %w", siteID, err)
	}
	return b, true, nil
}

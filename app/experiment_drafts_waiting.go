package app

import (
	"copylab/views"
)

// draftsWaiting is what the newest drafting job of person p for the
// experiment expID holds that they have not added, for the experiment's
// page (views.DraftsWaiting): drafts being written, or drafts written and
// kept on the drafting page until genJobTTL after it was last open. It
// reads the job without touching it: looking at the experiment's page is
// not looking at the drafts, so it does not keep them longer.
func (r *genRegistry) draftsWaiting(expID string, p genPerson) views.DraftsWaiting {
	r.mu.Lock()
	defer r.unlock()
	now := r.now()
	var newest *genJob
	for _, j := range r.jobs {
		if j.expID == expID && j.person == p && (newest == nil || j.seq > newest.seq) {
			newest = j
		}
	}
	if newest == nil {
		return views.DraftsWaiting{}
	}
	newest.mu.Lock()
	defer newest.mu.Unlock()
	until := newest.touched.Add(genJobTTL)
	switch {
	case !now.Before(until):
		return views.DraftsWaiting{} // expired: the next prune lets it go
	case newest.state == jobRunning:
		return views.DraftsWaiting{Writing: true}
	case newest.state == jobDone && newest.err == nil && newest.added == "" && len(newest.drafts) > 0:
		return views.DraftsWaiting{Drafts: len(newest.drafts), Until: until}
	}
	return views.DraftsWaiting{}
}

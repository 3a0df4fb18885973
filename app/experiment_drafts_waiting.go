package app

import (
	"copylab/views"
)

// draftsWaiting is what the drafting jobs of person p for the experiment
// expID hold that they have not added, for the experiment's page
// (views.DraftsWaiting): whether a brief's drafts are being written, and
// the drafts of the newest brief that brought some, kept on the drafting
// page until genJobTTL after it was last open. A newer brief that failed
// leaves the earlier drafts as they were (genRegistry.supersede), so they
// still wait. It reads the jobs without touching them: looking at the
// experiment's page is not looking at the drafts, so it does not keep them
// longer.
func (r *genRegistry) draftsWaiting(expID string, p genPerson) views.DraftsWaiting {
	r.mu.Lock()
	defer r.unlock()
	now := r.now()
	var w views.DraftsWaiting
	var newest uint64 // the seq of the job whose drafts w holds
	for _, j := range r.jobs {
		if j.expID != expID || j.person != p {
			continue
		}
		j.mu.Lock()
		until := j.touched.Add(genJobTTL)
		switch {
		case !now.Before(until):
			// expired: the next prune lets it go
		case j.state == jobRunning:
			w.Writing = true
		case j.state == jobDone && j.err == nil && j.added == "" && len(j.drafts) > 0 && j.seq > newest:
			w.Drafts, w.Until, newest = len(j.drafts), until, j.seq
		}
		j.mu.Unlock()
	}
	return w
}

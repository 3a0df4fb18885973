package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"copylab/experiments"
)

// The tag's loads (tagSightings, snippet_serve.go) are counted in memory,
// so that its GET never waits for the database, and kept across restarts
// in the database: what changed is written every tagFlushEvery, and once
// more when copylab stops cleanly, then read back when it starts. A crash
// loses at most the last tagFlushEvery of them, which the next page view
// renews anyway.
const (
	tagFlushEvery   = time.Minute
	tagFlushTimeout = 10 * time.Second // the write at a clean stop
)

// loadTagSightings reads back what was kept of the tags' loads, and when
// copylab began keeping them, before the app serves anything.
func (a *App) loadTagSightings(ctx context.Context) error {
	tags, since, err := a.store.SiteTags(ctx)
	if err != nil {
		return err
	}
	// The site's domain sorts its pages into its own and the others
	// (tagSeen.place); snippetFor keeps it current after this.
	sites, err := a.store.Sites(ctx)
	if err != nil {
		return err
	}
	domains := make(map[string]string, len(sites))
	for _, site := range sites {
		domains[site.Key] = site.Domain
	}
	t := a.snippets.tags
	t.since = since
	for _, st := range tags {
		if st.Loaded.IsZero() {
			continue
		}
		s := t.of(st.Key)
		last := st.Loaded.Unix()
		s.last.Store(last)
		s.setDomain(domains[st.Key])
		s.mu.Lock()
		// Newest first: each kind of page (on the site's domain or not)
		// keeps its newest, as the tag's handler does (tagSeen.place).
		for _, p := range st.Pages {
			s.place(tagPage{origin: p.Origin, at: p.At.Unix()})
		}
		s.mu.Unlock()
		a.tagsSaved[st.Key] = last
	}
	return nil
}

// runTagFlush writes the tags' loads that changed every tagFlushEvery
// until ctx ends, and once more then (flushTagLoop).
func (a *App) runTagFlush(ctx context.Context) {
	t := time.NewTicker(tagFlushEvery)
	defer t.Stop()
	a.flushTagLoop(ctx, t.C)
}

// flushTagLoop writes the tags' loads that changed at each tick until ctx
// ends, and once more then: Run ends ctx after the server has finished
// its requests in flight, so the last loads are in that write.
func (a *App) flushTagLoop(ctx context.Context, tick <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tagFlushTimeout)
			defer cancel()
			if err := a.flushTagSightings(wctx); err != nil {
				a.log.Error("tag status: could not keep the tag's last loads", "error", err)
			}
			return
		case <-tick:
			if err := a.flushTagSightings(ctx); err != nil && ctx.Err() == nil {
				a.log.Error("tag status: could not keep the tag's last loads; trying again in a minute", "error", err)
			}
		}
	}
}

// flushTagSightings writes the records of the sites whose tag loaded
// since the last write. Only one goroutine calls it at a time (the loop,
// or a test), since a.tagsSaved is its own.
//
// A load becomes the record's last (an atomic) just before its page is
// written in (tagSeen.saw), so a write in between would keep the load
// without its page: a load of the last two seconds is written again next
// time, by then with its page.
func (a *App) flushTagSightings(ctx context.Context) error {
	type changed struct {
		key string
		s   *tagSeen
	}
	var todo []changed
	t := a.snippets.tags
	t.mu.Lock()
	for key, s := range t.m {
		if s.last.Load() != a.tagsSaved[key] {
			todo = append(todo, changed{key, s})
		}
	}
	t.mu.Unlock()
	if len(todo) == 0 {
		return nil
	}
	slices.SortFunc(todo, func(a, b changed) int { return cmp.Compare(a.key, b.key) })
	out := make([]experiments.SiteTag, 0, len(todo))
	for _, c := range todo {
		loaded, pages := c.s.snapshot()
		st := experiments.SiteTag{Key: c.key, Loaded: loaded}
		for _, p := range pages {
			st.Pages = append(st.Pages, experiments.SiteTagPage{Origin: p.origin, At: time.Unix(p.at, 0)})
		}
		out = append(out, st)
	}
	err := a.store.SaveSiteTags(ctx, out)
	a.noteJobWrite(err, true) // a full disk shows in /healthz
	if err != nil {
		return err
	}
	settled := a.now().Unix() - 1
	for _, st := range out {
		if last := st.Loaded.Unix(); last < settled {
			a.tagsSaved[st.Key] = last
		}
	}
	return nil
}

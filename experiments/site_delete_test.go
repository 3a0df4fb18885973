package experiments_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"copylab/experiments"
	"copylab/experiments/recorders"
)

// sdSite is a seeded site and the ids of its experiments.
type sdSite struct {
	site experiments.Site
	exps []string
}

// sdSeed makes a site with n experiments (goal: the event "signup"), named
// "NAME test I", each seen by visitors visitors with repeat exposures (with
// a swap time) and as many conversions, sent by four senders at once. With extras,
// every table that grows under an experiment gets rows too: a missed
// element, a bot, a visitor who saw both variants, a recording, a
// notification, plus the site's recorders and webhook and a draft without
// events. The experiments end stopped (every third paused): deletable.
func sdSeed(t testing.TB, s *experiments.Store, in *experiments.Ingester, name string, n, visitors, repeat int, extras bool) sdSite {
	t.Helper()
	ctx := context.Background()
	site, err := s.CreateSite(ctx, experiments.Site{Name: name, Domain: strings.ToLower(name) + ".example"})
	if err != nil {
		t.Fatal(err)
	}
	out := sdSite{site: site}
	for i := range n {
		x, err := s.CreateExperiment(ctx, experiments.Experiment{
			SiteID: site.ID, Name: fmt.Sprintf("%s test %d", name, i), Page: "/", Selector: experiments.OwnElement(),
			Goal: experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, CoverageBP: 10000,
			Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
			t.Fatal(err)
		}
		out.exps = append(out.exps, x.ID)
	}
	// A body holds at most 100 events.
	ingest := func(body []byte) {
		if _, err := in.Ingest(ctx, body, evMeta(evBaseTime)); err != nil {
			t.Error(err)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := w; v < visitors; v += 4 {
				variant := []string{"control", "b"}[v%2]
				var evs []ev
				for _, x := range out.exps {
					for range repeat {
						e := evExposure(x, variant)
						e.MS = evPtr(float64(40 + v%200))
						evs = append(evs, e, evConversion(x, "signup"))
					}
				}
				for len(evs) > 0 {
					k := min(len(evs), 100)
					ingest(evBody(site.Key, fmt.Sprintf("v%d", v), false, evs[:k]...))
					evs = evs[k:]
				}
			}
		}()
	}
	wg.Wait()
	if extras {
		if _, err := s.UpdateSiteRecorders(ctx, site.ID, recorders.Settings{Custom: "https://replay.example/{session_id}"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetSiteWebhook(ctx, site.ID, "https://chat.example/hooks/abc"); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordWebhookRefusal(ctx, site.ID, "https://chat.example/hooks/abc", experiments.WebhookRefusal{Status: 404, Message: "m", At: evBaseTime}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveSiteTags(ctx, []experiments.SiteTag{{Key: site.Key, Loaded: evBaseTime,
			Pages: []experiments.SiteTagPage{{Origin: "https://" + site.Domain, At: evBaseTime}}}}); err != nil {
			t.Fatal(err)
		}
		for _, x := range out.exps {
			sdExtras(t, s, in, site, x)
		}
		d, err := s.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: name + " draft", Page: "/", Selector: "h2",
			Goal: experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, CoverageBP: 10000,
			Variants: []experiments.Variant{{Text: "Hello"}, {Text: "Welcome"}}})
		if err != nil {
			t.Fatal(err)
		}
		// The draft follows the first test, as a follow-up does
		// (Store.FollowUpExperiment, which would need it shipped).
		if _, err := s.Writer().Exec(`update experiments set follows_id = ? where id = ?`, out.exps[0], d.ID); err != nil {
			t.Fatal(err)
		}
		out.exps = append(out.exps, d.ID)
	}
	for i, x := range out.exps {
		action := experiments.ActionStop
		if i%3 == 2 {
			action = experiments.ActionPause
		}
		if e, err := s.Experiment(ctx, x); err != nil || e.Status == experiments.StatusDraft {
			continue
		}
		if _, err := s.Transition(ctx, x, action); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// sdExtras gives experiment x of site, running, a row in each table that
// grows under an experiment beyond its visitors' exposures and
// conversions: a missed element (health), a bot and a visitor who saw both
// variants (excluded), a recording, a notification, one the webhook
// refused, a warning's clearing and an answer's hold.
func sdExtras(t testing.TB, s *experiments.Store, in *experiments.Ingester, site experiments.Site, x string) {
	t.Helper()
	ctx := context.Background()
	for _, body := range [][]byte{
		evBody(site.Key, "missed", false, ev{ID: evID(), Type: experiments.EventExposure, Experiment: x, Variant: "b",
			URL: "https://" + site.Domain + "/", Matched: evPtr(false)}),
		evBody(site.Key, "bot", true, evExposure(x, "b")),
		evBody(site.Key, "both", false, evExposure(x, "b"), evExposure(x, "control")),
		recordingBody(site.Key, "v0", map[string]any{"experiment": x, "variant": "control", "recorder": "custom",
			"session": "s-" + x, "url": "https://" + site.Domain + "/"}),
	} {
		if _, err := in.Ingest(ctx, body, evMeta(evBaseTime)); err != nil {
			t.Error(err)
		}
	}
	if err := s.RecordNotification(ctx, x, "winner", "We have a winner", evBaseTime); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordUndelivered(ctx, x, "srm", "Results can’t be trusted yet", 400, evBaseTime); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNoticeClear(ctx, x, "element_missing", experiments.NoticeClear{Episode: 1, ClearedAt: evBaseTime}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAnswerHold(ctx, x, experiments.AnswerHold{Answer: "winner:b", Since: evBaseTime}); err != nil {
		t.Fatal(err)
	}
	// A set of drafts kept from the drafting page, by a user of its own.
	u, err := s.CreateUser(ctx, "drafts-"+x+"@example.com", "", "hash")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraftJob(ctx, experiments.DraftJob{ID: "job-" + x, ExperimentID: x, UserID: u.ID,
		State: "done", Touched: evBaseTime, Data: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
}

// sdRef is a column that points at a site or at an experiment.
type sdRef struct{ table, column, to string }

// sdRefs lists, from sqlite_master, every column of every table that holds
// a site's or an experiment's id: each foreign key to sites or experiments,
// and any column named site_id or experiment_id (events.site_id is no
// foreign key). A table added later is checked without a change here.
func sdRefs(t testing.TB, s *experiments.Store) []sdRef {
	t.Helper()
	db := s.Reader()
	rows, err := db.Query(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var refs []sdRef
	seen := map[sdRef]bool{}
	add := func(r sdRef) {
		if !seen[r] {
			seen[r] = true
			refs = append(refs, r)
		}
	}
	for _, tb := range tables {
		switch tb {
		case "sites":
			add(sdRef{tb, "id", "sites"})
		case "experiments":
			add(sdRef{tb, "id", "experiments"})
		}
		fks, err := db.Query(`select "table", "from" from pragma_foreign_key_list(?)`, tb)
		if err != nil {
			t.Fatal(err)
		}
		for fks.Next() {
			var to, col string
			if err := fks.Scan(&to, &col); err != nil {
				t.Fatal(err)
			}
			if to == "sites" || to == "experiments" {
				add(sdRef{tb, col, to})
			}
		}
		fks.Close()
		cols, err := db.Query(`select name from pragma_table_info(?)`, tb)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var col string
			if err := cols.Scan(&col); err != nil {
				t.Fatal(err)
			}
			switch col {
			case "site_id":
				add(sdRef{tb, col, "sites"})
			case "experiment_id":
				add(sdRef{tb, col, "experiments"})
			}
		}
		cols.Close()
	}
	return refs
}

// sdCounts counts, for each reference, the rows that point at the site or
// at one of its experiments.
func sdCounts(t testing.TB, s *experiments.Store, refs []sdRef, site sdSite) map[sdRef]int {
	t.Helper()
	ids, err := json.Marshal(site.exps)
	if err != nil {
		t.Fatal(err)
	}
	out := map[sdRef]int{}
	for _, r := range refs {
		arg := any(site.site.ID)
		q := fmt.Sprintf(`select count(*) from %q where %q = ?`, r.table, r.column)
		if r.to == "experiments" {
			arg = string(ids)
			q = fmt.Sprintf(`select count(*) from %q where %q in (select value from json_each(?))`, r.table, r.column)
		}
		var n int
		if err := s.Reader().QueryRow(q, arg).Scan(&n); err != nil {
			t.Fatalf("%s.%s: %v", r.table, r.column, err)
		}
		out[r] = n
	}
	return out
}

// sdSend sends events for experiment x of site from senders goroutines at
// once, one exposure of a new visitor a request, until stop is closed, and
// returns when each request started and ended.
func sdSend(t testing.TB, in *experiments.Ingester, siteKey, x string, senders int, stop <-chan struct{}) (started <-chan struct{}, done func() [][2]time.Time) {
	var (
		mu    sync.Mutex
		calls [][2]time.Time
		wg    sync.WaitGroup
		first sync.Once
		start = make(chan struct{})
	)
	for w := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				from := time.Now()
				res, err := in.Ingest(context.Background(), evBody(siteKey, fmt.Sprintf("k%d-%d", w, i), false, evExposure(x, "b")), evMeta(evBaseTime))
				if err != nil || res.Stored != 1 {
					t.Errorf("event for the other experiment: %+v %v", res, err)
					return
				}
				mu.Lock()
				calls = append(calls, [2]time.Time{from, time.Now()})
				mu.Unlock()
				first.Do(func() { close(start) })
			}
		}()
	}
	return start, func() [][2]time.Time {
		wg.Wait()
		return calls
	}
}

// sdDuring returns how many calls ran wholly inside [from, to], and the
// longest of those that overlapped it.
func sdDuring(calls [][2]time.Time, from, to time.Time) (inside int, worst time.Duration) {
	for _, c := range calls {
		if c[0].After(from) && c[1].Before(to) {
			inside++
		}
		if c[1].After(from) && c[0].Before(to) {
			worst = max(worst, c[1].Sub(c[0]))
		}
	}
	return inside, worst
}

// sdActOnceDeleting runs action (start, resume) on experiment x as soon as
// the count q (of events, with the one argument arg) goes down, that is
// once a delete has begun, and sends the action's error.
func sdActOnceDeleting(t testing.TB, s *experiments.Store, q, arg, x, action string) <-chan error {
	t.Helper()
	count := func() int {
		var n int
		if err := s.Reader().QueryRow(q, arg).Scan(&n); err != nil {
			t.Error(err)
		}
		return n
	}
	all := count()
	resumed := make(chan error, 1)
	go func() {
		for count() == all {
			time.Sleep(time.Millisecond)
		}
		_, err := s.Transition(context.Background(), x, action)
		resumed <- err
	}()
	return resumed
}

// TestDeleteSiteLeavesNothing: deleting a site with 31 experiments (more
// than one chunk of them, of their events and of their visitors) leaves no
// row in any table that points at the site or at one of its experiments,
// found from sqlite_master, and takes nothing of another site. A running
// experiment refuses the delete, named, and the refusal takes nothing.
func TestDeleteSiteLeavesNothing(t *testing.T) {
	s := openStore(t)
	in := evNewIngester(t, s, experiments.IngestOptions{})
	ctx := context.Background()
	doomed := sdSeed(t, s, in, "Shop", 30, 80, 1, true)
	kept := sdSeed(t, s, in, "Blog", 3, 20, 1, true)
	refs := sdRefs(t, s)
	var names []string
	for _, r := range refs {
		names = append(names, r.table+"."+r.column)
	}
	t.Logf("checked: %s", strings.Join(names, ", "))
	if _, err := s.Transition(ctx, doomed.exps[2], experiments.ActionResume); err != nil {
		t.Fatal(err)
	}
	before := sdCounts(t, s, refs, doomed)
	keptBefore := sdCounts(t, s, refs, kept)
	for _, r := range refs {
		if before[r] == 0 {
			t.Errorf("%s.%s: no row of the site to delete; seed some, or the test proves nothing there", r.table, r.column)
		}
	}
	var wantEvents int64
	if err := s.Reader().QueryRow(`select count(*) from events where site_id = ?`, doomed.site.ID).Scan(&wantEvents); err != nil {
		t.Fatal(err)
	}
	if wantEvents <= 2*2000 {
		t.Fatalf("%d events: fewer than three chunks", wantEvents)
	}

	if _, _, err := s.DeleteSite(ctx, doomed.site.ID); !isState(err, "site_running") || !strings.Contains(err.Error(), "“Shop test 2”") {
		t.Fatalf("delete with a running experiment: %v, want site_running naming “Shop test 2”", err)
	}
	for r, n := range sdCounts(t, s, refs, doomed) {
		if n != before[r] {
			t.Errorf("%s.%s: a refused delete left %d of %d rows", r.table, r.column, n, before[r])
		}
	}
	if _, err := s.Transition(ctx, doomed.exps[2], experiments.ActionStop); err != nil {
		t.Fatal(err)
	}

	exps, events, err := s.DeleteSite(ctx, doomed.site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if exps != len(doomed.exps) || events != wantEvents {
		t.Errorf("deleted %d experiments and %d events, want %d and %d", exps, events, len(doomed.exps), wantEvents)
	}
	for r, n := range sdCounts(t, s, refs, doomed) {
		if n != 0 {
			t.Errorf("%s.%s: %d rows of the deleted site left", r.table, r.column, n)
		}
	}
	for r, n := range sdCounts(t, s, refs, kept) {
		if n != keptBefore[r] {
			t.Errorf("%s.%s: the other site has %d rows, had %d", r.table, r.column, n, keptBefore[r])
		}
	}
	if _, err := s.Site(ctx, doomed.site.ID); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the site after delete: %v, want not found", err)
	}
	if _, _, err := s.DeleteSite(ctx, doomed.site.ID); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("delete twice: %v, want not found", err)
	}
	sdDatabaseSound(t, s)
}

// TestDeleteSiteLetsIngestIn: while a site of 20,000 events and 10,000
// visitor rows is deleted, events for another site keep being written, each
// between two of the delete's chunks, not after the whole delete; none is
// refused or lost.
func TestDeleteSiteLetsIngestIn(t *testing.T) {
	s := openStore(t)
	in := evNewIngester(t, s, experiments.IngestOptions{})
	ctx := context.Background()
	doomed := sdSeed(t, s, in, "Shop", 20, 500, 1, false)
	blog, err := s.CreateSite(ctx, experiments.Site{Name: "Blog", Domain: "blog.example"})
	if err != nil {
		t.Fatal(err)
	}
	kept := sdSite{site: blog, exps: []string{evAddExperiment(t, s, blog.ID, experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, true).ID}}

	stop := make(chan struct{})
	started, done := sdSend(t, in, kept.site.Key, kept.exps[0], 1, stop)
	<-started
	from := time.Now()
	exps, events, err := s.DeleteSite(ctx, doomed.site.ID)
	to := time.Now()
	close(stop)
	calls := done()
	if err != nil {
		t.Fatal(err)
	}
	if exps != 20 || events != 20_000 {
		t.Errorf("deleted %d experiments and %d events, want 20 and 20000", exps, events)
	}
	inside, worst := sdDuring(calls, from, to)
	t.Logf("delete %v; %d events of the other site written during it, the slowest in %v", to.Sub(from), inside, worst)
	if inside < 3 {
		t.Errorf("%d events of the other site were written while the delete ran (%v), want at least 3: the delete held the writer", inside, to.Sub(from))
	}
	if n := evRows(t, s, "events"); n != len(calls) {
		t.Errorf("%d events stored, want the other site's %d", n, len(calls))
	}
}

// TestDeleteSiteSparesTestStartedMeanwhile: a draft started while its site
// is being deleted is not deleted: the delete ends refused (site_running,
// naming it) and the site and that experiment stay.
func TestDeleteSiteSparesTestStartedMeanwhile(t *testing.T) {
	s := openStore(t)
	in := evNewIngester(t, s, experiments.IngestOptions{})
	ctx := context.Background()
	doomed := sdSeed(t, s, in, "Shop", 20, 500, 1, false)
	draft, err := s.CreateExperiment(ctx, experiments.Experiment{
		SiteID: doomed.site.ID, Name: "Shop draft", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalEvent, Name: "signup"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	started := sdActOnceDeleting(t, s, `select count(*) from events where site_id = ?`, doomed.site.ID, draft.ID, experiments.ActionStart)
	_, _, err = s.DeleteSite(ctx, doomed.site.ID)
	if err := <-started; err != nil {
		t.Fatalf("start during the delete: %v", err)
	}
	if !isState(err, "site_running") || !strings.Contains(err.Error(), "“Shop draft”") {
		t.Fatalf("delete: %v, want site_running naming “Shop draft”", err)
	}
	if _, err := s.Site(ctx, doomed.site.ID); err != nil {
		t.Errorf("the site after a refused delete: %v", err)
	}
	if e, err := s.Experiment(ctx, draft.ID); err != nil || e.Status != experiments.StatusRunning {
		t.Errorf("the started experiment: %v %v", e.Status, err)
	}
}

// TestDeleteSiteStopsPausedTestsFirst: deleting a site stops its paused
// experiments before it takes any of their rows, so one resumed while the
// site is being deleted is refused (experiment_stopped) and the delete
// finishes, leaving nothing of the site.
func TestDeleteSiteStopsPausedTestsFirst(t *testing.T) {
	s := openStore(t)
	in := evNewIngester(t, s, experiments.IngestOptions{})
	ctx := context.Background()
	doomed := sdSeed(t, s, in, "Shop", 20, 500, 1, false)
	if e, err := s.Experiment(ctx, doomed.exps[17]); err != nil || e.Status != experiments.StatusPaused {
		t.Fatalf("the seed left experiment 17 %v %v, want paused", e.Status, err)
	}
	resumed := sdActOnceDeleting(t, s, `select count(*) from events where site_id = ?`, doomed.site.ID, doomed.exps[17], experiments.ActionResume)
	exps, _, err := s.DeleteSite(ctx, doomed.site.ID)
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if err := <-resumed; !isState(err, "experiment_stopped") && !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("resume during the delete: %v, want experiment_stopped (or not found, once gone)", err)
	}
	if exps != 20 {
		t.Errorf("deleted %d experiments, want 20", exps)
	}
	if _, err := s.Site(ctx, doomed.site.ID); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("the site after the delete: %v, want not found", err)
	}
}

// BenchmarkDeleteSite deletes a site of many small experiments, and one of
// a single large one, each while another site keeps its experiment.
//
//	go test ./experiments -run '^$' -bench DeleteSite -benchtime 3x
func BenchmarkDeleteSite(b *testing.B) {
	for _, bc := range []struct {
		name                   string
		exps, visitors, repeat int
	}{
		{"500 experiments of 8 events", 500, 4, 1},
		{"1 experiment of 100000 events", 1, 1000, 50},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s := openStore(b)
				in := experiments.NewIngester(s, experiments.IngestOptions{})
				site := sdSeed(b, s, in, "Shop", bc.exps, bc.visitors, bc.repeat, false)
				sdSeed(b, s, in, "Blog", 1, 10, 1, false)
				b.StartTimer()
				if _, _, err := s.DeleteSite(context.Background(), site.site.ID); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := in.Close(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// sdDatabaseSound checks that no foreign key dangles and that SQLite's
// integrity check passes.
func sdDatabaseSound(t *testing.T, s *experiments.Store) {
	t.Helper()
	rows, err := s.Reader().Query(`pragma foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Errorf("foreign_key_check reports a dangling row")
	}
	rows.Close()
	var ok string
	if err := s.Reader().QueryRow(`pragma integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check %q %v", ok, err)
	}
}

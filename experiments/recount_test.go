package experiments_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// derivedDump is every table the writer derives from the events, as
// sorted lines of text, and each event's stored reason: what a recount
// must rebuild. Rows of zeros are left out (see recount.go's derivedRows):
// the writer leaves one behind when it takes back what it counted, and no
// reader tells it from no row.
func derivedDump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	queries := map[string]string{
		"experiment_visitors": `select experiment_id, visitor, variant, state, first_at, first_seq, coalesce(converted_at, 'null') from experiment_visitors`,
		"variant_counts": `select experiment_id, variant, exposures, conversions, applied, missed from variant_counts
			where exposures or conversions or applied or missed`,
		"variant_days":        `select experiment_id, day, variant, exposures, conversions from variant_days where exposures or conversions`,
		"experiment_excluded": `select experiment_id, multiple_variants, bots from experiment_excluded where multiple_variants or bots`,
		"variant_swap_ms":     `select experiment_id, variant, bucket, n from variant_swap_ms where n`,
		"variant_segments": `select experiment_id, dimension, value, variant, exposures, conversions from variant_segments
			where exposures or conversions`,
		"variant_health_days": `select experiment_id, day, variant, applied, missed from variant_health_days where applied or missed`,
		"events.ignored":      `select seq, ignored from events`,
	}
	out := map[string][]string{}
	for table, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var line []string
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				line = append(line, fmt.Sprintf("%q", fmt.Sprint(v)))
			}
			out[table] = append(out[table], strings.Join(line, " "))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(out[table])
	}
	return out
}

// sameDump fails the test where two dumps differ, table by table.
func sameDump(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for table := range want {
		if !reflect.DeepEqual(got[table], want[table]) {
			t.Errorf("%s differs:\n got  %q\n want %q", table, got[table], want[table])
		}
	}
}

// exec runs statements on a store's writer.
func exec(t *testing.T, s *experiments.Store, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := s.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// wipeDerived empties every derived table and forgets every reason but
// experiment_not_running, which records what the experiment's status was
// when the event came and so is the one reason a recount keeps.
func wipeDerived(t *testing.T, s *experiments.Store) {
	t.Helper()
	exec(t, s, `delete from experiment_visitors`, `delete from variant_counts`, `delete from variant_days`,
		`delete from experiment_excluded`, `delete from variant_swap_ms`, `delete from variant_segments`,
		`delete from variant_health_days`, `update events set ignored = 'garbage' where ignored != 'experiment_not_running'`)
}

// copyStore backs s up to a new file and opens it.
func copyStore(t *testing.T, s *experiments.Store) *experiments.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "copy.db")
	if _, err := experiments.Backup(context.Background(), s.Path(), path); err != nil {
		t.Fatalf("backup: %v", err)
	}
	c, err := experiments.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// recount runs Store.Recount and returns its reports.
func recount(t *testing.T, s *experiments.Store, o experiments.RecountOptions) []experiments.RecountReport {
	t.Helper()
	var reps []experiments.RecountReport
	if err := s.Recount(context.Background(), o, func(r experiments.RecountReport) { reps = append(reps, r) }); err != nil {
		t.Fatalf("recount: %v", err)
	}
	return reps
}

// sender ingests requests for one site, each answered once committed.
type sender struct {
	t    *testing.T
	in   *experiments.Ingester
	site string
}

// send ingests one request from visitor at server time at, with the user
// agent ua ("" for desktop Chrome).
func (s sender) send(at time.Time, visitor string, bot bool, ua string, events ...ev) {
	s.t.Helper()
	m := evAt(at)
	m.Country = "de"
	if ua != "" {
		m.UserAgent = ua
	}
	if _, err := s.in.Ingest(context.Background(), evBody(s.site, visitor, bot, events...), m); err != nil {
		s.t.Fatalf("ingest: %v", err)
	}
}

// recountScenario ingests, into a store with two running experiments,
// traffic that touches every counting rule: counted and converting
// visitors over two days, several variants, bots flagged by user agent, by
// a "bot": true conversion before any exposure and by a bot's unmatched
// exposure, conversions in their exposure's millisecond (sent first, in
// one request and across batches) and one a millisecond early, events of
// one millisecond whose batches came in another order than one batch
// counts them in (a conversion before its visitor's two variants or a
// bot's exposure, a bot's mark before a person's exposure), other
// goals, repeats, a paused spell (with bots seen only during it, and a
// counted visitor flagged during it), a stop (with a bot event the server
// received before it and wrote after it, and one after it), segments and
// swap times. Each request is its own batch.
func recountScenario(t *testing.T) (*experiments.Store, experiments.Experiment, experiments.Experiment) {
	t.Helper()
	ctx := context.Background()
	f := evNewFixture(t)
	other := evAddExperiment(t, f.s, f.site.ID, experiments.Goal{Type: experiments.GoalClick, Selector: "a.buy"}, true)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x, y := f.exp.ID, other.ID
	snd := sender{t: t, in: in, site: f.site.Key}
	ms := func(n int) time.Time { return evBaseTime.Add(time.Duration(n) * time.Millisecond) }
	day2 := evBaseTime.Add(24 * time.Hour)
	withRef := func(e ev, ref, utm string) ev { e.Ref, e.UTM = ref, utm; return e }
	withMS := func(e ev, v float64) ev { e.MS = &v; return e }
	unmatched := func(e ev) ev { e.Matched = evPtr(false); return e }

	snd.send(ms(0), "v1", false, "", withMS(withRef(evExposure(x, "control"), "https://google.com/q", "spring"), 40),
		withMS(evExposure(y, "b"), 12))
	snd.send(ms(1), "v1", false, "", evConversion(x, "signup"), evConversion(x, "signup"), evConversion(y, "click"))
	snd.send(ms(2), "v2", false, "", withMS(evExposure(x, "b"), 900))
	snd.send(ms(3), "v2", false, "", evExposure(x, "control")) // a second variant: excluded
	snd.send(ms(4), "v2", false, "", evConversion(x, "signup"))
	snd.send(ms(5), "crawler", false, evGooglebot, evExposure(x, "b"), evExposure(y, "control"))
	// Bots before any exposure: a "bot": true conversion, a bot's
	// unmatched exposure; their later human exposures never count.
	snd.send(ms(6), "v3", true, "", evConversion(x, "signup"))
	snd.send(ms(7), "v3", false, "", evExposure(x, "b"), evConversion(x, "signup"))
	snd.send(ms(8), "v4", false, evGooglebot, unmatched(evExposure(x, "control")))
	snd.send(ms(9), "v4", false, "", evExposure(x, "control"))
	// A counted visitor flagged later.
	snd.send(ms(10), "v5", false, "", evExposure(x, "b"), evConversion(x, "signup"))
	snd.send(ms(11), "v5", true, "", evConversion(x, "signup"))
	// Ties: the conversion first, in one request and in two batches of
	// one millisecond; and one a millisecond early.
	snd.send(ms(12), "v6", false, "", evConversion(x, "signup"), evExposure(x, "b"))
	snd.send(ms(13), "v7", false, "", evConversion(x, "signup"))
	snd.send(ms(13), "v7", false, "", evConversion(x, "signup"))
	snd.send(ms(13), "v7", false, "", withRef(evExposure(x, "control"), "https://news.example/", ""))
	snd.send(ms(14), "v8", false, "", evConversion(x, "signup"))
	snd.send(ms(15), "v8", false, "", evExposure(x, "b"))
	// Another goal, health telemetry, a conversion with no exposure.
	snd.send(ms(16), "v9", false, "", evExposure(x, "control"), evConversion(x, "newsletter"), unmatched(evExposure(x, "b")))
	snd.send(ms(17), "v10", false, "", evConversion(x, "signup"))
	// Paused: stored, not counted, and kept so by a recount.
	if _, err := f.s.Transition(ctx, x, experiments.ActionPause); err != nil {
		t.Fatal(err)
	}
	snd.send(ms(18), "v11", false, "", evExposure(x, "b"))
	snd.send(ms(19), "v9", false, "", evConversion(x, "signup"))
	// Bots seen only while paused are bots for good; a counted visitor
	// shown to be a bot then is taken out.
	snd.send(ms(20), "v13", true, "", evConversion(x, "signup"))
	snd.send(ms(21), "v14", false, evGooglebot, evExposure(x, "control"))
	snd.send(ms(22), "v8", true, "", evConversion(x, "newsletter"))
	if _, err := f.s.Transition(ctx, x, experiments.ActionResume); err != nil {
		t.Fatal(err)
	}
	snd.send(ms(23), "v13", false, "", evExposure(x, "b"), evConversion(x, "signup"))
	snd.send(ms(24), "v14", false, "", evExposure(x, "control"))
	// One millisecond, two batches: what the second brings comes before
	// the first's conversions.
	snd.send(ms(25), "v16", false, "", evConversion(x, "signup"))
	snd.send(ms(25), "v16", false, "", evExposure(x, "control"), evExposure(x, "b"))
	snd.send(ms(26), "v17", false, "", evConversion(x, "signup"))
	snd.send(ms(26), "v17", false, evGooglebot, evExposure(x, "b"))
	snd.send(ms(27), "v18", true, "", evConversion(x, "signup"))
	snd.send(ms(27), "v18", false, "", evExposure(x, "control"))
	snd.send(ms(28), "v19", false, "", evExposure(x, "control"))
	snd.send(ms(29), "v19", false, "", evConversion(x, "signup"))
	snd.send(ms(29), "v19", false, "", evExposure(x, "b"))
	// The next day: conversions on it, new visitors.
	snd.send(day2, "v9", false, "", evConversion(x, "signup"))
	snd.send(day2.Add(time.Millisecond), "v12", false, "", withRef(evExposure(x, "b"), "https://google.com/", "fall"),
		evConversion(x, "signup"))
	snd.send(day2.Add(2*time.Millisecond), "v1", false, "", evExposure(x, "control"), evExposure(y, "b"))
	// The other experiment stops: a bot event received before the stop
	// but written after it marks its bot; one received after it changes
	// nothing.
	stopped, err := f.s.Transition(ctx, y, experiments.ActionStop)
	if err != nil {
		t.Fatal(err)
	}
	snd.send(day2.Add(3*time.Millisecond), "v15", false, evGooglebot, evExposure(y, "control"))
	snd.send(stopped.EndedAt, "v1", true, "", evConversion(y, "click"))
	return f.s, f.exp, other
}

// A recount of events ingested by the writer rebuilds exactly the tables
// the writer built (an equivalence test: ingest into one database, copy
// it, wipe the copy's derived tables, recount, compare every row); and a
// recount of the original changes nothing.
func TestRecountMatchesIngest(t *testing.T) {
	s, x, y := recountScenario(t)
	want := derivedDump(t, s.Reader())
	if len(want["experiment_visitors"]) < 10 || len(want["variant_segments"]) == 0 || len(want["variant_swap_ms"]) == 0 {
		t.Fatalf("the scenario counted too little to test: %v", want)
	}
	// What the writer made of the pause and the stop.
	for _, v := range []struct {
		exp, visitor, state string
	}{
		{x.ID, "v13", "2"}, {x.ID, "v14", "2"}, {x.ID, "v8", "2"}, {x.ID, "v11", ""},
		{y.ID, "v15", "2"}, {y.ID, "v1", "0"},
	} {
		if got := visitorStateOf(want, v.exp, v.visitor); got != v.state {
			t.Errorf("%s in %s: state %q, want %q (\"\": no record)", v.visitor, v.exp, got, v.state)
		}
	}

	c := copyStore(t, s)
	wipeDerived(t, c)
	reps := recount(t, c, experiments.RecountOptions{})
	sameDump(t, derivedDump(t, c.Reader()), want)
	if len(reps) != 2 || reps[0].ID != x.ID || reps[1].ID != y.ID || !reps[0].Changed() {
		t.Errorf("reports: %+v", reps)
	}

	for _, r := range recount(t, s, experiments.RecountOptions{}) {
		if r.Changed() {
			t.Errorf("recounting what the writer counted changed it: %s", r)
		}
		if want := fmt.Sprintf("Hero (Shop, %s): unchanged.", r.ID); r.String() != want {
			t.Errorf("report %q, want %q", r, want)
		}
	}
	sameDump(t, derivedDump(t, s.Reader()), want)
}

// visitorStateOf returns the state of a visitor's record in a dump, or ""
// when they have none.
func visitorStateOf(d map[string][]string, exp, visitor string) string {
	prefix := fmt.Sprintf("%q %q ", exp, visitor)
	for _, row := range d["experiment_visitors"] {
		if rest, ok := strings.CutPrefix(row, prefix); ok {
			// variant, state, …
			return strings.Trim(strings.Fields(rest)[1], `"`)
		}
	}
	return ""
}

// Counts kept by the old rules (a visitor flagged a bot by a "bot": true
// conversion before their exposure was counted; a conversion in its
// exposure's millisecond, sent first in another batch, was not) are put
// right, and the report says what changed. A dry run says the same and
// writes nothing.
func TestRecountOldRules(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	x := f.exp.ID
	snd := sender{t: t, in: in, site: f.site.Key}
	ms := func(n int) time.Time { return evBaseTime.Add(time.Duration(n) * time.Millisecond) }
	snd.send(ms(0), "v1", false, "", evExposure(x, "control"))
	snd.send(ms(1), "v1", false, "", evConversion(x, "signup"))
	snd.send(ms(2), "vbot", true, "", evConversion(x, "signup"))
	snd.send(ms(3), "vbot", false, "", evExposure(x, "b"))
	snd.send(ms(4), "vtie", false, "", evConversion(x, "signup"))
	snd.send(ms(4), "vtie", false, "", evExposure(x, "control"))
	want := derivedDump(t, f.s.Reader())

	// What the old rules kept: vbot counted in b, vtie's conversion not.
	exec(t, f.s,
		`update experiment_visitors set state = 0 where visitor = 'vbot'`,
		`update variant_counts set exposures = exposures + 1 where variant = 'b'`,
		`update variant_days set exposures = exposures + 1 where variant = 'b'`,
		`update experiment_excluded set bots = bots - 1`,
		`update events set ignored = '' where visitor = 'vbot' and type = 'exposure'`,
		`update experiment_visitors set converted_at = null where visitor = 'vtie'`,
		`update variant_counts set conversions = conversions - 1 where variant = 'control'`,
		`update variant_days set conversions = conversions - 1 where variant = 'control'`,
		`update variant_segments set conversions = conversions - 1 where variant = 'control'`,
		`update events set ignored = 'no_exposure' where visitor = 'vtie' and type = 'conversion'`)
	old := derivedDump(t, f.s.Reader())

	wantText := fmt.Sprintf("Hero (Shop, %s): control 1 → 2 conversions; b 1 → 0 visitors; 1 more bot excluded; "+
		"2 events counted differently; also in the daily chart and the segments.", x)
	dry := recount(t, f.s, experiments.RecountOptions{DryRun: true})
	if len(dry) != 1 || dry[0].String() != wantText || !dry[0].DryRun {
		t.Fatalf("dry run reports %v, want %q", dry, wantText)
	}
	sameDump(t, derivedDump(t, f.s.Reader()), old)

	reps := recount(t, f.s, experiments.RecountOptions{Experiment: x})
	if len(reps) != 1 || reps[0].String() != wantText {
		t.Fatalf("reports %v, want %q", reps, wantText)
	}
	sameDump(t, derivedDump(t, f.s.Reader()), want)
	c := evCounts(t, f.s, f.exp)
	if got := evPairs(c); !reflect.DeepEqual(got, map[string]evPair{"control": {2, 2}, "b": {0, 0}}) || c.Bots != 1 {
		t.Errorf("counts after: %v, bots %d", got, c.Bots)
	}
}

// A conversion in its exposure's millisecond counts when the recount's
// chunk of events is full just between them: chunks never split a
// millisecond.
func TestRecountTieAtChunkEdge(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{MaxEvents: 5000, MaxBody: 4 << 20})
	x := f.exp.ID
	snd := sender{t: t, in: in, site: f.site.Key}
	filler := make([]ev, 4999) // page views: the recount's chunk holds 5,000 events
	for i := range filler {
		filler[i] = evExposure(x, "control")
	}
	snd.send(evBaseTime, "reader", false, "", filler...)
	at := evBaseTime.Add(time.Millisecond)
	snd.send(at, "vtie", false, "", evConversion(x, "signup")) // the 5,000th event
	snd.send(at, "vtie", false, "", evExposure(x, "b"))
	want := derivedDump(t, f.s.Reader())
	if got := evPairs(evCounts(t, f.s, f.exp)); got["b"] != (evPair{1, 1}) {
		t.Fatalf("ingested counts %v", got)
	}

	wipeDerived(t, f.s)
	recount(t, f.s, experiments.RecountOptions{})
	sameDump(t, derivedDump(t, f.s.Reader()), want)
}

// --experiment recounts that one experiment only; an unknown id is an
// error; drafts are left alone.
func TestRecountOneExperiment(t *testing.T) {
	s, x, y := recountScenario(t)
	want := derivedDump(t, s.Reader())
	evAddExperiment(t, s, x.SiteID, experiments.Goal{Type: experiments.GoalClick, Selector: "a.buy"}, false) // a draft
	wipeDerived(t, s)
	wiped := derivedDump(t, s.Reader())

	reps := recount(t, s, experiments.RecountOptions{Experiment: y.ID})
	if len(reps) != 1 || reps[0].ID != y.ID {
		t.Fatalf("reports %v", reps)
	}
	got := derivedDump(t, s.Reader())
	for table, rows := range got {
		for _, row := range rows {
			if strings.Contains(row, x.ID) && !slices.Contains(wiped[table], row) {
				t.Errorf("%s: the other experiment's row %s was written", table, row)
			}
		}
	}
	if len(recount(t, s, experiments.RecountOptions{})) != 2 {
		t.Error("every experiment: want the two started ones")
	}
	sameDump(t, derivedDump(t, s.Reader()), want)

	err := s.Recount(context.Background(), experiments.RecountOptions{Experiment: "no-such-id"}, nil)
	if err == nil || !strings.Contains(err.Error(), `no experiment has the id "no-such-id"`) {
		t.Errorf("unknown id: %v", err)
	}
}

// rowsOf returns a dump's rows that name the experiment id (or, with
// mine false, that do not).
func rowsOf(d map[string][]string, table, id string, mine bool) []string {
	var out []string
	for _, row := range d[table] {
		if strings.Contains(row, id) == mine {
			out = append(out, row)
		}
	}
	return out
}

// ignoredOf returns the stored reasons of one experiment's events.
func ignoredOf(t *testing.T, s *experiments.Store, id string) []string {
	t.Helper()
	var out []string
	rows, err := s.Reader().Query(`select ignored from events where experiment_id = ? order by seq`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		rows.Scan(&r)
		out = append(out, r)
	}
	return out
}

// Each experiment is recounted in its own transaction: when one fails
// halfway (here a trigger stands in for a full disk) or the recount is
// stopped, the experiments before it stay recounted and it keeps every
// old count, its events' reasons included.
func TestRecountOneTransactionEach(t *testing.T) {
	for _, stop := range []string{"failure", "interrupt"} {
		t.Run(stop, func(t *testing.T) {
			s, x, y := recountScenario(t)
			want := derivedDump(t, s.Reader())
			wipeDerived(t, s)
			wiped := derivedDump(t, s.Reader())
			wipedReasons := ignoredOf(t, s, y.ID)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var reps []experiments.RecountReport
			report := func(r experiments.RecountReport) { reps = append(reps, r) }
			wantErr := "recount: interrupted: the experiments not listed above keep their old counts"
			if stop == "failure" {
				exec(t, s, `create trigger full_disk before insert on variant_segments when new.experiment_id = '`+y.ID+`'
					begin select raise(abort, 'database or disk is full'); end`)
				wantErr = "recount: Hero (" + y.ID + ") and the experiments after it keep their old counts: "
			} else {
				report = func(r experiments.RecountReport) { reps = append(reps, r); cancel() }
			}
			err := s.Recount(ctx, experiments.RecountOptions{}, report)
			if err == nil || !strings.Contains(err.Error(), wantErr) || len(reps) != 1 || reps[0].ID != x.ID {
				t.Fatalf("recount: %v after %v, want %q after the first experiment", err, reps, wantErr)
			}
			got := derivedDump(t, s.Reader())
			for table := range want {
				if table == "events.ignored" {
					continue // by seq, not experiment: below
				}
				if !reflect.DeepEqual(rowsOf(got, table, x.ID, true), rowsOf(want, table, x.ID, true)) {
					t.Errorf("%s: the first experiment is not recounted", table)
				}
				if !reflect.DeepEqual(rowsOf(got, table, x.ID, false), rowsOf(wiped, table, x.ID, false)) {
					t.Errorf("%s: the second experiment was written", table)
				}
			}
			if got := ignoredOf(t, s, y.ID); !reflect.DeepEqual(got, wipedReasons) {
				t.Errorf("the second experiment's events: reasons %q, want them as they were, %q", got, wipedReasons)
			}
		})
	}
}

// Recount refuses a database a server holds, and one that does not exist.
func TestRecountRefuses(t *testing.T) {
	s := openStore(t)
	release, err := experiments.ServeLock(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	err = experiments.Recount(context.Background(), s.Path(), experiments.RecountOptions{}, nil)
	if want := "recount: " + s.Path() + " is in use by copylab serve (process " + strconv.Itoa(os.Getpid()) + "): stop it first"; err == nil || err.Error() != want {
		t.Errorf("while served: %v, want %q", err, want)
	}
	release()
	if err := experiments.Recount(context.Background(), s.Path(), experiments.RecountOptions{}, nil); err != nil {
		t.Errorf("once the server stopped: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "none.db")
	err = experiments.Recount(context.Background(), missing, experiments.RecountOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "there is no database at "+missing) {
		t.Errorf("missing database: %v", err)
	}
}

// The report's sentence: large numbers with thousands, singulars, fewer.
func TestRecountReportText(t *testing.T) {
	r := experiments.RecountReport{ID: "x1", Name: "Pricing hero", Site: "Shop",
		Variants: []experiments.RecountVariant{
			{Key: "control", Before: experiments.RecountCounts{Visitors: 1204, Conversions: 96}, After: experiments.RecountCounts{Visitors: 1198, Conversions: 96}},
			{Key: "b", Before: experiments.RecountCounts{Visitors: 1180, Conversions: 1_250_000}, After: experiments.RecountCounts{Visitors: 1180, Conversions: 1_249_999}},
			{Key: "c", Before: experiments.RecountCounts{Visitors: 7, Conversions: 1}, After: experiments.RecountCounts{Visitors: 7, Conversions: 1}},
		},
		BotsBefore: 2, BotsAfter: 3, MultipleBefore: 4, MultipleAfter: 2, Events: 1, Also: []string{"the segments"}}
	want := "Pricing hero (Shop, x1): control 1,204 → 1,198 visitors; b 1,250,000 → 1,249,999 conversions; " +
		"1 more bot excluded; 2 fewer visitors excluded for seeing several variants; 1 event counted differently; also in the segments."
	if got := r.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	r = experiments.RecountReport{ID: "x1", Name: "Pricing hero", Site: "Shop", Visitors: 1}
	if got, want := r.String(), "Pricing hero (Shop, x1): 1 visitor's record corrected."; got != want || !r.Changed() {
		t.Errorf("got %q, want %q", got, want)
	}
	// Only a chart or the segments change: no "also" with nothing before it.
	r = experiments.RecountReport{ID: "x1", Name: "Pricing hero", Site: "Shop", Also: []string{"the daily chart", "the segments"}}
	if got, want := r.String(), "Pricing hero (Shop, x1): changes in the daily chart and the segments."; got != want || !r.Changed() {
		t.Errorf("got %q, want %q", got, want)
	}
}

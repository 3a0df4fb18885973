package experiments

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestPreloadReadsWhatCountingReads: the writer reads the visitor rows a
// batch's counting needs in bulk, before it counts (batch.preload), so
// that counting makes no query per event: every visitor of a running
// experiment, and of a paused one the visitors whose bot events mark
// them (batch.whileNotRunning), but not the people whose events a pause
// leaves uncounted. Counting then reads no row on its own
// (batch.loadVisitor adds the visitors it had to read).
func TestPreloadReadsWhatCountingReads(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	site, err := s.CreateSite(ctx, Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	start := func(pause bool) string {
		t.Helper()
		e, err := s.CreateExperiment(ctx, Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: OwnElement(),
			Goal: Goal{Type: GoalEvent, Name: "signup"}, CoverageBP: 10000,
			Variants: []Variant{{Text: "Buy now"}, {Text: "Start today"}}})
		if err != nil {
			t.Fatal(err)
		}
		actions := []string{ActionStart}
		if pause {
			actions = append(actions, ActionPause)
		}
		for _, a := range actions {
			if _, err := s.Transition(ctx, e.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		return e.ID
	}
	running, paused := start(false), start(true)

	in := NewIngester(s, IngestOptions{})
	defer in.Close(ctx)
	const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	const crawler = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	req := func(visitor string, bot bool, ua, typ string) *request {
		t.Helper()
		var events []map[string]any
		for _, x := range []string{running, paused} {
			e := map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": typ, "experiment": x}
			if typ == EventExposure {
				e["variant"] = "b"
			} else {
				e["goal"] = "signup"
			}
			events = append(events, e)
		}
		body, err := json.Marshal(map[string]any{"site": site.Key, "visitor": visitor, "bot": bot, "events": events})
		if err != nil {
			t.Fatal(err)
		}
		r, ierr := in.parse(ctx, body, RequestMeta{UserAgent: ua, ReceivedAt: time.UnixMilli(1_741_608_000_000)})
		if ierr != nil {
			t.Fatal(ierr)
		}
		return r
	}
	reqs := []*request{
		req("person", false, chrome, EventExposure),
		req("person", false, chrome, EventConversion),
		req("flagged", true, chrome, EventConversion),
		req("crawler", false, crawler, EventExposure),
	}

	w := newBatchWriter(s)
	if err := w.prepare(); err != nil {
		t.Fatal(err)
	}
	defer w.close()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	b := w.newBatch(tx)
	b.segSets, b.ties, b.lastAt = segValueSets{}, tieConvs{}, reqs[len(reqs)-1].at
	if err := b.preload(reqs); err != nil {
		t.Fatal(err)
	}
	// The visitors read, as "running/person", "paused/crawler", …
	read := func() []string {
		var out []string
		for k := range b.visitors {
			name := map[string]string{running: "running", paused: "paused"}[k.exp]
			out = append(out, name+"/"+k.visitor)
		}
		slices.Sort(out)
		return out
	}
	want := []string{"paused/crawler", "paused/flagged", "running/crawler", "running/flagged", "running/person"}
	if got := read(); !slices.Equal(got, want) {
		t.Fatalf("preload read %q, want %q", got, want)
	}
	if err := b.apply(reqs, make([]IngestResult, len(reqs))); err != nil {
		t.Fatal(err)
	}
	if got := read(); !slices.Equal(got, want) {
		t.Errorf("counting read rows of its own: %q, want only %q", got, want)
	}
	// What was marked: the paused experiment's bots, no one else.
	for _, k := range []visitorKey{{paused, "crawler"}, {paused, "flagged"}} {
		if v := b.visitors[k]; v == nil || v.state != visitorBot || v.variant != "" {
			t.Errorf("%s in the paused experiment: %+v, want a bot without a variant", k.visitor, v)
		}
	}
}

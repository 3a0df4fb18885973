package experiments_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"copylab/experiments"
)

// TestDuplicateExperiment: the copy is a new draft with the original's
// setup and variants, provenance included, and nothing of its life: its
// own id, seed and share link, no start, no results.
func TestDuplicateExperiment(t *testing.T) {
	f := evNewFixture(t)
	in := evNewIngester(t, f.s, experiments.IngestOptions{})
	ctx := context.Background()
	if _, err := in.Ingest(ctx, evBody(f.site.Key, "v1", false, evExposure(f.exp.ID, "b")), evMeta(evBaseTime)); err != nil {
		t.Fatal(err)
	}
	x, err := f.s.Transition(ctx, f.exp.ID, experiments.ActionStop)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.s.DuplicateExperiment(ctx, x.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID == x.ID || d.Seed == x.Seed || d.ShareToken == x.ShareToken || d.Status != experiments.StatusDraft ||
		!d.StartedAt.IsZero() || d.Name != x.Name+" (copy)" {
		t.Errorf("duplicate %+v\nof %+v", d, x)
	}
	if d.SiteID != x.SiteID || d.Page != x.Page || d.Selector != x.Selector || d.Goal != x.Goal ||
		d.CoverageBP != x.CoverageBP || d.VisibleOnly != x.VisibleOnly || d.Brief != x.Brief {
		t.Errorf("setup differs: %+v\nof %+v", d, x)
	}
	if len(d.Variants) != len(x.Variants) {
		t.Fatalf("%d variants, want %d", len(d.Variants), len(x.Variants))
	}
	for i, v := range d.Variants {
		w := x.Variants[i]
		if v.Key != w.Key || v.Text != w.Text || v.WeightBP != w.WeightBP || v.Source != w.Source || v.Model != w.Model || v.Edited != w.Edited {
			t.Errorf("variant %d: %+v, want %+v", i, v, w)
		}
	}
	c := evCounts(t, f.s, d)
	for _, v := range c.Variants {
		if v.Exposures != 0 || v.Conversions != 0 {
			t.Errorf("the duplicate has results: %+v", v)
		}
	}

	// A name at the length limit still fits with the suffix.
	long, err := f.s.CreateExperiment(ctx, experiments.Experiment{SiteID: f.site.ID, Name: strings.Repeat("é", experiments.MaxNameLen),
		Page: "/", Selector: "h1", Goal: x.Goal, CoverageBP: 10000, Variants: []experiments.Variant{{Text: "Buy now"}}})
	if err != nil {
		t.Fatal(err)
	}
	d, err = f.s.DuplicateExperiment(ctx, long.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(d.Name); n != experiments.MaxNameLen || !strings.HasSuffix(d.Name, " (copy)") {
		t.Errorf("name of %d runes: %q", n, d.Name)
	}
	if _, err := f.s.DuplicateExperiment(ctx, "no-such-id", 0); !errors.Is(err, experiments.ErrNotFound) {
		t.Errorf("duplicate of nothing: %v", err)
	}
}

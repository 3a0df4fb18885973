package experiments_test

import (
	"context"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestH3AddedDraftHistorySaysSource: the History line of copy added from
// a generator says where it came from, in the words the pages use: an
// offline suggestion, or drafted by the model (and edited by hand, when
// it was); copy written by hand reads as before.
func TestH3AddedDraftHistorySaysSource(t *testing.T) {
	tests := []struct {
		name string
		v    experiments.Variant
		want string
	}{
		{"offline", experiments.Variant{Text: "See what Acme Boards can do for you", Source: "offline"},
			"Added Variant D, an offline suggestion: “See what Acme Boards can do for you”."},
		{"offline, edited", experiments.Variant{Text: "See what Acme Boards can do", Source: "offline", Edited: true},
			"Added Variant D, an offline suggestion edited by hand: “See what Acme Boards can do”."},
		{"model", experiments.Variant{Text: "Plans that grow with your team", Source: "model", Model: "gpt-4o-mini"},
			"Added Variant D, drafted by gpt-4o-mini: “Plans that grow with your team”."},
		{"model, edited", experiments.Variant{Text: "Plans that grow with you", Source: "model", Model: "gpt-4o-mini", Edited: true},
			"Added Variant D, drafted by gpt-4o-mini and edited by hand: “Plans that grow with you”."},
		{"model without a name", experiments.Variant{Text: "Plans that grow with your team", Source: "model"},
			"Added Variant D, drafted by AI: “Plans that grow with your team”."},
		{"by hand", experiments.Variant{Text: "Plans for teams of any size", Source: experiments.SourceHuman},
			"Added Variant D: “Plans for teams of any size”."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			ctx := context.Background()
			x, err := s.CreateExperiment(ctx, draft(mustSite(t, s).ID))
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.AddVariants(ctx, x.ID, []experiments.Variant{tt.v}, experiments.User{}); err != nil {
				t.Fatal(err)
			}
			h, err := s.History(ctx, x.ID)
			if err != nil || len(h) == 0 {
				t.Fatalf("history %+v %v", h, err)
			}
			if !strings.HasPrefix(h[0].Detail, tt.want+" ") {
				t.Errorf("history %q, want it to begin %q", h[0].Detail, tt.want)
			}
		})
	}
}

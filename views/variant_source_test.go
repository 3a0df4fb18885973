package views

import "testing"

// TestVariantSourceSaysEdited: a variant's header names where its copy
// came from, and a draft the marketer rewrote before adding it is no
// longer called "drafted by AI" alone (its provenance line says "edited
// by hand" below; the header must not contradict it).
func TestVariantSourceSaysEdited(t *testing.T) {
	for _, tt := range []struct {
		v    VariantView
		want string
	}{
		{VariantView{Source: "control", Provenance: Provenance{Source: "control"}}, "original copy"},
		{VariantView{Source: "human", Provenance: Provenance{Source: "human"}}, "written by hand"},
		{VariantView{Source: "model", Provenance: Provenance{Source: "model"}}, "drafted by AI"},
		{VariantView{Source: "model", Provenance: Provenance{Source: "model", Edited: true}}, "drafted by AI, edited by hand"},
		{VariantView{Source: "offline", Provenance: Provenance{Source: "offline", Edited: true}}, "drafted offline, edited by hand"},
	} {
		if got := variantSource(tt.v); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.v, got, tt.want)
		}
	}
}

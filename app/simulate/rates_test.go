package simulate

import (
	"math"
	"strings"
	"testing"
)

// TestParseRates: --rates is key=rate pairs, each variant once, each rate
// from 0 to 1. A pair with no key before its "=" names no variant and is
// refused, saying so: it used to be kept as a variant called "", which
// then failed the run as `experiment X has no variant ""`, or, beside the
// real keys, a rate that silently went nowhere.
func TestParseRates(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    string
		want  map[string]float64
		error string // the whole error; "" when none
	}{
		{"two", "control=0.10,b=0.12", map[string]float64{"control": 0.10, "b": 0.12}, ""},
		{"spaces and a stray comma", " control = 0 , b=1,", map[string]float64{"control": 0, "b": 1}, ""},
		{"no key", "=0.3",
			nil, `rates: "=0.3" names no variant: write key=rate, such as control=0.3`},
		{"no key beside one", "control=0.3,=0.2",
			nil, `rates: "=0.2" names no variant: write key=rate, such as control=0.2`},
		{"a key of spaces", "control=0.3, \t=0.2",
			nil, `rates: "=0.2" names no variant: write key=rate, such as control=0.2`},
		{"no key, no rate", "=",
			nil, `rates: "=" is not key=rate with a rate between 0 and 1`},
		{"no rate", "control", nil, `rates: "control" is not key=rate with a rate between 0 and 1`},
		{"above 1", "b=1.5", nil, `rates: "b=1.5" is not key=rate with a rate between 0 and 1`},
		{"twice", "b=0.1,b=0.2", nil, "rates: b is given twice (0.1 and 0.2): give each variant one rate"},
		{"none", " , ", nil, "rates: give at least one, such as control=0.10,b=0.12"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRates(tt.in)
			if tt.error != "" {
				if err == nil || err.Error() != tt.error {
					t.Fatalf("ParseRates(%q) = %v, %v; want the error\n%q", tt.in, got, err, tt.error)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRates(%q): %v", tt.in, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ParseRates(%q) = %v, want %v", tt.in, got, tt.want)
			}
			for k, v := range tt.want {
				if r, ok := got[k]; !ok || r != v {
					t.Errorf("ParseRates(%q)[%q] = %v, %v; want %v", tt.in, k, r, ok, v)
				}
			}
		})
	}
}

// FuzzParseRates: whatever --rates holds, ParseRates either refuses it or
// returns at least one rate, each for a key that names something (not
// empty, no "=" or ",", no space around it) and each from 0 to 1.
func FuzzParseRates(f *testing.F) {
	for _, s := range []string{
		"control=0.10,b=0.12", "control=0", " b = 1 ,", "=0.3", "control=0.3,=0.2", " =0.2", "=", "==0.1",
		"b=0.1,b=0.2", "b=NaN", "b=-0", "b=1e-3", "b=0x1p-2", ",,", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseRates(s)
		if err != nil {
			if got != nil {
				t.Errorf("ParseRates(%q) refused (%v) and returned %v", s, err, got)
			}
			return
		}
		if len(got) == 0 {
			t.Errorf("ParseRates(%q) returned no rate and no error", s)
		}
		for k, r := range got {
			if k == "" || strings.ContainsAny(k, "=,") || strings.TrimSpace(k) != k {
				t.Errorf("ParseRates(%q) kept the key %q", s, k)
			}
			if math.IsNaN(r) || r < 0 || r > 1 {
				t.Errorf("ParseRates(%q) kept the rate %v for %q", s, r, k)
			}
		}
	})
}

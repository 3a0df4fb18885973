package app

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	xhtml "golang.org/x/net/html"
)

// TestFullWidthDigitsAreNumbers: a Japanese, Chinese or Korean input
// method types digits full width (６０, ５．５, １，０００) unless switched
// off, and an Arabic, Persian or Urdu keyboard types its own digits
// (٦٠, ۶۰), decimal separator (٢٫٥), thousands separator (٢٬٠٠٠) and
// percent sign (٨٠٪); every number field reads them as the digits they
// are, as a person reading the form does. Found by international reviews
// (the Arabic-Indic digits by the Cairo team).
func TestFullWidthDigitsAreNumbers(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")

	for _, tc := range []struct {
		name                       string
		coverage, weight0, weight1 string
		wantCoverage, want0, want1 int
	}{
		{"full width", "１００", "６０", "４０％", 10000, 6000, 4000},
		{"Arabic-Indic", "٨٠٪", "٧٠", "٣٠", 8000, 7000, 3000},
		{"Arabic-Indic decimal separator", "٥٠٫٥", "٦٢٫٥", "٣٧٫٥٪", 5050, 6250, 3750},
		{"Extended Arabic-Indic (Persian, Urdu)", "۹۰", "۶۰", "۴۰٪", 9000, 6000, 4000},
		{"Devanagari", "१००", "५०", "५०", 10000, 5000, 5000},
	} {
		t.Run("weights and share: "+tc.name, func(t *testing.T) {
			c.get("/experiments/new")
			resp, body := c.post("/experiments", url.Values{
				"op": {"save"}, "site_id": {site.ID}, "name": {"料金 " + tc.name}, "page": {"/"}, "selector": {"h1"},
				"goal_type": {"event"}, "goal_event": {"signup"}, "coverage": {tc.coverage},
				"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[0].weight": {tc.weight0},
				"variants[1].key": {""}, "variants[1].text": {"New"}, "variants[1].weight": {tc.weight1},
			})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			id := strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/")
			id, _, _ = strings.Cut(id, "/")
			x, err := e.store.Experiment(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if x.CoverageBP != tc.wantCoverage {
				t.Errorf("share saved: %d, want %d", x.CoverageBP, tc.wantCoverage)
			}
			if len(x.Variants) != 2 || x.Variants[0].WeightBP != tc.want0 || x.Variants[1].WeightBP != tc.want1 {
				t.Errorf("weights saved: %+v, want %d and %d", x.Variants, tc.want0, tc.want1)
			}
		})
	}

	for _, tc := range []struct {
		name                   string
		threshold, base, daily string
		want                   string
	}{
		{"full width", "１０", "１０", "１，０００", "about <strong>15,000 visitors per variant</strong>"},
		{"Arabic-Indic with thousands separator", "١٠", "١٠", "٢٬٠٠٠", "about <strong>15,000 visitors per variant</strong>"},
		{"Arabic-Indic percent and decimal separator", "١٠٪", "١٠٫٠", "٢٠٠٠", "about <strong>15,000 visitors per variant</strong>"},
		{"Extended Arabic-Indic", "۱۰", "۱۰", "۲٬۰۰۰", "about <strong>15,000 visitors per variant</strong>"},
	} {
		t.Run("plan estimate: "+tc.name, func(t *testing.T) {
			q := url.Values{"threshold": {tc.threshold}, "plan_base": {tc.base}, "plan_daily": {tc.daily}, "plan_variants": {"2"}}
			resp, body := c.get("/experiments/plan?" + q.Encode())
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, tc.want)
			wantNotContains(t, body, "Enter ")
		})
	}

	// Each value differs from the one before, so each save changes it.
	for _, tc := range []struct {
		name, value string
		want        int
	}{
		{"full width", "１５００", 1500},
		{"Arabic-Indic", "١٢٠٠", 1200},
		{"thousands comma", "1,500", 1500},
		{"Arabic-Indic thousands separator", "٢٬٠٠٠", 2000},
		{"Extended Arabic-Indic", "۲۵۰۰", 2500},
	} {
		t.Run("hide timeout: "+tc.name, func(t *testing.T) {
			_, page := c.get("/sites/" + site.ID)
			form := h11SettingsForm(t, page)
			form.Set("hide_timeout_ms", tc.value)
			resp, body := c.post("/sites/"+site.ID+"/settings", form)
			if resp.StatusCode >= 400 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			s, err := e.store.Site(t.Context(), site.ID)
			if err != nil {
				t.Fatal(err)
			}
			if s.HideTimeoutMS != tc.want {
				t.Errorf("hide timeout saved: %d, want %d", s.HideTimeoutMS, tc.want)
			}
		})
	}

	// Chrome empties an <input type="number"> as ١٥٠٠ is typed into it,
	// so the box is a text box that asks for the digit keyboard, as the
	// weight boxes are.
	t.Run("hide timeout box takes any digits", func(t *testing.T) {
		_, page := c.get("/sites/" + site.ID)
		boxes := findAll(parseHTML(t, page), func(n *xhtml.Node) bool {
			return n.Data == "input" && attrOf(n, "name") == "hide_timeout_ms"
		})
		if len(boxes) != 1 {
			t.Fatalf("%d hide timeout boxes", len(boxes))
		}
		if typ := attrOf(boxes[0], "type"); typ != "text" {
			t.Errorf("hide timeout box type=%q, want text", typ)
		}
		if mode := attrOf(boxes[0], "inputmode"); mode != "numeric" {
			t.Errorf("hide timeout box inputmode=%q, want numeric", mode)
		}
		wantContains(t, page, "100 to 5000 ms")
	})

	// A comma that does not group thousands is not one: "1,5" is not
	// fifteen hundred, nor 15.
	t.Run("hide timeout: comma not grouping thousands", func(t *testing.T) {
		for _, v := range []string{"1,5", "15,00", ",1500", "1500,"} {
			_, page := c.get("/sites/" + site.ID)
			form := h11SettingsForm(t, page)
			form.Set("hide_timeout_ms", v)
			_, body := c.post("/sites/"+site.ID+"/settings", form)
			wantContains(t, body, "must be between 100 and 5000")
			s, err := e.store.Site(t.Context(), site.ID)
			if err != nil {
				t.Fatal(err)
			}
			if s.HideTimeoutMS != 2500 {
				t.Errorf("%q: hide timeout saved: %d", v, s.HideTimeoutMS)
			}
		}
	})

	for _, tc := range []struct{ name, maxLength, n string }{
		{"full width", "６０", "３"},
		{"Arabic-Indic", "٦٠", "٣"},
		{"Extended Arabic-Indic", "۶۰", "۳"},
	} {
		t.Run("brief: "+tc.name, func(t *testing.T) {
			g := newGenFixture(t, nil)
			g.c.get(g.base)
			brief := g.brief(1)
			brief.Set("max_length", tc.maxLength)
			brief.Set("n", tc.n)
			_, body := g.c.hx(http.MethodPost, g.base, brief)
			wantNotContains(t, html.UnescapeString(body), "Enter a number of characters", "Ask for between")
		})
	}
}

// TestFormNumberEveryDecimalDigit: formNumber reads every Unicode decimal
// digit (unicode.Nd) as its ASCII digit. It takes a digit's value as its
// place in its range of unicode.Nd, which holds because Unicode encodes
// each set of decimal digits as ten contiguous code points from zero;
// this checks that on the tables Go ships.
func TestFormNumberEveryDecimalDigit(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.Is(unicode.Nd, r) {
			continue
		}
		n++
		got := formNumber(string(r))
		if len(got) != 1 || got[0] < '0' || got[0] > '9' {
			t.Fatalf("formNumber(%U) = %q, want one ASCII digit", r, got)
		}
		// A digit's set starts at its zero: r minus its value.
		zero := r - rune(got[0]-'0')
		if !unicode.Is(unicode.Nd, zero) || formNumber(string(zero)) != "0" {
			t.Errorf("formNumber(%U) = %q, but %U is not that set's zero", r, got, zero)
		}
	}
	if n < 600 {
		t.Errorf("only %d decimal digits checked", n)
	}
	for in, want := range map[string]string{
		"٠١٢٣٤٥٦٧٨٩": "0123456789", "۰۱۲۳۴۵۶۷۸۹": "0123456789", "०१२३४५६७८९": "0123456789",
		"০১২৩৪৫৬৭৮৯": "0123456789", "๐๑๒๓๔๕๖๗๘๙": "0123456789", "０１２３４５６７８９": "0123456789",
		"٢٫٥": "2.5", "٢٬٠٠٠": "2,000", "٨٠٪": "80%", " ١٥٠٠ ": "1500", "Ⅻ": "Ⅻ", "²": "²", "x": "x",
	} {
		if got := formNumber(in); got != want {
			t.Errorf("formNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

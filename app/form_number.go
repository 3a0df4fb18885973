package app

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// formNumber is a number field's value as strconv reads it: spaces
// trimmed, the full-width digits, signs, point, comma and percent sign
// that Japanese, Chinese and Korean input methods type (６０, ５．５,
// １，０００, ４０％) written as the ASCII ones they stand for, and so are
// the digits of every other script (Arabic-Indic ٦٠, the Extended
// Arabic-Indic ۶۰ of Persian and Urdu, Devanagari, Bengali, Thai…) and
// the Arabic decimal separator, thousands separator and percent sign
// (٢٫٥, ٢٬٠٠٠, ٨٠٪).
func formNumber(s string) string {
	return strings.TrimSpace(strings.Map(asciiDigit, width.Narrow.String(s)))
}

// asciiDigit is the ASCII character a number field reads r as. Unicode's
// stability policy encodes each set of decimal digits (general category
// Nd) as ten contiguous code points from zero, and unicode.Nd's ranges
// hold whole sets, so a digit's value is its distance from its range's
// start, modulo ten.
func asciiDigit(r rune) rune {
	switch {
	case r < 0x80:
		return r
	case r == '\u066B': // ARABIC DECIMAL SEPARATOR
		return '.'
	case r == '\u066C': // ARABIC THOUSANDS SEPARATOR
		return ','
	case r == '\u066A': // ARABIC PERCENT SIGN
		return '%'
	}
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi && rg.Stride == 1 {
			return '0' + (r-lo)%10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi && rg.Stride == 1 {
			return '0' + (r-lo)%10
		}
	}
	return r
}

// formPercent reads a percentage field ("50", "33,33", "５０％") as the
// number of percent, its sign and a decimal comma allowed; false for
// anything else, NaN and the infinities included.
func formPercent(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(formNumber(s), "%"))
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

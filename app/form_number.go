package app

import (
	"strings"

	"golang.org/x/text/width"
)

// formNumber is a number field's value as strconv reads it: spaces
// trimmed, and the full-width digits, signs, point, comma and percent sign
// that Japanese, Chinese and Korean input methods type (６０, ５．５,
// １，０００, ４０％) written as the ASCII ones they stand for.
func formNumber(s string) string {
	return strings.TrimSpace(width.Narrow.String(s))
}

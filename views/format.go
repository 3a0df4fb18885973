package views

import (
	"strconv"
	"strings"
	"time"

	"copylab/experiments"
	"copylab/experiments/stats"
)

// htmxConfig turns off what htmx 2 would otherwise do that our Content
// Security Policy forbids: its injected indicator <style>, eval for trigger
// filters, and running <script> tags found in swapped content.
const htmxConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}`

// statusLabel is the human word for an experiment status.
func statusLabel(s string) string {
	switch s {
	case "draft":
		return "Draft"
	case "running":
		return "Running"
	case "paused":
		return "Paused"
	case "stopped":
		return "Stopped"
	case "shipped":
		return "Shipped"
	}
	return s
}

// badgeClass is the CSS class of a status badge.
func badgeClass(s string) string { return "badge badge-" + s }

// count formats an integer with thousands separators: 12,345.
func count(n int64) string { return stats.FormatCount(n) }

// pct formats a conversion rate as the results do (stats.FormatRate):
// 0.0793 → 7.93%, 0.1234 → 12.3%.
func pct(r float64) string { return stats.FormatRate(r) }

// bpPct formats basis points as a percentage, dropping useless decimals:
// 5000 → 50%, 3333 → 33.33%.
func bpPct(bp int) string { return experiments.PercentOfBP(bp) + "%" }

// date formats a time for tables: 2 Jan 2006.
func date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2 Jan 2006")
}

// dateTime formats a time with minutes, in UTC so every reader sees the same.
func dateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// clock formats the time of day of a refresh.
func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("15:04:05 UTC")
}

// plural picks the word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// itoa is strconv.Itoa for templates.
func itoa(n int) string { return strconv.Itoa(n) }

// VariantLabel is the one name of a variant wherever results show it:
// the table, the chart legends and data tables, the CSV export, the
// recordings and the messages about it. The control is "Original" (the
// API keeps its machine key, control); the others are "Variant B", ….
// Sentences use VariantPhrase, the same name in running text.
func VariantLabel(key string, control bool) string {
	if control {
		return "Original"
	}
	return "Variant " + strings.ToUpper(key)
}

// VariantPhrase is VariantLabel inside a sentence: "the original",
// "Variant B".
func VariantPhrase(key string, control bool) string {
	if control {
		return "the " + strings.ToLower(VariantLabel(key, true))
	}
	return VariantLabel(key, false)
}

// sourceLabel explains where a variant's copy came from.
func sourceLabel(source string) string {
	switch source {
	case "control":
		return "original copy"
	case "human":
		return "written by hand"
	case "model":
		return "drafted by AI"
	case "offline":
		return "drafted offline"
	}
	return source
}

// variantSource is a variant's source as its header on the experiment
// page names it: a generator's draft that the marketer edited before
// adding it says so, as its provenance line does.
func variantSource(v VariantView) string {
	if v.Provenance.Edited && v.Provenance.Generated() {
		return sourceLabel(v.Source) + ", edited by hand"
	}
	return sourceLabel(v.Source)
}

// itoa64 formats an int64 id for URLs.
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// fixProblemsText asks to fix the n problems marked on a form: "Please fix
// the problem marked below." for one, with their number for more.
func fixProblemsText(n int) string {
	return "Please " + fixProblems(n) + "."
}

// fixProblems is fixProblemsText's request, to end another sentence:
// "fix the problem marked below".
func fixProblems(n int) string {
	if n == 1 {
		return "fix the problem marked below"
	}
	return "fix the " + itoa(n) + " problems marked below"
}

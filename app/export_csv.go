package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/views"
)

// CSV exports of the results: the variant table and the daily series, with
// a header row, RFC 4180 quoting (encoding/csv), and the same numbers as the
// results document. Columns are named like the document's fields; label is
// the name the page gives the variant ("Original", "Variant B"), shipped is
// true on the row of the variant shipped, if any, and recordings says where
// to find that variant's sessions in the site's session recorders (see
// csvRecordings; "" without one). The experiment's fields
// (the verdict, srm, threshold) repeat on every row, except the excluded
// visitors (excluded_multiple_variants, excluded_bots): those are counts,
// which a spreadsheet sums down the column, so they stand once, on the
// first row (the original's), and the other rows leave them empty. They
// are not the original's own: the store counts them per experiment only
// (experiment_excluded), and a visitor who saw several variants belongs
// to none of them. Splitting them by variant would mean reading every
// visitor row of the experiment for each download (experiment_visitors;
// about 300 ms for two million visitors), where the results read only
// the small aggregates.
// verdict_caution is the document's caution, why a decisive
// verdict_status (winner, control_wins, no_meaningful_difference) is not
// called yet ("" when it is, or when there is nothing to call): without it
// a spreadsheet would read "winner" where the page says "Early lead: not
// called yet". early is the document's verdict.early, true exactly when
// the page marks the answer as not called yet ("Early lead: not called
// yet", or "Too early to call" once stopped), so that a sheet can filter
// early leads from calls without reading verdict_caution's sentence.
// Each came last when it was added, verdict_caution then early, so that a
// sheet that reads the columns by position keeps working. srm_p_value is empty, as the document's is
// null, while the split check has nothing to test. The daily
// file lists every day from the first to the last with visitors, quiet
// ones as zeros.
//
// The daily file's first column is day_utc, the document's daily day
// (YYYY-MM-DD): the days are UTC days, as on the results charts, and a
// date cell has no room for a zone, so the header carries it, where
// every spreadsheet and script sees it. Under the name day, a team in
// Tokyo or California took them for its own days. The rename keeps the
// column's place, so a sheet reading by position is unchanged; a script
// reading it by name fails at once rather than misreading it.
// (events.csv's times carry their zone, a Z; results.csv has no date.)
//
// The files are meant for spreadsheets, which run a cell that starts with
// = + - @ (or a tab, a carriage return, or spaces they may trim, before
// one of those) as a formula: a variant's copy such as "=HYPERLINK(…)"
// would become a live link or worse in a teammate's spreadsheet (OWASP
// "CSV Injection"). Every text cell is therefore neutralised with a
// leading single quote (csvText). Numbers are written by this code, never
// from input, bare (csvInt, csvNum, csvOpt), and keep their sign.

// resultsCSV answers GET /experiments/:id/results.csv, and the same for
// an API token at GET /api/v1/experiments/:id/results.csv (routes.go):
// one file, whoever asks, with the API's JSON errors on the API's path
// (apiAuth, apiNotFound).
func (a *App) resultsCSV(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return a.sendCSV(c, e, "results", false)
}

// dailyCSV answers GET /experiments/:id/daily.csv.
func (a *App) dailyCSV(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return a.sendCSV(c, e, "daily", true)
}

// shareResultsCSV answers GET /r/:token/results.csv.
func (a *App) shareResultsCSV(c *fiber.Ctx) error {
	e, err := a.startedByShareToken(c)
	if err != nil {
		return err
	}
	return a.sendCSV(c, e, "results", false)
}

// startedByShareToken returns the experiment of the request's share link,
// with the share headers set, or the error to answer with: a
// *shareNotStartedError for a draft.
func (a *App) startedByShareToken(c *fiber.Ctx) (experiments.Experiment, error) {
	e, err := a.store.ExperimentByShareToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return e, err
	}
	a.shareHeaders(c)
	if e.Status == experiments.StatusDraft {
		return e, &shareNotStartedError{exp: e}
	}
	return e, nil
}

// shareNotStartedError refuses a share link's CSV or recordings while its
// experiment is a draft: like its page, they show nothing of it yet (its
// copy may still change, and nobody saw it). The link exists, so this is
// not the 404 of a link that no longer works (shareGone) but 409
// not_started (classify), as the API's POST …/share-link answers a draft
// and as every refusal for want of the right state is. handleError
// answers it with shareNotStarted.
type shareNotStartedError struct{ exp experiments.Experiment }

func (e *shareNotStartedError) Error() string {
	return "app: share link of experiment " + e.exp.ID + ": not started"
}

// shareNotStarted is the page of a shareNotStartedError: the draft's
// share page, which says the test has not started, not the signed-in
// error page, since the person holding a share link is usually not a
// copylab user, so there is nothing to sign in to or navigate to. The
// code is in X-Copylab, for a program fetching the CSV.
func (a *App) shareNotStarted(c *fiber.Ctx, e experiments.Experiment, code string) error {
	a.shareHeaders(c)
	c.Set("X-Copylab", code)
	return render(c, views.Share(a.sharePageHead(e)))
}

// shareDailyCSV answers GET /r/:token/daily.csv.
func (a *App) shareDailyCSV(c *fiber.Ctx) error {
	e, err := a.startedByShareToken(c)
	if err != nil {
		return err
	}
	return a.sendCSV(c, e, "daily", true)
}

func (a *App) sendCSV(c *fiber.Ctx, e experiments.Experiment, kind string, daily bool) error {
	r, err := a.buildReport(c.UserContext(), e, daily, readerOf(c))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if daily {
		err = r.writeDailyCSV(w)
	} else {
		var lists []string
		if lists, err = a.csvRecordings(c.UserContext(), e); err != nil {
			return err
		}
		err = r.writeResultsCSV(w, lists)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, csvDisposition(e, kind))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// csvDisposition is the Content-Disposition of e's CSV download of kind:
// copylab-<experiment name>-<kind>.csv in plain ASCII as filename, for
// every client, and, when the name has letters outside ASCII, the name
// with them as an RFC 5987 filename*, which browsers prefer (RFC 6266
// section 4.3): "Über Preise" saves as copylab-über-preise-results.csv
// rather than copylab-ber-preise-results.csv. Both carry only letters,
// digits and dashes of the name, and filename* is percent-encoded, so
// the name can end neither the parameter nor the header.
func csvDisposition(e experiments.Experiment, kind string) string {
	ascii := csvFileName(e, kind, false)
	h := `attachment; filename="` + ascii + `"`
	if u := csvFileName(e, kind, true); u != ascii {
		h += "; filename*=UTF-8''" + rfc5987Value(u)
	}
	return h
}

// csvFileName is copylab-<experiment name>-<kind>.csv: the name in lower
// case, its letters and digits (ASCII ones alone unless anyScript) with a
// dash for each run of anything else, cut at 40 runes; e's id when no
// letter or digit is left. With anyScript a mark (an accent written
// apart, a vowel sign of Devanagari) stays in the word it follows.
func csvFileName(e experiments.Experiment, kind string, anyScript bool) string {
	var b strings.Builder
	n, word := 0, false
	for _, r := range strings.ToLower(e.Name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9',
			anyScript && (unicode.IsLetter(r) || unicode.IsDigit(r)),
			anyScript && word && unicode.IsMark(r):
			b.WriteRune(r)
			word = true
		case word:
			b.WriteByte('-')
			word = false
		default:
			continue
		}
		if n++; n >= 40 {
			break
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = e.ID
	}
	return "copylab-" + name + "-" + kind + ".csv"
}

// rfc5987Value percent-encodes s's UTF-8 bytes but RFC 5987's
// attr-chars, as the value of a filename* parameter.
func rfc5987Value(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// csvRecordings are the recordings cells of e's variants, in order, from
// the results document's recordings (addRecordings): the list_url, a link
// to the variant's sessions, where a recorder has a list a link can filter
// (PostHog, a custom template); otherwise the document's instructions,
// joined, since Clarity, Hotjar, FullStory and LogRocket give words to
// filter by instead of a link, and an empty cell would tell a reader of
// the file there are no recordings to find. A link stands alone, as it
// always has, so that a sheet can open it; the instructions of a second
// recorder beside it are in the document. nil for a site without
// recorders.
func (a *App) csvRecordings(ctx context.Context, e experiments.Experiment) ([]string, error) {
	set, err := a.store.SiteRecorders(ctx, e.SiteID)
	if err != nil || len(experiments.RecorderNamesOf(set)) == 0 {
		return nil, err
	}
	x := recorders.Experiment{ID: e.ID, Start: e.StartedAt, End: e.EndedAt}
	out := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		if out[i] = variantListURL(set, x, v.Key); out[i] != "" {
			continue
		}
		var words []string
		for _, l := range set.VariantLinks(x, v.Key) {
			if l.Text != "" {
				words = append(words, l.Text)
			}
		}
		out[i] = strings.Join(words, " ")
	}
	return out, nil
}

// writeResultsCSV writes one row per variant; lists are the variants'
// recordings cells (csvRecordings), nil for none.
func (r *resultsReport) writeResultsCSV(w *csv.Writer, lists []string) error {
	rows := [][]string{{"key", "label", "text", "exposures", "conversions", "rate", "rate_interval_low", "rate_interval_high",
		"prob_best", "prob_beat_control", "uplift", "uplift_interval_low", "uplift_interval_high", "p_value", "p_value_adjusted",
		"applied", "missed", "median_ms", "verdict_status", "verdict", "srm_p_value", "srm_flagged", "threshold", "shipped",
		"recordings", "excluded_multiple_variants", "excluded_bots", "verdict_caution", "early"}}
	early := strconv.FormatBool(r.verdictView().Early)
	for i, v := range r.exp.Variants {
		vr := r.an.Variants[i]
		h := r.health[i]
		label := views.VariantLabel(v.Key, i == 0)
		var multiple, bots string // the experiment's, on the first row only
		if i == 0 {
			multiple, bots = csvInt(r.counts.MultipleVariants), csvInt(r.counts.Bots)
		}
		var lo, hi *float64
		if vr.UpliftInterval != nil {
			lo, hi = &vr.UpliftInterval.Low, &vr.UpliftInterval.High
		}
		rows = append(rows, []string{
			csvText(v.Key), csvText(label), csvText(v.Text), csvInt(vr.Exposures), csvInt(vr.Conversions),
			csvNum(vr.Rate), csvNum(vr.RateInterval.Low), csvNum(vr.RateInterval.High),
			csvNum(vr.ProbBest), csvOpt(vr.ProbBeatControl), csvOpt(vr.Uplift), csvOpt(lo), csvOpt(hi),
			csvOpt(vr.PValue), csvOpt(vr.PValueAdjusted),
			csvInt(h.applied), csvInt(h.missed), csvNum(h.medianMS),
			csvText(r.an.Verdict.Status), csvText(r.an.Verdict.Text), csvOpt(r.an.SRM.PValue),
			strconv.FormatBool(r.an.SRM.Flagged), csvNum(r.threshold),
			strconv.FormatBool(r.exp.ShippedVariant != "" && v.Key == r.exp.ShippedVariant),
			csvText(listAt(lists, i)), multiple, bots,
			csvText(r.caution), early,
		})
	}
	return writeAll(w, rows)
}

// writeDailyCSV writes one row per day and variant.
func (r *resultsReport) writeDailyCSV(w *csv.Writer) error {
	rows := [][]string{{"day_utc", "key", "exposures", "conversions", "cumulative_exposures", "cumulative_conversions",
		"cumulative_rate", "cumulative_rate_interval_low", "cumulative_rate_interval_high"}}
	for d, day := range r.dayNames {
		for j, v := range r.exp.Variants {
			s := r.series[j][d]
			rows = append(rows, []string{
				csvText(day), csvText(v.Key), csvInt(r.daily[d][j].Exposures), csvInt(r.daily[d][j].Conversions),
				csvInt(s.Exposures), csvInt(s.Conversions), csvNum(s.Rate), csvNum(s.RateInterval.Low), csvNum(s.RateInterval.High),
			})
		}
	}
	return writeAll(w, rows)
}

func writeAll(w *csv.Writer, rows [][]string) error {
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("app: csv: %w", err)
	}
	return nil
}

// csvText neutralises a text cell a spreadsheet would run as a formula,
// with a leading single quote: one that starts with a tab or carriage
// return, or whose first character past any whitespace is = + - or @.
// The whitespace counts because spreadsheets may trim it on import
// (LibreOffice's "Trim spaces", Google Sheets), leaving " =2+2" a
// formula; any Unicode white space (a no-break space, an ideographic
// space) and invisible format characters (a zero-width space, a BOM)
// count, since visitor ids, URLs and UTM values come from outside. Every
// text cell of every export (results.csv, daily.csv, events.csv) goes
// through here; numbers never do, so -0.1 stays a number.
func csvText(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	if t := strings.TrimLeftFunc(s, csvBlank); t != "" && strings.IndexByte("=+-@", t[0]) >= 0 {
		return "'" + s
	}
	return s
}

// csvBlank is a character a spreadsheet may not show or may trim before a
// cell's formula: white space, or an invisible format character.
func csvBlank(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

func csvInt(n int64) string { return strconv.FormatInt(n, 10) }

// csvNum writes a number to 12 significant digits (see significant):
// 0.025, not 0.024999999999999998. NaN and infinities, which no statistic
// here should produce, become empty cells.
func csvNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(significant(x), 'g', -1, 64)
}

// significant rounds a derived number to 12 significant digits. The
// statistics are not that precise anyway, and it drops binary noise such as
// 0.024999999999999998 or 0.19999999999999996 from what people read.
func significant(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	if err != nil {
		return x
	}
	return v
}

// tidyFloats rounds every float64 reachable in v (settable: pass
// reflect.ValueOf(&doc).Elem(); through fields, pointers, arrays and
// slices) with significant, so that new fields get it too.
func tidyFloats(v reflect.Value) {
	switch v.Kind() {
	case reflect.Float64:
		if v.CanSet() {
			v.SetFloat(significant(v.Float()))
		}
	case reflect.Pointer:
		// A pointer may share its value with the analysis: round a copy.
		if !v.IsNil() && v.CanSet() {
			c := reflect.New(v.Elem().Type())
			c.Elem().Set(v.Elem())
			v.Set(c)
			tidyFloats(c.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			tidyFloats(v.Field(i))
		}
	case reflect.Array, reflect.Slice:
		for i := range v.Len() {
			tidyFloats(v.Index(i))
		}
	}
}

// csvOpt writes an absent number as an empty cell.
func csvOpt(x *float64) string {
	if x == nil {
		return ""
	}
	return csvNum(*x)
}

// listAt is lists[i], or "" past its end.
func listAt(lists []string, i int) string {
	if i < len(lists) {
		return lists[i]
	}
	return ""
}

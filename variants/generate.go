package variants

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"copylab/experiments/chars"
)

// Candidate sources.
const (
	SourceModel   = "model"
	SourceOffline = "offline"
)

// Candidate is one drafted variant and where it came from. Nothing here
// reaches a site until a person launches it; the provenance fields let the
// app record how each variant was made.
type Candidate struct {
	Text      string
	Angle     string
	Rationale string
	Source    string // SourceModel or SourceOffline
	Model     string // the model that answered, or OfflineModel
	// PromptVersion is PromptVersion for model candidates and
	// OfflineVersion for offline ones.
	PromptVersion string
	CreatedAt     time.Time
}

// Dropped is a draft that was discarded, with the reason as a sentence
// and the rule it broke (a Rule… constant of CopyError).
type Dropped struct {
	Text   string
	Reason string
	Rule   string
}

// Result is the outcome of Generate. Variants can be fewer than asked for
// when the model's second try still broke the rules. Dropped lists every
// discarded draft with its reason, including those a second request
// replaced, so the marketer can see what the guardrails caught. Notes
// carry any other caveat worth showing (offline copy in English, a failed
// second request).
type Result struct {
	Variants []Candidate
	Dropped  []Dropped
	Offline  bool
	Model    string
	Notes    []string
	// Shortfall is the note, also in Notes, that says fewer drafts than
	// asked for met the brief's rules; "" when none is missing. A caller
	// that leaves out more drafts (copy its experiment already has)
	// replaces it with a count of what it shows.
	Shortfall string
}

// maxDroppedText bounds the text kept for a discarded draft; the reason is
// what matters, and a runaway answer should not fill the page.
const maxDroppedText = 500

// Generate writes b.N variants of the brief's copy. A model is asked once
// for all of them; drafts that break the rules (see ValidateCopy) are
// discarded, and if fewer than N remain the model is asked once more for
// the rest, told why the others failed. The variants that pass are
// returned even if still fewer than N.
//
// Errors are *Error (with a code the app passes on) or FieldErrors for an
// invalid brief; a cancelled ctx returns an error wrapping
// context.Canceled. When no draft passed, the error is llm_bad_output and
// the returned Result still lists the discarded drafts.
func (g *Generator) Generate(ctx context.Context, b Brief) (Result, error) {
	b = b.Normalize()
	if errs := b.Validate(); len(errs) > 0 {
		return Result{}, FieldErrors(errs)
	}
	if g.offline {
		return g.generateOffline(b)
	}

	rules := b.Rules()
	res := Result{Model: g.model}
	base := buildMessages(b, b.N)
	first, err := g.complete(ctx, callDrafts, base, true)
	if err != nil {
		first.report(ctx, err)
		return res, err
	}
	res.Model = first.model
	p, perr := parseAnswer(first.content)
	if first.cutOff && len(p.drafts) == 0 {
		err := truncatedDrafts()
		first.report(ctx, err)
		return res, err
	}
	if perr != nil && looksLikeRefusal(first.content) {
		err := refusedError(first.content)
		first.report(ctx, err)
		return res, err
	}
	unreadable := p.unreadable
	firstDropped, repeats := g.accept(&res, p.drafts, rules, b.N, first.model)
	first.report(ctx, keptNone(len(res.Variants), perr))
	if first.cutOff {
		// The output limit ended the answer part way: the whole drafts
		// before the cut are kept, and the follow-up below asks for the
		// rest, as for any answer with too few.
		res.Notes = append(res.Notes, fmt.Sprintf(
			"The model's answer was cut off after %d %s; asking for fewer drafts or shorter copy avoids that.",
			len(p.drafts), plural(len(p.drafts), "draft", "drafts")))
	}

	if missing := b.N - len(res.Variants); missing > 0 {
		msgs := followUpMessages(base, first.content, missing, b.MaxLength, variantTexts(res.Variants), firstDropped)
		second, err := g.complete(ctx, callDrafts, msgs, true)
		var p parsed
		var perr error
		if err == nil {
			p, perr = parseAnswer(second.content)
			switch {
			case second.cutOff && len(p.drafts) == 0:
				err = truncatedDrafts()
			case perr != nil && len(res.Variants) == 0 && looksLikeRefusal(second.content):
				err = refusedError(second.content)
			}
		}
		if err != nil {
			second.report(ctx, err)
		}
		switch {
		case err != nil && (len(res.Variants) == 0 || errors.Is(err, context.Canceled)):
			return res, err
		case err != nil:
			res.Notes = append(res.Notes, "Asking the model again for the missing drafts failed: "+errorMessage(err))
		default:
			unreadable += p.unreadable
			kept := len(res.Variants)
			_, again := g.accept(&res, p.drafts, rules, b.N, second.model)
			repeats += again
			second.report(ctx, keptNone(len(res.Variants)-kept, perr))
		}
	}

	switch {
	case len(res.Variants) == 0 && len(res.Dropped) == 0:
		return res, newError(CodeBadOutput, http.StatusBadGateway, nil,
			"The model's answer could not be read as drafts of the copy; try again.")
	case len(res.Variants) == 0 && allRule(res.Dropped, RuleTooLong):
		return res, newError(CodeBadOutput, http.StatusBadGateway, nil,
			"None of the model's drafts fit the brief's max length of %d characters; raise the max length in the brief, or try again.", b.MaxLength)
	case len(res.Variants) == 0 && allRule(res.Dropped, RuleSameAsControl):
		// No rule of the brief's to ease: the model gave the copy back.
		return res, newError(CodeBadOutput, http.StatusBadGateway, nil,
			"The model only gave back the current copy; change the brief (its goal, angle or tone), or try again.")
	case len(res.Variants) == 0:
		return res, newError(CodeBadOutput, http.StatusBadGateway, nil,
			"None of the model's drafts met the brief's rules; the discarded drafts show why. Ease the rules they broke in the brief, or try again.")
	case len(res.Variants) < b.N:
		res.Shortfall = shortfall(len(res.Variants), b.N, len(res.Dropped), repeats, unreadable > 0)
		res.Notes = append(res.Notes, res.Shortfall)
	}
	return res, nil
}

// shortfall says why only kept of the asked drafts are there: the model
// sent too few, or copylab discarded some of them (listed on the page
// with the reasons), which are different troubles with different cures.
// repeats is how many of the drafts it sent repeated one it kept (accept
// keeps such a draft once, and does not list it as discarded): they were
// sent, so the count says them, and what they were. unreadable is
// whether an answer held drafts copylab could not read (parsed): then
// the model sent more than copylab can count, and a draft read twice may
// be the readable half of two different ones, so no count of what was
// sent, and no repeat, is claimed.
func shortfall(kept, asked, discarded, repeats int, unreadable bool) string {
	const lost = "part of the model's answer was not valid JSON, and copylab could not read the drafts in it."
	switch {
	case unreadable && discarded == 0:
		return fmt.Sprintf("copylab kept %d of the %d drafts asked for: %s", kept, asked, lost)
	case unreadable:
		return fmt.Sprintf("The model wrote only %d of the %d drafts asked for that meet the brief's rules; copylab discarded %d that broke them, and %s",
			kept, asked, discarded, lost)
	case discarded == 0 && repeats == 0:
		return fmt.Sprintf("The model sent %d %s instead of %d.", kept, plural(kept, "draft", "drafts"), asked)
	case discarded == 0 && kept+repeats < asked:
		return fmt.Sprintf("The model sent %d drafts instead of %d, %s.", kept+repeats, asked,
			plural(repeats, "one of them a repeat of another", fmt.Sprintf("%d of them repeats of others", repeats)))
	case discarded == 0:
		// As many as asked, or more, but not as many different ones.
		return fmt.Sprintf("The model sent only %d different %s of the %d asked for; it sent %s again.",
			kept, plural(kept, "draft", "drafts"), asked, plural(repeats, "one of them", fmt.Sprintf("%d of them", repeats)))
	}
	return fmt.Sprintf("The model wrote only %d of the %d drafts asked for that meet the brief's rules; copylab discarded %d that broke them.",
		kept, asked, discarded)
}

// allRule reports whether every dropped draft broke rule.
func allRule(dropped []Dropped, rule string) bool {
	for _, d := range dropped {
		if d.Rule != rule {
			return false
		}
	}
	return len(dropped) > 0
}

// accept validates drafts in order and adds the good ones to res, up to
// n in all. It returns the drafts it discarded in this round, and how
// many of them repeated a kept draft (for shortfall).
//
// res.Dropped lists each discarded text once: a model asked again for
// the missing drafts often sends the first answer's drafts once more,
// the rejected ones and the kept ones alike. A text sent again is not a
// new discarded draft, and a kept one sent again is not discarded at all
// (it is among the drafts), so neither is listed twice.
func (g *Generator) accept(res *Result, drafts []draft, rules Rules, n int, model string) (dropped []Dropped, repeats int) {
	for _, d := range drafts {
		if len(res.Variants) == n {
			break
		}
		text := tidyText(d.Text, rules.AllowLineBreaks)
		if err := ValidateCopy(text, rules.WithOthers(variantTexts(res.Variants)...)); err != nil {
			dropped = append(dropped, droppedFor(text, err))
			continue
		}
		res.Variants = append(res.Variants, g.modelCandidate(text, d, model))
	}
	for _, d := range dropped {
		switch {
		case slices.ContainsFunc(res.Variants, func(c Candidate) bool { return clip(c.Text, maxDroppedText) == d.Text }):
			repeats++
		case !slices.ContainsFunc(res.Dropped, func(o Dropped) bool { return o.Text == d.Text }):
			res.Dropped = append(res.Dropped, d)
		}
	}
	return dropped, repeats
}

// droppedFor is text discarded for err, a *CopyError from ValidateCopy.
func droppedFor(text string, err error) Dropped {
	d := Dropped{Text: clip(text, maxDroppedText), Reason: err.Error()}
	var ce *CopyError
	if errors.As(err, &ce) {
		d.Rule = ce.Rule
	}
	return d
}

func (g *Generator) modelCandidate(text string, d draft, model string) Candidate {
	angle := tidyNote(d.Angle, 40)
	if angle == "" {
		angle = "unspecified"
	}
	return Candidate{
		Text:          text,
		Angle:         angle,
		Rationale:     tidyNote(d.Rationale, 300),
		Source:        SourceModel,
		Model:         model,
		PromptVersion: PromptVersion,
		CreatedAt:     g.now().UTC(),
	}
}

func (g *Generator) generateOffline(b Brief) (Result, error) {
	kept, notes := offline(b)
	res := Result{Offline: true, Model: OfflineModel, Notes: notes}
	if len(kept) == 0 {
		return res, errOfflineNoFit()
	}
	if len(kept) < b.N {
		res.Shortfall = fmt.Sprintf("The offline generator found only %d of %d drafts that fit this brief's limits.", len(kept), b.N)
		res.Notes = append(res.Notes, res.Shortfall)
	}
	for _, c := range kept {
		res.Variants = append(res.Variants, g.offlineCandidate(c))
	}
	return res, nil
}

func (g *Generator) offlineCandidate(c offlineCandidate) Candidate {
	return Candidate{
		Text:          c.text,
		Angle:         c.angle,
		Rationale:     c.rationale,
		Source:        SourceOffline,
		Model:         OfflineModel,
		PromptVersion: OfflineVersion,
		CreatedAt:     g.now().UTC(),
	}
}

func errOfflineNoFit() *Error {
	return newError(CodeOfflineNoFit, http.StatusUnprocessableEntity, nil,
		"The offline generator has no pattern that fits this brief; allow a longer max length or fewer banned words.")
}

// Regenerate writes one replacement for current, distinct from current,
// from others (the other variants' texts) and from the control.
// instruction is InstructionShorter, InstructionDifferentAngle,
// InstructionMoreLikeThis, or a marketer's own words, which a model
// follows as a request about the copy (and the offline generator cannot
// follow). "Shorter" also makes the limit one character less than current.
func (g *Generator) Regenerate(ctx context.Context, b Brief, others []string, current string, instruction string) (Candidate, error) {
	return g.RegenerateAvoiding(ctx, b, others, nil, current, instruction)
}

// RegenerateAvoiding is Regenerate for a test that follows others: the
// replacement must also differ from tried, the copy earlier tests already
// put before visitors. The model is told which texts are this test's other
// variants and which were tried before, rather than being told that all of
// them are variants of this test.
func (g *Generator) RegenerateAvoiding(ctx context.Context, b Brief, others, tried []string, current string, instruction string) (Candidate, error) {
	b = b.Normalize()
	if errs := b.Validate(); len(errs) > 0 {
		return Candidate{}, FieldErrors(errs)
	}
	current = strings.TrimSpace(current)
	instruction = strings.TrimSpace(instruction)

	limit := b.MaxLength
	if strings.EqualFold(instruction, InstructionShorter) && current != "" {
		limit = min(limit, chars.Count(current)-1)
		// One character is not copy; refuse rather than return nonsense.
		if limit < 2 {
			return Candidate{}, FieldErrors{{Field: "instruction", Message: "This draft is already as short as copy can be."}}
		}
	}

	if g.offline {
		// The offline templates know no angles for tried copy: it is
		// only more text to stay clear of.
		c, err := offlineReplacement(b, current, append(slices.Clip(others), tried...), instruction)
		if err != nil {
			return Candidate{}, err
		}
		return g.offlineCandidate(c), nil
	}

	rules := b.Rules()
	rules.MaxLength = limit
	rules = rules.WithOthers(others...).WithOthers(tried...)
	if current != "" {
		rules = rules.WithOthers(current)
	}

	base := regenerateMessages(b, current, others, tried, instruction, limit)
	msgs := base
	var lastReason string
	lastLength := 0 // of the last draft over the limit, when that was the last reason
	for try := 0; try < 2; try++ {
		out, err := g.complete(ctx, callRewrite, msgs, true)
		if err != nil {
			out.report(ctx, err)
			return Candidate{}, err
		}
		drafts, perr := parseOutput(out.content)
		if perr != nil && looksLikeRefusal(out.content) {
			err := refusedError(out.content)
			out.report(ctx, err)
			return Candidate{}, err
		}
		var rejected []Dropped
		for _, d := range drafts {
			text := tidyText(d.Text, rules.AllowLineBreaks)
			if err := ValidateCopy(text, rules); err != nil {
				rejected = append(rejected, droppedFor(text, err))
				if len(rejected) == 1 {
					lastLength = 0
					if rejected[0].Rule == RuleTooLong {
						lastLength = chars.Count(text)
					}
				}
				continue
			}
			out.report(ctx, nil)
			return g.modelCandidate(text, d, out.model), nil
		}
		out.report(ctx, keptNone(0, perr))
		if len(rejected) > 0 {
			lastReason = rejected[0].Reason
		}
		msgs = followUpMessages(base, out.content, 1, limit, nil, rejected)
	}
	switch {
	case lastReason == "":
		return Candidate{}, newError(CodeBadOutput, http.StatusBadGateway, nil,
			"The model's answer could not be read as a draft of the copy; try again.")
	case lastLength > 0 && limit < b.MaxLength:
		// The limit is the current draft's length less one, a number
		// the marketer has seen nowhere: say where it comes from.
		return Candidate{}, newError(CodeBadOutput, http.StatusBadGateway, nil,
			"The model could not write a draft shorter than the current %d characters (its last try had %d); try again.",
			limit+1, lastLength)
	case lastLength > 0:
		return Candidate{}, newError(CodeBadOutput, http.StatusBadGateway, nil,
			"The model could not write a draft within the brief's max length of %d characters (its last try had %d); try again, or raise the max length in the brief.",
			limit, lastLength)
	}
	return Candidate{}, newError(CodeBadOutput, http.StatusBadGateway, nil,
		"The model could not write a replacement that meets the brief's rules (last try: %s).",
		strings.TrimSuffix(lowerFirst(lastReason), "."))
}

// errNoDraftKept is the cause of an answer that was read but brought no
// draft copylab kept: none could be read (errNoVariants), or every one
// broke the brief's rules or repeated a kept one.
var errNoDraftKept = errors.New("no draft of the answer was kept")

// keptNone is what one request's answer, read and checked, is to the
// call notice (completion.report): nil when kept of its drafts were
// kept, else llm_bad_output, the code a caller gets when no answer
// brings a draft. perr is the parser's error, when no draft could be
// read. The sentence is not shown: the caller's own error says what
// happened to the call as a whole.
func keptNone(kept int, perr error) error {
	if kept > 0 {
		return nil
	}
	cause := errNoDraftKept
	if perr != nil {
		cause = perr
	}
	return newError(CodeBadOutput, http.StatusBadGateway, cause,
		"No draft of the model's answer could be used.")
}

func refusedError(content string) *Error {
	return newError(CodeRefused, http.StatusUnprocessableEntity, errors.New(clip(content, 200)),
		"The model declined to write this copy; rephrase the brief and try again.")
}

func variantTexts(cs []Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return out
}

// errorMessage is the marketer-facing sentence of err.
func errorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "an unexpected error."
}

package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/variants"
)

// errAPIUserGone answers an API generation whose token's user was
// removed while the model was writing: the call was stopped
// (genRegistry.forgetUser) and nothing was added.
var errAPIUserGone = &httpError{Status: http.StatusUnauthorized, Code: "invalid_token",
	Message: "This API token's user was removed while the drafts were being written; nothing was added."}

// userGone answers errAPIUserGone, with the header a bearer token's
// refusal carries.
func userGone(c *fiber.Ctx) error {
	c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="copylab", error="invalid_token"`)
	return errAPIUserGone
}

// stillAUser answers errAPIUserGone unless the token's user u is still a
// user: the same id and the same account (ids are given again; see
// genPerson).
func (a *App) stillAUser(ctx context.Context, c *fiber.Ctx, u experiments.User) error {
	now, err := a.store.User(ctx, u.ID)
	if errors.Is(err, experiments.ErrNotFound) || err == nil && personOf(now) != personOf(u) {
		return userGone(c)
	}
	return err
}

type apiDraft struct {
	Key           string `json:"key"`
	Text          string `json:"text"`
	Angle         string `json:"angle"`
	Rationale     string `json:"rationale"`
	Source        string `json:"source"`
	Model         string `json:"model"`
	PromptVersion string `json:"prompt_version"`
}

type apiDropped struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
	// rule is why, as a word nothingAdded can count: a variants.Rule…
	// constant, or ruleRepeat, ruleTried, ruleTriedBefore or ruleCopy
	// for the app's own reasons.
	rule string
}

// The app's reasons to drop a draft the library kept.
const (
	ruleRepeat      = "repeat"       // the experiment has it (repeatReason)
	ruleTried       = "tried"        // the test a follow-up follows had it (avoidCopy)
	ruleTriedBefore = "tried_before" // a test before that one had it (avoidCopy)
	ruleCopy        = "copy"         // copylab's rules for copy (experiments.CopyError)
)

// apiExperimentGenerate answers POST /api/v1/experiments/:id/generate
// {n?, brief?} → 200 {variants, dropped, offline, model, notes}. The drafts
// are added to the (draft) experiment as variants, approved by the
// token's user, and the brief is saved with it. Without a brief, the one
// saved with the experiment is used, with the control's text as the
// current copy; a brief sent with the call keeps its own current copy.
// The site's brand voice fills in when the brief has none. Generation failures answer with the
// library's status and code (Retry-After on llm_rate_limited). The call
// counts against the limits the drafting page's generations do
// (genRegistry.acquireGeneration): the person's and the process's.
func (a *App) apiExperimentGenerate(c *fiber.Ctx) error {
	var in struct {
		N     *int            `json:"n"`
		Brief *variants.Brief `json:"brief"` // checked here; briefMerge puts it over the saved one
	}
	if len(c.Request().Body()) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	ctx := c.UserContext()
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if e.Status != experiments.StatusDraft {
		return copyFixed(e, "added") // as POST …/variants answers
	}
	site, err := a.store.Site(ctx, e.SiteID)
	if err != nil {
		return err
	}

	// The control is the page's current copy: it wins over the saved
	// brief's, which is stale once the control was edited after the
	// brief was saved.
	b := savedBrief(e)
	if len(e.Variants) > 0 {
		b.CurrentCopy = e.Variants[0].Text
	}
	// The experiment's own goal says what a visitor should do, as the
	// drafting page starts its brief with it (briefGoal).
	if strings.TrimSpace(b.Goal) == "" {
		b.Goal = briefGoal(e.Goal)
	}
	// A brief of the call's own changes the fields it sends and keeps the
	// others: {"brief":{"tone":"calm"}} keeps the saved product, length
	// and must-not-say words, the guardrails a client would not expect to
	// lose. A required field sent empty is refused below, as the drafting
	// page refuses it, rather than filled in.
	sent, err := briefMerge(jsonBody(c), &b)
	if err != nil {
		return err
	}
	if strings.TrimSpace(b.BrandVoice) == "" {
		b.BrandVoice = site.BrandVoice
	}
	// A count sent in the brief is reported on brief.n, one sent beside
	// it on n.
	nPrefix := ""
	if in.N == nil && sent["n"] {
		nPrefix = "brief."
	}
	if in.N != nil {
		b.N = *in.N
		if b.N == 0 {
			return briefValidation([]variants.FieldError{{Field: "n", Message: fmt.Sprintf("Ask for between 1 and %d drafts.", variants.MaxN)}}, "brief.")
		}
	}
	if b.N == 0 {
		b.N = min(variants.DefaultN, max(roomFor(e), 1))
	}
	if in.N == nil && !sent["n"] {
		// The saved brief's count was asked when the experiment had more
		// room: without a count of this call's own, ask for what fits now,
		// as the drafting page does (briefFor).
		b.N = min(b.N, max(roomFor(e), 1))
	}
	if fe := checkBrief(b, roomFor(e)); len(fe) > 0 {
		return withNField(briefValidation(fe, "brief."), nPrefix)
	}
	// Before the model costs anything.
	avoid, err := a.copyToAvoid(ctx, e)
	if err != nil {
		return err
	}

	// The same limits as the drafting page's generations: the token's
	// person shares genUserMax generations and genPersonMax model calls
	// (rewrites included) between the two, and everyone genRunningMax.
	// A full limit answers at once (429
	// too_many_generations or 503 generation_busy, with Retry-After)
	// rather than queueing a client that already waits for minutes.
	user, _ := c.Locals(localAPIUser).(experiments.User)
	life, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	hold, err := a.genJobs.acquireGeneration(personOf(user), stop)
	if err != nil {
		a.countRefusal("generate", err)
		return err
	}
	defer a.genJobs.releaseGeneration(hold)
	// The token was checked before the hold was registered, and a user
	// removed in between was not stopped (forgetUser found no hold): ask
	// the store, before the model costs anything.
	if err := a.stillAUser(ctx, c, user); err != nil {
		return err
	}

	// API clients wait for the answer (a script, not a person watching a
	// page): the bound is a browser job's, which covers the library's
	// retries and its follow-up request, and grows with --llm-timeout.
	// It is also what bounds a call whose client has gone: Fiber v2 does
	// not cancel the request's context when the connection closes
	// (fasthttp runs the handler on the connection's goroutine and reads
	// nothing from it meanwhile: valyala/fasthttp#468, gofiber/fiber#1718).
	gctx, cancel := context.WithTimeout(life, a.genJobLimit())
	defer cancel()
	res, err := a.gen.Generate(a.countLLM(gctx, "generate"), b)
	if errors.Is(context.Cause(life), errJobUserGone) {
		return userGone(c)
	}
	a.logAPIModelFailure(c, e.ID, err)
	dropped := make([]apiDropped, 0, len(res.Dropped))
	for _, d := range res.Dropped {
		dropped = append(dropped, apiDropped{Text: d.Text, Reason: d.Reason, rule: d.Rule})
	}
	var ve *variants.Error
	if errors.As(err, &ve) && ve.Code == variants.CodeBadOutput && len(dropped) > 0 {
		// Every draft broke the brief's rules: the answer carries them,
		// as the drafting page shows them, so that the client sees why,
		// and the drafting page's sentence, which says what to change
		// (the max length, when every draft was too long).
		return &httpError{Status: ve.Status, Code: ve.Code, Extra: map[string]any{"dropped": dropped}, Message: ve.Message}
	}
	if err != nil {
		return llmError(err, "brief.")
	}
	// Removing a user deletes them first and stops their calls after
	// (userRemove): a model that answered in between was not stopped,
	// and the store says whether the user is still there.
	if err := a.stillAUser(ctx, c, user); err != nil {
		return err
	}

	// Keep only drafts the store will take: the library's rules are the
	// brief's, the store's are copylab's (no copy twice in one test, nor
	// all but the same: the drafts of one answer are held to that too).
	// A follow-up's drafts also leave out the copy the tests before it
	// tried (avoidCopy).
	var add []experiments.Variant
	invalid := 0     // drafts that break copylab's own rules for copy
	var left leftOut // drafts that repeat the experiment's or tried copy
	for _, cand := range res.Variants {
		if msg := experiments.CopyError(cand.Text); msg != "" {
			dropped = append(dropped, apiDropped{Text: cand.Text, Reason: msg, rule: ruleCopy})
			invalid++
			continue
		}
		if reason, rule := avoid.reason(cand.Text); reason != "" {
			dropped = append(dropped, apiDropped{Text: cand.Text, Reason: reason, rule: rule})
			left.count(rule)
			continue
		}
		avoid.have = append(avoid.have, cand.Text)
		add = append(add, experiments.Variant{Text: cand.Text, Source: cand.Source, Model: cand.Model, PromptVersion: cand.PromptVersion,
			Angle: cand.Angle, Rationale: cand.Rationale, ApprovedBy: user.Email, CreatedAt: cand.CreatedAt})
	}
	if len(add) == 0 {
		return nothingAdded(res, invalid, dropped)
	}
	// The store adds nothing for a user removed since stillAUser asked.
	_, added, err := a.store.AddVariants(ctx, e.ID, add, user)
	if errors.Is(err, experiments.ErrApproverGone) {
		return userGone(c)
	}
	if err != nil {
		return apiWords(err, nil)
	}
	// The drafts are added: an answer of failure now would have the
	// client send again and add more. The brief is only remembered for
	// the next generation, as the page does.
	if err := a.store.SaveBrief(ctx, e.ID, briefJSON(b)); err != nil {
		a.log.Warn("api generate: save brief after adding", "request_id", requestIDOf(c), "experiment", e.ID, "error", err)
	}

	// The notes count the drafts added, as the drafting page's count the
	// drafts shown; a draft against copylab's own rules for copy was not
	// added, so it is not counted as written either.
	notes := draftNotes(res, len(added), b.N, len(res.Variants)-invalid, left)
	out := struct {
		Variants []apiDraft      `json:"variants"`
		Dropped  []apiDropped    `json:"dropped"`
		Offline  bool            `json:"offline"`
		Model    string          `json:"model"`
		Notes    []string        `json:"notes"`
		Brief    json.RawMessage `json:"brief"`
	}{Dropped: dropped, Offline: res.Offline, Model: res.Model, Notes: notes, Brief: json.RawMessage(briefJSON(b))}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	for _, v := range added {
		out.Variants = append(out.Variants, apiDraft{Key: v.Key, Text: v.Text, Angle: v.Angle, Rationale: v.Rationale,
			Source: v.Source, Model: v.Model, PromptVersion: v.PromptVersion})
	}
	return c.JSON(out)
}

// logAPIModelFailure logs a generation through the API that failed, as
// the drafting page logs one (logLLMFailure: the same message, level and
// fields, and the request id), whatever status the API answers: an
// operator who follows the "copy generation failed" lines sees every
// failed generation, from the page or the API. A failure answered with a
// 5xx also gets handleError's "request failed" line, which is about the
// request. An invalid brief is no failed generation: the library
// refused it before any call.
func (a *App) logAPIModelFailure(c *fiber.Ctx, expID string, err error) {
	var fe variants.FieldErrors
	if err == nil || errors.As(err, &fe) {
		return
	}
	a.log.Warn("copy generation failed", "op", "generate", "experiment", expID, "error", err.Error(),
		"request_id", requestIDOf(c))
}

// briefMerge puts the fields of the body's brief over b, when the body
// sends one, and returns the names of the fields it sent: those only, so
// that a field left out keeps b's value, and one sent as null is emptied.
// decodeJSON read the body already, as a brief of known fields.
func briefMerge(body []byte, b *variants.Brief) (map[string]bool, error) {
	var raw struct {
		Brief jsontext.Value `json:"brief"`
	}
	if jsonv2.Unmarshal(body, &raw) != nil || raw.Brief.Kind() != '{' {
		return nil, nil // no body, no brief, or null
	}
	var fields map[string]jsontext.Value
	if err := jsonv2.Unmarshal(raw.Brief, &fields); err != nil {
		return nil, jsonError(err)
	}
	// Unmarshal keeps the fields of b the brief does not name.
	if err := jsonv2.Unmarshal(raw.Brief, b, apiJSONOptions); err != nil {
		return nil, jsonError(err)
	}
	sent := make(map[string]bool, len(fields))
	for name := range fields {
		sent[name] = true
	}
	return sent, nil
}

// withNField puts the errors on n of a brief sent with its own count on
// prefix+"n" (brief.n), where the body has it.
func withNField(errs experiments.ValidationError, prefix string) experiments.ValidationError {
	for i := range errs {
		if errs[i].Field == "n" {
			errs[i].Field = prefix + "n"
		}
	}
	return errs
}

// nothingAdded is the answer when generation worked but no draft could be
// added. Drafts that only repeat copy the experiment already has are not a
// failure of the model (the offline generator writes the same drafts for
// the same brief): that is no_new_drafts, 422, and the client should
// change the brief. Drafts that break copylab's rules for copy are bad
// output, 502, as when the library rejects them itself. Either way the
// answer lists the dropped drafts, as a success does, and when they were
// dropped for more than one reason the sentence counts each (the drafts
// the library dropped are in the list too: one that repeats the
// experiment's copy need not be the only kind). Copy the tests before a
// follow-up already tried is a repeat too, counted apart.
func nothingAdded(res variants.Result, invalid int, dropped []apiDropped) error {
	extra := map[string]any{"dropped": dropped}
	if invalid > 0 {
		return &httpError{Status: http.StatusBadGateway, Code: variants.CodeBadOutput, Extra: extra,
			Message: droppedCount(dropped) + " The dropped list says why each was left out."}
	}
	if slices.ContainsFunc(dropped, func(d apiDropped) bool { return !isRepeatRule(d.rule) }) {
		return &httpError{Status: http.StatusUnprocessableEntity, Code: "no_new_drafts", Extra: extra,
			Message: droppedCount(dropped) + " The dropped list shows each with its reason: change the brief " +
				"(ease the rules the drafts broke, or ask for another tone, audience or angle) and generate again."}
	}
	msg := "Every draft repeats copy the experiment already has, so nothing was added; the dropped list shows them. "
	if slices.ContainsFunc(dropped, func(d apiDropped) bool { return d.rule != ruleRepeat }) {
		msg = droppedCount(dropped) + " The dropped list shows them. "
	}
	if res.Offline {
		msg += "The offline generator writes the same drafts for the same brief: change the brief (another tone, audience or angle, " +
			"or other words it must say) and generate again, or connect a model."
	} else {
		msg += "Change the brief (another tone, audience or angle, or other words it must say) and generate again."
	}
	return &httpError{Status: http.StatusUnprocessableEntity, Code: "no_new_drafts", Message: msg, Extra: extra}
}

// isRepeatRule is whether rule is one of the app's rules for repeated
// copy (avoidCopy.reason): no failure of the model.
func isRepeatRule(rule string) bool {
	return rule == ruleRepeat || rule == ruleTried || rule == ruleTriedBefore
}

// droppedReasons words each reason to drop a draft for droppedCount, as
// said of one draft and of several.
var droppedReasons = map[string][2]string{
	variants.RuleTooLong:        {"too long", "too long"},
	variants.RuleEmpty:          {"empty", "empty"},
	variants.RuleEncoding:       {"not valid text", "not valid text"},
	variants.RuleControlChars:   {"has hidden characters or a line break", "have hidden characters or line breaks"},
	variants.RuleMarkup:         {"not plain text", "not plain text"},
	variants.RuleURL:            {"has a link", "have links"},
	variants.RuleBanned:         {"uses a must-not-say word", "use must-not-say words"},
	variants.RuleMissingMustSay: {"leaves out a must-say item", "leave out must-say items"},
	variants.RuleSameAsControl:  {"repeats the current copy", "repeat the current copy"},
	variants.RuleDuplicate:      {"repeats another draft", "repeat other drafts"},
	ruleRepeat:                  {"repeats copy the experiment has", "repeat copy the experiment has"},
	ruleTried:                   {"was tried by the test this follows", "were tried by the test this follows"},
	ruleTriedBefore:             {"was tried by a test before the one this follows", "were tried by tests before the one this follows"},
	ruleCopy:                    {"breaks copylab's rules for copy", "break copylab's rules for copy"},
}

// droppedCount is the sentence that counts why drafts were dropped, in
// the order the list first gives each reason: "None of the drafts could
// be used: 1 too long, 1 empty, 1 repeats copy the experiment has."
func droppedCount(dropped []apiDropped) string {
	var order []string
	count := map[string]int{}
	for _, d := range dropped {
		if count[d.rule] == 0 {
			order = append(order, d.rule)
		}
		count[d.rule]++
	}
	parts := make([]string, 0, len(order))
	for _, r := range order {
		words, ok := droppedReasons[r]
		if !ok {
			words = [2]string{"breaks the brief's rules", "break the brief's rules"}
		}
		n := count[r]
		parts = append(parts, fmt.Sprintf("%d %s", n, words[min(n-1, 1)]))
	}
	if len(parts) == 0 {
		return "None of the drafts could be used."
	}
	return "None of the drafts could be used: " + strings.Join(parts, ", ") + "."
}

package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/variants"
)

// The API calls the traffic share traffic_bp; the store calls it coverage_bp
// (apiWords).
var apiExperimentFields = map[string]string{"coverage_bp": "traffic_bp"}

// maxBriefBytes caps the brief stored with an experiment.
const maxBriefBytes = 16 << 10

// GET /api/v1/experiments answers a page at a time: apiPageSize
// experiments unless ?limit= asks for up to apiMaxPageSize. The answer's
// "next" (and its Link header) is the URL of the following page, or null
// on the last. It continues from a cursor, the last experiment's place in
// the newest-first order, so that experiments created or deleted between
// two requests neither repeat nor skip one; ?page= counts pages instead,
// as the experiments list does, and its "next" counts on.
const (
	apiPageSize    = listPageSize
	apiMaxPageSize = 200
	apiMaxPage     = 1_000_000
	apiMaxSearch   = 200 // characters, as on the experiments list
)

// apiExperimentsList answers GET /api/v1/experiments[?site_id=&status=&q=
// &limit=&cursor=|&page=]: the experiments newest first, narrowed to a
// site, a status and a search (every word in the name, page or site name,
// as on the experiments list), one page at a time. Another parameter, or
// one given twice, is a 400 before it runs (apiQuery, with apiListParams).
func (a *App) apiExperimentsList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	// A site's id is read in any case, as in a path (apiLowerIDs).
	f := experiments.ExperimentFilter{SiteID: asciiLower(c.Query("site_id")), Status: experiments.Status(c.Query("status"))}
	switch f.Status {
	case "", experiments.StatusDraft, experiments.StatusRunning, experiments.StatusPaused, experiments.StatusStopped:
	default:
		return errBadRequest("invalid_status", "status", "Filter by one of draft, running, paused or stopped.")
	}
	q := experiments.PageQuery{Filter: f, Limit: apiPageSize}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiMaxPageSize {
			return errBadRequest("invalid_limit", "limit", "Set limit to a whole number from 1 to 200.")
		}
		q.Limit = n
	}
	page := 0
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiMaxPage {
			return errBadRequest("invalid_page", "page", "Set page to a whole number from 1 to 1000000.")
		}
		page, q.Offset = n, (n-1)*q.Limit
	}
	if v := c.Query("cursor"); v != "" {
		if page > 0 {
			return errBadRequest("page_with_cursor", "cursor", "Send either page or cursor, not both.")
		}
		pos, ok := parseCursor(v)
		if !ok {
			return errBadRequest("invalid_cursor", "cursor", "Send the cursor as the last answer’s next link has it.")
		}
		q.After = pos
	}
	search := strings.TrimSpace(strings.ToValidUTF8(c.Query("q"), ""))
	if utf8.RuneCountInString(search) > apiMaxSearch {
		return errBadRequest("too_long", "q", "Keep the search to at most 200 characters.")
	}
	q.Filter.Search = search
	exps, more, err := a.store.ExperimentsPage(ctx, q)
	if err != nil {
		return err
	}
	out := make([]apiExperiment, len(exps))
	for i, e := range exps {
		out[i] = a.apiExperimentOf(e)
	}
	var next *string
	if more {
		v := url.Values{}
		for k, val := range map[string]string{"site_id": f.SiteID, "status": string(f.Status), "q": search} {
			if val != "" {
				v.Set(k, val)
			}
		}
		if q.Limit != apiPageSize {
			v.Set("limit", strconv.Itoa(q.Limit))
		}
		if page > 0 {
			v.Set("page", strconv.Itoa(page+1))
		} else {
			v.Set("cursor", cursorOf(experiments.PositionOf(exps[len(exps)-1])))
		}
		u := a.cfg.PublicURL + "/api/v1/experiments?" + v.Encode()
		next = &u
		c.Set(fiber.HeaderLink, "<"+u+`>; rel="next"`)
	}
	return c.JSON(fiber.Map{"experiments": out, "next": next})
}

// apiListParams are the query parameters GET /api/v1/experiments takes.
var apiListParams = []string{"site_id", "status", "q", "limit", "cursor", "page"}

// cursorOf is the cursor of a page that starts after pos: opaque to
// clients, who only copy it from "next".
func cursorOf(pos experiments.PagePosition) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(pos.CreatedMS, 10) + "." + pos.ID))
}

// parseCursor reads a cursor made by cursorOf.
func parseCursor(s string) (experiments.PagePosition, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return experiments.PagePosition{}, false
	}
	at, id, ok := strings.Cut(string(b), ".")
	ms, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || ms < 0 || id == "" || len(id) > 64 || !utf8.ValidString(id) {
		return experiments.PagePosition{}, false
	}
	return experiments.PagePosition{CreatedMS: ms, ID: id}, true
}

// apiExperimentCreate answers POST /api/v1/experiments → 201 with the
// draft. variants is a list of {key, text, weight_bp?}, the control first;
// weights default to an equal split. visible_only (default false) counts a
// visitor only once the element was on screen. A page or page-view goal
// sent as a whole address is saved as the form saves it, and the answer
// warns as the form's message does (pastedNotes).
func (a *App) apiExperimentCreate(c *fiber.Ctx) error {
	var in struct {
		SiteID      string            `json:"site_id"`
		Name        string            `json:"name"`
		Page        string            `json:"page"`
		Selector    string            `json:"selector"`
		Goal        experiments.Goal  `json:"goal"`
		VisibleOnly *bool             `json:"visible_only"`
		TrafficBP   *int              `json:"traffic_bp"`
		Threshold   *float64          `json:"threshold"`
		Brief       *variants.Brief   `json:"brief"` // read as generate reads it: a name it lacks is unknown_field
		Variants    []apiVariantInput `json:"variants"`
		StopsAt     *string           `json:"stops_at"`  // parsePlanTime; null is none
		StartsAt    *string           `json:"starts_at"` // parsePlanTime; null is none
	}
	err := decodeJSON(c, &in)
	if err != nil {
		return err
	}
	e := experiments.Experiment{SiteID: asciiLower(in.SiteID), Name: in.Name, Page: in.Page, Selector: in.Selector, Goal: in.Goal, CoverageBP: 10000}
	if in.StopsAt != nil {
		if e.StopsAt, err = parsePlanTime(experiments.FieldStopsAt, *in.StopsAt); err != nil {
			return err
		}
	}
	if in.StartsAt != nil {
		if e.StartsAt, err = parsePlanTime(experiments.FieldStartsAt, *in.StartsAt); err != nil {
			return err
		}
	}
	if in.TrafficBP != nil {
		e.CoverageBP = *in.TrafficBP
	}
	if in.VisibleOnly != nil {
		e.VisibleOnly = *in.VisibleOnly
	}
	if in.Threshold != nil {
		e.Threshold = *in.Threshold
		if e.Threshold == 0 {
			e.Threshold = -1 // out of range, rather than silently the default
		}
	}
	if in.Brief != nil {
		b := briefJSON(*in.Brief)
		if len(b) > maxBriefBytes {
			return &httpError{Status: http.StatusUnprocessableEntity, Code: "too_long", Field: "brief", Message: "Keep the brief to at most 16 KiB."}
		}
		e.Brief = b
	}
	// Without variants, the brief's current copy is the control, as the
	// drafting page takes it: the copy on the page today.
	if len(in.Variants) == 0 && in.Brief != nil && strings.TrimSpace(in.Brief.CurrentCopy) != "" {
		in.Variants = []apiVariantInput{{Key: experiments.ControlKey, Text: in.Brief.CurrentCopy}}
	}
	// Weights default to equal (DESIGN.md), also when only some are
	// given: the others share what those leave (ShareWeights).
	given := make([]bool, len(in.Variants))
	for i, v := range in.Variants {
		e.Variants = append(e.Variants, experiments.Variant{Key: v.Key, Text: v.Text, Source: experiments.SourceHuman})
		if v.WeightBP != nil {
			e.Variants[i].WeightBP, given[i] = *v.WeightBP, true
		}
	}
	experiments.ShareWeights(e.Variants, given)
	weights := make([]int, len(e.Variants))
	for i, v := range e.Variants {
		weights[i] = v.WeightBP
	}
	if u, ok := c.Locals(localAPIUser).(experiments.User); ok {
		e.CreatedBy = u.ID
	}
	// The page, element and goal left out (or null) wait, as for a draft
	// saved to draft copy for (Store.CreateDraft): start asks for each.
	// One sent is checked, empty or not: "" is a mistake, not a choice.
	leftOut := leftOutSetup(c.Request().Body())
	if slices.Contains(leftOut, experiments.FieldGoal) {
		e.Goal = experiments.Goal{Type: experiments.GoalClick} // the form's default type; start asks to choose
	}
	var created experiments.Experiment
	// Copy sent with a brief is held to it, as it would be a moment
	// later through PATCH …/variants/{key} (briefRefusals).
	errs := goalMembersOfOtherTypes(c.Request().Body(), strings.TrimSpace(e.Goal.Type))
	refusals := briefRefusals(e, nil, nil)
	for i := range e.Variants {
		if msg := refusals[i]; msg != "" {
			errs = append(errs, breaksBrief(fmt.Sprintf("variants[%d].text", i), msg)...)
		}
	}
	if len(errs) > 0 || len(leftOut) > 0 {
		// Refused before the store sees it, with the request's other
		// problems beside it, as the store would list them.
		err = a.experimentProblems(c.UserContext(), e, errs, leftOut)
	}
	switch {
	case err != nil:
	case len(leftOut) > 0:
		created, err = a.store.CreateDraft(c.UserContext(), e)
	default:
		created, err = a.store.CreateExperiment(c.UserContext(), e)
	}
	if err != nil {
		if err = apiWords(err, weights); slices.Contains(given, false) {
			err = withShareRule(err)
		}
		return createWords(err)
	}
	out := a.apiExperimentOf(created)
	for _, n := range a.pastedNotes(c.UserContext(), created, in.Page, in.Goal.URL) {
		out.Warnings = append(out.Warnings, apiWarning{Code: n.code, Message: n.msg})
	}
	out.Warnings = append(out.Warnings, a.stopsWarnings(created)...)
	if !created.Complete() {
		out.Warnings = append(out.Warnings, apiWarning{Code: "unfinished", Message: "Saved as a draft that still needs its " + unsetWords(created) +
			" before it can start: set them with PATCH /api/v1/experiments/" + created.ID + "; until then start answers 422 for each."})
	}
	c.Location("/api/v1/experiments/" + created.ID)
	return c.Status(http.StatusCreated).JSON(out)
}

// goalMember is the member of a goal object that holds the parameter of
// each type.
var goalMember = map[string]string{
	experiments.GoalClick:    "selector",
	experiments.GoalPageview: "url",
	experiments.GoalEvent:    "name",
}

// goalMembersOfOtherTypes returns an error for each member of the goal in
// the JSON body that another type of goal uses ("selector" in an event
// goal): the store keeps only the one of the goal's own type, and a
// client that sent it would believe it counted. Null is taken as left
// out. A goal of no known type has its own error (Validate).
func goalMembersOfOtherTypes(body []byte, typ string) experiments.ValidationError {
	own, ok := goalMember[typ]
	if !ok {
		return nil
	}
	var raw struct {
		Goal map[string]jsontext.Value `json:"goal"`
	}
	if jsonv2.Unmarshal(body, &raw) != nil { // decodeJSON read it already
		return nil
	}
	var out experiments.ValidationError
	for _, other := range []string{experiments.GoalClick, experiments.GoalPageview, experiments.GoalEvent} {
		m := goalMember[other]
		if v, sent := raw.Goal[m]; !sent || m == own || v.Kind() == 'n' {
			continue
		}
		out = append(out, experiments.FieldError{Field: "goal." + m, Code: "invalid_goal",
			Message: fmt.Sprintf("%s is used only by %s goals; %s %s goal takes %s.", m, other, article(typ), typ, own)})
	}
	return out
}

// article is "a" or "an" before word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// leftOutSetup names which of page, selector and goal a create's body
// leaves out or sends as null (experiments.FieldPage, …), in that order.
func leftOutSetup(body []byte) []string {
	var raw map[string]jsontext.Value
	if jsonv2.Unmarshal(body, &raw) != nil { // decodeJSON read it already
		return nil
	}
	var out []string
	for _, f := range []string{experiments.FieldPage, experiments.FieldSelector, experiments.FieldGoal} {
		if v, sent := raw[f]; !sent || v.Kind() == 'n' {
			out = append(out, f)
		}
	}
	return out
}

// createWords puts the store's errors of a create in the request's
// members: the split's sum is the variants' (the store says "weights"),
// and a create without any copy hears both ways to give the control.
func createWords(err error) error {
	var ve experiments.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := slices.Clone(ve)
	for i, f := range out {
		switch {
		case f.Field == "weights":
			out[i].Field = "variants"
		case f.Field == "site_id" && f.Code == "required":
			out[i].Message = "Send site_id, the id of the site the experiment runs on (GET /api/v1/sites lists them)."
		case f.Field == "site_id" && f.Code == "unknown_site":
			out[i].Message = "No site has this id; GET /api/v1/sites lists your sites' ids."
		case f.Field == "variants" && f.Code == "required":
			out[i].Message = "Give the page's current copy, the control: as the first of variants ([{\"text\": \"…\"}]), " +
				"or as brief.current_copy, which is then taken as the control."
		}
	}
	return out
}

// experimentProblems is every problem of an experiment to create, as
// Store.CreateExperiment lists them, with errs, the API's own, after the
// goal's, and without those of the fields in wait that e leaves unset
// (Store.CreateDraft waits for them); nil when there is none. The store
// is not asked to save it.
func (a *App) experimentProblems(ctx context.Context, e experiments.Experiment, errs experiments.ValidationError, wait []string) error {
	unset := e.Normalize().Unset()
	all := slices.DeleteFunc(e.Normalize().Validate(), func(f experiments.FieldError) bool {
		return slices.Contains(wait, f.Field) && slices.Contains(unset, f.Field)
	})
	at := slices.IndexFunc(all, func(f experiments.FieldError) bool {
		return !slices.Contains([]string{"name", "page", "selector", "goal"}, f.Field)
	})
	if at < 0 {
		at = len(all)
	}
	all = slices.Insert(all, at, errs...)
	if _, err := a.store.Site(ctx, e.SiteID); errors.Is(err, experiments.ErrNotFound) {
		all = slices.Insert(all, 0, experiments.SiteError(e.SiteID))
	} else if err != nil {
		return err
	}
	if len(all) == 0 {
		return nil
	}
	return all
}

// withShareRule adds to the weights_sum error of a create that left some
// weights out how those are counted, the rule ShareWeights applies.
func withShareRule(err error) error {
	var ve experiments.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := slices.Clone(ve)
	for i, f := range out {
		if f.Code == "weights_sum" {
			out[i].Message += " A variant sent without weight_bp gets an equal share of what the others leave."
		}
	}
	return out
}

// parsePlanTime reads a planned start or stop (field: starts_at,
// stops_at) of a POST or PATCH: a time in RFC 3339
// ("2026-12-12T09:30:00Z", kept to the millisecond, as the store keeps
// times), or a day ("2026-12-12"), which is its 00:00 UTC, the start of
// the day as the form and the results' days count it. Anything else is
// 422 invalid_starts_at or invalid_stops_at; a time not after now is
// refused by the store (starts_at_past, stops_at_past), as is a stop not
// after the start.
func parsePlanTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Truncate(time.Millisecond), nil
	}
	return time.Time{}, &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_" + field, Field: field,
		Message: "Send " + field + " as a time in RFC 3339 (2026-12-12T00:00:00Z) or a day (2026-12-12, taken as 00:00 UTC), or null for no planned " + planNoun(field) + "."}
}

// planNoun names the plan a field holds: "start" for starts_at, "stop"
// for stops_at.
func planNoun(field string) string {
	if field == experiments.FieldStartsAt {
		return "start"
	}
	return "stop"
}

// stopsWarnings is the API's word on e's planned stop when the test may
// stop before it can be called (stopsTooSoon): saved all the same.
func (a *App) stopsWarnings(e experiments.Experiment) []apiWarning {
	if msg := stopsTooSoon(e.StopsAt, e.StartedAt, e.StartsAt, a.now()); msg != "" {
		return []apiWarning{{Code: "stops_before_verdict", Message: msg}}
	}
	return nil
}

type apiVariantInput struct {
	Key      string `json:"key"`
	Text     string `json:"text"`
	WeightBP *int   `json:"weight_bp"` // nil: a share of what the others leave
}

// apiExperimentGet answers GET /api/v1/experiments/:id.
func (a *App) apiExperimentGet(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a.apiExperimentOf(e))
}

// apiExperimentHistory answers GET /api/v1/experiments/:id/history: who
// changed what and when, newest first (at most experiments.MaxHistory).
func (a *App) apiExperimentHistory(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	changes, err := a.store.History(ctx, e.ID)
	if err != nil {
		return err
	}
	type change struct {
		At     apiTime `json:"at"`
		Actor  string  `json:"actor"`
		Action string  `json:"action"`
		Detail string  `json:"detail"`
	}
	out := make([]change, len(changes))
	for i, ch := range changes {
		out[i] = change{At: apiTime(ch.At), Actor: ch.Actor, Action: ch.Action, Detail: ch.Detail}
	}
	return c.JSON(fiber.Map{"history": out})
}

// apiVariantGet answers GET /api/v1/experiments/:id/variants/:key, the
// Location of a variant just added: the variant as the experiment lists
// it. A key the experiment lacks is 404 unknown_variant, as PATCH and
// DELETE answer it.
func (a *App) apiVariantGet(c *fiber.Ctx) error {
	e, err := a.store.Experiment(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	key := c.Params("key")
	i := slices.IndexFunc(e.Variants, func(v experiments.Variant) bool { return v.Key == key })
	if i < 0 {
		return newHTTPError(http.StatusNotFound, "unknown_variant", fmt.Sprintf("This experiment has no variant %q.", clip(key, 40)))
	}
	return c.JSON(a.apiExperimentOf(e).Variants[i])
}

// apiVariantUpdate answers PATCH /api/v1/experiments/:id/variants/:key
// {text?, weight_bp?}. Changing a weight rescales the others so the split
// still adds up to 100%. A key the experiment lacks is 404
// unknown_variant, the code ship gives it.
func (a *App) apiVariantUpdate(c *fiber.Ctx) error {
	var in struct {
		Text     *string `json:"text"`
		WeightBP *int    `json:"weight_bp"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx, key := c.UserContext(), c.Params("key")
	patch := experiments.VariantPatch{Text: in.Text, WeightBP: in.WeightBP}
	if in.Text != nil {
		// A draft's copy, as sent, is held to its brief as it stands in
		// the change's own transaction (VariantPatch.Check): a brief
		// saved since this request began is the one the copy meets. A
		// started test's copy is refused as fixed by the store, brief or
		// not.
		patch.Check = func(cur, next experiments.Experiment) error {
			if cur.Status != experiments.StatusDraft {
				return nil
			}
			idx := slices.IndexFunc(next.Variants, func(v experiments.Variant) bool { return v.Key == key })
			if idx < 0 {
				return nil
			}
			if msg := briefRefusals(next, cur.Variants, nil)[idx]; msg != "" {
				return breaksBrief("text", msg)
			}
			return nil
		}
	}
	e, err := a.store.UpdateVariant(ctx, c.Params("id"), key, patch)
	if errors.Is(err, experiments.ErrNotFound) {
		// The experiment, or only the variant? An unknown experiment is
		// left to apiNotFound.
		if _, gerr := a.store.Experiment(ctx, c.Params("id")); gerr == nil {
			return newHTTPError(http.StatusNotFound, "unknown_variant", fmt.Sprintf("This experiment has no variant %q.", clip(key, 40)))
		}
	}
	if err != nil {
		if cur, gerr := a.store.Experiment(ctx, c.Params("id")); gerr == nil {
			if idx := slices.IndexFunc(cur.Variants, func(v experiments.Variant) bool { return v.Key == key }); idx >= 0 {
				text := ""
				if in.Text != nil {
					text = *in.Text
				}
				err = variantFields(err, cur.Variants, idx, text)
			}
		}
		return apiWords(err, nil)
	}
	a.snippets.reset()
	return c.JSON(a.withWarnings(e))
}

// transitionTo is the status each action of the life cycle leads to.
var transitionTo = map[string]experiments.Status{
	experiments.ActionStart:  experiments.StatusRunning,
	experiments.ActionResume: experiments.StatusRunning,
	experiments.ActionPause:  experiments.StatusPaused,
	experiments.ActionStop:   experiments.StatusStopped,
}

// apiExperimentTransition returns the handler of POST
// /api/v1/experiments/:id/{start,pause,resume,stop}. An experiment already
// in the status the action leads to answers 200 with itself, unchanged
// and with no history line: a client that retries after a timeout hears
// "done", and keeps 409 for a real refusal (a start of a stopped test).
// A stopped experiment never runs again: its refusal names the call that
// makes a new draft of it, as the pages offer Duplicate.
func (a *App) apiExperimentTransition(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := noBody(c); err != nil {
			return err
		}
		ctx := c.UserContext()
		e, err := a.store.Transition(ctx, c.Params("id"), action)
		if se := (*experiments.StateError)(nil); errors.As(err, &se) && (se.Code == "invalid_transition" || se.Code == "experiment_stopped") {
			// Already where the action leads (a second start, a retry
			// after a timeout): the experiment as it is, as a second ship
			// of the same variant answers, rather than a refusal the
			// client would take for a failure. Read after the refusal,
			// so a change that won the race counts as done.
			if cur, gerr := a.store.Experiment(ctx, c.Params("id")); gerr == nil && cur.Status == transitionTo[action] {
				return c.JSON(a.apiExperimentOf(cur))
			}
		}
		if se := (*experiments.StateError)(nil); errors.As(err, &se) && se.Code == "experiment_stopped" {
			return newHTTPError(http.StatusConflict, se.Code, "This experiment has stopped and cannot run again. "+
				"Duplicate it (POST /api/v1/experiments/"+c.Params("id")+"/duplicate) to test more copy.")
		}
		if se := (*experiments.StateError)(nil); errors.As(err, &se) && se.Other != nil {
			// The other test of the element, for a client to act on
			// (stop it, or tell its owner) without parsing the message.
			return &httpError{Status: http.StatusConflict, Code: se.Code, Message: se.Message,
				Extra: map[string]any{"conflict": map[string]string{"id": se.Other.ID, "name": se.Other.Name}}}
		}
		if err != nil {
			return err
		}
		a.snippets.reset()
		return c.JSON(a.apiExperimentOf(e))
	}
}

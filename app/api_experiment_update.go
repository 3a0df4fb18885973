package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/experiments/chars"
	"copylab/views"
)

// apiExperimentUpdate answers PATCH /api/v1/experiments/:id {name?,
// threshold?, traffic_bp?, visible_only?, page?, selector?, goal?,
// stops_at?, starts_at?}: the settings that may change at any time before
// the experiment stops, and, in a draft, the threshold, visible_only, the
// page, the element, the goal and the planned start, checked as create checks them (a page or page-view goal pasted as
// a whole address is trimmed as the form trims it, and the answer warns
// of it: pastedNotes).
// threshold is the practical threshold the verdict uses, a relative change
// (0.1 for 10%), from 0.005 to 1; traffic_bp the share of visitors in the
// test, in basis points (0 to 10000); visible_only whether the tag counts a
// visitor only once the element was on screen. Like the page, element and
// goal, visible_only decides who is counted, so a started experiment keeps
// it. The other fields of the experiment, and visible_only once started,
// answer 422 field_not_editable, each with where it changes instead
// (notEditable). Another threshold for a started experiment answers 409
// (thresholdFixed); the one it has is taken, as a client sending back
// what GET answered sends it.
func (a *App) apiExperimentUpdate(c *fiber.Ctx) error {
	var sent map[string]json.RawMessage
	if err := decodeJSON(c, &sent); err != nil {
		return err
	}
	var in struct {
		Name        *string           `json:"name"`
		Threshold   *float64          `json:"threshold"`
		TrafficBP   *int              `json:"traffic_bp"`
		VisibleOnly *bool             `json:"visible_only"`
		Page        *string           `json:"page"`
		Selector    *string           `json:"selector"`
		Goal        *experiments.Goal `json:"goal"`
		StopsAt     *string           `json:"stops_at"`  // parsePlanTime; null removes the plan
		StartsAt    *string           `json:"starts_at"` // a draft's, as stops_at
	}
	// The change is applied to the experiment as it is when it is written
	// (PatchExperiment), so a PATCH never puts back what another change
	// made meanwhile. Fields that cannot change are named first, then the
	// body is read strictly (it refuses names it does not know).
	var refused error
	updated, err := a.store.PatchExperiment(c.UserContext(), c.Params("id"), func(e *experiments.Experiment) error {
		cur := *e
		if errs := a.notEditable(*e, sent); len(errs) > 0 {
			refused = errs
			return errs
		}
		if err := decodeJSON(c, &in); err != nil {
			refused = err
			return err
		}
		if in.Threshold != nil && e.Status != experiments.StatusDraft && *in.Threshold != e.Threshold {
			refused = thresholdFixed(*e)
			return refused
		}
		if in.Name != nil {
			e.Name = *in.Name
		}
		if in.Threshold != nil {
			e.Threshold = *in.Threshold
			if e.Threshold == 0 {
				// 0 would mean "the default" to the store: say it is out of range.
				e.Threshold = -1
			}
		}
		if in.TrafficBP != nil {
			e.CoverageBP = *in.TrafficBP
		}
		if in.VisibleOnly != nil {
			e.VisibleOnly = *in.VisibleOnly // a draft's: notEditable refused a started one's
		}
		// A draft's, as visible_only: notEditable refused a started one's.
		if in.Page != nil {
			e.Page = *in.Page
		}
		if in.Selector != nil {
			e.Selector = *in.Selector
		}
		// The stop any time before the test stops, as its name: the plan
		// is not part of what the results measure. The start a draft's,
		// as visible_only: notEditable refused a started one's.
		for _, p := range []struct {
			field string
			value *string
			to    *time.Time
		}{{experiments.FieldStopsAt, in.StopsAt, &e.StopsAt}, {experiments.FieldStartsAt, in.StartsAt, &e.StartsAt}} {
			raw, ok := sent[p.field]
			if !ok {
				continue
			}
			*p.to = time.Time{}
			if p.value != nil {
				t, err := parsePlanTime(p.field, *p.value)
				if err != nil {
					refused = err
					return err
				}
				*p.to = t
			} else if string(raw) != "null" {
				refused = errBadRequest("invalid_json", p.field, "Send "+p.field+" as a string, or null for no planned "+planNoun(p.field)+".")
				return refused
			}
		}
		if in.Goal != nil {
			e.Goal = *in.Goal
			if errs := goalMembersOfOtherTypes(c.Request().Body(), strings.TrimSpace(in.Goal.Type)); len(errs) > 0 {
				// As create refuses them, with the change's other problems.
				refused = apiWords(patchProblems(*e, cur, sent, errs), nil)
				return refused
			}
		}
		return nil
	})
	if refused != nil {
		return refused
	}
	if err != nil {
		return apiWords(err, nil)
	}
	a.snippets.reset() // traffic_bp is in the tag
	out := a.withWarnings(updated)
	_, stops := sent[experiments.FieldStopsAt]
	if _, starts := sent[experiments.FieldStartsAt]; stops || starts {
		out.Warnings = append(out.Warnings, a.stopsWarnings(updated)...)
	}
	if in.Page != nil || in.Goal != nil {
		var page, goalURL string
		if in.Page != nil {
			page = *in.Page
		}
		if in.Goal != nil {
			goalURL = in.Goal.URL
		}
		for _, n := range a.pastedNotes(c.UserContext(), updated, page, goalURL) {
			out.Warnings = append(out.Warnings, apiWarning{Code: n.code, Message: n.msg})
		}
	}
	return c.JSON(out)
}

// patchProblems is every problem of e, an experiment as a PATCH would
// leave cur, in the members the PATCH sent (sent): the others were as
// they are before it, and so is an element sent as it is
// (experiments.KeptElement). errs, the API's own for the goal, go after
// the goal's.
func patchProblems(e, cur experiments.Experiment, sent map[string]json.RawMessage, errs experiments.ValidationError) experiments.ValidationError {
	var out experiments.ValidationError
	norm := e.Normalize()
	for _, f := range experiments.KeptElement(norm.Validate(), norm, cur) {
		name := f.Field
		if to, ok := apiExperimentFields[name]; ok {
			name = to
		}
		if _, ok := sent[name]; ok {
			out = append(out, f)
		}
	}
	at := slices.IndexFunc(out, func(f experiments.FieldError) bool {
		return !slices.Contains([]string{"name", "page", "selector", "goal"}, f.Field)
	})
	if at < 0 {
		at = len(out)
	}
	return slices.Insert(out, at, errs...)
}

// readOnlyFields are the fields of apiExperiment that PATCH cannot change,
// in the order the answer lists them. visible_only, page, selector and
// goal change only in a draft (notEditable adds them for a started
// experiment).
var readOnlyFields = []string{"id", "site_id", "status", "brief", "share_url",
	"created_at", "updated_at", "started_at", "ended_at", "shipped_variant", "shipped_at", "split_changed_at",
	"follows", "variants", "results_url"}

// draftOnlyFields are the fields of apiExperiment that PATCH changes only
// in a draft: they decide who is counted.
var draftOnlyFields = []string{"page", "selector", "goal", "visible_only", "starts_at"}

// notEditable returns a field_not_editable error for each field of the
// experiment the body tries to change that PATCH does not, saying where it
// changes instead. It follows Store.UpdateExperiment: a draft's page,
// element, goal and copy change (on its edit page, and its copy through
// …/variants/{key}); a started experiment keeps them, and only its weights
// change. Names that are not fields of the experiment are left to the
// decoder's unknown_field.
func (a *App) notEditable(e experiments.Experiment, sent map[string]json.RawMessage) experiments.ValidationError {
	var out experiments.ValidationError
	api := "/api/v1/experiments/" + e.ID
	draft := e.Status == experiments.StatusDraft
	fields := readOnlyFields
	if !draft {
		fields = append(slices.Clip(draftOnlyFields), readOnlyFields...)
	}
	for _, f := range fields {
		if _, ok := sent[f]; !ok {
			continue
		}
		var how string
		switch f {
		case "page", "selector", "goal":
			// Only a started experiment's: a draft's change here.
			how = "The page, element (selector) and goal of a started experiment stay as they are, so that its results keep their meaning; " +
				"duplicate it (POST " + api + "/duplicate) and change them on the new draft."
		case "visible_only":
			// Only a started experiment's: a draft's changes here.
			how = "It decides who is counted, like the page, element and goal, so a started experiment keeps it and its results keep their meaning; " +
				"duplicate it (POST " + api + "/duplicate) and change it on the new draft."
		case "variants":
			switch e.Status {
			case experiments.StatusDraft:
				how = "Change a variant's text or weight with PATCH " + api + "/variants/{key}, remove one with DELETE " + api + "/variants/{key}, " +
					"and add variants with POST " + api + "/variants (your own copy) or POST " + api + "/generate (drafts)."
			case experiments.StatusStopped:
				how = "A stopped experiment's variants stay as they were for its results; duplicate it (POST " + api + "/duplicate) to test them again."
			default:
				how = "Change a variant's weight with PATCH " + api + "/variants/{key}; the copy of a started experiment stays as it is " +
					"(duplicate it with POST " + api + "/duplicate to test other copy)."
			}
		case "starts_at":
			// Only a started experiment's: a draft's changes here.
			how = "This experiment has started already, which cleared its planned start; plan its end with stops_at."
		case "brief":
			if draft {
				how = "A brief sent with POST " + api + "/generate is saved with the experiment."
			} else {
				how = "The brief changes only while the experiment is a draft, with POST " + api + "/generate."
			}
		case "status", "started_at", "ended_at":
			how = "The status changes with POST " + api + "/start, /pause, /resume or /stop, which also set started_at and ended_at."
		case "shipped_variant", "shipped_at":
			how = "Ship a variant with POST " + api + `/ship {"variant": KEY}, and undo it with POST ` + api + "/unship."
		case "follows":
			how = `It is set when the experiment is made as the follow-up of a shipped test (POST /api/v1/experiments/{id}/duplicate {"from_shipped": true}) or as a duplicate of such a follow-up, and cleared when that test is deleted.`
		case "site_id":
			how = "An experiment stays on the site it was created on; to test on another site, create an experiment there (POST /api/v1/experiments)."
		default:
			how = "copylab sets it."
		}
		msg := "PATCH changes only name, threshold and traffic_bp (and stops_at, and a draft's page, selector, goal, visible_only and starts_at; a started experiment keeps its threshold), not " + f + ". "
		if f == "visible_only" || f == "starts_at" {
			msg = "PATCH changes " + f + " only while the experiment is a draft. "
		}
		out = append(out, experiments.FieldError{Field: f, Code: "field_not_editable", Message: msg + how})
	}
	return out
}

// variantFields puts the store's errors of a change to one variant, the
// one at idx of vs (the experiment's variants as stored), on the members
// of the request that changed it: variants[2].text is text, and the
// split's sum (weights) is weight_bp. The store puts copy given twice on
// the later of the two variants: when that is another one, holding the
// copy sent (text) as the store compares copy (chars.Same), the error is
// moved to text and names that one.
func variantFields(err error, vs []experiments.Variant, idx int, text string) error {
	var ve experiments.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := slices.Clone(ve)
	own := fmt.Sprintf("variants[%d].", idx)
	for i, f := range out {
		switch {
		case strings.HasPrefix(f.Field, own):
			out[i].Field = strings.TrimPrefix(f.Field, own)
		case f.Field == "weights":
			out[i].Field = "weight_bp"
		case f.Code == "duplicate_text":
			n, _, _ := strings.Cut(strings.TrimPrefix(f.Field, "variants["), "]")
			if j, err := strconv.Atoi(n); err == nil && j >= 0 && j < len(vs) && j != idx && chars.Same(vs[j].Text, strings.TrimSpace(text)) {
				out[i].Field = "text"
				out[i].Message = "This copy is the same as " + views.VariantPhrase(vs[j].Key, j == 0) + "."
			}
		}
	}
	return out
}

// unknownVariant is the 404 of a variant key an experiment lacks, as
// PATCH …/variants/{key} and ship answer it.
func unknownVariant(key string) error {
	return newHTTPError(http.StatusNotFound, "unknown_variant", fmt.Sprintf("This experiment has no variant %q.", clip(key, 40)))
}

// copyFixed is the refusal of a change to the copy of an experiment that
// has started (or stopped), with what to do instead.
func copyFixed(e experiments.Experiment, what string) error {
	dup := "duplicate it (POST /api/v1/experiments/" + e.ID + "/duplicate) to test other copy."
	if e.Status == experiments.StatusStopped {
		return &experiments.StateError{Code: "experiment_stopped", Message: "This experiment has stopped, so its copy stays as it was for its results; " + dup}
	}
	return &experiments.StateError{Code: "experiment_started", Message: "Copy can be " + what + " only before the experiment starts, " +
		"so that its results keep their meaning; " + dup}
}

// breaksBrief is the refusal of copy a client sent that breaks the brief
// the experiment was drafted from (briefRefusals), on field: 422
// copy_breaks_brief, with the sentence the edit form shows, which names
// the variant and the rule. Drafts the model writes that break it are
// dropped (the dropped list of generate gives each reason); copy a
// person sends is refused, as the edit form and the drafting page refuse
// it.
func breaksBrief(field, msg string) experiments.ValidationError {
	return experiments.ValidationError{{Field: field, Code: "copy_breaks_brief", Message: msg}}
}

// thresholdFixed is the refusal of another practical threshold for an
// experiment that has started (or stopped), coded as copyFixed codes a
// change of its copy. The threshold sizes the planned sample and the "no
// meaningful difference" band of the verdict, so it is part of the test's
// design, chosen before the data, like its goal: changed afterwards, it
// would turn a result not called yet into a called one, with nothing on
// the results page to say so.
func thresholdFixed(e experiments.Experiment) *experiments.StateError {
	code := "experiment_started"
	if e.Status == experiments.StatusStopped {
		code = "experiment_stopped"
	}
	return &experiments.StateError{Code: code, Message: views.ThresholdFixedWords}
}

// apiVariantDelete answers DELETE /api/v1/experiments/:id/variants/:key
// → 200 with the experiment: a draft's copy removed, as the edit form's
// Remove does. The control stays (control_required, 409), and so does a
// started test's copy (experiment_started, 409). The weights follow the
// form: an equal split is split equally again; a split set by hand keeps
// its figures, so a variant with a share of it cannot go
// (custom_split, 409: the form refuses a split that no longer adds up to
// 100%) until its weight_bp is 0. A draft may keep only the control, as
// create allows; start then asks for a variant.
func (a *App) apiVariantDelete(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	id, key := c.Params("id"), c.Params("key")
	e, err := a.store.PatchExperiment(c.UserContext(), id, func(e *experiments.Experiment) error {
		idx := slices.IndexFunc(e.Variants, func(v experiments.Variant) bool { return v.Key == key })
		switch {
		case idx < 0:
			return unknownVariant(key)
		case idx == 0:
			return &experiments.StateError{Code: "control_required", Message: "The original copy is the control of the test and cannot be removed; " +
				"change its text with PATCH /api/v1/experiments/" + e.ID + "/variants/" + key + " if the page's copy changed."}
		case e.Status != experiments.StatusDraft:
			return copyFixed(*e, "removed")
		}
		split, gone := customSplit(*e), e.Variants[idx]
		e.Variants = slices.Delete(e.Variants, idx, idx+1)
		switch {
		case split == "":
			experiments.EqualWeights(e.Variants)
		case gone.WeightBP > 0:
			return &experiments.StateError{Code: "custom_split", Message: fmt.Sprintf("The split was set by hand (%s): without %s it would add up to %s%%, "+
				"and a split must add up to 100%% (the edit form refuses it too). Set its share to 0 first, with PATCH /api/v1/experiments/%s/variants/%s "+
				`{"weight_bp":0} (the others share it in proportion), then remove it.`,
				split, views.VariantPhrase(key, false), experiments.PercentOfBP(10000-gone.WeightBP), e.ID, key)}
		}
		return nil
	})
	if err != nil {
		return apiWords(err, nil)
	}
	return c.JSON(a.apiExperimentOf(e))
}

// apiVariantAdd answers POST /api/v1/experiments/:id/variants {key?,
// text, weight_bp?} → 201 with the experiment, the new variant last
// (Location names it): copy a person wrote, added to a draft as the edit
// form's Add does. Without a key it gets the one the form and generate
// give, the next after every key the draft ever gave; a key sent must not
// name a variant it has (duplicate_key) or had (key_used: keys name one
// copy in exports and recording links). Without weight_bp an equal split
// is split equally again, while a split set by hand leaves the new copy
// nothing, which the form refuses too (weight_required, 422); with
// weight_bp the others share the rest, equally when they were equal and
// in proportion otherwise, as PATCH …/variants/{key} rescales them.
func (a *App) apiVariantAdd(c *fiber.Ctx) error {
	var in apiVariantInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.WeightBP != nil && (*in.WeightBP < 0 || *in.WeightBP > 10000) {
		return apiWords(experiments.ValidationError{{Field: "weight_bp", Code: "out_of_range"}}, nil)
	}
	ctx, key := c.UserContext(), strings.TrimSpace(in.Key)
	at := -1
	e, err := a.store.PatchExperiment(ctx, c.Params("id"), func(e *experiments.Experiment) error {
		if e.Status != experiments.StatusDraft {
			return copyFixed(*e, "added")
		}
		if len(e.Variants) >= experiments.MaxVariants {
			return &experiments.StateError{Code: "too_many_variants", Message: fmt.Sprintf("This draft has the original and %d variants, "+
				"the most one test takes; remove one first (DELETE /api/v1/experiments/%s/variants/{key}).", experiments.MaxVariants-1, e.ID)}
		}
		if key != "" {
			if _, held := e.Variant(key); held {
				return experiments.ValidationError{{Field: "key", Code: "duplicate_key",
					Message: fmt.Sprintf("This experiment already has a variant %q; send another key, or none for the next one.", clip(key, 40))}}
			}
			// The read pool sees every commit, and none can come until
			// this transaction ends (PatchExperiment), as AddVariants reads.
			used, err := a.store.UsedVariantKeys(ctx, e.ID)
			if err != nil {
				return err
			}
			if used[key] {
				return experiments.ValidationError{{Field: "key", Code: "key_used",
					Message: fmt.Sprintf("The key %q named copy removed from this experiment, and a key names one copy in exports, "+
						"history and recording links; send another key, or none for the next one.", clip(key, 40))}}
			}
		}
		split := customSplit(*e)
		at = len(e.Variants)
		e.Variants = append(e.Variants, experiments.Variant{Key: key, Text: in.Text, Source: experiments.SourceHuman})
		if !briefEmpty(savedBrief(*e)) {
			// The key it gets, to name it, is the next after every key
			// the draft gave; the read pool sees them (above).
			used, err := a.store.UsedVariantKeys(ctx, e.ID)
			if err != nil {
				return err
			}
			if msg := briefRefusals(*e, e.Variants[:at], used)[at]; msg != "" {
				return breaksBrief("text", msg)
			}
		}
		switch {
		case in.WeightBP != nil && split == "":
			given := make([]bool, len(e.Variants))
			given[at], e.Variants[at].WeightBP = true, *in.WeightBP
			experiments.ShareWeights(e.Variants, given)
		case in.WeightBP != nil:
			experiments.Reweight(e.Variants, at, *in.WeightBP)
		case split == "":
			experiments.EqualWeights(e.Variants)
		default:
			return experiments.ValidationError{{Field: "weight_bp", Code: "weight_required",
				Message: "The split was set by hand (" + split + "), so it leaves nothing for the new copy, and the edit form refuses that too. " +
					"Send its weight_bp: the others make room in proportion, as with PATCH /api/v1/experiments/" + e.ID + "/variants/{key}."}}
		}
		return nil
	})
	if err != nil {
		if cur, gerr := a.store.Experiment(ctx, c.Params("id")); gerr == nil && at >= 0 {
			err = variantFields(err, cur.Variants, at, in.Text)
		}
		return apiWords(err, nil)
	}
	added := e.Variants[len(e.Variants)-1]
	c.Location("/api/v1/experiments/" + e.ID + "/variants/" + added.Key)
	return c.Status(http.StatusCreated).JSON(a.apiExperimentOf(e))
}

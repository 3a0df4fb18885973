package app

import (
	"encoding/json"
	"slices"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// apiExperimentUpdate answers PATCH /api/v1/experiments/:id {name?,
// threshold?, traffic_bp?, visible_only?}: the settings that may change at
// any time before the experiment stops, and, in a draft, visible_only.
// threshold is the practical threshold the verdict uses, a relative change
// (0.1 for 10%), from 0.005 to 1; traffic_bp the share of visitors in the
// test, in basis points (0 to 10000); visible_only whether the tag counts a
// visitor only once the element was on screen. Like the page, element and
// goal, visible_only decides who is counted, so a started experiment keeps
// it. The other fields of the experiment, and visible_only once started,
// answer 422 field_not_editable, each with where it changes instead
// (notEditable).
func (a *App) apiExperimentUpdate(c *fiber.Ctx) error {
	var sent map[string]json.RawMessage
	if err := decodeJSON(c, &sent); err != nil {
		return err
	}
	var in struct {
		Name        *string  `json:"name"`
		Threshold   *float64 `json:"threshold"`
		TrafficBP   *int     `json:"traffic_bp"`
		VisibleOnly *bool    `json:"visible_only"`
	}
	// The change is applied to the experiment as it is when it is written
	// (PatchExperiment), so a PATCH never puts back what another change
	// made meanwhile. Fields that cannot change are named first, then the
	// body is read strictly (it refuses names it does not know).
	var refused error
	updated, err := a.store.PatchExperiment(c.UserContext(), c.Params("id"), func(e *experiments.Experiment) error {
		if errs := a.notEditable(*e, sent); len(errs) > 0 {
			refused = errs
			return errs
		}
		if err := decodeJSON(c, &in); err != nil {
			refused = err
			return err
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
		return nil
	})
	if refused != nil {
		return refused
	}
	if err != nil {
		return apiWords(err, nil)
	}
	a.snippets.reset() // traffic_bp is in the tag
	return c.JSON(a.withWarnings(updated))
}

// readOnlyFields are the fields of apiExperiment that PATCH cannot change,
// in the order the answer lists them. visible_only changes only in a draft
// (notEditable adds it for a started experiment).
var readOnlyFields = []string{"id", "site_id", "page", "selector", "goal", "status", "brief", "share_url",
	"created_at", "updated_at", "started_at", "ended_at", "shipped_variant", "shipped_at", "split_changed_at",
	"variants", "results_url"}

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
		fields = append(slices.Clip(fields), "visible_only")
	}
	for _, f := range fields {
		if _, ok := sent[f]; !ok {
			continue
		}
		var how string
		switch f {
		case "page", "selector", "goal":
			if draft {
				how = "The page, element (selector) and goal of a draft change on its edit page: " + a.cfg.PublicURL + "/experiments/" + e.ID + "/edit."
			} else {
				how = "The page, element (selector) and goal of a started experiment stay as they are, so that its results keep their meaning; " +
					"duplicate it (POST " + api + "/duplicate) and change them on the new draft's edit page."
			}
		case "visible_only":
			// Only a started experiment's: a draft's changes here.
			how = "It decides who is counted, like the page, element and goal, so a started experiment keeps it and its results keep their meaning; " +
				"duplicate it (POST " + api + "/duplicate) and change it on the new draft."
		case "variants":
			switch e.Status {
			case experiments.StatusDraft:
				how = "Change a variant's text or weight with PATCH " + api + "/variants/{key}, and add variants with POST " + api + "/generate."
			case experiments.StatusStopped:
				how = "A stopped experiment's variants stay as they were for its results; duplicate it (POST " + api + "/duplicate) to test them again."
			default:
				how = "Change a variant's weight with PATCH " + api + "/variants/{key}; the copy of a started experiment stays as it is " +
					"(duplicate it with POST " + api + "/duplicate to test other copy)."
			}
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
		case "site_id":
			how = "An experiment stays on the site it was created on; to test on another site, create an experiment there (POST /api/v1/experiments)."
		default:
			how = "copylab sets it."
		}
		msg := "PATCH changes only name, threshold and traffic_bp (and a draft's visible_only), not " + f + ". "
		if f == "visible_only" {
			msg = "PATCH changes visible_only only while the experiment is a draft. "
		}
		out = append(out, experiments.FieldError{Field: f, Code: "field_not_editable", Message: msg + how})
	}
	return out
}

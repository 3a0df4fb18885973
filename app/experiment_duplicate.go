package app

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// experimentDuplicate answers POST /experiments/:id/duplicate: a new draft
// with the experiment's setup and variants, to run the test again or try
// new variants against the same original, and its page.
func (a *App) experimentDuplicate(c *fiber.Ctx) error {
	var by int64
	if s := sessionOf(c); s != nil {
		by = s.user.ID
	}
	e, err := a.store.DuplicateExperiment(c.UserContext(), c.Params("id"), by)
	if msg, ok := refusal(err); ok {
		return a.redirectWithFlash(c, "/experiments/"+c.Params("id"), "error", msg)
	}
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/experiments/"+e.ID, "ok", duplicatedSentence(e))
}

// duplicatedSentence is the message after a duplicate e: it names only
// what the copy has of its page, element and goal (a draft saved before
// they were chosen has some or none), and says what it still needs.
func duplicatedSentence(e experiments.Experiment) string {
	unset := unsetNames(e)
	var same []string
	for _, name := range []string{"page", "element", "goal"} {
		if !slices.Contains(unset, name) {
			same = append(same, name)
		}
	}
	same = append(same, "variants")
	list := strings.Join(same[:len(same)-1], ", ")
	if list != "" {
		list += " and "
	}
	list += same[len(same)-1]
	if len(unset) > 0 {
		return "A new draft with the same " + list + ", and no results yet. It still needs its " + unsetWords(e) + " before it can start."
	}
	return "A new draft with the same " + list + ", and no results yet. Change what you like, then start it."
}

// apiExperimentDuplicate answers POST /api/v1/experiments/:id/duplicate:
// 201 with the new draft.
func (a *App) apiExperimentDuplicate(c *fiber.Ctx) error {
	if err := noBody(c); err != nil {
		return err
	}
	var by int64
	if u, ok := c.Locals(localAPIUser).(experiments.User); ok {
		by = u.ID
	}
	e, err := a.store.DuplicateExperiment(c.UserContext(), c.Params("id"), by)
	if err != nil {
		return err
	}
	c.Location("/api/v1/experiments/" + e.ID)
	return c.Status(http.StatusCreated).JSON(a.apiExperimentOf(e))
}

package app

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
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
	// A duplicate of a follow-up follows the same test (its page says
	// so), and so leaves out the copy tried along the chain when it
	// drafts: the message says so too. The name is for the message only,
	// so a followed test deleted meanwhile leaves it out.
	followed := ""
	if e.FollowsID != "" {
		if f, err := a.store.Experiment(c.UserContext(), e.FollowsID); err == nil {
			followed = f.Name
		}
	}
	return a.redirectWithFlash(c, "/experiments/"+e.ID, "ok", duplicatedSentence(e, followed))
}

// duplicatedSentence is the message after a duplicate e: it names only
// what the copy has of its page, element and goal (a draft saved before
// they were chosen has some or none), says which test it follows when
// it is a copy of a follow-up (followed, the name of that test; "" for
// none), and says what it still needs: another element, and why, when
// the rules refuse the one it kept now (a test started with an
// input[type=submit] before they did: ElementRefused).
func duplicatedSentence(e experiments.Experiment, followed string) string {
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
	s := "A new draft with the same " + list + ", and no results yet."
	if followed != "" {
		s += " Like the original, it follows “" + followed + "”, so its drafts leave out the copy tried there."
	}
	if refused := refusedElementWords(e); refused != "" {
		s += " " + refused
		if len(unset) > 0 {
			s += " It still needs its " + unsetWords(e) + " too."
		}
		return s
	}
	if len(unset) > 0 {
		return s + " It still needs its " + unsetWords(e) + " before it can start."
	}
	return s + " Change what you like, then start it."
}

// refusedElementWords says that a new draft e needs another element
// before it can start, and why, when the rules refuse the one it kept
// (ElementRefused); "" when they take it. The messages after a duplicate
// and a follow-up say it in these words.
func refusedElementWords(e experiments.Experiment) string {
	refused := e.ElementRefused()
	if len(refused) == 0 {
		return ""
	}
	return "It needs another element before it can start. " + refused[0].Message
}

// experimentFollowUp answers POST /experiments/:id/follow-up: after a
// ship, the next test starts from the shipped copy (Store.FollowUpExperiment).
// It opens the new draft's drafting page, whose brief starts from that
// copy, since new copy to test against it is what the draft needs next.
// A test with nothing shipped comes back to its page with the refusal.
func (a *App) experimentFollowUp(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var by int64
	if s := sessionOf(c); s != nil {
		by = s.user.ID
	}
	// Read for the message only: the store decides again.
	x, err := a.store.Experiment(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	e, err := a.store.FollowUpExperiment(ctx, x.ID, by)
	if msg, ok := refusal(err); ok {
		return a.redirectWithFlash(c, "/experiments/"+x.ID, "error", msg)
	}
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, generateURL(e.ID), "ok", followUpSentence(x, e))
}

// followUpSentence is the message after e, the follow-up of shipped test
// x. It keeps x's element, which the rules may refuse now (a test started
// with an input[type=submit] before they did): it then says, as after a
// duplicate, that e needs another one before it can start, and why.
func followUpSentence(x, e experiments.Experiment) string {
	s := "A follow-up test of “" + x.Name + "”: a new draft whose original is " + views.VariantLabel(x.ShippedVariant, false) +
		", the copy you shipped, with the same page, element, goal and settings, and no other variants yet."
	if refused := refusedElementWords(e); refused != "" {
		s += " " + refused
	}
	return s + " Draft new copy below to test against it."
}

// apiExperimentDuplicate answers POST /api/v1/experiments/:id/duplicate:
// 201 with the new draft. It takes no body, or an object with
// from_shipped: true for the follow-up of a shipped test
// (Store.FollowUpExperiment) rather than a copy.
func (a *App) apiExperimentDuplicate(c *fiber.Ctx) error {
	var in struct {
		FromShipped bool `json:"from_shipped"`
	}
	if len(bytes.TrimSpace(jsonBody(c))) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	var by int64
	if u, ok := c.Locals(localAPIUser).(experiments.User); ok {
		by = u.ID
	}
	create := a.store.DuplicateExperiment
	if in.FromShipped {
		create = a.store.FollowUpExperiment
	}
	e, err := create(c.UserContext(), c.Params("id"), by)
	if err != nil {
		return err
	}
	c.Location("/api/v1/experiments/" + e.ID)
	return c.Status(http.StatusCreated).JSON(a.apiExperimentOf(e))
}

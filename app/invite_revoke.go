package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// inviteRevoke answers POST /users/invites/:id/delete: the invite's link
// stops working at once. An invite already used, revoked or expired (a
// second tab's button) is answered as done: what was asked is true.
func (a *App) inviteRevoke(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	inv, err := a.store.DeleteInviteByAdmin(c.UserContext(), id, adminOf(c))
	if errors.Is(err, experiments.ErrNotFound) {
		// Used since the page was drawn: the form's email (for the
		// message only) has an account now, listed on the page.
		if email := normalizeEmail(c.FormValue("email")); email != "" {
			if _, _, err := a.store.UserByEmail(c.UserContext(), email); err == nil {
				return a.redirectWithFlash(c, "/users", "ok", "The invite for "+email+" was used before you revoked it: they have an account now. Remove it here if they should not.")
			}
		}
		return a.redirectWithFlash(c, "/users", "ok", "That invite is no longer pending: its link does not work.")
	}
	if err != nil {
		return err
	}
	a.log.Info("invite revoked", "email", inv.Email)
	return a.redirectWithFlash(c, "/users", "ok", "The invite for "+inv.Email+" is revoked: its link no longer works.")
}

package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// userRemove answers POST /users/:id/delete. Nobody removes themselves
// (ask a teammate), and the last user stays: nobody could sign in again.
// The invite links the user sent stop working with the removal
// (Store.DeleteUser), and the flash says how many did.
func (a *App) userRemove(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if s := sessionOf(c); s != nil && s.user.ID == id {
		return a.redirectWithFlash(c, "/users", "error", "You cannot remove yourself; ask a teammate to do it.")
	}
	u, err := a.store.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	cancelled, err := a.store.DeleteUser(c.UserContext(), id)
	if errors.Is(err, experiments.ErrConflict) {
		return a.redirectWithFlash(c, "/users", "error", "The last user cannot be removed: nobody could sign in again.")
	}
	if err != nil {
		return err
	}
	a.genJobs.forgetUser(id) // ids can be given again: the next user must not inherit the drafts
	return a.redirectWithFlash(c, "/users", "ok", u.Email+" was removed and signed out"+invitesCancelledWords(cancelled))
}

// invitesCancelledWords ends the removal's sentence: how many of the
// removed user's invite links stopped working with them, if any.
func invitesCancelledWords(n int) string {
	switch {
	case n <= 0:
		return "."
	case n == 1:
		return "; the invite link they sent no longer works."
	}
	return "; the " + strconv.Itoa(n) + " invite links they sent no longer work."
}

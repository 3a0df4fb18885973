package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// userRemove answers POST /users/:id/delete, an admin's (adminOnly).
// Nobody removes themselves (ask a teammate), the last user stays: nobody
// could sign in again, and so does the last admin: nobody could manage
// people (experiments.ErrLastAdmin).
// The user's API tokens and the invite links they sent stop working with
// the removal (Store.RemoveUser), and the flash says how many did. The
// accounts the user added stay, and the flash and the log name them
// (views.AddedKept): they may be real teammates, or the way back in for
// someone removed on purpose, and only whoever removes the user can tell.
//
// The form names the user by id and email: ids are given again after a
// removal, and a button on a page drawn before must not remove whoever
// has the id now. When the user it names is gone (removed by a teammate,
// or by this button in another tab) the flash says so. A form without
// the email (hand-made, or from a page drawn by an older copylab)
// removes nobody: its id alone may be someone else's by now.
func (a *App) userRemove(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	named := strings.TrimSpace(c.FormValue("email"))
	if named == "" {
		return errRemoveUnnamed
	}
	s := sessionOf(c)
	if s != nil && s.user.ID == id && strings.EqualFold(named, s.user.Email) {
		return a.redirectWithFlash(c, "/users", "error", "You cannot remove yourself; ask a teammate to do it.")
	}
	r, err := a.store.RemoveUserByAdmin(c.UserContext(), id, named, adminOf(c))
	switch {
	case errors.Is(err, experiments.ErrNotFound):
		return a.redirectWithFlash(c, "/users", "ok", removedWords(named))
	case errors.Is(err, experiments.ErrConflict):
		return a.redirectWithFlash(c, "/users", "error", "The last user cannot be removed: nobody could sign in again.")
	case errors.Is(err, experiments.ErrLastAdmin):
		return a.redirectWithFlash(c, "/users", "error", named+" is the only admin, so they cannot be removed: make someone else an admin first.")
	case err != nil:
		return err
	}
	a.genJobs.forgetUser(id) // ids can be given again: the next user must not inherit the drafts
	by := ""
	if s != nil {
		by = s.user.Email
	}
	a.log.Info("user removed", "request_id", requestIDOf(c), "email", r.User.Email, "by", by,
		"tokens_revoked", r.TokensRevoked, "invites_cancelled", r.InvitesCancelled, "added_kept", strings.Join(r.AddedKept, ","))
	msg := r.User.Email + " was removed and signed out" + removalWords(r.TokensRevoked, r.InvitesCancelled)
	if kept := views.AddedKept(r.AddedKept); kept != "" {
		msg += " " + kept
	}
	return a.redirectWithFlash(c, "/users", "ok", msg)
}

// errRemoveUnnamed answers a Remove form without the user's email.
var errRemoveUnnamed = errBadRequest("user_unnamed", "email",
	"This Remove button did not say whom to remove, so nobody was removed. Reload the Users page and press Remove again.")

// removedWords answers a Remove button whose user is already gone. The
// email is the form's, so it is shown only when it looks like one.
func removedWords(email string) string {
	if len(email) > 254 || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n") {
		return "That user was already removed."
	}
	return email + " was already removed."
}

// removalWords ends the removal's sentence: what stopped working with
// the user, if anything: their API tokens (scripts that use them are
// refused from now on) and the invite links they sent.
func removalWords(tokens, invites int) string {
	var parts []string
	switch {
	case tokens == 1:
		parts = append(parts, "their API token")
	case tokens > 1:
		parts = append(parts, "their "+strconv.Itoa(tokens)+" API tokens")
	}
	switch {
	case invites == 1:
		parts = append(parts, "the invite link they sent")
	case invites > 1:
		parts = append(parts, "the "+strconv.Itoa(invites)+" invite links they sent")
	}
	switch {
	case len(parts) == 0:
		return "."
	case len(parts) == 1 && (tokens == 1 || invites == 1):
		return "; " + parts[0] + " no longer works."
	}
	return "; " + strings.Join(parts, " and ") + " no longer work."
}

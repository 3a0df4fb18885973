package app

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// userRoleChange answers POST /users/:id/role, an admin's (adminOnly):
// it makes the user an admin or a member. Like the Remove button, the
// form names the user by id and email (user_remove.go). The only admin
// stays one (experiments.ErrLastAdmin), themselves included: an admin
// becomes a member only while another admin remains. A demotion cancels
// the invite links the user sent, and the flash says how many.
func (a *App) userRoleChange(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	named := strings.TrimSpace(c.FormValue("email"))
	if named == "" {
		return errRoleUnnamed
	}
	role, ok := formRole(c.FormValue("role"))
	if !ok || c.FormValue("role") == "" {
		return errBadRequest("invalid_role", "role", roleFieldError)
	}
	me := sessionOf(c).user
	self := me.ID == id && strings.EqualFold(named, me.Email)
	r, err := a.store.SetRoleByAdmin(c.UserContext(), id, named, role, adminOf(c))
	switch {
	case errors.Is(err, experiments.ErrNotFound):
		return a.redirectWithFlash(c, "/users", "error", removedWords(named)+" Their role was not changed.")
	case errors.Is(err, experiments.ErrLastAdmin) && self:
		return a.redirectWithFlash(c, "/users", "error", "You are the only admin, so you stay one: make someone else an admin first.")
	case errors.Is(err, experiments.ErrLastAdmin):
		return a.redirectWithFlash(c, "/users", "error", named+" is the only admin, so they stay one: make someone else an admin first.")
	case err != nil:
		return err
	}
	if r.From == role {
		return a.redirectWithFlash(c, "/users", "ok", r.User.Email+" is already "+roleWords(role)+".")
	}
	a.log.Info("user role changed", "request_id", requestIDOf(c), "email", r.User.Email, "role", string(role), "by", me.Email,
		"invites_cancelled", r.InvitesCancelled)
	var msg string
	switch {
	case role == experiments.RoleAdmin:
		msg = r.User.Email + " is now an admin: they can add, invite and remove people, and change roles."
	case self:
		msg = "You are now a member: adding, inviting and removing people is for admins."
	default:
		msg = r.User.Email + " is now a member: they can no longer add, invite or remove people."
	}
	who := "they"
	if self {
		who = "you"
	}
	switch {
	case r.InvitesCancelled == 1:
		msg += " The invite link " + who + " sent no longer works."
	case r.InvitesCancelled > 1:
		msg += " The " + strconv.Itoa(r.InvitesCancelled) + " invite links " + who + " sent no longer work."
	}
	return a.redirectWithFlash(c, "/users", "ok", msg)
}

// errRoleUnnamed answers a role form without the user's email.
var errRoleUnnamed = errBadRequest("user_unnamed", "email",
	"This form did not say whose role to change, so nothing changed. Reload the Users page and try again.")

// roleWords is a role with its article, in a sentence.
func roleWords(r experiments.Role) string {
	if r == experiments.RoleAdmin {
		return "an admin"
	}
	return "a member"
}

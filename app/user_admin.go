package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// adminOnly lets only admins through to h, a form that manages people:
// adding, inviting, removing, revoking an invite, changing a role. what
// says what h does, for the refusal ("add people"). The role is read
// from the database on each request, never kept in the session, so a
// demotion or a removal holds from the person's next request, in every
// browser they are signed in on.
//
// A member is answered as the app answers its other refused forms: back
// to the Users page with a sentence that names whom to ask, and nothing
// changed. Members never see these forms (views.Users), so this answers
// a page drawn before a demotion, or a form made by hand.
//
// The role is read before h runs, so a demotion committed while h is
// on its way would not stop it alone: h makes its change through the store's
// …ByAdmin methods (adminOf), which check the role again in the change's
// own transaction and answer experiments.ErrNotAdmin, and that refusal
// gets the same answer as this one, with nothing changed.
func (a *App) adminOnly(what string, h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		me := sessionOf(c).user
		role, err := a.store.UserRole(c.UserContext(), me.ID)
		if err != nil && !errors.Is(err, experiments.ErrNotFound) {
			return err
		}
		if role == experiments.RoleAdmin {
			err := h(c)
			if !errors.Is(err, experiments.ErrNotAdmin) {
				return err
			}
		}
		admins, err := a.store.AdminEmails(c.UserContext())
		if err != nil {
			return err
		}
		a.log.Info("refused: not an admin", "request_id", requestIDOf(c), "path", c.Path(), "email", me.Email)
		return a.redirectWithFlash(c, "/users", "error", "Only an admin can "+what+". "+askAdmin(admins))
	}
}

// adminOf names the signed-in person to the store's admin-only writes
// (experiments.Admin), which check they are an admin still.
func adminOf(c *fiber.Ctx) experiments.Admin {
	me := sessionOf(c).user
	return experiments.Admin{UserID: me.ID, Email: me.Email}
}

// askAdmin says whom a member asks to do what only an admin can.
func askAdmin(admins []string) string {
	switch len(admins) {
	case 0:
		return "Ask whoever runs copylab."
	case 1:
		return "Ask " + admins[0] + "."
	case 2:
		return "Ask " + admins[0] + " or " + admins[1] + "."
	}
	return "Ask an admin, such as " + admins[0] + " or " + admins[1] + "."
}

// formRole is the role a form picked in its field: a member when the
// field is empty (a page drawn before copylab had roles, or a form that
// leaves it out), ok false for anything else.
func formRole(v string) (experiments.Role, bool) {
	if v == "" {
		return experiments.RoleMember, true
	}
	r := experiments.Role(v)
	return r, r.Valid()
}

// roleFieldError is the one sentence for a role field that names no role.
const roleFieldError = "Choose Member or Admin."

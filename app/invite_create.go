package app

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// inviteCreate answers POST /users/invites: it makes an invite link for
// an email and shows it on the answer page, once. Like a generated
// password it is not redirected, so it is kept nowhere: not in a flash
// cookie, not in the browser's history of pages it may show again. Only
// an admin gets here (adminOnly), and the store checks they are one
// still as it stores the invite; the link makes an account with the role
// the form picked, a member when it has no role field (Invite again).
func (a *App) inviteCreate(c *fiber.Ctx) error {
	email, name := normalizeEmail(c.FormValue("invite_email")), c.FormValue("invite_name")
	role, ok := formRole(c.FormValue("invite_role"))
	if !ok {
		p, err := a.usersPage(c)
		if err != nil {
			return err
		}
		p.Invites.Email, p.Invites.Name, p.Invites.Errors = email, name, views.Errors{"invite_role": roleFieldError}
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Users(p))
	}
	// Who sent the pending invite this one may replace, for the message
	// only: a teammate's link dies with it, and the page says whose.
	var before *experiments.Invite
	if pending, err := a.store.Invites(c.UserContext(), a.now()); err == nil {
		for _, p := range pending {
			if strings.EqualFold(p.Email, email) {
				before = &p
				break
			}
		}
	}
	me := sessionOf(c).user.Email
	by := adminOf(c)
	token, inv, replaced, err := createInvite(c.UserContext(), a.store, email, name, &by, role, a.now())
	errs, invalid := formErrors(err, func(f string) string { return "invite_" + f })
	if errors.Is(err, experiments.ErrConflict) {
		errs, invalid = views.Errors{"invite_email": emailTaken}, true
	}
	if errors.Is(err, experiments.ErrInviterGone) {
		// Removed by a teammate while this request was on its way.
		return &httpError{Status: http.StatusForbidden, Code: "account_removed",
			Message: "Your account was removed, so no invite link was made."}
	}
	if invalid {
		p, err := a.usersPage(c)
		if err != nil {
			return err
		}
		p.Invites.Email, p.Invites.Name, p.Invites.Role, p.Invites.Errors = email, name, string(role), errs
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Users(p))
	}
	if err != nil {
		return err
	}
	a.log.Info("invite created", "email", inv.Email, "by", inv.InvitedBy, "role", string(inv.Role), "replaced", replaced)
	p, err := a.usersPage(c)
	if err != nil {
		return err
	}
	p.Invites.NewEmail, p.Invites.NewLink, p.Invites.NewRole, p.Invites.Replaced = inv.Email, a.cfg.PublicURL+invitePrefix+token, string(inv.Role), replaced
	if replaced && before != nil && !strings.EqualFold(before.InvitedBy, me) {
		p.Invites.ReplacedFrom = before.InvitedBy
		if p.Invites.ReplacedFrom == "" {
			p.Invites.ReplacedFrom = "the command line"
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.Users(p))
}

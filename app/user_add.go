package app

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// userAdd answers POST /users. With no password typed, one is generated
// and shown on the answer page, once (it is not redirected, so it is not
// kept anywhere).
//
// The account records who added it (Store.CreateUserBy), and the log
// says so: whoever adds an account knows its password, and removing them
// leaves the account in place, so their removal names it (userRemove).
//
// The account gets the role the form picked (admin or member, a member
// when the form has no role field); only an admin gets here (adminOnly),
// and the store checks they are one still as it makes the account
// (Store.CreateUserByAdmin).
func (a *App) userAdd(c *fiber.Ctx) error {
	email := normalizeEmail(c.FormValue("email"))
	me := sessionOf(c).user
	role, ok := formRole(c.FormValue("role"))
	if !ok {
		p, err := a.usersPage(c)
		if err != nil {
			return err
		}
		p.Email, p.Errors = email, views.Errors{"role": roleFieldError}
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Users(p))
	}
	by := experiments.Adder{Via: experiments.AddedByHand, UserID: me.ID, Email: me.Email, Role: role}
	u, generated, err := addUserBy(c.UserContext(), a.store, email, "", c.FormValue("password"), a.cfg.BcryptCost, by)
	errs, invalid := formErrors(err, nil)
	if errors.Is(err, experiments.ErrConflict) {
		errs, invalid = views.Errors{"email": emailTaken}, true
	}
	if errors.Is(err, experiments.ErrAdderGone) {
		// Removed by a teammate while this request was on its way.
		return &httpError{Status: http.StatusForbidden, Code: "account_removed",
			Message: "Your account was removed, so nobody was added."}
	}
	if invalid {
		p, err := a.usersPage(c)
		if err != nil {
			return err
		}
		p.Email, p.Role, p.Errors = email, string(role), errs
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Users(p))
	}
	if err != nil {
		return err
	}
	a.log.Info("user added", "request_id", requestIDOf(c), "email", u.Email, "by", me.Email, "role", string(role))
	if generated == "" {
		return a.redirectWithFlash(c, "/users", "ok", u.Email+" can now sign in, as "+roleWords(role)+", with the password you chose.")
	}
	p, err := a.usersPage(c)
	if err != nil {
		return err
	}
	p.NewEmail, p.NewPassword = u.Email, generated
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.Users(p))
}

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
func (a *App) userAdd(c *fiber.Ctx) error {
	email := normalizeEmail(c.FormValue("email"))
	u, generated, err := addUser(c.UserContext(), a.store, email, "", c.FormValue("password"), a.cfg.BcryptCost)
	errs, invalid := formErrors(err, nil)
	if errors.Is(err, experiments.ErrConflict) {
		errs, invalid = views.Errors{"email": emailTaken}, true
	}
	if invalid {
		p, err := a.usersPage(c)
		if err != nil {
			return err
		}
		p.Email, p.Errors = email, errs
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Users(p))
	}
	if err != nil {
		return err
	}
	if generated == "" {
		return a.redirectWithFlash(c, "/users", "ok", u.Email+" can now sign in with the password you chose.")
	}
	p, err := a.usersPage(c)
	if err != nil {
		return err
	}
	p.NewEmail, p.NewPassword = u.Email, generated
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.Users(p))
}

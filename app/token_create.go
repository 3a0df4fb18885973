package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// tokenCreate answers POST /settings/tokens. The secret is shown on the
// answer page, once; only its hash is stored. The form's access is
// "full" (Can change things, picked at first) or "read" (Read only); a
// form without it, drawn before tokens had a kind, makes a full token as
// it did then.
func (a *App) tokenCreate(c *fiber.Ctx) error {
	s := sessionOf(c)
	name, choice := c.FormValue("name"), c.FormValue("access")
	access := experiments.TokenAccess(choice)
	if choice == "" {
		access = experiments.AccessFull
	}
	secret, t, err := createToken(c.UserContext(), a.store, s.user.ID, name, access)
	if errs, ok := formErrors(err, nil); ok {
		p, err := a.settingsPage(c)
		if err != nil {
			return err
		}
		p.TokenName, p.TokenAccess, p.Errors = name, choice, errs
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Settings(p))
	}
	if err != nil {
		return err
	}
	a.log.Info("api token created", "request_id", requestIDOf(c), "user", s.user.Email, "token_id", t.ID, "name", t.Name, "access", string(t.Access))
	p, err := a.settingsPage(c)
	if err != nil {
		return err
	}
	p.NewToken, p.NewTokenReadOnly = secret, t.ReadOnly()
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.Settings(p))
}

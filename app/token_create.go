package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// tokenCreate answers POST /settings/tokens. The secret is shown on the
// answer page, once; only its hash is stored.
func (a *App) tokenCreate(c *fiber.Ctx) error {
	s := sessionOf(c)
	name := c.FormValue("name")
	secret, t, err := createToken(c.UserContext(), a.store, s.user.ID, name)
	if errs, ok := formErrors(err, nil); ok {
		p, err := a.settingsPage(c)
		if err != nil {
			return err
		}
		p.TokenName, p.Errors = name, errs
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Settings(p))
	}
	if err != nil {
		return err
	}
	a.log.Info("api token created", "request_id", requestIDOf(c), "user", s.user.Email, "token_id", t.ID, "name", t.Name)
	p, err := a.settingsPage(c)
	if err != nil {
		return err
	}
	p.NewToken = secret
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.Settings(p))
}

package app

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// tokenRevoke answers POST /settings/tokens/:id/delete. People revoke only
// their own tokens.
func (a *App) tokenRevoke(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := a.store.DeleteAPIToken(c.UserContext(), sessionOf(c).user.ID, id); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/settings", "ok", "Token revoked. Scripts using it can no longer call the API.")
}

package app

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// tokenRevoke answers POST /settings/tokens/:id/delete. People revoke only
// their own tokens.
//
// The form names the token by id, prefix and creation time (in Unix ms):
// ids are given again after a revocation, and a button on a page drawn
// before must not revoke the token that has the id now. When the token
// it names is gone (revoked in another tab, or with a new password) the
// flash says so. A form without them (hand-made, or from a page drawn by
// an older copylab) revokes nothing: its id alone may be another token's
// by now.
func (a *App) tokenRevoke(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	s := sessionOf(c)
	prefix := c.FormValue("prefix")
	at, err := strconv.ParseInt(c.FormValue("created"), 10, 64)
	if prefix == "" || err != nil {
		return errRevokeUnnamed
	}
	t, err := a.store.RevokeAPIToken(c.UserContext(), s.user.ID, id, prefix, time.UnixMilli(at))
	if errors.Is(err, experiments.ErrNotFound) {
		return a.redirectWithFlash(c, "/settings", "ok", "That token was already revoked.")
	}
	if err != nil {
		return err
	}
	a.log.Info("api token revoked", "request_id", requestIDOf(c), "user", s.user.Email, "token_id", t.ID, "name", t.Name)
	return a.redirectWithFlash(c, "/settings", "ok", "Token revoked. Scripts using it can no longer call the API.")
}

// errRevokeUnnamed answers a Revoke form without the token's prefix and
// creation time.
var errRevokeUnnamed = errBadRequest("token_unnamed", "",
	"This Revoke button did not say which token to revoke, so none was revoked. Reload Settings and press Revoke again.")

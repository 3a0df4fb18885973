package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// passwordChange answers POST /settings/password: the current password,
// then the new one twice. A wrong current password counts against the
// same limits as a failed sign-in for that email (a stolen session must
// not become a way to guess the password), the device cookie's included.
// On success every other browser signed in as the user is signed out, and
// this one gets a new session and device cookie (the old ones no longer
// count: they were signed with the old password's hash). With the
// revoke_tokens box ticked, the user's API tokens are revoked in the same
// change; without it (a form from before the box, too) they keep working,
// and the message says how many.
func (a *App) passwordChange(c *fiber.Ctx) error {
	s := sessionOf(c)
	current, next, again := c.FormValue("current_password"), c.FormValue("password"), c.FormValue("password2")
	revoke := c.FormValue("revoke_tokens") != ""
	errs := views.Errors{}
	newPasswordErrors(errs, next, again)
	if current == "" {
		errs["current_password"] = "Enter the password you use now."
	}
	if len(errs) == 0 {
		at, ok, _, err := a.reserveSignIn(c, s.user.Email)
		if err != nil {
			return err
		}
		if !ok {
			errs["current_password"] = "Too many wrong passwords for this account; wait a few minutes and try again."
		} else if match, err := a.checkPassword(c, s.user.Email, current); err != nil {
			a.logins.GiveBack(at)
			return err
		} else if !match {
			errs["current_password"] = "That is not your current password."
		} else {
			a.logins.Succeeded(at)
			// Only a checked current password can say the new one is
			// the same. Accepting it would sign every other browser out
			// and leave the password as it was, which is not what
			// anyone changing it wants.
			if next == current {
				errs["password"] = "That is your current password; choose a new one."
			}
		}
	}
	if len(errs) > 0 {
		p, err := a.settingsPage(c)
		if err != nil {
			return err
		}
		p.PasswordErrors = errs
		p.Sessions.KeepTokens = !revoke
		c.Status(http.StatusUnprocessableEntity)
		return render(c, views.Settings(p))
	}
	_, tokens, err := changePassword(c.UserContext(), a.store, s.user.Email, next, a.cfg.BcryptCost, revoke)
	if err != nil {
		return err
	}
	// Logged as a removal or a revoked token is: whose password changed,
	// and the tokens that went with it. Never the password.
	attrs := []any{"request_id", requestIDOf(c), "user", s.user.Email}
	if revoke {
		attrs = append(attrs, "tokens_revoked", tokens.Revoked)
	}
	a.log.Info("password changed", attrs...)
	if err := a.startSession(c, s.user); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/settings", "ok", "Your password is changed. Any other browser signed in as you is signed out."+tokensSentence(tokens))
}

// tokensSentence says, after a space, what an account-wide sign-out did to
// the user's API tokens, for its message: "" when they had none. Tokens
// that still work are always counted, with where to find them: one that a
// stolen session made outlives the sign-out.
func tokensSentence(t experiments.TokenTally) string {
	switch {
	case t.Revoked == 1:
		return " Your API token is revoked: scripts using it can no longer call the API."
	case t.Revoked > 1:
		return fmt.Sprintf(" Your %d API tokens are revoked: scripts using them can no longer call the API.", t.Revoked)
	case t.Working == 1:
		return " Your API token still works: it is listed under API tokens at the top of Settings, with when it was made and last used. Revoke it there if you do not know it."
	case t.Working > 1:
		return fmt.Sprintf(" Your %d API tokens still work: they are listed under API tokens at the top of Settings, with when each was made and last used. Revoke any you do not know.", t.Working)
	}
	return ""
}

// ResetPassword gives the user with that email a new password (an empty
// one means a generated one, returned: show it once) and signs them out
// everywhere; with revokeTokens it revokes their API tokens in the same
// change. It says what became of the tokens. It is the command line's way
// back in for someone who forgot theirs, or lost their account to someone
// else; signed-in users change theirs under Settings.
func ResetPassword(ctx context.Context, store *experiments.Store, email, password string, revokeTokens bool) (string, experiments.TokenTally, error) {
	return changePassword(ctx, store, email, password, DefaultBcryptCost, revokeTokens)
}

func changePassword(ctx context.Context, store *experiments.Store, email, password string, cost int, revokeTokens bool) (string, experiments.TokenTally, error) {
	u, _, err := store.UserByEmail(ctx, normalizeEmail(email))
	if errors.Is(err, experiments.ErrNotFound) {
		return "", experiments.TokenTally{}, fmt.Errorf("no user has the email %q: check the spelling, or add them (copylab user add)", email)
	}
	if err != nil {
		return "", experiments.TokenTally{}, fmt.Errorf("app: set password: %w", err)
	}
	generated := ""
	if password == "" {
		password = GeneratePassword()
		generated = password
	}
	if msg := passwordError(password); msg != "" {
		return "", experiments.TokenTally{}, experiments.ValidationError{{Field: "password", Code: "invalid_password", Message: msg}}
	}
	hash, err := hashPassword(password, cost)
	if err != nil {
		return "", experiments.TokenTally{}, err
	}
	tokens, err := store.ChangePassword(ctx, u.ID, hash, revokeTokens)
	if err != nil {
		return "", experiments.TokenTally{}, fmt.Errorf("app: set password: %w", err)
	}
	return generated, tokens, nil
}

// checkPassword compares password with the stored hash of the user with
// that email, in one of the sign-in limiter's password-check slots.
func (a *App) checkPassword(c *fiber.Ctx, email, password string) (bool, error) {
	_, hash, err := a.store.UserByEmail(c.UserContext(), email)
	if err != nil {
		return false, err
	}
	match, busy := a.logins.compare(c.UserContext(), hash, password)
	if busy {
		return false, errSignInBusy
	}
	return match, nil
}

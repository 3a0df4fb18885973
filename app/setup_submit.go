package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/views"
)

// setupSignedIn answers POST /setup for someone signed in once copylab
// is set up, before the form's CSRF check, as opening /setup answers them
// (setupDone: to the app). The usual such request is the setup form sent
// again (Back, then reload) by the browser that just made the first
// account: signing in replaced the token the form carries, so the check
// would answer "This form has expired", to someone who did nothing
// wrong. The answer only redirects, with setupDone's note, so it needs
// no token. A request without a session still meets the check (another
// site's form comes without one: the cookie is SameSite=Lax), and
// setupSubmit makes an account only while there is none.
func (a *App) setupSignedIn(c *fiber.Ctx) error {
	if sessionOf(c) == nil {
		return c.Next()
	}
	done, err := a.setupDone(c)
	if err != nil || done {
		return err
	}
	return c.Next()
}

// setupSubmit answers POST /setup: it creates the first account and the
// demo, and signs the new user in. The token works once: afterwards there
// is an account, and setup only redirects to sign in.
func (a *App) setupSubmit(c *fiber.Ctx) error {
	a.setupMu.Lock()
	defer a.setupMu.Unlock()
	done, err := a.setupDone(c)
	if err != nil || done {
		return err
	}
	token := c.FormValue("token")
	if !tokensEqual(a.setupToken, token) {
		return errSetupLink
	}
	email, password := normalizeEmail(c.FormValue("email")), c.FormValue("password")
	errs := views.Errors{}
	if msg := emailError(email); msg != "" {
		errs["email"] = msg
	}
	newPasswordErrors(errs, password, c.FormValue("password2"))
	if len(errs) == 0 {
		user, _, err := addUserBy(c.UserContext(), a.store, email, "", password, a.cfg.BcryptCost, experiments.Adder{Via: experiments.AddedAtSetup})
		if err != nil {
			return err
		}
		// The newcomer lands on the running demo experiment: its page links
		// the demo page and shows the results live, so the welcome itself
		// names no place it cannot link to.
		to, welcome := "/experiments", "Welcome to copylab! Your account is ready."
		if err := a.createDemo(c.UserContext(), user.ID); err != nil {
			// The account matters more than the demo: go on without it.
			a.log.Warn("setup: could not create the demo", "error", err)
			welcome += " The demo experiment could not be set up; the server log says why."
		} else if demo, ok, err := a.demoExperiment(c.UserContext()); err != nil {
			a.log.Warn("setup: could not read the demo back", "error", err)
		} else if ok {
			to = "/experiments/" + demo.ID
		}
		a.snippets.reset()
		a.log.Info("setup: first account created", "email", user.Email)
		if err := a.startSession(c, user); err != nil {
			return err
		}
		return a.redirectWithFlash(c, to, "ok", welcome)
	}
	p := a.page(c, "")
	p.Title = "Create the first account"
	p.CSRF = a.formCSRF(c)
	c.Status(http.StatusUnprocessableEntity)
	return render(c, views.Setup(views.SetupPage{Page: p, Token: token, Email: email, Errors: errs}))
}

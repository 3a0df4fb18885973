package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// settingsShow answers GET /settings: API tokens, the password, the
// signed-in browsers and the server's setup.
func (a *App) settingsShow(c *fiber.Ctx) error {
	p, err := a.settingsPage(c)
	if err != nil {
		return err
	}
	return render(c, views.Settings(p))
}

func (a *App) settingsPage(c *fiber.Ctx) (views.SettingsPage, error) {
	s := sessionOf(c)
	tokens, err := a.store.APITokens(c.UserContext(), s.user.ID)
	if err != nil {
		return views.SettingsPage{}, err
	}
	sessions, err := a.sessionsSection(c) // settings_sessions.go
	if err != nil {
		return views.SettingsPage{}, err
	}
	p := views.SettingsPage{
		Page:      a.page(c, views.NavSettings),
		PublicURL: a.cfg.PublicURL,
		APIBase:   a.cfg.PublicURL + "/api/v1",
		DBPath:    absPath(a.store.Path()), // as the start's log names it: the commands below work from any folder
		LLM:       a.llmDescription(),
		AI:        a.llmSettings(c), // settings_llm.go
		Sessions:  sessions,
	}
	p.Title = "Settings"
	p.Sessions.Tokens = len(tokens) // offered for revoking beside Sign out all other browsers
	for _, t := range tokens {
		p.Tokens = append(p.Tokens, views.TokenRow{ID: t.ID, Name: t.Name, Prefix: t.Prefix, ReadOnly: t.ReadOnly(), Created: t.CreatedAt, LastUsed: t.LastUsedAt})
	}
	return p, nil
}

// llmDescription says how copy generation is set up, without the key.
func (a *App) llmDescription() string {
	l := a.llmInfo()
	if l.Offline {
		return "Offline generator (no model configured); see AI copy above."
	}
	return l.Model + " at " + l.BaseURL
}

package app

import (
	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// usersList answers GET /users.
func (a *App) usersList(c *fiber.Ctx) error {
	p, err := a.usersPage(c)
	if err != nil {
		return err
	}
	return render(c, views.Users(p))
}

func (a *App) usersPage(c *fiber.Ctx) (views.UsersPage, error) {
	users, err := a.store.Users(c.UserContext())
	if err != nil {
		return views.UsersPage{}, err
	}
	p := views.UsersPage{Page: a.page(c, views.NavUsers), Now: a.now()}
	p.Title = "Users"
	me := sessionOf(c)
	for _, u := range users {
		p.Users = append(p.Users, views.UserRow{ID: u.ID, Email: u.Email, Name: u.Name, Created: u.CreatedAt, Self: me != nil && me.user.ID == u.ID})
	}
	return p, nil
}

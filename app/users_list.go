package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
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
	if p.Invites, err = a.invitesSection(c); err != nil {
		return p, err
	}
	// How many of the pending invites each user sent: removing the user
	// cancels them (Store.DeleteUser), and the Remove button says so.
	sent := map[string]int{}
	for _, inv := range p.Invites.Pending {
		if inv.InvitedBy != "" && inv.Expires.After(p.Invites.Now) {
			sent[strings.ToLower(inv.InvitedBy)]++
		}
	}
	// Their API tokens: removing the user revokes them too.
	tokens, err := a.store.APITokenCounts(c.UserContext())
	if err != nil {
		return p, err
	}
	// Who added each user, and whom each added: removing a user leaves
	// the accounts they added, and the Remove button names them. users
	// is oldest first, and so is each list.
	adders, err := a.store.Adders(c.UserContext())
	if err != nil {
		return p, err
	}
	added := map[int64][]string{}
	for _, u := range users {
		if by := adders[u.ID].UserID; by != 0 {
			added[by] = append(added[by], u.Email)
		}
	}
	// Each role, the viewer's included, is read on each request: a
	// demoted admin's next page has no controls (adminOnly).
	roles, err := a.store.Roles(c.UserContext())
	if err != nil {
		return p, err
	}
	me := sessionOf(c)
	for _, u := range users {
		self := me != nil && me.user.ID == u.ID
		p.Users = append(p.Users, views.UserRow{ID: u.ID, Email: u.Email, Name: u.Name, Created: u.CreatedAt, Self: self,
			PendingInvites: sent[strings.ToLower(u.Email)], Tokens: tokens[u.ID], AddedBy: addedByWords(adders[u.ID]), Added: added[u.ID],
			Role: string(roles[u.ID])})
		if self {
			p.Admin = roles[u.ID] == experiments.RoleAdmin
		}
	}
	return p, nil
}

// addedByWords says who added an account, for the Users page: "setup",
// "command line", the teammate's email, "invite from" them; a teammate
// since removed is still named, by the email they had, and said to be
// gone. "" for an account made before copylab kept this.
func addedByWords(by experiments.Adder) string {
	who := by.Email
	if who != "" && by.UserID == 0 {
		who += ", since removed"
	}
	switch by.Via {
	case experiments.AddedAtSetup:
		return "setup"
	case experiments.AddedFromCommandLine:
		return "command line"
	case experiments.AddedByHand:
		return who
	case experiments.AddedByInvite:
		if who == "" {
			return "invite from the command line"
		}
		return "invite from " + who
	}
	return ""
}

// invitesSection reads the pending invites, then the ones that expired
// unused in the last week (experiments.ExpiredInviteKept), in the same
// list: the Users page shows those apart (views.expiredInvites), so that
// whoever sent one learns the person did not join. Invites expired longer
// ago are deleted here, on the page that would list them, as well as
// hourly and when the next invite is made (Store.CreateInvite).
func (a *App) invitesSection(c *fiber.Ctx) (views.InvitesSection, error) {
	now := a.now()
	s := views.InvitesSection{Now: now, TTLDays: int(inviteTTL / (24 * time.Hour))}
	if _, err := a.store.DeleteExpiredInvites(c.UserContext(), now); err != nil {
		return s, err
	}
	pending, err := a.store.Invites(c.UserContext(), now)
	if err != nil {
		return s, err
	}
	expired, err := a.store.ExpiredInvites(c.UserContext(), now)
	if err != nil {
		return s, err
	}
	for _, inv := range append(pending, expired...) {
		s.Pending = append(s.Pending, views.InviteRow{ID: inv.ID, Email: inv.Email, InvitedBy: inv.InvitedBy, Role: string(inv.Role), Expires: inv.ExpiresAt})
	}
	return s, nil
}

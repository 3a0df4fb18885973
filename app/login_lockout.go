package app

import (
	"errors"
	"net/netip"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// A sign-in refused for too many wrong passwords tells the person to ask
// whoever runs copylab for a new one (copylab user password). That
// command runs in another process, on the database alone, and the
// limiter's counts live in this one's memory: without more, the new
// password would be refused too until the window had passed. So a refused
// sign-in looks up when the account's password was last set
// (Store.PasswordSetAt), and the failures for that email counted before
// then are forgotten: they were guesses at a password that no longer
// exists. Failures after it count as before, so the new password is
// guarded by the same limits.

// reserveAfterReset is reserveSignIn's second try, for an attempt the
// limiter refused: it forgets the failures for email counted before its
// password was last set, from this client, by the device cookie and from
// every client (the email's ceiling), then asks the limiter again. An
// email with no account changes nothing.
func (a *App) reserveAfterReset(c *fiber.Ctx, client, email, device string, wait time.Duration) (attempt, bool, time.Duration, error) {
	at, ok, wait, err := a.retryAfterReset(c, client, email, device, wait)
	if err == nil && !ok {
		a.warnSignInPaused(client, email, wait)
	}
	return at, ok, wait, err
}

// warnSignInPaused logs, at most once a minute (limiter.pauseNote), that
// sign-in was refused and at which client address: people told "too many
// attempts" ask whoever runs copylab, who otherwise had nothing in the
// log to go on. When that address is loopback and no proxy is trusted,
// the cause is usually a proxy on this host, which makes everyone one
// client, and the line says which setting to change.
func (a *App) warnSignInPaused(client, email string, wait time.Duration) {
	note, ok := a.logins.pauseNote(client, email)
	if !ok {
		return
	}
	if ip, err := netip.ParseAddr(client); err == nil && ip.IsLoopback() && len(a.proxies) == 0 {
		note += "; every visitor comes from loopback when copylab is behind a proxy on this host that is not in " + setting("trusted-proxies")
	}
	a.log.Warn(note, "client", client, "retry_in", wait.Round(time.Second).String())
}

// retryAfterReset is reserveAfterReset's work; it says nothing.
func (a *App) retryAfterReset(c *fiber.Ctx, client, email, device string, wait time.Duration) (attempt, bool, time.Duration, error) {
	set, err := a.store.PasswordSetAt(c.UserContext(), email)
	if errors.Is(err, experiments.ErrNotFound) {
		return attempt{}, false, wait, nil
	}
	if err != nil {
		return attempt{}, false, 0, err
	}
	if !a.logins.forgetBefore(client, email, device, set) {
		return attempt{}, false, wait, nil
	}
	at, ok, wait := a.logins.ReserveDevice(client, email, device)
	return at, ok, wait, nil
}

// forgetBefore drops the attempts counted before t against the keys an
// attempt by client for email with that device would count against (as
// ReserveDevice names them), the client's own across emails aside: those
// were made at other accounts too. It reports whether it dropped any.
func (l *limiter) forgetBefore(client, email, device string, t time.Time) bool {
	email = email[:min(len(email), 254)]
	keys := []string{"pair:" + client + "|" + email, "email:" + email}
	if device != "" {
		keys = append(keys, "device:"+device)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	dropped := false
	for _, k := range keys {
		e := l.entries[k]
		if e == nil {
			continue
		}
		i := 0
		for i < len(e.hits) && e.hits[i].Before(t) {
			i++
		}
		if i > 0 {
			l.setHitsLocked(e, e.hits[i:])
			dropped = true
		}
	}
	return dropped
}

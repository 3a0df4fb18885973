package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"copylab/experiments"
)

// An invite link, /invite/TOKEN, lets one person make their own account
// with their own password: it works once, for inviteTTL. Its token is
// random (experiments.RandomToken: 32 characters of a 32-letter alphabet,
// 160 bits) and stored only as its hash (hashSecret), as session ids and
// API tokens are, so a leaked database hands out no live link; it is
// shown once, to whoever made it. It never reaches the log: the request
// log writes /invite/… for its path (logPath).
const (
	inviteTTL      = 7 * 24 * time.Hour
	inviteTokenLen = 32
	invitePrefix   = "/invite/"
)

// newInviteToken is a new invite link's secret.
func newInviteToken() string { return experiments.RandomToken(inviteTokenLen) }

// validInviteToken tells whether s has the form of an invite token, so
// that a mangled link is answered without a lookup.
func validInviteToken(s string) bool {
	if len(s) != inviteTokenLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// logPath is the path the logs write for a request: the token of an
// invite link or of a share link (/r/TOKEN/recordings) is cut out, since
// the log is read by more people, and kept longer, than the link should
// be; what follows the token stays, so the log still says which page.
func logPath(p string) string {
	// Routes match whatever the case (Fiber's default), so the prefix does too.
	for _, prefix := range []string{invitePrefix, "/r/"} {
		if len(p) > len(prefix) && strings.EqualFold(p[:len(prefix)], prefix) {
			rest := ""
			if i := strings.IndexByte(p[len(prefix):], '/'); i >= 0 {
				rest = p[len(prefix)+i:]
			}
			return prefix + "…" + rest
		}
	}
	return p
}

// inviteNameError says why a name cannot go with an invite, or "".
func inviteNameError(name string) string {
	switch {
	case utf8.RuneCountInString(name) > experiments.MaxNameLen:
		return fmt.Sprintf("Keep the name to at most %d characters.", experiments.MaxNameLen)
	case experiments.TextProblem(name) != "":
		return "The name " + experiments.TextProblem(name) + "."
	}
	return ""
}

// emailTaken is the one sentence for an email that can already sign in,
// whether adding or inviting.
const emailTaken = "Someone with this email can already sign in."

// createInvite makes an invite link for email from by (an admin on the
// Users page, whom the store checks is one still, experiments.ErrNotAdmin;
// nil for the command line), for an account with role, and returns its
// token, the only copy. Problems
// with the email or name come back as an experiments.ValidationError (the
// fields "email" and "name"); an email that can already sign in as
// experiments.ErrConflict. A pending invite for the same email is
// replaced, and replaced says so.
func createInvite(ctx context.Context, store *experiments.Store, email, name string, by *experiments.Admin, role experiments.Role, now time.Time) (token string, inv experiments.Invite, replaced bool, err error) {
	email, name = normalizeEmail(email), strings.TrimSpace(name)
	verr := fieldErrors(
		experiments.FieldError{Field: "email", Code: "invalid_email", Message: emailError(email)},
		experiments.FieldError{Field: "name", Code: "invalid_name", Message: inviteNameError(name)})
	if len(verr) > 0 {
		return "", experiments.Invite{}, false, verr
	}
	token = newInviteToken()
	if by == nil {
		inv, replaced, err = store.CreateInviteAs(ctx, hashSecret(token), email, name, "", role, now, now.Add(inviteTTL))
	} else {
		inv, replaced, err = store.CreateInviteByAdmin(ctx, hashSecret(token), email, name, *by, role, now, now.Add(inviteTTL))
	}
	if err != nil {
		return "", experiments.Invite{}, false, err
	}
	return token, inv, replaced, nil
}

// InviteUser makes an invite link for email (name is optional) from the
// command line and returns its path, /invite/TOKEN: the only copy, to be
// printed once after the public URL. Problems with the email or the name
// come back as an experiments.ValidationError; an email that can already
// sign in as experiments.ErrConflict. A pending invite for the same email
// is replaced, and replaced says so. The account will be a member.
func InviteUser(ctx context.Context, store *experiments.Store, email, name string) (path string, expires time.Time, replaced bool, err error) {
	return InviteUserAs(ctx, store, email, name, experiments.RoleMember)
}

// InviteUserAs is InviteUser for an account that gets role. The invite is
// stored with its role in one transaction, so that no crash can leave
// behind a link that makes a member where an admin was asked for.
func InviteUserAs(ctx context.Context, store *experiments.Store, email, name string, role experiments.Role) (path string, expires time.Time, replaced bool, err error) {
	token, inv, replaced, err := createInvite(ctx, store, email, name, nil, role, time.Now())
	if err != nil {
		return "", time.Time{}, false, err
	}
	return invitePrefix + token, inv.ExpiresAt, replaced, nil
}

// InviteLink joins copylab's public URL (as given to copylab serve with
// --public-url) and an invite's path, or says why the URL cannot be one.
func InviteLink(publicURL, path string) (string, error) {
	u, err := publicOrigin(strings.TrimRight(strings.TrimSpace(publicURL), "/"))
	if err != nil {
		return "", err
	}
	return u.String() + path, nil
}

// joinedLinks remembers, for joinedLinkTTL, the invite links that made an
// account, by their hash, with the account's email, so that the newcomer
// who opens their link again is not told it no longer works (which would
// have them ask for a link they do not need; inviteGone):
//   - within joinedLinkFresh of its use, whoever sends it goes to sign-in,
//     told the link is used (inviteUsed, which names no email): a form
//     sent twice, whose second sending left before the first's answer
//     came and so carries no session;
//   - within the hour, the browser signed in to that account goes on to
//     the sites list (the Back button).
//
// Anyone else gets the dead-link page, as for any link that does not
// work. In memory only, at most joinedLinkMax: after a restart such a link
// gets the dead-link page.
type joinedLinks struct {
	mu sync.Mutex
	m  map[string]joinedLink
}

type joinedLink struct {
	email string
	at    time.Time
}

const (
	joinedLinkTTL   = time.Hour
	joinedLinkFresh = 2 * time.Minute
	joinedLinkMax   = 1000
)

// add records that the link whose token hashes to hash made email's
// account at now, dropping what has aged out (and the oldest, past
// joinedLinkMax).
func (j *joinedLinks) add(hash, email string, now time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.m == nil {
		j.m = map[string]joinedLink{}
	}
	var oldest string
	for h, l := range j.m {
		if now.Sub(l.at) >= joinedLinkTTL {
			delete(j.m, h)
		} else if oldest == "" || l.at.Before(j.m[oldest].at) {
			oldest = h
		}
	}
	if len(j.m) >= joinedLinkMax {
		delete(j.m, oldest)
	}
	j.m[hash] = joinedLink{email: email, at: now}
}

// lookup is the email of the account the link whose token hashes to hash
// made within joinedLinkTTL of now, and how long ago.
func (j *joinedLinks) lookup(hash string, now time.Time) (email string, age time.Duration, ok bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	l, ok := j.m[hash]
	if !ok || now.Sub(l.at) >= joinedLinkTTL {
		return "", 0, false
	}
	return l.email, now.Sub(l.at), true
}

package app

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
	"copylab/views"
)

// Password rules. bcrypt reads at most 72 bytes and silently ignores the
// rest, so longer passwords are refused rather than quietly truncated.
const (
	MinPasswordLen   = 10
	MaxPasswordBytes = 72
)

// passwordError returns why a password cannot be used, or "".
func passwordError(pw string) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return fmt.Sprintf("Use at least %d characters.", MinPasswordLen)
	case len(pw) > MaxPasswordBytes:
		// Bytes, as bcrypt counts: a letter with an accent takes two,
		// most other scripts three, so 40 "é" are too many.
		return fmt.Sprintf("Use at most %d bytes: %d plain letters, fewer with accents or other scripts.", MaxPasswordBytes, MaxPasswordBytes)
	}
	return ""
}

// newPasswordErrors adds to errs what is wrong with a new password typed
// twice (the "password" and "password2" fields of setup, an invite and a
// password change). Two that differ mark both fields: a page never sends
// a password back, so both come back empty and both must be typed again,
// starting with the first, where the page puts the focus (app.js focuses
// the first field marked invalid). Marking only the second had people
// fix it and meet the first one's empty field as the next mistake.
func newPasswordErrors(errs views.Errors, password, again string) {
	const differ = "The two passwords differ. Type the password again in both fields."
	msg := passwordError(password)
	switch {
	case msg != "" && again != password:
		errs["password"] = msg
		errs["password2"] = differ
	case msg != "":
		errs["password"] = msg
	case again != password:
		errs["password"] = differ
		errs["password2"] = "Type the same password again here."
	}
}

// emailError returns why an email cannot be used, or "".
func emailError(email string) string {
	if email == "" {
		return "Enter an email address."
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email, "@") || len(email) > 254 {
		return "Enter an email address such as you@example.com."
	}
	return ""
}

func normalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// hashPassword hashes with bcrypt at the given cost.
func hashPassword(pw string, cost int) (string, error) {
	if msg := passwordError(pw); msg != "" {
		return "", errors.New(msg)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// GeneratePassword returns a random password of 20 characters from an
// unambiguous alphabet (about 100 bits).
func GeneratePassword() string {
	return experiments.RandomToken(20)
}

// AddUser creates a user who can sign in (name is optional), hashing the
// password as the app does. An empty password means a generated one, which is returned (and is
// then the only copy: show it once). Problems with the email or the password
// come back as an experiments.ValidationError with the fields "email" and
// "password"; an email in use as experiments.ErrConflict.
func AddUser(ctx context.Context, store *experiments.Store, email, name, password string) (experiments.User, string, error) {
	return AddUserAs(ctx, store, email, name, password, "")
}

// AddUserAs is AddUser for an account with role ("" gives the store's
// default, as AddUser does), given in the transaction that creates it
// (copylab user add --role): made with the default and changed after,
// the account was left with the default when the process stopped in
// between.
func AddUserAs(ctx context.Context, store *experiments.Store, email, name, password string, role experiments.Role) (experiments.User, string, error) {
	return addUserBy(ctx, store, email, name, password, DefaultBcryptCost,
		experiments.Adder{Via: experiments.AddedFromCommandLine, Role: role})
}

// addUser is AddUser with the bcrypt cost: an account nobody in copylab
// added (the command line's, and tests').
func addUser(ctx context.Context, store *experiments.Store, email, name, password string, cost int) (experiments.User, string, error) {
	return addUserBy(ctx, store, email, name, password, cost, experiments.Adder{Via: experiments.AddedFromCommandLine})
}

// addUserBy is addUser recording who added the account and how
// (Store.CreateUserBy): setup, or a teammate by hand (Users → Add). The
// latter is an admin's only: the store checks, in the transaction that
// makes the account, that by is an admin still (experiments.ErrNotAdmin).
func addUserBy(ctx context.Context, store *experiments.Store, email, name, password string, cost int, by experiments.Adder) (experiments.User, string, error) {
	email = normalizeEmail(email)
	generated := ""
	if password == "" {
		password = GeneratePassword()
		generated = password
	}
	verr := fieldErrors(
		experiments.FieldError{Field: "email", Code: "invalid_email", Message: emailError(email)},
		experiments.FieldError{Field: "password", Code: "invalid_password", Message: passwordError(password)})
	if len(verr) > 0 {
		return experiments.User{}, "", verr
	}
	hash, err := hashPassword(password, cost)
	if err != nil {
		return experiments.User{}, "", err
	}
	create := store.CreateUserBy
	if by.Via == experiments.AddedByHand {
		create = store.CreateUserByAdmin
	}
	u, err := create(ctx, email, name, hash, by)
	if err != nil {
		return experiments.User{}, "", err
	}
	return u, generated, nil
}

// TokenPrefix starts every API token, so that a leaked one is easy to
// recognise (and to find with secret scanners).
const TokenPrefix = "cl_"

// CreateToken makes a new API token for the user with that email and
// returns its secret, the only copy: print it once. Only its SHA-256 hash is
// stored.
func CreateToken(ctx context.Context, store *experiments.Store, email, name string) (string, error) {
	return CreateTokenWithAccess(ctx, store, email, name, experiments.AccessFull)
}

// CreateTokenWithAccess is CreateToken for a token that may do what
// access says: everything its user can, or only read.
func CreateTokenWithAccess(ctx context.Context, store *experiments.Store, email, name string, access experiments.TokenAccess) (string, error) {
	u, _, err := store.UserByEmail(ctx, normalizeEmail(email))
	if errors.Is(err, experiments.ErrNotFound) {
		return "", fmt.Errorf("no user has the email %q: add the user first (copylab user add) or check the spelling", email)
	}
	if err != nil {
		return "", fmt.Errorf("app: create token: %w", err)
	}
	secret, _, err := createToken(ctx, store, u.ID, name, access)
	return secret, err
}

// createToken makes a token for the user, named name, that may do what
// access says. Problems with the name and the access are returned
// together, as a form shows them.
func createToken(ctx context.Context, store *experiments.Store, userID int64, name string, access experiments.TokenAccess) (string, experiments.APIToken, error) {
	name = strings.TrimSpace(name)
	if verr := fieldErrors(tokenNameCheck(name), tokenAccessCheck(access)); len(verr) > 0 {
		return "", experiments.APIToken{}, verr
	}
	secret := TokenPrefix + experiments.RandomToken(40)
	t, err := store.CreateAPITokenWithAccess(ctx, userID, name, hashSecret(secret), secret[:len(TokenPrefix)+4], access)
	if err != nil {
		return "", experiments.APIToken{}, fmt.Errorf("app: create token: %w", err)
	}
	return secret, t, nil
}

// tokenNameCheck is the first problem with a token's name, if any.
func tokenNameCheck(name string) experiments.FieldError {
	switch {
	case name == "":
		return experiments.FieldError{Field: "name", Code: "required", Message: "Name the token after what uses it, such as “CI deploy”."}
	case utf8.RuneCountInString(name) > experiments.MaxNameLen:
		return experiments.FieldError{Field: "name", Code: "too_long", Message: fmt.Sprintf("Keep the name to at most %d characters.", experiments.MaxNameLen)}
	}
	if why := experiments.TextProblem(name); why != "" {
		return experiments.FieldError{Field: "name", Code: "invalid_text", Message: "The name " + why + "."}
	}
	return experiments.FieldError{}
}

// tokenAccessCheck refuses an access that is neither full nor read.
func tokenAccessCheck(access experiments.TokenAccess) experiments.FieldError {
	if access == experiments.AccessFull || access == experiments.AccessRead {
		return experiments.FieldError{}
	}
	return experiments.FieldError{Field: "access", Code: "invalid_access", Message: "Choose what the token may do: change things, or only read."}
}

// fieldErrors keeps the checks that found a problem (a Message): the
// ValidationError of a form's fields, empty when all are fine.
func fieldErrors(checks ...experiments.FieldError) experiments.ValidationError {
	var verr experiments.ValidationError
	for _, c := range checks {
		if c.Message != "" {
			verr = append(verr, c)
		}
	}
	return verr
}

package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// The API's creating calls take an Idempotency-Key header, as Stripe's
// do (and the IETF draft "The Idempotency-Key HTTP Header Field"): a
// client that retries a call that timed out, with the same key, gets the
// first answer again rather than a second experiment. The answer is kept
// for a day (experiments.IdempotencyKeyKept), in the database, so that a
// restart between the call and its retry changes nothing.
const (
	idempotencyKeyHeader = "Idempotency-Key"
	// idempotentReplayedHeader marks an answer replayed for a key: the
	// call was not made again.
	idempotentReplayedHeader = "Idempotent-Replayed"
	maxIdempotencyKey        = 255
)

// idempotentRoutes are the API's calls that make something new, and so
// take an Idempotency-Key: generate too, which adds drafts (a retry
// without a key adds more, or, with the offline generator's same drafts
// for the same brief, answers no_new_drafts for drafts that were added;
// its 3 minutes at most are well inside IdempotencyKeyAbandoned). The
// others are safe to retry as they are: a transition or a ship already in
// place answers 200 unchanged, a PATCH sets the same values again.
var idempotentRoutes = []string{
	"/api/v1/sites",
	"/api/v1/experiments",
	"/api/v1/experiments/:id/variants",
	"/api/v1/experiments/:id/duplicate",
	"/api/v1/experiments/:id/generate",
}

// idempotent is the API's middleware for the Idempotency-Key header, after
// apiAuth (a key is its user's own). For a creating POST sent with a key,
// a retry, the same method, path and body from the same user within a
// day, gets the first answer (status, body and Location) with
// Idempotent-Replayed: true, and nothing is done again, unless what the
// first call made has been deleted since (replayGone: 410); the same key with
// another request is 422 idempotency_key_reused, and one whose first call
// is still being answered 409 idempotency_key_in_use. Only successes are
// kept: a refused or failed call lets its key go, so that the retry of a
// corrected request is answered anew. Other calls ignore the header.
func (a *App) idempotent(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodPost || !slices.Contains(idempotentRoutes, c.Route().Path) {
		return c.Next()
	}
	sent := c.Request().Header.PeekAll(idempotencyKeyHeader)
	if len(sent) == 0 {
		return c.Next()
	}
	u, ok := c.Locals(localAPIUser).(experiments.User)
	if !ok {
		return c.Next()
	}
	if len(sent) > 1 {
		return errBadRequest("invalid_idempotency_key", "", "Send one Idempotency-Key header, not "+fmt.Sprint(len(sent))+".")
	}
	key := string(sent[0])
	if msg := idempotencyKeyProblem(key); msg != "" {
		return errBadRequest("invalid_idempotency_key", "", msg)
	}
	call := experiments.IdempotentCall{UserID: u.ID, Key: key, Method: c.Method(), Path: c.Path(),
		Body: c.Request().Body()}
	// at names this call's hold on the key: saving the answer and letting
	// the key go act on it only, not on the hold of a retry that took the
	// key over while this call ran (experiments.IdempotencyKeyAbandoned).
	at := a.now()
	state, ans, err := a.store.ReserveIdempotencyKey(c.UserContext(), call, at)
	if err != nil {
		return err
	}
	switch state {
	case experiments.KeyAnswered:
		if msg, err := a.replayGone(c.UserContext(), c.Path(), ans); err != nil || msg != "" {
			if err != nil {
				return err
			}
			return newHTTPError(http.StatusGone, "idempotent_resource_gone", msg)
		}
		if ans.Location != "" {
			c.Location(ans.Location)
		}
		c.Set(idempotentReplayedHeader, "true")
		c.Type("json", "utf-8")
		return c.Status(ans.Status).Send(ans.Body)
	case experiments.KeyInUse:
		return &httpError{Status: http.StatusConflict, Code: "idempotency_key_in_use", RetryAfter: time.Second,
			Message: "A request with this Idempotency-Key is still being answered. Send it again in a moment to get its answer."}
	case experiments.KeyReused:
		return &httpError{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused",
			Message: "This Idempotency-Key was sent in the last 24 hours with another request (another body, path or method). " +
				"Send a new key with each new request, and the same key only to retry the same request."}
	}

	// The key is held for this call: keep its answer if it succeeds, or
	// let the key go, also when the handler panics (recoverPanics, before
	// this middleware, answers it).
	kept := false
	defer func() {
		if !kept {
			a.releaseIdempotencyKey(c.UserContext(), u.ID, key, at)
		}
	}()
	err = c.Next()
	status := c.Response().StatusCode()
	if err != nil || status < 200 || status > 299 {
		return err
	}
	ans = experiments.IdempotentAnswer{Status: status, Location: string(c.Response().Header.Peek(fiber.HeaderLocation)),
		Body: slices.Clone(c.Response().Body())}
	// The call is done: not keeping its answer only leaves the key held
	// until it is abandoned (experiments.IdempotencyKeyAbandoned), which
	// the answer should not wait for.
	saved, serr := a.store.SaveIdempotentAnswer(context.WithoutCancel(c.UserContext()), u.ID, key, at, ans, a.now())
	switch {
	case serr != nil:
		a.log.Error("idempotency: keep the answer", "request_id", requestIDOf(c), "error", serr)
	case !saved:
		// A retry took the key over while this call ran: both were made,
		// and the retry's answer is the one kept.
		a.log.Warn("idempotency: the key was taken over by a retry while this call ran; its answer is not kept",
			"request_id", requestIDOf(c), "took", a.now().Sub(at).Round(time.Second).String())
	}
	kept = true
	return nil
}

// releaseIdempotencyKey lets go of the key a call that did not succeed
// reserved at at (a retry's hold on it stays); a failure is logged, and
// leaves the key held until it is abandoned.
func (a *App) releaseIdempotencyKey(ctx context.Context, userID int64, key string, at time.Time) {
	if err := a.store.ReleaseIdempotencyKey(context.WithoutCancel(ctx), userID, key, at); err != nil {
		a.log.Error("idempotency: let a key go", "error", err)
	}
}

// idempotencyKeyProblem says what is wrong with an Idempotency-Key, or
// "": it is 1 to 255 printable ASCII characters (a UUID is usual).
func idempotencyKeyProblem(key string) string {
	switch {
	case key == "":
		return "The Idempotency-Key header is empty. Send a key of your choosing, such as a UUID, or no header."
	case len(key) > maxIdempotencyKey:
		return fmt.Sprintf("The Idempotency-Key is %d characters long; keep it to %d, such as a UUID.", len(key), maxIdempotencyKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return fmt.Sprintf("The Idempotency-Key may hold only printable ASCII characters (letters, digits, punctuation); byte %d is not one.", i+1)
		}
	}
	return ""
}

// replayGone says why the kept answer of a creating call is not given
// again, or "" when it may be: what the call made, or drafted for, has
// been deleted since. A script retries a create that timed out to learn
// what it made; the first 201 again would hand it the id of a site,
// experiment or variant that is no longer there, as if it were, and its
// next call would fail on an id it was just told about. Making it again
// would undo a deletion someone chose, and do twice what the key says was
// done once. So the retry is answered 410 idempotent_resource_gone, with
// nothing done, and the key stays as it is: a new key makes it anew.
//
// What the call made is named by the answer's Location (a site, an
// experiment, a variant); generate answers without one: it is about the
// experiment in its path, and made the drafts its answer lists
// (generatedGone).
func (a *App) replayGone(ctx context.Context, path string, ans experiments.IdempotentAnswer) (string, error) {
	target, made := path, false
	if ans.Location != "" {
		u, err := url.Parse(ans.Location)
		if err != nil {
			return "", fmt.Errorf("idempotency: the kept Location %q: %w", ans.Location, err)
		}
		target, made = u.Path, true
	}
	again := " Nothing was done again; to make it anew, send the request with a new key."
	switch seg := strings.Split(strings.TrimPrefix(target, "/api/v1/"), "/"); {
	case len(seg) == 2 && seg[0] == "sites":
		if _, err := a.store.Site(ctx, seg[1]); !errors.Is(err, experiments.ErrNotFound) {
			return "", err
		}
		return fmt.Sprintf("The site this Idempotency-Key created (%s) has since been deleted.", seg[1]) + again, nil
	case len(seg) >= 2 && seg[0] == "experiments":
		x, err := a.store.Experiment(ctx, seg[1])
		switch {
		case errors.Is(err, experiments.ErrNotFound) && len(seg) == 4 && seg[2] == "variants":
			return fmt.Sprintf("The experiment this Idempotency-Key added a variant to (%s) has since been deleted. Nothing was done again.", seg[1]), nil
		case errors.Is(err, experiments.ErrNotFound) && made:
			return fmt.Sprintf("The experiment this Idempotency-Key created (%s) has since been deleted.", seg[1]) + again, nil
		case errors.Is(err, experiments.ErrNotFound):
			return fmt.Sprintf("The experiment this Idempotency-Key drafted copy for (%s) has since been deleted. Nothing was done again.", seg[1]), nil
		case err != nil:
			return "", err
		case len(seg) == 4 && seg[2] == "variants":
			key, err := url.PathUnescape(seg[3])
			if err != nil {
				return "", fmt.Errorf("idempotency: the kept Location %q: %w", ans.Location, err)
			}
			if !slices.ContainsFunc(x.Variants, func(v experiments.Variant) bool { return v.Key == key }) {
				return fmt.Sprintf("The variant %q this Idempotency-Key added has since been deleted.", key) + again, nil
			}
		case len(seg) == 3 && seg[2] == "generate":
			msg, err := generatedGone(x, ans)
			if msg == "" || err != nil {
				return "", err
			}
			return msg + again, nil
		}
	}
	return "", nil
}

// generatedGone says which of the drafts a kept generate answer lists
// are no longer variants of x, or "" when all are. One is enough: the
// first 200 again would list a key that names nothing, as a variant's 201
// would. Keys are never given again (experiments.AddVariants), so a key
// still there is the draft the call added.
func generatedGone(x experiments.Experiment, ans experiments.IdempotentAnswer) (string, error) {
	var kept struct {
		Variants []struct {
			Key string `json:"key"`
		} `json:"variants"`
	}
	if err := json.Unmarshal(ans.Body, &kept); err != nil {
		return "", fmt.Errorf("idempotency: the kept generate answer: %w", err)
	}
	var gone, there []string
	for _, d := range kept.Variants {
		if _, ok := x.Variant(d.Key); ok {
			there = append(there, strconv.Quote(d.Key))
		} else {
			gone = append(gone, strconv.Quote(d.Key))
		}
	}
	if len(gone) == 0 {
		return "", nil
	}
	msg := "The draft " + gone[0] + " this Idempotency-Key added has since been deleted"
	if len(gone) > 1 {
		msg = "The drafts " + englishJoin(gone) + " this Idempotency-Key added have since been deleted"
	}
	switch len(there) {
	case 0:
	case 1:
		msg += "; " + there[0] + " is still there"
	default:
		msg += "; " + englishJoin(there) + " are still there"
	}
	return msg + ".", nil
}

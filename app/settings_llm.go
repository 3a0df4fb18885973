package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/views"
)

// llmSettings is the AI copy section of the settings page.
func (a *App) llmSettings(c *fiber.Ctx) views.LLMSettingsSection {
	s := views.LLMSettingsSection{LLM: a.llmInfo(), TestURL: "/settings/llm/test"}
	if sess := sessionOf(c); sess != nil {
		s.CSRF = sess.csrf
	}
	return s
}

// settingsLLMTest answers POST /settings/llm/test: it sends the model the
// smallest request that proves the settings work, and says what happened
// in one sentence: the fragment for htmx, a flash message otherwise.
//
// The test is a model call, held to the same limits as drafts and
// rewrites (acquireTest): one press costs a request to the model and
// may hold it for llmTestLimit, so a person pressing it over and over,
// or a script with their session, must not take the model from everyone
// else. A refused test says why and asks nothing.
func (a *App) settingsLLMTest(c *fiber.Ctx) error {
	r, err := a.testLLM(c)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		kind := "ok"
		if !r.OK {
			kind = "error"
		}
		return a.redirectWithFlash(c, "/settings#llm", kind, r.Message)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, views.LLMTestOutcome(r))
}

// testLLM runs the connection test, within the limits on model calls,
// and words its outcome.
func (a *App) testLLM(c *fiber.Ctx) (views.LLMTestResult, error) {
	info := a.llmInfo()
	if info.Offline {
		return llmTestOutcome(info, nil), nil // nothing is asked
	}
	p := personOf(sessionOf(c).user)
	if err := a.genJobs.acquireTest(p); err != nil {
		a.countRefusal("test", err)
		var limit *limitError
		if !errors.As(err, &limit) {
			return views.LLMTestResult{}, err
		}
		return views.LLMTestResult{Message: llmTestRefused(limit)}, nil
	}
	defer a.genJobs.releaseTest(p)
	ctx, cancel := context.WithTimeout(c.UserContext(), a.llmTestLimit())
	defer cancel()
	err := a.gen.TestConnection(a.countLLM(ctx, "test"))
	if err != nil {
		// As a drafting failure is (logLLMFailure): the error carries the
		// advice for whoever runs copylab, such as a longer --llm-timeout,
		// which the page leaves to the log, and the limit's value.
		a.log.Warn("model connection test failed", "request_id", requestIDOf(c), "error", err.Error(),
			"llm_timeout", a.llmTestLimit().String())
	}
	return llmTestOutcome(info, err), nil
}

// llmTestLimit bounds the Test connection button: the time drafting
// waits for one answer (--llm-timeout). A shorter limit failed the test
// of a model that drafting would wait for (one answering in 25 seconds,
// by the default 45), and said a limit that was not the setting. The
// whole test is held to it, a retry after a 429 included, so that one
// press waits no longer than one answer may take.
func (a *App) llmTestLimit() time.Duration {
	return a.gen.Describe().Timeout
}

// llmTestRefused says why a connection test was not sent: the person's
// calls to the model, or copylab's, are all taken.
func llmTestRefused(limit *limitError) string {
	if limit.reason == refusedServerBusy {
		return "copylab is making as many calls to the model as it makes at once; test again in a minute."
	}
	return fmt.Sprintf("You already have %d calls to the model running, the most at once; wait for one to finish, then test again.", genPersonMax)
}

// llmNothingToTest answers Test connection with no model configured: not
// a failure, so it is no error, but it says what to do, in the words of
// the page's How to connect a model steps.
const llmNothingToTest = "No AI model is connected yet, so there is nothing to test. " +
	"Set COPYLAB_LLM_API_KEY (or COPYLAB_LLM_BASE_URL for a local server such as Ollama) and restart copylab; then test again. " +
	"How to connect a model, on this page, has the details."

// llmTestOutcome words the result of a connection test.
func llmTestOutcome(l views.LLMInfo, err error) views.LLMTestResult {
	if l.Offline {
		return views.LLMTestResult{OK: true, Message: llmNothingToTest}
	}
	if err == nil {
		return views.LLMTestResult{OK: true, Message: "Connected: " + l.Model + " at " + l.BaseURL + " answered."}
	}
	// The library words a test's failures for whoever sets copylab up:
	// for a timeout, the limit that ran out and the setting that gives a
	// slow model longer; for a server reached whose model gave no answer
	// (no text, or only its thinking), that it was reached and what
	// helps. Connected is said only when the model answered.
	return views.LLMTestResult{Message: "The test failed. " + failureSentence(err)}
}

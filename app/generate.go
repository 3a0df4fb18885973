package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
	"copylab/variants"
	"copylab/views"
)

// copyWriter is what the app needs of the generation library: drafts for a
// brief, one replacement draft, a connection test, and a description of
// the settings in force. *variants.Generator implements it.
type copyWriter interface {
	Generate(ctx context.Context, b variants.Brief) (variants.Result, error)
	RegenerateAvoiding(ctx context.Context, b variants.Brief, others, tried []string, current, instruction string) (variants.Candidate, error)
	TestConnection(ctx context.Context) error
	Describe() variants.Settings
}

// Option adjusts the app New builds.
type Option func(*App)

// WithGenerator makes the app draft copy with g. Without it, New builds
// one generator from the Config's LLM settings. Run builds the one
// generator of the process and passes it here; tests pass one that talks
// to a fake model server.
func WithGenerator(g *variants.Generator) Option {
	return func(a *App) {
		if g != nil {
			a.gen = g
		}
	}
}

// NewGenerator builds the copy generator the Config describes: a model
// behind an OpenAI-compatible API, or the offline generator when neither
// a key nor a base URL is set.
func NewGenerator(cfg Config) (*variants.Generator, error) {
	g, err := variants.New(variants.Config{BaseURL: cfg.LLMBaseURL, Model: cfg.LLMModel, APIKey: cfg.LLMAPIKey,
		Timeout: cfg.withDefaults().LLMTimeout})
	if err != nil {
		return nil, fmt.Errorf("app: llm settings: %w", err)
	}
	return g, nil
}

// llmInfo describes the generator for the pages; never the key itself.
func (a *App) llmInfo() views.LLMInfo {
	s := a.gen.Describe()
	return views.LLMInfo{Offline: s.Mode == variants.ModeOffline, Mode: s.Mode, BaseURL: s.BaseURL, Model: s.Model, KeyHint: s.KeyHint,
		Timeout: s.Timeout, JobLimit: a.genJobLimit()}
}

// genJobLimit bounds one generation in all: it may ask the model twice
// (the drafts, then any missing ones) and retry an overloaded service, so
// it gets twice the time of one answer and a minute more, and never less
// than genJobTimeout. regenLimit bounds one rewrite, a single question.
func (a *App) genJobLimit() time.Duration {
	return max(genJobTimeout, 2*a.gen.Describe().Timeout+time.Minute)
}

func (a *App) regenLimit() time.Duration {
	return max(regenTimeout, a.gen.Describe().Timeout+time.Minute)
}

// defaultRetryAfter is the Retry-After, in seconds, sent with
// llm_rate_limited when the model service did not say how long to wait.
const defaultRetryAfter = 20

// llmAnswer is the answer to a generation failure (classify calls it): the
// library's status, code and sentence, and a Retry-After on
// llm_rate_limited.
func llmAnswer(e *variants.Error) answer {
	a := answer{status: e.Status, body: apiErrorBody{Code: e.Code, Message: e.Message}}
	if a.status < 400 || a.status > 599 {
		a.status = http.StatusBadGateway
	}
	if e.Code == variants.CodeRateLimited {
		a.retryAfter = retryAfterSeconds(e)
	}
	return a
}

// retryAfterSeconds is how long to ask a client to wait after e.
func retryAfterSeconds(e *variants.Error) int {
	if e.RetryAfter > 0 {
		return ceilSeconds(e.RetryAfter)
	}
	return defaultRetryAfter
}

// asLLMError finds the library's error in err's chain.
func asLLMError(err error) (*variants.Error, bool) {
	var ve *variants.Error
	ok := errors.As(err, &ve)
	return ve, ok
}

// llmError prepares a generation failure for classify: invalid briefs
// become validation errors on the brief's fields (prefix names where the
// brief sits in the request), and a deadline of ours becomes llm_timeout.
func llmError(err error, prefix string) error {
	var ve *variants.Error
	var fe variants.FieldErrors
	switch {
	case errors.As(err, &ve):
		return err
	case errors.As(err, &fe):
		return briefValidation(fe, prefix)
	case errors.Is(err, context.DeadlineExceeded):
		return &httpError{Status: http.StatusGatewayTimeout, Code: variants.CodeTimeout, Message: "The model did not answer in time; try again."}
	}
	return err
}

// briefValidation turns the brief's field errors into the app's
// validation error, so that the API answers 422 with every field. prefix
// names where the brief sits in the request body ("brief."); n stays n.
func briefValidation(fe []variants.FieldError, prefix string) experiments.ValidationError {
	out := make(experiments.ValidationError, 0, len(fe))
	for _, f := range fe {
		field := f.Field
		if field != "n" {
			field = prefix + field
		}
		out = append(out, experiments.FieldError{Field: field, Code: "invalid_brief", Message: f.Message})
	}
	return out
}

// provenanceOf is where a stored variant's copy came from, for the
// experiment and results pages.
func provenanceOf(v experiments.Variant) views.Provenance {
	return views.Provenance{Source: v.Source, Model: v.Model, PromptVersion: v.PromptVersion, Created: v.CreatedAt,
		ApprovedBy: v.ApprovedBy, Edited: v.Edited}
}

// withProvenance adds where each generated variant came from to the rows
// of a results panel, on signed-in pages only: share links are public,
// and the provenance names the teammate who approved the copy.
func withProvenance(c *fiber.Ctx, e experiments.Experiment, r views.Results) views.Results {
	if sessionOf(c) == nil {
		return r
	}
	for i := range r.Rows {
		if v, ok := e.Variant(r.Rows[i].Key); ok {
			r.Rows[i].Provenance = provenanceOf(v)
		}
	}
	return r
}

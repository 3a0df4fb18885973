package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// TestF2ChangedIsConflict: experiments.ErrChanged (a save refused because
// the experiment changed after it was read) that reaches the central
// error handler is a 409 with the code "changed" and a sentence that
// says what to do, in the format of the path's audience, and is not
// logged as a server error. Only the Edit form produces it today, and
// answers it itself, so a minimal Fiber app with copylab's error handler
// returns it, wrapped as the store wraps its errors.
func TestF2ChangedIsConflict(t *testing.T) {
	var logged bytes.Buffer
	e := newEnvConfig(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logged, nil)) })
	f := fiber.New(fiber.Config{ErrorHandler: e.app.handleError})
	refuse := func(c *fiber.Ctx) error {
		return fmt.Errorf("experiments: update exp_1: %w", experiments.ErrChanged)
	}
	f.Post("/api/experiments/:id", refuse)
	f.Post("/experiments/:id/edit", refuse)
	const sentence = "It was changed by someone else after you opened it; reload to see the change, then try again."

	for _, tc := range []struct {
		name string
		path string
		want func(t *testing.T, body string)
	}{
		{"api", "/api/experiments/exp_1", func(t *testing.T, body string) {
			var got struct {
				Error apiErrorBody `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
			if want := (apiErrorBody{Code: "changed", Message: sentence}); got.Error != want {
				t.Errorf("error %+v, want %+v", got.Error, want)
			}
		}},
		{"page", "/experiments/exp_1/edit", func(t *testing.T, body string) {
			if !strings.Contains(html.UnescapeString(body), sentence) {
				t.Errorf("page lacks %q:\n%s", sentence, body)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := f.Test(newRequest(http.MethodPost, tc.path, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			body := readBody(t, resp)
			if resp.StatusCode != http.StatusConflict {
				t.Fatalf("status %d, want 409: %s", resp.StatusCode, body)
			}
			tc.want(t, body)
		})
	}
	if strings.Contains(logged.String(), "request failed") {
		t.Errorf("a refused save was logged as a server error:\n%s", logged.String())
	}
}

package main

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// TestWebhookAllowPrivateFlag: --webhook-allow-private, and its twin
// COPYLAB_WEBHOOK_ALLOW_PRIVATE, let sites' webhooks reach private
// addresses; neither set, they are refused. A twin that is not a boolean
// is a mistake named by both, and --help lists both.
func TestWebhookAllowPrivateFlag(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want bool
	}{
		{"default", nil, nil, false},
		{"flag", nil, []string{"--webhook-allow-private"}, true},
		{"flag false over twin", map[string]string{"COPYLAB_WEBHOOK_ALLOW_PRIVATE": "true"}, []string{"--webhook-allow-private=false"}, false},
		{"twin", map[string]string{"COPYLAB_WEBHOOK_ALLOW_PRIVATE": "true"}, nil, true},
		{"twin false", map[string]string{"COPYLAB_WEBHOOK_ALLOW_PRIVATE": "0"}, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, v := serveFlags(io.Discard, io.Discard, func(k string) string { return tt.env[k] })
			if err := f.parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if v.cfg.WebhookAllowPrivate != tt.want {
				t.Errorf("WebhookAllowPrivate = %v, want %v", v.cfg.WebhookAllowPrivate, tt.want)
			}
		})
	}

	// Parsed, not served: a twin the old code ignored would start a server.
	f, _ := serveFlags(io.Discard, io.Discard, func(k string) string {
		return map[string]string{"COPYLAB_WEBHOOK_ALLOW_PRIVATE": "yes"}[k]
	})
	err := f.parse(nil)
	if u := (usageError{}); !errors.As(err, &u) || !strings.Contains(err.Error(), `--webhook-allow-private (COPYLAB_WEBHOOK_ALLOW_PRIVATE) "yes" is not true or false`) {
		t.Errorf("a twin that is no boolean: %v", err)
	}
	help, _, err := runCmd(t, env(nil), "", "serve", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"--webhook-allow-private", "COPYLAB_WEBHOOK_ALLOW_PRIVATE"} {
		if !strings.Contains(help, w) {
			t.Errorf("serve --help lacks %s:\n%s", w, help)
		}
	}
}

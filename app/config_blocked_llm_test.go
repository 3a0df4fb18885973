package app

import (
	"strings"
	"testing"
)

// TestConfigBlockedModelAddress: a model base URL at a link-local or
// cloud metadata address is a mistake of the configuration, reported
// with the others in one sentence that names the setting, not the
// library's "variants: llm_blocked_address: …" at start.
func TestConfigBlockedModelAddress(t *testing.T) {
	for _, url := range []string{"http://169.254.169.254/v1", "http://metadata.google.internal/v1", "http://[fe80::1]:11434/v1"} {
		t.Run(url, func(t *testing.T) {
			err := Config{Addr: ":1", DBPath: "x", LLMBaseURL: url}.Validate()
			if err == nil {
				t.Fatal("Validate accepted it")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "--llm-base-url (COPYLAB_LLM_BASE_URL): ") || strings.Contains(msg, "\n") ||
				strings.Contains(msg, "variants") || strings.Contains(msg, "llm_blocked_address") {
				t.Errorf("err = %q, want one sentence that starts with the setting", msg)
			}
		})
	}
	if err := (Config{Addr: ":1", DBPath: "x", LLMBaseURL: "http://127.0.0.1:11434/v1"}).Validate(); err != nil {
		t.Errorf("a model on this machine: %v", err)
	}
}

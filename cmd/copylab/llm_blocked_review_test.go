package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

// TestServeBlockedModelAddress: a model base URL at a cloud metadata
// address is a mistake of the configuration like the others: one line
// that names the flag and its variable, exit 2. It was "copylab: app: llm
// settings: variants: llm_blocked_address: …", exit 1.
func TestServeBlockedModelAddress(t *testing.T) {
	_, _, err := runCmd(t, env(map[string]string{"COPYLAB_LLM_BASE_URL": "http://169.254.169.254/v1"}), "",
		"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "c.db"))
	var u usageError
	if !errors.As(err, &u) {
		t.Errorf("want a usage error (exit 2), got %v", err)
	}
	var msg bytes.Buffer
	code := exitMessage(&msg, err)
	want := "copylab: --llm-base-url (COPYLAB_LLM_BASE_URL): 169.254.169.254 is a link-local or cloud metadata address, which copylab never connects to; give the address of the model's server\n"
	if code != 2 || msg.String() != want {
		t.Errorf("exit %d, printed %q\nwant exit 2, %q", code, msg.String(), want)
	}
}

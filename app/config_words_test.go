package app

import (
	"strings"
	"testing"
)

// TestConfigWords: a configuration mistake names the setting by its flag
// and its environment twin, since either may have set it, as the usage,
// the README and copylab's other command-line errors write them
// (--public-url (COPYLAB_PUBLIC_URL), not public-url), and a public URL given as a bare host,
// the usual slip, says what to write instead of "not a URL".
func TestConfigWords(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"host and port", Config{Addr: ":1", DBPath: "x", PublicURL: "127.0.0.1:9000"},
			`--public-url (COPYLAB_PUBLIC_URL) "127.0.0.1:9000": start it with http:// or https://, such as http://127.0.0.1:9000`},
		{"localhost", Config{Addr: ":1", DBPath: "x", PublicURL: "localhost:9000"},
			`--public-url (COPYLAB_PUBLIC_URL) "localhost:9000": start it with http:// or https://, such as http://localhost:9000`},
		{"a name", Config{Addr: ":1", DBPath: "x", PublicURL: "copylab.example.com"},
			`--public-url (COPYLAB_PUBLIC_URL) "copylab.example.com": start it with http:// or https://, such as https://copylab.example.com`},
		{"another scheme", Config{Addr: ":1", DBPath: "x", PublicURL: "ftp://copylab.example.com"},
			`--public-url (COPYLAB_PUBLIC_URL) "ftp://copylab.example.com": use http:// or https://`},
		{"address", Config{Addr: "nope", DBPath: "x"}, `--addr (COPYLAB_ADDR) "nope": use host:port`},
		{"database", Config{Addr: ":1", DBPath: " "}, `--db (COPYLAB_DB): empty`},
		{"model timeout", Config{Addr: ":1", DBPath: "x", LLMTimeout: 1e9}, `--llm-timeout (COPYLAB_LLM_TIMEOUT) 1s: use 5s to 30m`},
		{"port", Config{Addr: "127.0.0.1:99999", DBPath: "x"},
			`--addr (COPYLAB_ADDR) "127.0.0.1:99999": the port must be a number from 0 to 65535`},
		{"model URL with a password", Config{Addr: ":1", DBPath: "x", LLMBaseURL: "http://me:hunter2@localhost:11434/v1"},
			`--llm-base-url (COPYLAB_LLM_BASE_URL): must not hold a user name or password; give the key in --llm-api-key (COPYLAB_LLM_API_KEY)`},
		{"model URL with a query", Config{Addr: ":1", DBPath: "x", LLMBaseURL: "http://localhost:11434/v1?key=hunter2"},
			`--llm-base-url (COPYLAB_LLM_BASE_URL): must not hold a query`},
		{"proxies", Config{Addr: ":1", DBPath: "x", TrustedProxies: []string{"proxy"}}, `--trusted-proxies (COPYLAB_TRUSTED_PROXIES): "proxy" is neither`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate: %v\nwant it to say %q", err, tt.want)
			}
		})
	}
}

// TestConfigOneMistakeOnce: a bad --addr is reported once, not again as
// the public URL made from it, and a model URL's password never appears.
func TestConfigOneMistakeOnce(t *testing.T) {
	err := Config{Addr: "127.0.0.1:99999", DBPath: "x", LLMBaseURL: "http://me:hunter2@localhost/v1"}.Validate()
	if err == nil || strings.Contains(err.Error(), "public-url") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Validate: %v\nwant the address and the model URL, without the public URL or the password", err)
	}
	if n := len(strings.Split(err.Error(), "\n")); n != 2 {
		t.Errorf("%d problems, want 2:\n%v", n, err)
	}
}

package app

import (
	"strings"
	"testing"
)

// TestConfigWords: a configuration mistake names the setting by its flag,
// as the usage, the README and copylab's other command-line errors do
// (--public-url, not public-url), and a public URL given as a bare host,
// the usual slip, says what to write instead of "not a URL".
func TestConfigWords(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"host and port", Config{Addr: ":1", DBPath: "x", PublicURL: "127.0.0.1:9000"},
			`--public-url "127.0.0.1:9000": start it with http:// or https://, such as http://127.0.0.1:9000`},
		{"localhost", Config{Addr: ":1", DBPath: "x", PublicURL: "localhost:9000"},
			`--public-url "localhost:9000": start it with http:// or https://, such as http://localhost:9000`},
		{"a name", Config{Addr: ":1", DBPath: "x", PublicURL: "copylab.example.com"},
			`--public-url "copylab.example.com": start it with http:// or https://, such as https://copylab.example.com`},
		{"another scheme", Config{Addr: ":1", DBPath: "x", PublicURL: "ftp://copylab.example.com"},
			`--public-url "ftp://copylab.example.com": use http:// or https://`},
		{"address", Config{Addr: "nope", DBPath: "x"}, `--addr "nope": use host:port`},
		{"database", Config{Addr: ":1", DBPath: " "}, `--db: empty`},
		{"model timeout", Config{Addr: ":1", DBPath: "x", LLMTimeout: 1e9}, `--llm-timeout 1s: use 5s to 30m`},
		{"proxies", Config{Addr: ":1", DBPath: "x", TrustedProxies: []string{"proxy"}}, `--trusted-proxies: "proxy" is neither`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate: %v\nwant it to say %q", err, tt.want)
			}
		})
	}
}

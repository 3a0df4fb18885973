package app

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{Addr: "127.0.0.1:8080", DBPath: "data/copylab.db"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("minimal config: %v", err)
	}
	if got := ok.withDefaults().PublicURL; got != "http://127.0.0.1:8080" {
		t.Errorf("default public URL %q", got)
	}
	if got := (Config{Addr: ":8080"}).withDefaults().PublicURL; got != "http://127.0.0.1:8080" {
		t.Errorf("default public URL for :8080: %q", got)
	}
	tests := []struct {
		name string
		cfg  Config
		want []string // every one must be reported
	}{
		{"all at once", Config{Addr: "nope", PublicURL: "ftp://x", TrustedProxies: []string{"10.0.0.0/8", "not-an-ip"}, CountryHeader: "Bad Header", BcryptCost: 4},
			[]string{"addr", "db", "public-url", "trusted-proxies", "country-header", "bcrypt"}},
		{"public url with a path", Config{Addr: ":1", DBPath: "x", PublicURL: "https://example.com/copylab"}, []string{"under a path"}},
		{"llm base url", Config{Addr: ":1", DBPath: "x", LLMBaseURL: "localhost:11434"}, []string{"llm-base-url"}},
		{"short setup token", Config{Addr: ":1", DBPath: "x", SetupToken: "abc"}, []string{"setup token"}},
		{"llm timeout too short", Config{Addr: ":1", DBPath: "x", LLMTimeout: time.Second}, []string{"--llm-timeout (COPYLAB_LLM_TIMEOUT) 1s: use 5s to 30m"}},
		{"llm timeout too long", Config{Addr: ":1", DBPath: "x", LLMTimeout: time.Hour}, []string{"(COPYLAB_LLM_TIMEOUT) 1h0m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
	good := Config{Addr: "[::1]:8080", DBPath: "x", PublicURL: "https://copylab.example.com/", TrustedProxies: []string{"10.0.0.1", "fd00::/8"}, CountryHeader: "CF-IPCountry", LLMBaseURL: "http://localhost:11434/v1"}
	if err := good.Validate(); err != nil {
		t.Errorf("good config: %v", err)
	}
}

func TestLocalPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/sites", "/sites"},
		{"/experiments/x?tab=1", "/experiments/x?tab=1"},
		{"", "/d"},
		{"sites", "/d"},
		{"//evil.example/x", "/d"},
		{"/\\evil.example", "/d"},
		{"https://evil.example", "/d"},
		{"/ok\r\nSet-Cookie: x", "/d"},
	}
	for _, tt := range tests {
		if got := localPath(tt.in, "/d"); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, tt := range []struct {
		in string
		bp int
		ok bool
	}{{"50", 5000, true}, {"33.33", 3333, true}, {"12,5 %", 1250, true}, {"100", 10000, true}, {"101", 0, false}, {"-1", 0, false}, {"x", 0, false}, {"NaN", 0, false}} {
		bp, ok := parsePercent(tt.in)
		if bp != tt.bp || ok != tt.ok {
			t.Errorf("parsePercent(%q) = %d %v", tt.in, bp, ok)
		}
	}
	for bp, want := range map[int]string{5000: "50", 3333: "33.33", 3334: "33.34", 1250: "12.5", 10000: "100", 0: "0"} {
		if got := experiments.PercentOfBP(bp); got != want {
			t.Errorf("PercentOfBP(%d) = %q, want %q", bp, got, want)
		}
	}
}

func TestClientIP(t *testing.T) {
	e := newEnv(t)
	a := e.app
	p1, _ := parseProxy("0.0.0.0")
	p2, _ := parseProxy("10.0.0.0/8")
	a.proxies = []netip.Prefix{p1, p2}
	a.fiber.Get("/test-ip", func(c *fiber.Ctx) error { return c.SendString(a.clientIP(c) + "|" + a.country(c)) })
	a.cfg.CountryHeader = "CF-IPCountry"
	tests := []struct{ xff, country, want string }{
		{"", "", "0.0.0.0|"},
		{"203.0.113.9", "de", "203.0.113.9|DE"},
		{"1.2.3.4, 203.0.113.9, 10.1.2.3", "", "203.0.113.9|"}, // the leftmost is whatever the client claimed
		{"garbage", "XX1", "unknown|"},
	}
	for _, tt := range tests {
		req := newRequest("GET", "/test-ip", nil)
		if tt.xff != "" {
			req.Header.Set("X-Forwarded-For", tt.xff)
		}
		if tt.country != "" {
			req.Header.Set("CF-IPCountry", tt.country)
		}
		resp := e.do(req)
		if got := readBody(t, resp); got != tt.want {
			t.Errorf("XFF %q: %q, want %q", tt.xff, got, tt.want)
		}
	}
	a.proxies = nil
	req := newRequest("GET", "/test-ip", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	req.Header.Set("CF-IPCountry", "DE")
	if got := readBody(t, e.do(req)); got != "0.0.0.0|" {
		t.Errorf("untrusted peer: %q", got)
	}
}

func TestNew(t *testing.T) {
	e := newEnv(t) // for a store and an ingester
	if _, err := New(Config{Addr: "127.0.0.1:0", DBPath: e.store.Path(), BcryptCost: 4}, e.store, e.ing); err == nil || !strings.Contains(err.Error(), "bcrypt") {
		t.Errorf("New accepted bcrypt cost 4: %v", err)
	}
	if _, err := New(Config{Addr: "127.0.0.1:0", DBPath: e.store.Path()}, nil, nil); err == nil {
		t.Error("New without a store")
	}
	a, err := New(Config{Addr: "127.0.0.1:0", DBPath: e.store.Path(), PublicURL: "https://copylab.example.com/", BcryptCost: 10}, e.store, e.ing)
	if err != nil {
		t.Fatal(err)
	}
	if !a.secure || a.cfg.PublicURL != "https://copylab.example.com" {
		t.Errorf("secure %v, public URL %q", a.secure, a.cfg.PublicURL)
	}
	if !strings.HasPrefix(a.SetupURL(), "https://copylab.example.com/setup?token=") || len(a.setupToken) < 32 {
		t.Errorf("setup URL %q", a.SetupURL())
	}
}

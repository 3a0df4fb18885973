package app

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// countryDB writes a small GeoLite2-Country-shaped database: 81.2.69.0/24
// is in the UK.
func countryDB(t *testing.T) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-Country", RecordSize: 24, IncludeReservedNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	_, n, _ := net.ParseCIDR("81.2.69.0/24")
	if err := tree.Insert(n, mmdbtype.Map{"country": mmdbtype.Map{"iso_code": mmdbtype.String("GB")}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "country.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestGeoIPCountry records the GeoIP database's country for the client IP
// when no trusted header gives one, and the header's when it does.
func TestGeoIPCountry(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	store, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		ing.Close(cctx)
		store.Close()
	})
	// Fiber's test connections come from 0.0.0.0: that is the proxy.
	a, err := newApp(Config{Addr: "127.0.0.1:0", DBPath: path, PublicURL: testPublicURL, BcryptCost: bcrypt.MinCost,
		SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler), TrustedProxies: []string{"0.0.0.0/32"},
		CountryHeader: "CF-IPCountry", GeoIPDB: countryDB(t)}.withDefaults(), store, ing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.geo.Close() })
	e := &env{t: t, app: a, store: store, ing: ing}
	site, x := resultsFixture(t, store, "Hero", "Original", "New")

	for _, tc := range []struct {
		visitor, forwarded, header, want string
	}{
		{"from-db", "81.2.69.10", "", "GB"},
		{"header-wins", "81.2.69.10", "in", "IN"},
		{"unknown-ip", "192.0.2.1", "", ""},
		{"cdn-unknown", "81.2.69.11", "XX", "GB"},
	} {
		req := newRequest(http.MethodPost, "/e", strings.NewReader(string(events(site.Key, tc.visitor, x.ID, exposure("control")))))
		req.Header.Set("Content-Type", "text/plain")
		req.Header.Set("User-Agent", browserUA)
		req.Header.Set("X-Forwarded-For", tc.forwarded)
		if tc.header != "" {
			req.Header.Set("CF-IPCountry", tc.header)
		}
		resp := e.do(req)
		wantStatus(t, resp, http.StatusNoContent, readBody(t, resp))
		var got string
		if err := store.Reader().QueryRow(`select country from events where visitor = ?`, tc.visitor).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: country %q, want %q", tc.visitor, got, tc.want)
		}
	}
}

// TestGeoIPConfig refuses to start on a database file that is not there.
func TestGeoIPConfig(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	store, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	defer ing.Close(ctx)
	_, err = newApp(Config{Addr: "127.0.0.1:0", DBPath: path, PublicURL: testPublicURL, BcryptCost: bcrypt.MinCost,
		Logger: slog.New(slog.DiscardHandler), GeoIPDB: filepath.Join(t.TempDir(), "missing.mmdb")}.withDefaults(), store, ing)
	if err == nil || !strings.Contains(err.Error(), "missing.mmdb") {
		t.Errorf("err = %v", err)
	}
}

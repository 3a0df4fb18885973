package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// TestGeoIPOpenWords: a country database that cannot be opened is named
// once, in the geo package's sentence, with no "app: new:" before it.
func TestGeoIPOpenWords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copylab.db")
	store, err := experiments.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	defer ing.Close(ctx)
	missing := filepath.Join(t.TempDir(), "missing.mmdb")
	_, err = newApp(Config{Addr: "127.0.0.1:0", DBPath: path, PublicURL: testPublicURL, BcryptCost: bcrypt.MinCost,
		Logger: slog.New(slog.DiscardHandler), GeoIPDB: missing}.withDefaults(), store, ing)
	if err == nil || strings.HasPrefix(err.Error(), "app:") || strings.Count(err.Error(), missing) != 1 {
		t.Errorf("err = %v, want the country database named once, without app:", err)
	}
}

package app

import (
	"context"
	"html"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
)

// TestSettingsShowsTheDatabaseAbsolute: with a relative --db, Settings →
// This server names the database by its absolute path, as the start's
// log does, and so do its ready-to-copy backup and restore commands.
// Before, they said data/copylab.db, which a cron job or a shell in
// another folder does not find.
func TestSettingsShowsTheDatabaseAbsolute(t *testing.T) {
	t.Run("relative", func(t *testing.T) {
		dir := t.TempDir()
		abs := filepath.Join(dir, "data", "copylab.db")
		page := settingsWithDB(t, dir, filepath.Join("data", "copylab.db"))
		wantContains(t, page,
			`<code class="break">`+abs+`</code>`,
			"copylab backup --db "+abs+" --out /backups/",
			"copylab restore --db "+abs+" --from FILE")
		wantNotContains(t, page, "--db data/")
	})
	// A path with a space is one word of the commands, quoted.
	t.Run("with a space", func(t *testing.T) {
		dir := t.TempDir()
		abs := filepath.Join(dir, "my data", "copylab.db")
		page := settingsWithDB(t, dir, abs)
		wantContains(t, page,
			`<code class="break">`+abs+`</code>`,
			"copylab backup --db '"+abs+"' --out /backups/",
			"copylab restore --db '"+abs+"' --from FILE")
	})
}

// settingsWithDB is the main part of Settings, signed in, of an app whose
// database is at db, with dir the working folder.
func settingsWithDB(t *testing.T, dir, db string) string {
	t.Helper()
	t.Chdir(dir)
	ctx := context.Background()
	store, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{MaxBody: maxEventBody, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ing.Close(cctx)
		store.Close()
	})
	a, err := newApp(Config{
		Addr: "127.0.0.1:0", DBPath: store.Path(), PublicURL: testPublicURL,
		BcryptCost: bcrypt.MinCost, SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler),
	}.withDefaults(), store, ing)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, app: a, store: store, ing: ing}
	c := e.signIn("ann@example.com")
	resp, body := c.get("/settings")
	wantStatus(t, resp, http.StatusOK, body)
	return html.UnescapeString(mainOf(t, body))
}

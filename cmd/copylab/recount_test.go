package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"copylab/experiments"
)

// chromeUA is a person's browser: an empty user agent is a bot's.
const chromeUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

// recountDB returns a database holding one running experiment ("Hero" on
// "Shop") with two visitors counted in control, one of whom converted, and
// the experiment's id.
func recountDB(t *testing.T) (string, string) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "copylab.db")
	s, err := experiments.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	site, err := s.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	exp, err := s.CreateExperiment(ctx, experiments.Experiment{
		SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1", CoverageBP: 10000,
		Goal:     experiments.Goal{Type: experiments.GoalEvent, Name: "signup"},
		Variants: []experiments.Variant{{Text: "Buy now"}, {Text: "Start today"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, exp.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	in := experiments.NewIngester(s, experiments.IngestOptions{})
	defer in.Close(ctx)
	send := func(visitor string, events ...map[string]any) {
		for _, e := range events {
			e["id"], e["experiment"] = uuid.Must(uuid.NewV7()).String(), exp.ID
		}
		body, _ := json.Marshal(map[string]any{"site": site.Key, "visitor": visitor, "events": events})
		if _, err := in.Ingest(ctx, body, experiments.RequestMeta{UserAgent: chromeUA, ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	send("v1", map[string]any{"type": "exposure", "variant": "control"}, map[string]any{"type": "conversion", "goal": "signup"})
	send("v2", map[string]any{"type": "exposure", "variant": "control"})
	return db, exp.ID
}

// bump adds a visitor to control's stored count, as a count kept by older
// rules would differ.
func bump(t *testing.T, db string) {
	t.Helper()
	s, err := experiments.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Writer().Exec(`update variant_counts set exposures = exposures + 1 where variant = 'control'`); err != nil {
		t.Fatal(err)
	}
}

func TestRecountCommand(t *testing.T) {
	db, id := recountDB(t)
	head := "Hero (Shop, " + id + "): "

	out, _, err := runCmd(t, env(nil), "", "recount", "--db", db)
	if err != nil || out != head+"unchanged.\nRecounted 1 experiment: 0 changed, 1 unchanged.\n" {
		t.Fatalf("recount: %v\n%s", err, out)
	}

	bump(t, db)
	for i := 0; i < 2; i++ { // a dry run writes nothing: it says the same twice
		out, _, err = runCmd(t, env(map[string]string{"COPYLAB_DB": db}), "", "recount", "--dry-run")
		want := "Dry run: nothing will be written.\n" + head + "control 3 → 2 visitors.\n1 of 1 experiment would change. Nothing was written.\n"
		if err != nil || out != want {
			t.Fatalf("dry run: %v\n%s\nwant\n%s", err, out, want)
		}
	}
	out, _, err = runCmd(t, env(nil), "", "recount", "--db", db, "--experiment", id)
	if err != nil || out != head+"control 3 → 2 visitors.\nRecounted 1 experiment: 1 changed, 0 unchanged.\n" {
		t.Fatalf("recount: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, env(nil), "", "recount", "--db", db)
	if err != nil || !strings.Contains(out, "0 changed, 1 unchanged") {
		t.Fatalf("recount again: %v\n%s", err, out)
	}
}

func TestRecountCommandErrors(t *testing.T) {
	db, _ := recountDB(t)
	missing := filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no database", []string{"recount", "--db", missing}, false, "there is no database at " + missing + ": pass --db"},
		{"unknown experiment", []string{"recount", "--db", db, "--experiment", "nope"}, false, `recount: no experiment has the id "nope"`},
		{"stray argument", []string{"recount", "--db", db, "all"}, true, `unexpected argument "all"`},
		{"bad flag", []string{"recount", "--experiments", "x"}, true, "experiments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, env(nil), "", tt.args...)
			var u usageError
			if err == nil || errors.As(err, &u) != tt.usage || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v (usage error: %v), want %q (usage error: %v)", err, errors.As(err, &u), tt.want, tt.usage)
			}
		})
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("recount created the missing database")
	}
}

// While a server holds the database, recount refuses, says so in one
// sentence, and exits 1, leaving the counts alone.
func TestRecountRefusesWhileServed(t *testing.T) {
	if os.Getenv("COPYLAB_RECOUNT_CHILD") == "1" {
		os.Args = []string{"copylab", "recount"} // --db from COPYLAB_DB
		main()
		os.Exit(0)
	}
	db, _ := recountDB(t)
	bump(t, db)
	release, err := experiments.ServeLock(db)
	if err != nil {
		t.Fatal(err)
	}
	released := false
	defer func() {
		if !released {
			release()
		}
	}()

	_, _, err = runCmd(t, env(nil), "", "recount", "--db", db)
	want := "recount: " + db + " is in use by copylab serve (process " + strconv.Itoa(os.Getpid()) + "): stop it first"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}

	// The same from another process, through main: its exit status.
	cmd := exec.Command(os.Args[0], "-test.run=^TestRecountRefusesWhileServed$")
	cmd.Env = append(os.Environ(), "COPYLAB_RECOUNT_CHILD=1", "COPYLAB_DB="+db)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\n%s", err, stderr.String())
	}
	if got := strings.TrimSpace(stderr.String()); got != "copylab: "+want {
		t.Errorf("stderr %q, want %q", got, "copylab: "+want)
	}

	release()
	released = true
	out, _, err := runCmd(t, env(nil), "", "recount", "--db", db)
	if err != nil || !strings.Contains(out, "control 3 → 2 visitors") {
		t.Errorf("once the server stopped: %v\n%s", err, out)
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"

	"copylab/app"
	"copylab/experiments"
)

// buildVersion is what copylab says of the build that runs (app's
// BuildInfo) and the newest database schema it knows, which is what a
// refusal of a newer database ("use that version") asks the operator to
// compare.
type buildVersion struct {
	app.BuildInfo
	schema int // 0 when it cannot be known
}

// readVersion reads the version Go recorded in the binary.
func readVersion() buildVersion {
	v := buildVersion{BuildInfo: app.ReadBuildInfo()}
	v.schema, _ = experiments.NewestSchema()
	return v
}

// String is the version as copylab version prints it, one fact a line.
func (v buildVersion) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "copylab %s\n", v.Version)
	switch {
	case v.Revision == "":
		b.WriteString("revision: unknown (built without version control information)\n")
	case v.Modified:
		fmt.Fprintf(&b, "revision: %s, modified (built with changes not committed)\n", v.Revision)
	default:
		fmt.Fprintf(&b, "revision: %s\n", v.Revision)
	}
	if v.Time != "" {
		fmt.Fprintf(&b, "commit time: %s\n", v.Time)
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", v.Go, runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "database schema: %d (the newest this copylab can open)\n", v.schema)
	return b.String()
}

// logAttrs are the version's attributes in serve's log at start. The
// schema is left out: the start speaks of it only when it migrates.
func (v buildVersion) logAttrs() []any {
	attrs := []any{slog.String("version", v.Version)}
	if v.Revision != "" {
		attrs = append(attrs, slog.String("revision", v.Revision), slog.Bool("modified", v.Modified))
	}
	return append(attrs, slog.String("go", v.Go))
}

// isVersionFlag tells whether arg asks for the version, as copylab
// version does, in either spelling the flag package would take.
func isVersionFlag(arg string) bool { return arg == "--version" || arg == "-version" }

// versionFlags declares the flags of version: none but --help.
func versionFlags(stdout, stderr io.Writer, getenv func(string) string) *flags {
	return newFlags("version", "Print copylab's version, the commit it was built from, its Go version and the newest\n"+
		"database schema it knows. copylab --version prints the same.", stdout, stderr, getenv)
}

func versionCmd(_ context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if err := versionFlags(stdout, stderr, getenv).parse(args); err != nil {
		return quietHelp(err)
	}
	fmt.Fprint(stdout, readVersion())
	return nil
}

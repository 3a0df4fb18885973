package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"

	"copylab/experiments"
)

// buildVersion is what copylab says of the build that runs: the module's
// version, the commit it was built from, and the newest database schema
// it knows, which is what a refusal of a newer database ("use that
// version") asks the operator to compare.
type buildVersion struct {
	version  string // the module's: a tag, a pseudo-version, or (devel)
	revision string // the commit's first 12 digits; "" when not built from a checkout
	time     string // the commit's time, as Go records it (RFC 3339)
	modified bool   // the checkout had changes not committed
	goVer    string
	schema   int // 0 when it cannot be known
}

// readVersion reads the version Go recorded in the binary.
func readVersion() buildVersion {
	v := buildVersion{version: "(devel)", goVer: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			v.version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				v.revision = s.Value[:min(12, len(s.Value))]
			case "vcs.time":
				v.time = s.Value
			case "vcs.modified":
				v.modified = s.Value == "true"
			}
		}
	}
	v.schema, _ = experiments.NewestSchema()
	return v
}

// String is the version as copylab version prints it, one fact a line.
func (v buildVersion) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "copylab %s\n", v.version)
	switch {
	case v.revision == "":
		b.WriteString("revision: unknown (built without version control information)\n")
	case v.modified:
		fmt.Fprintf(&b, "revision: %s, modified (built with changes not committed)\n", v.revision)
	default:
		fmt.Fprintf(&b, "revision: %s\n", v.revision)
	}
	if v.time != "" {
		fmt.Fprintf(&b, "commit time: %s\n", v.time)
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", v.goVer, runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "database schema: %d (the newest this copylab can open)\n", v.schema)
	return b.String()
}

// logAttrs are the version's attributes in serve's log at start. The
// schema is left out: the start speaks of it only when it migrates.
func (v buildVersion) logAttrs() []any {
	attrs := []any{slog.String("version", v.version)}
	if v.revision != "" {
		attrs = append(attrs, slog.String("revision", v.revision), slog.Bool("modified", v.modified))
	}
	return append(attrs, slog.String("go", v.goVer))
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

package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"
)

// lookupEnv is os.Getenv over environ, a list of NAME=value as
// os.Environ gives it: the first of a name wins, as for the process's own.
func lookupEnv(environ []string) func(string) string {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			if _, seen := vars[k]; !seen {
				vars[k] = v
			}
		}
	}
	return func(k string) string { return vars[k] }
}

// envPrefix begins the name of every flag's twin.
const envPrefix = "COPYLAB_"

// otherVariables are the COPYLAB_ variables that are no flag's twin but
// that copylab's tests and tools read: a developer's environment may set
// them, and serve does not warn of them.
var otherVariables = []string{
	"COPYLAB_BENCH_EVENTS",        // app's results benchmark
	"COPYLAB_CHROMIUM",            // static/browsertest: the browser of the browser tests
	"COPYLAB_RECOUNT_CHILD",       // cmd/copylab's recount test, in its child process
	"COPYLAB_REVIEW_SHOTS",        // app's browser tests: where to save screenshots
	"COPYLAB_SCREENSHOTS",         // app's recordings test: the README's screenshots
	"COPYLAB_SNIPPET_ORDER",       // static's snippet order test
	"COPYLAB_SNIPPET_ORDER_ITERS", // 〃
	"COPYLAB_SNIPPET_ORDER_SEED",  // 〃
	"COPYLAB_TEST_LOCK_AS",        // experiments' serve lock test, in its child process
}

// strayVariables says, of each variable of environ whose name begins
// COPYLAB_ (in any case) and that is neither the twin of a flag of any
// command nor one of otherVariables, that it is ignored, with the twin
// meant when one is close: a misspelt twin (COPYLAB_PUBLICURL) otherwise
// leaves its setting at the default without a word. Empty variables are
// left out, as every twin counts an empty one as unset; so are values,
// which may be secrets.
func strayVariables(environ []string) []string {
	known := slices.Clone(otherVariables)
	for _, c := range commands {
		c.flags().fs.VisitAll(func(fl *flag.Flag) { known = append(known, envName(fl.Name)) })
	}
	var twins []string // the part after the prefix, for nearest
	for _, k := range known {
		twins = append(twins, strings.TrimPrefix(k, envPrefix))
	}
	var out []string
	seen := map[string]bool{}
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if len(name) < len(envPrefix) || !strings.EqualFold(name[:len(envPrefix)], envPrefix) ||
			value == "" || slices.Contains(known, name) || seen[name] {
			continue
		}
		seen[name] = true
		msg := name + " is not a copylab setting, so it is ignored"
		if near := nearest(name[len(envPrefix):], twins); near != "" {
			msg += fmt.Sprintf(": did you mean %s%s?", envPrefix, near)
		} else {
			msg += " (copylab serve --help lists the settings and their variables)"
		}
		out = append(out, msg)
	}
	return out
}

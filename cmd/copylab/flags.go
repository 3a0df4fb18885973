package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// flags is a flag set whose flags each take their default from an
// environment twin. Problems with the twins are collected, not fatal, so
// every mistake is reported at once.
type flags struct {
	fs      *flag.FlagSet
	getenv  func(string) string
	errs    []string
	secrets []secretFlag
}

// secretFlag is a flag whose twin is read only after parsing (see secret).
type secretFlag struct {
	p    *string
	name string
}

func newFlags(name, summary string, stderr io.Writer, getenv func(string) string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nUsage: copylab %s [flags]\n\nFlags (each with its environment twin):\n", summary, name)
		fs.PrintDefaults()
	}
	return &flags{fs: fs, getenv: getenv}
}

// envName is the twin of a flag: --public-url is COPYLAB_PUBLIC_URL.
func envName(flagName string) string {
	return "COPYLAB_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *flags) string(p *string, name, def, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		def = v
	}
	f.fs.StringVar(p, name, def, usage+" (env "+envName(name)+")")
}

// secret registers a flag that holds a secret (an API key, a token). Its
// environment twin is read after parsing, not made the default: the flag
// package prints defaults in every usage message, so a typo in another
// flag, or --help, would print the secret into logs.
func (f *flags) secret(p *string, name, usage string) {
	f.fs.StringVar(p, name, "", usage+" (env "+envName(name)+"; never printed)")
	f.secrets = append(f.secrets, secretFlag{p, name})
}

func (f *flags) bool(p *bool, name string, def bool, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("%s=%q is not true or false", envName(name), v))
		} else {
			def = b
		}
	}
	f.fs.BoolVar(p, name, def, usage+" (env "+envName(name)+")")
}

func (f *flags) int(p *int, name string, def int, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("%s=%q is not a whole number", envName(name), v))
		} else {
			def = n
		}
	}
	f.fs.IntVar(p, name, def, usage+" (env "+envName(name)+")")
}

func (f *flags) duration(p *time.Duration, name string, def time.Duration, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("%s=%q is not a duration such as 30s", envName(name), v))
		} else {
			def = d
		}
	}
	f.fs.DurationVar(p, name, def, usage+" (env "+envName(name)+")")
}

// parse parses args; --help prints usage and returns errHelp.
func (f *flags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err.Error()}
	}
	given := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, sf := range f.secrets {
		if !given[sf.name] {
			*sf.p = f.getenv(envName(sf.name))
		}
	}
	if f.fs.NArg() > 0 {
		f.errs = append(f.errs, fmt.Sprintf("unexpected argument %q", f.fs.Arg(0)))
	}
	if len(f.errs) > 0 {
		return usageError{strings.Join(f.errs, "; ")}
	}
	return nil
}

// errHelp ends a command quietly after it printed its usage.
var errHelp = errors.New("help requested")

// list splits a comma-separated flag value, dropping empty items.
func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

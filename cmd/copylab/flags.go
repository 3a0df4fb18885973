package main

import (
	"bytes"
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
// every mistake is reported at once, each naming the flag and its twin
// as every other mistake does (setting): the operator may look for
// either.
type flags struct {
	fs      *flag.FlagSet
	getenv  func(string) string
	errs    []string
	secrets []secretFlag
	// order holds the flags' names as they were declared, for synopsis.
	order []string
	// said holds what the flag package printed while parsing, until
	// parse knows whether it answers --help (stdout) or a mistake (stderr).
	said           bytes.Buffer
	stdout, stderr io.Writer
}

// secretFlag is a flag whose twin is read only after parsing (see secret).
type secretFlag struct {
	p    *string
	name string
}

// newFlags makes the flag set of a command. Its usage goes to stdout when
// asked for (--help), so that it can be paged or searched, and to stderr
// after a mistake on the command line, below the error.
func newFlags(name, summary string, stdout, stderr io.Writer, getenv func(string) string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	f := &flags{fs: fs, getenv: getenv, stdout: stdout, stderr: stderr}
	// The flag package writes its errors and the usage to the set's
	// output before it says which it was: parse sends them on.
	fs.SetOutput(&f.said)
	fs.Usage = func() {
		if len(f.order) == 0 {
			fmt.Fprintf(&f.said, "%s\n\nUsage: copylab %s\n", summary, name)
			return
		}
		fmt.Fprintf(&f.said, "%s\n\nUsage: copylab %s [flags]\n\nFlags (each with its environment twin):\n", summary, name)
		f.printDefaults(&f.said)
	}
	return f
}

// printDefaults lists the flags as the flag package does, but with two
// dashes (--db), as the README, the errors and the usage lines write them;
// the flag package takes either.
func (f *flags) printDefaults(w io.Writer) {
	var b strings.Builder
	f.fs.SetOutput(&b)
	f.fs.PrintDefaults()
	f.fs.SetOutput(w)
	io.WriteString(w, strings.ReplaceAll("\n"+b.String(), "\n  -", "\n  --")[1:])
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
	f.order = append(f.order, name)
}

// secret registers a flag that holds a secret (an API key, a token). Its
// environment twin is read after parsing, not made the default: the flag
// package prints defaults in every usage message, so a typo in another
// flag, or --help, would print the secret into logs.
func (f *flags) secret(p *string, name, usage string) {
	f.fs.StringVar(p, name, "", usage+" (env "+envName(name)+"; never printed)")
	f.secrets = append(f.secrets, secretFlag{p, name})
	f.order = append(f.order, name)
}

func (f *flags) bool(p *bool, name string, def bool, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("%s %q is not true or false", setting(name), v))
		} else {
			def = b
		}
	}
	f.fs.BoolVar(p, name, def, usage+" (env "+envName(name)+")")
	f.order = append(f.order, name)
}

func (f *flags) int(p *int, name string, def int, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("%s %q is not a whole number", setting(name), v))
		} else {
			def = n
		}
	}
	f.fs.IntVar(p, name, def, usage+" (env "+envName(name)+")")
	f.order = append(f.order, name)
}

func (f *flags) duration(p *time.Duration, name string, def time.Duration, usage string) {
	if v := f.getenv(envName(name)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("%s %q is not a duration such as 30s", setting(name), v))
		} else {
			def = d
		}
	}
	f.fs.DurationVar(p, name, def, usage+" (env "+envName(name)+")")
	f.order = append(f.order, name)
}

// synopsis lists the flags as a usage line writes them: those whose usage
// says "(required)" first, then the others in brackets, each in the order
// declared, with a word for its value: --site SITE, [--visitors N],
// [--dry-run].
func (f *flags) synopsis() []string {
	var required, optional []string
	for _, name := range f.order {
		fl := f.fs.Lookup(name)
		w := "--" + name
		if v := valueWord(fl); v != "" {
			w += " " + v
		}
		if strings.Contains(fl.Usage, "(required)") {
			required = append(required, w)
		} else {
			optional = append(optional, "["+w+"]")
		}
	}
	return append(required, optional...)
}

// valueWord is the word for a flag's value in a synopsis: none for a
// bool, N for a number, DURATION, else what valueWords says of the last
// word of the flag's name, or that word (--public-url URL, --llm-api-key
// KEY, --geoip-db PATH).
func valueWord(fl *flag.Flag) string {
	switch kind, _ := flag.UnquoteUsage(fl); kind {
	case "":
		return ""
	case "int":
		return "N"
	case "duration":
		return "DURATION"
	}
	words := strings.Split(fl.Name, "-")
	last := words[len(words)-1]
	if w, ok := valueWords[last]; ok {
		return w
	}
	return strings.ToUpper(last)
}

// valueWords are the value words that are not the flag's name in capitals.
var valueWords = map[string]string{
	"addr": "HOST:PORT", "db": "PATH", "out": "PATH", "from": "FILE", "site": "KEY", "experiment": "ID", "pageviews": "P",
}

// parse parses args and reports every problem with them and with the
// environment twins; --help prints usage and returns errHelp.
func (f *flags) parse(args []string) error {
	if err := f.parseArgs(args); err != nil {
		return err
	}
	return f.check()
}

// parseArgs parses args but keeps the problems with the twins for check,
// so that a command can add its own (problem) and report them all at
// once. A mistake on the command line itself ends parsing at once, as the
// flag package stops at it: it is returned with the twins' problems after
// it. --help prints usage and returns errHelp.
func (f *flags) parseArgs(args []string) error {
	err := f.fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		f.stdout.Write(f.said.Bytes())
		return errHelp
	}
	if err != nil {
		// The flag package printed its error above the usage; main prints
		// it again below, in our words, where it is read.
		f.stderr.Write(bytes.TrimPrefix(f.said.Bytes(), []byte(err.Error()+"\n")))
		return usageErrors(append([]string{flagError(err.Error())}, f.errs...))
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
	return nil
}

// problem adds the problems err reports, one a line, to those check
// returns.
func (f *flags) problem(err error) {
	f.errs = append(f.errs, strings.Split(err.Error(), "\n")...)
}

// check returns every problem found, and more, one a line, as one usage
// error.
func (f *flags) check(more ...string) error {
	f.errs = append(f.errs, more...)
	if len(f.errs) > 0 {
		return usageErrors(f.errs)
	}
	return nil
}

// usageErrors is the usage error of several problems, one a line (main
// prints each after "copylab: ").
func usageErrors(problems []string) error {
	return usageError{strings.Join(problems, "\n")}
}

// setting names a flag as a problem with its value is reported: by the
// flag and its environment twin, since either may have set it,
// "--rate-ip (COPYLAB_RATE_IP)".
func setting(flagName string) string {
	return "--" + flagName + " (" + envName(flagName) + ")"
}

// flagError words the flag package's errors as the rest of copylab does,
// with the flag as it is typed: "unknown flag --adr" rather than "flag
// provided but not defined: -adr".
func flagError(msg string) string {
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + strings.TrimLeft(name, "-")
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag --" + strings.TrimLeft(name, "-") + " needs a value"
	}
	return strings.Replace(msg, " for flag -", " for flag --", 1)
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

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"copylab/variants"
)

// flags is a flag set whose flags each take their default from an
// environment twin. Problems with the twins, and with the values given
// on the command line, are collected, not fatal, so every mistake is
// reported at once, each naming the flag and its twin as every other
// mistake does (setting): the operator may look for either.
type flags struct {
	fs      *flag.FlagSet
	getenv  func(string) string
	errs    []string
	secrets []secretFlag
	// order holds the flags' names as they were declared, for synopsis.
	order []string
	// usage writes the set's usage, for --help.
	usage          func(io.Writer)
	stdout, stderr io.Writer
	// arg, when not nil, takes the one argument the command has besides
	// its flags (token revoke's id), named argWord in its usage (see
	// positional).
	arg     *string
	argWord string
}

// secretFlag is a flag whose twin is read only after parsing (see secret).
type secretFlag struct {
	p    *string
	name string
}

// newFlags makes the flag set of a command. Its usage goes to stdout when
// asked for (--help), so that it can be paged or searched. A mistake on
// the command line prints no usage: the error names the flag and says
// what to give, as a mistake in a twin's does, and an unknown flag's
// points to --help.
func newFlags(name, summary string, stdout, stderr io.Writer, getenv func(string) string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	f := &flags{fs: fs, getenv: getenv, stdout: stdout, stderr: stderr}
	// The flag package prints its errors, which parseArgs words again,
	// and calls Usage on every one: both are parseArgs' to say.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	f.usage = func(w io.Writer) {
		arg := ""
		if f.argWord != "" {
			arg = " " + f.argWord
		}
		if len(f.order) == 0 {
			fmt.Fprintf(w, "%s\n\nUsage: copylab %s%s\n", summary, name, arg)
			return
		}
		fmt.Fprintf(w, "%s\n\nUsage: copylab %s [flags]%s\n\nFlags (each with its environment twin):\n", summary, name, arg)
		f.printDefaults(w)
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
	f.fs.SetOutput(io.Discard)
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
			f.errs = append(f.errs, badValue(name, v, def))
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
			f.errs = append(f.errs, badValue(name, v, def))
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
			f.errs = append(f.errs, badValue(name, v, def))
		} else {
			def = d
		}
	}
	f.fs.DurationVar(p, name, def, usage+" (env "+envName(name)+")")
	f.order = append(f.order, name)
}

// positional declares the one argument a command takes besides its
// flags, such as token revoke's ID: given before the flags or after
// them, it is put in p; word names it in the usage. A second is an
// unexpected argument, as any is for the other commands; none leaves p
// "", for the command to say what is missing.
func (f *flags) positional(p *string, word string) {
	f.arg, f.argWord = p, word
}

// synopsis lists the flags as a usage line writes them: those whose usage
// says "(required)" first, then the others in brackets, each in the order
// declared, with a word for its value: --site SITE, [--visitors N],
// [--dry-run]. A positional argument's word comes first.
func (f *flags) synopsis() []string {
	var required, optional []string
	if f.argWord != "" {
		required = append(required, f.argWord)
	}
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

// parseArgs parses args but keeps every problem found for check, so
// that a command can add its own (problem) and report them all at once:
// those of the command line first, in the order given, then those of the
// twins. --help prints usage and returns errHelp.
//
// The flag package stops at the first mistake. Here a value a flag cannot
// take is noted and the flag keeps the value it had (lenientValue), and
// after an unknown flag parsing goes on with the arguments after it.
func (f *flags) parseArgs(args []string) error {
	var problems []string
	restore := f.lenient(&problems)
	err := f.parseAll(args, &problems)
	restore()
	if errors.Is(err, flag.ErrHelp) {
		f.usage(f.stdout)
		return errHelp
	}
	f.errs = append(problems, f.errs...)
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

// parseAll parses args with the flag package, again after each mistake
// it stops at, with the arguments after it, and adds each mistake to
// problems; the first argument that is not a flag goes to the command's
// positional argument, if it has one. It returns flag.ErrHelp when
// --help is among the arguments.
func (f *flags) parseAll(args []string, problems *[]string) error {
	taken := false // the positional argument, when the command has one
	for rest := args; ; {
		err := f.fs.Parse(rest)
		if err == nil && f.arg != nil && !taken && f.fs.NArg() > 0 {
			// The flag package stops at the first argument that is not a
			// flag: take it, and parse the flags after it.
			*f.arg, taken = f.fs.Arg(0), true
			rest = f.fs.Args()[1:]
			continue
		}
		if err == nil || errors.Is(err, flag.ErrHelp) {
			return err
		}
		*problems = append(*problems, f.flagError(err.Error()))
		// The flag package has taken the argument it stopped at (and its
		// value, when that is the next one): Args is what is left.
		left := f.fs.Args()
		if len(left) >= len(rest) {
			return nil // never the case; but parsing must end
		}
		stopped := rest[len(rest)-len(left)-1]
		if strings.HasPrefix(err.Error(), "flag provided but not defined") && !strings.Contains(stopped, "=") &&
			len(left) > 0 && !strings.HasPrefix(left[0], "-") {
			// An unknown flag's value, most likely (--adr 127.0.0.1:8080):
			// not an unexpected argument of its own.
			left = left[1:]
		}
		rest = left
	}
}

// lenient wraps every flag's value in a lenientValue that adds its
// problems to problems, and returns the function that unwraps them.
func (f *flags) lenient(problems *[]string) (restore func()) {
	var undo []func()
	f.fs.VisitAll(func(fl *flag.Flag) {
		v := fl.Value
		fl.Value = lenientValue{Value: v, name: fl.Name, problems: problems}
		undo = append(undo, func() { fl.Value = v })
	})
	return func() {
		for _, u := range undo {
			u()
		}
	}
}

// lenientValue is a flag's value while the command line is parsed. A
// value it cannot take is added to problems, worded as a twin's is, and
// the flag keeps the value it had (its default, or its twin's): parsing
// goes on, and the command's own checks do not report the zero the flag
// package would have left in its place.
type lenientValue struct {
	flag.Value
	name     string
	problems *[]string
}

func (v lenientValue) Set(s string) error {
	before := v.Value.String()
	if err := v.Value.Set(s); err != nil {
		var kind any
		if g, ok := v.Value.(flag.Getter); ok {
			kind = g.Get()
		}
		*v.problems = append(*v.problems, badValue(v.name, s, kind))
		v.Value.Set(before)
	}
	return nil
}

// IsBoolFlag tells the flag package that a bool flag takes no value
// (--dry-run), as the value it wraps would.
func (v lenientValue) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// badValue words a value that a flag of def's kind cannot take, given on
// the command line or in the flag's twin.
func badValue(name, v string, def any) string {
	switch def.(type) {
	case bool:
		return fmt.Sprintf("%s %q is not true or false", setting(name), v)
	case int:
		return fmt.Sprintf("%s %q is not a whole number", setting(name), v)
	case time.Duration:
		return fmt.Sprintf("%s %q is not a duration such as 30s", setting(name), v)
	}
	return fmt.Sprintf("%s %q is not a value it takes", setting(name), v)
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
// with the flag as it is typed: "unknown flag --adr: did you mean
// --addr? (copylab serve --help lists every flag)" rather than "flag
// provided but not defined: -adr".
func (f *flags) flagError(msg string) string {
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		name = strings.TrimLeft(name, "-")
		var known []string
		f.fs.VisitAll(func(fl *flag.Flag) { known = append(known, fl.Name) })
		guess := ""
		if near := nearest(name, known); near != "" {
			guess = ": did you mean --" + near + "?"
		}
		return "unknown flag --" + name + guess + " (copylab " + f.fs.Name() + " --help lists every flag)"
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

// nearest is the name of known closest to name, ignoring case, when it is
// close enough to be a slip of the keyboard (an edit or two, more for a
// long name), else "".
func nearest(name string, known []string) string {
	name = strings.ToLower(name)
	best, bestD := "", max(1, min(3, len(name)/4))+1
	for _, k := range known {
		if d := variants.EditDistance([]rune(name), []rune(strings.ToLower(k))); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

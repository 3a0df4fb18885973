// Command copylab runs the copylab web app and its admin commands.
//
//	copylab [serve]        run the web app (the default)
//	copylab user add       create a user
//	copylab user password  set a user's password
//	copylab user invite    print a link that lets someone create their account
//	copylab user role      make a user an admin or a member
//	copylab token create   print a new API token for a user
//	copylab token list     list the API tokens (never their secrets)
//	copylab token revoke   revoke one API token
//	copylab simulate       send realistic visitor traffic to a running copylab
//	copylab backup         write a consistent copy of the database, while it runs
//	copylab restore        put a backup in place of the database, copylab stopped
//	copylab recount        count stored events again with today's rules, copylab stopped
//	copylab version        say which copylab this is (also copylab --version)
//
// Every flag has an environment twin under COPYLAB_ (--db ↔ COPYLAB_DB);
// a flag given on the command line wins over its twin.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"copylab/experiments"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals()...)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ())
	stop()
	if code := exitMessage(os.Stderr, err); code != 0 {
		os.Exit(code)
	}
}

// stopSignals are the signals that stop copylab gracefully: serve
// finishes the requests in flight, drains the events queue and closes
// the database, as for SIGTERM. A hangup is one of them, since a closed
// SSH session or a logrotate script's "kill -HUP" sends it, and Go's
// default for it is to exit at once, leaving the -wal and -shm files and
// losing what waits in memory. It is left out when the process started
// with it ignored (nohup): asking for it would undo that.
func stopSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}

// exitMessage prints err to w, each of its lines after "copylab: " (a
// command may report several mistakes at once, one a line), and returns
// the exit status: 0 without an error, 2 for a mistake in the command
// line, 1 for any other failure. A value the store refuses
// (experiments.ValidationError: an email that is none, a name too long)
// was given on the command line, so it is a mistake there too.
func exitMessage(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	for _, line := range strings.Split(withoutPackage(err), "\n") {
		fmt.Fprintln(w, "copylab:", line)
	}
	if errors.As(err, new(usageError)) || errors.As(err, new(experiments.ValidationError)) {
		return 2
	}
	return 1
}

// withoutPackage is err's message without "experiments: " in front of
// a sentence that says all by itself: the storage package puts it before
// its refusal of a database that a newer copylab migrated
// ("experiments: data/copylab.db comes from a newer copylab …"), or that
// it cannot read, which names the file and says what to do, as restore's
// refusal does without it. The package's name tells an operator nothing.
// Only an "experiments: " whose whole remainder is the error it wraps
// goes: an operation's name after it ("experiments: migrate: …") says
// where the failure was.
func withoutPackage(err error) string {
	msg := err.Error()
	for e := err; e != nil; e = errors.Unwrap(e) {
		inner := errors.Unwrap(e)
		if inner != nil && e.Error() == "experiments: "+inner.Error() {
			return strings.Replace(msg, e.Error(), inner.Error(), 1)
		}
	}
	return msg
}

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// commands are copylab's commands, in the order help lists them, each
// with its flag set: help's usage lines are made from the sets, so that
// they list every flag a command takes.
var commands = []struct {
	usage string // the command as its usage line begins
	group string // the group whose usage lists it too: "user", "token"
	flags func() *flags
}{
	{"copylab [serve]", "", func() *flags { f, _ := serveFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab user add", "user", func() *flags { f, _, _, _ := userAddFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab user password", "user", func() *flags { f, _, _ := userPasswordFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab user invite", "user", func() *flags { f, _ := userInviteFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab user role", "user", func() *flags { f, _ := userRoleFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab token create", "token", func() *flags { f, _ := tokenCreateFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab token list", "token", func() *flags { f, _ := tokenListFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab token revoke", "token", func() *flags { f, _ := tokenRevokeFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab simulate", "", func() *flags { f, _ := simulateFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab backup", "", func() *flags { f, _ := backupFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab restore", "", func() *flags { f, _ := restoreFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab recount", "", func() *flags { f, _ := recountFlags(io.Discard, io.Discard, noEnv); return f }},
	{"copylab version", "", func() *flags { return versionFlags(io.Discard, io.Discard, noEnv) }},
}

// noEnv is the environment of the flag sets help describes: none, so that
// no variable's value shows up in a usage line.
func noEnv(string) string { return "" }

// usageWidth is the width usage lines are wrapped at.
const usageWidth = 80

// usageLines writes the usage lines of the commands of group ("" for
// all), the first after first, the next after indent, each wrapped with
// its continuation lines indented four more spaces.
func usageLines(group, first, indent string) string {
	var b strings.Builder
	lead := first
	for _, c := range commands {
		if group != "" && c.group != group {
			continue
		}
		line := lead + c.usage
		for _, w := range c.flags().synopsis() {
			if len(line)+1+len(w) > usageWidth {
				b.WriteString(line + "\n")
				line = indent + "    " + w
				continue
			}
			line += " " + w
		}
		b.WriteString(line + "\n")
		lead = indent
	}
	return b.String()
}

// topUsage is copylab's usage: every command with every flag.
func topUsage() string {
	return "copylab — AI-assisted copy experiments, self-hosted.\n\nUsage:\n" +
		usageLines("", "  ", "  ") +
		"  copylab help [command]\n\n" +
		"copylab alone runs serve, the web app; copylab --version is copylab version.\n" +
		"Run \"copylab COMMAND --help\" for what each flag does. Every flag has an\n" +
		"environment twin: --db is COPYLAB_DB, --public-url is COPYLAB_PUBLIC_URL.\n"
}

// groupUsage is the usage of a command group, such as user: its commands.
func groupUsage(group string) string {
	return usageLines(group, "Usage: ", "       ")
}

// subUsage answers a command group (user, token) without one of its
// commands: asked for help (--help, or "copylab help user"), the usage on
// stdout and success; else the usage on stderr, as after any mistake, and
// a usage error that says what was missing or unknown. (The error is one
// sentence: main prints it after "copylab: ".)
func subUsage(args []string, stdout, stderr io.Writer, group, commands, usage string) error {
	if len(args) > 0 && isHelpFlag(args[0]) {
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{fmt.Sprintf("%s needs a command: %s", group, commands)}
	}
	return usageError{fmt.Sprintf("unknown %s command %q: use %s", group, args[0], commands)}
}

// isHelpFlag tells whether arg asks for help, in any of the spellings the
// flag package takes.
func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

// run dispatches to a subcommand. It is main without the process: tests
// call it. environ is the environment, as os.Environ gives it: serve
// reads the names in it as well as the values (strayVariables).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) error {
	getenv := lookupEnv(environ)
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && isVersionFlag(args[0]) {
		cmd, args = "version", args[1:]
	} else if len(args) == 1 && isHelpFlag(args[0]) {
		// copylab --help: the commands first (someone new looks for them
		// here), then the flags of serve, which copylab alone runs.
		fmt.Fprint(stdout, topUsage()+"\n")
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr, getenv, environ)
	case "user":
		switch {
		case len(args) > 0 && args[0] == "add":
			return userAdd(ctx, args[1:], stdin, stdout, stderr, getenv)
		case len(args) > 0 && args[0] == "password":
			return userPassword(ctx, args[1:], stdin, stdout, stderr, getenv)
		case len(args) > 0 && args[0] == "invite":
			return userInvite(ctx, args[1:], stdout, stderr, getenv)
		case len(args) > 0 && args[0] == "role":
			return userRole(ctx, args[1:], stdout, stderr, getenv)
		}
		return subUsage(args, stdout, stderr, "user", "add, password, invite or role", groupUsage("user"))
	case "token":
		switch {
		case len(args) > 0 && args[0] == "create":
			return tokenCreate(ctx, args[1:], stdout, stderr, getenv)
		case len(args) > 0 && args[0] == "list":
			return tokenList(ctx, args[1:], stdout, stderr, getenv)
		case len(args) > 0 && args[0] == "revoke":
			return tokenRevoke(ctx, args[1:], stdout, stderr, getenv)
		}
		return subUsage(args, stdout, stderr, "token", "create, list or revoke", groupUsage("token"))
	case "simulate":
		return simulateCmd(ctx, args, stdout, stderr, getenv)
	case "backup":
		return backupCmd(ctx, args, stdout, stderr, getenv)
	case "restore":
		return restoreCmd(ctx, args, stdout, stderr, getenv)
	case "recount":
		return recountCmd(ctx, args, stdout, stderr, getenv)
	case "version":
		return versionCmd(ctx, args, stdout, stderr, getenv)
	case "help":
		if len(args) > 0 && (args[0] == "help" || isHelpFlag(args[0])) {
			// Help's own usage: the commands. Passed on, "help" would
			// become "help --help", and "--help" copylab --help, whose
			// flags are serve's.
			fmt.Fprint(stdout, topUsage())
			return nil
		}
		if len(args) > 0 {
			// "help user add" is "user add --help"; "help user" lists the user commands.
			return run(ctx, append(args[:len(args):len(args)], "--help"), stdin, stdout, stderr, environ)
		}
		fmt.Fprint(stdout, topUsage())
		return nil
	default:
		fmt.Fprint(stderr, topUsage())
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

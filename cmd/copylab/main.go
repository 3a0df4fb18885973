// Command copylab runs the copylab web app and its admin commands.
//
//	copylab [serve]        run the web app (the default)
//	copylab user add       create a user
//	copylab user password  set a user's password
//	copylab user invite    print a link that lets someone create their account
//	copylab token create   print a new API token for a user
//	copylab simulate       send realistic visitor traffic to a running copylab
//	copylab backup         write a consistent copy of the database, while it runs
//	copylab restore        put a backup in place of the database, copylab stopped
//	copylab recount        count stored events again with today's rules, copylab stopped
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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	if code := exitMessage(os.Stderr, err); code != 0 {
		os.Exit(code)
	}
}

// exitMessage prints err to w, each of its lines after "copylab: " (a
// command may report several mistakes at once, one a line), and returns
// the exit status: 0 without an error, 2 for a mistake in the command
// line, 1 for any other failure.
func exitMessage(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(w, "copylab:", line)
	}
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const topUsage = `copylab — AI-assisted copy experiments, self-hosted.

Usage:
  copylab [serve] [flags]                     run the web app (default)
  copylab user add --email E [--name N] [--password-stdin]
  copylab user password --email E [--password-stdin] [--revoke-tokens]
  copylab user invite --email E [--name N] [--public-url URL]
  copylab token create --email E --name N
  copylab simulate [--url URL] --site KEY --experiment ID --rates control=0.10,b=0.12 [--visitors N]
  copylab backup --out FILE-OR-DIRECTORY [--db PATH]
  copylab restore --from FILE [--db PATH]
  copylab recount [--db PATH] [--experiment ID] [--dry-run]
  copylab help [command]

Run "copylab COMMAND --help" for a command's flags. Every flag has an
environment twin: --db is COPYLAB_DB, --public-url is COPYLAB_PUBLIC_URL.
`

const (
	userUsage  = "Usage: copylab user add --email E [--name N] [--password-stdin]\n       copylab user password --email E [--password-stdin] [--revoke-tokens]\n       copylab user invite --email E [--name N] [--public-url URL]\n"
	tokenUsage = "Usage: copylab token create --email E --name N\n"
)

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

// run dispatches to a subcommand. It is main without the process: tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	} else if len(args) == 1 && isHelpFlag(args[0]) {
		// copylab --help: the commands first (someone new looks for them
		// here), then the flags of serve, which copylab alone runs.
		fmt.Fprint(stdout, topUsage+"\n")
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr, getenv)
	case "user":
		switch {
		case len(args) > 0 && args[0] == "add":
			return userAdd(ctx, args[1:], stdin, stdout, stderr, getenv)
		case len(args) > 0 && args[0] == "password":
			return userPassword(ctx, args[1:], stdin, stdout, stderr, getenv)
		case len(args) > 0 && args[0] == "invite":
			return userInvite(ctx, args[1:], stdout, stderr, getenv)
		}
		return subUsage(args, stdout, stderr, "user", "add, password or invite", userUsage)
	case "token":
		if len(args) == 0 || args[0] != "create" {
			return subUsage(args, stdout, stderr, "token", "create", tokenUsage)
		}
		return tokenCreate(ctx, args[1:], stdout, stderr, getenv)
	case "simulate":
		return simulateCmd(ctx, args, stdout, stderr, getenv)
	case "backup":
		return backupCmd(ctx, args, stdout, stderr, getenv)
	case "restore":
		return restoreCmd(ctx, args, stdout, stderr, getenv)
	case "recount":
		return recountCmd(ctx, args, stdout, stderr, getenv)
	case "help":
		if len(args) > 0 {
			// "help user add" is "user add --help"; "help user" lists the user commands.
			return run(ctx, append(args[:len(args):len(args)], "--help"), stdin, stdout, stderr, getenv)
		}
		fmt.Fprint(stdout, topUsage)
		return nil
	default:
		fmt.Fprint(stderr, topUsage)
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

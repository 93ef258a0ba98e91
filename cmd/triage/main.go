// Command triage is a keyboard-driven console for reviewing flagged
// social-media posts. Each subcommand lives in its own file and only wires
// flags to the store and the console.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
	"triage/tui/i18n"
	"triage/tui/sanitize"
)

func main() {
	// SIGHUP too: a reviewer's terminal closing (or their SSH link to the
	// jump host dropping) must end the session and release its posts at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

// exitCode is an error that carries its exit status; its message (if any)
// has been printed already.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// run executes the command line and returns the process exit status.
func run(ctx context.Context, args []string) int {
	root := newRoot()
	localize(root, helpLanguage(args))
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	if strings.HasPrefix(msg, "unknown flag") || strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown shorthand") ||
		strings.Contains(msg, "invalid argument") || strings.HasPrefix(msg, "accepts ") || strings.HasPrefix(msg, "requires ") {
		msg += " (see 'triage --help')"
	}
	errf("triage: %s\n", sanitize.Line(msg))
	return 2
}

// globals are the flags every subcommand takes.
type globals struct {
	db     string
	policy string
	lang   string // --lang: the console's language for this run
}

func newRoot() *cobra.Command {
	g := &globals{}
	rv := &reviewFlags{}
	root := &cobra.Command{
		Use:   "triage",
		Short: "Review flagged social-media posts from the keyboard",
		Long: `triage is a keyboard-driven console in which reviewers work through a queue of
flagged social-media posts and approve, reject or escalate each one with a key.
Every decision is durable (SQLite, or PostgreSQL with --db postgres://…) and
recorded in an append-only audit trail.

Run without a subcommand, triage opens the review console (like 'triage review').`,
		Args:          cobra.NoArgs,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE:          func(cmd *cobra.Command, _ []string) error { return runReview(cmd, g, rv) },
	}
	root.PersistentFlags().StringVar(&g.db, "db", "", "database: a SQLite file, or a postgres:// URL (default: $TRIAGE_DB, else ./triage.db)")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		g.db = g.dbPath()
		if g.lang != "" {
			l, ok := i18n.Match(g.lang)
			if !ok {
				return fmt.Errorf("flag --lang: %q is not a language triage speaks (%s)", sanitize.Line(g.lang), strings.Join(i18n.Languages, ", "))
			}
			g.lang = l
		}
		return nil
	}
	root.PersistentFlags().StringVar(&g.policy, "policy", "", "policy file (TOML); default: the built-in policy")
	root.PersistentFlags().StringVar(&g.lang, "lang", "", "the console's language: en, ru or kk (default: your setting, else $LC_ALL, $LC_MESSAGES or $LANG)")
	rv.register(root)
	root.AddCommand(newReviewCmd(g), newDemoCmd(g), newImportCmd(g), newStatsCmd(g), newCheckCmd(g), newPolicyCmd(g), newReviewerCmd(g), newServeCmd(g), newExportCmd(g), newTakedownsCmd(g), newOutcomesCmd(g), newVerifyCmd(g), newViewCmd(g), newRetractCmd(g), newReopenCmd(g), newCopyCmd(g))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return err })
	root.SetVersionTemplate("triage {{.Version}}\n")
	return root
}

// dbPath is --db, else $TRIAGE_DB, else ./triage.db: resolved when the
// command runs, so --help shows no machine's setting.
func (g *globals) dbPath() string {
	if g.db != "" {
		return g.db
	}
	if p := os.Getenv("TRIAGE_DB"); p != "" {
		return p
	}
	return "triage.db"
}

// dbName is the database as messages name it: a PostgreSQL URL without
// its password or parameters.
func (g *globals) dbName() string {
	if data.IsPostgresURL(g.db) {
		return data.RedactURL(g.db)
	}
	return g.db
}

// loadPolicy returns the --policy file's policy, or the built-in one.
func (g *globals) loadPolicy() (*model.Policy, error) {
	if g.policy == "" {
		return model.DefaultPolicy(), nil
	}
	return data.LoadPolicy(g.policy)
}

// open opens the --db database with the --policy policy.
func (g *globals) open(create bool) (*data.Store, error) {
	p, err := g.loadPolicy()
	if err != nil {
		return nil, err
	}
	return data.Open(g.db, data.Options{Create: create, Policy: p, Upgrading: g.sayUpgrading})
}

// sayUpgrading tells the operator why the first open after an upgrade is
// slow: a schema step may rebuild an index of every post.
func (g *globals) sayUpgrading(from, to int) {
	fmt.Fprintf(os.Stderr, "triage: upgrading %s from schema version %d to %d; on a large database this takes a while, once\n", sanitize.Line(g.dbName()), from, to)
}

// withReader opens the --db database read-only for the length of fn: how
// verify and check run, so an auditor's read-only copy will do.
func (g *globals) withReader(fn func(st *data.Store) error) error {
	p, err := g.loadPolicy()
	if err != nil {
		return err
	}
	st, err := data.Open(g.db, data.Options{Policy: p, ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

// withStore opens the --db database (which must exist) for the length of fn.
func (g *globals) withStore(fn func(st *data.Store) error) error {
	st, err := g.open(false)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
	"triage/tui"
	"triage/tui/i18n"
)

type reviewFlags struct {
	as   string
	view string
}

func (f *reviewFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.as, "as", "", "reviewer name recorded with every decision (default: $USER, else the login name)")
	cmd.Flags().StringVar(&f.view, "view", "", "open with a saved view applied (see triage view list; \"breaches\" is built in)")
}

// orDefaultReviewer is the --as given, else $USER, else the account's login
// name: a fresh machine or a bare tmux may have no $USER, and the demo must
// still open. It is resolved when the command runs, so --help shows no
// machine-specific default.
func orDefaultReviewer(as string) string {
	if as != "" {
		return as
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

func newReviewCmd(g *globals) *cobra.Command {
	f := &reviewFlags{}
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Open the review console on the queue",
		Long: `Open the review console. The session claims posts in small batches under a
lease, like every SSH session on the same database, so local and remote
reviewers can share one queue without seeing the same post.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReview(cmd, g, f) },
	}
	f.register(cmd)
	return cmd
}

func runReview(cmd *cobra.Command, g *globals, f *reviewFlags) error {
	survivePipes() // the session must end and release its posts
	name, err := reviewerName(orDefaultReviewer(f.as))
	if err != nil {
		return fmt.Errorf("flag --as: %w", err)
	}
	st, err := g.open(false)
	if err != nil {
		return err
	}
	defer st.Close()
	var view model.View
	if f.view != "" {
		if view, err = st.View(cmd.Context(), f.view); err != nil {
			return fmt.Errorf("flag --view: %w", err)
		}
	}
	return reviewLocally(cmd.Context(), st, name, f.as == "", view, g.lang)
}

// reviewLocally runs a console on this terminal inside a session of its own,
// and ends the session (releasing its leases) however the console ends.
// asAccount says name is the account's, not one given with --as.
func reviewLocally(ctx context.Context, st *data.Store, name string, asAccount bool, view model.View, lang string) error {
	role, err := st.Role(ctx, name)
	if errors.Is(err, data.ErrNotRegistered) && asAccount {
		return fmt.Errorf("you are %s on this machine, and %s is not a registered reviewer here: register with 'triage reviewer add %s --role reviewer --key-file KEY.pub', or pass --as NAME",
			name, name, name)
	}
	if err != nil {
		return fmt.Errorf("flag --as: %w", err)
	}
	settings, save, home, err := settingsFor(ctx, st, name)
	if err != nil {
		return err
	}
	// Last of the checks: a wrong name or config file says so first.
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
		return errors.New("the console needs a terminal on standard input and output (to read posts without one, use 'triage export')")
	}
	locale, _ := i18n.FromLocale(os.Getenv)
	actor := model.Actor{Reviewer: name, KeyFP: localOrigin()}
	session, err := st.StartSession(ctx, actor, data.OriginLocal)
	if err != nil {
		return err
	}
	summary, err := tui.Run(ctx, tui.Options{Reviewer: name, Role: role, Session: session, KeyFP: actor.KeyFP,
		Policy: st.Policy(), Store: st, View: view, Lang: lang, Locale: locale, Settings: settings, SaveSetting: save, SettingsHome: home})
	if err == nil {
		outf("%s\n", summary)
	}
	if eerr := st.EndSession(context.WithoutCancel(ctx), session); eerr != nil {
		err = errors.Join(err, fmt.Errorf("end session (its posts go back to the queue when the lease runs out): %w", eerr))
	}
	return err
}

// localOrigin is what the audit records, beside the reviewer's name, for a
// decision made on this machine: "local:" and the operating-system account
// that ran the command, looked up by uid (not $USER, which anyone can set).
// --as is a name; the account is who actually typed.
func localOrigin() string {
	if u, err := user.Current(); err == nil {
		return "local:" + u.Username
	}
	return fmt.Sprintf("local:uid%d", os.Getuid())
}

// reviewerName checks a name that will stand in the audit trail. Its errors
// carry no flag name: the caller knows which flag or argument it came from.
func reviewerName(s string) (string, error) {
	if s == "" {
		return "", errors.New("no reviewer name: pass --as NAME (or set $USER)")
	}
	if err := model.ValidReviewerName(s); err != nil {
		return "", err
	}
	return s, nil
}

package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
)

func newReviewerCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reviewer",
		Short: "Manage the reviewers who may connect over SSH, their keys and settings",
	}
	cmd.AddCommand(newReviewerAddCmd(g), newReviewerListCmd(g),
		newReviewerEnableCmd(g, "disable", false), newReviewerEnableCmd(g, "enable", true), newReviewerRemoveCmd(g),
		newReviewerSetCmd(g), newReviewerGetCmd(g))
	return cmd
}

func newReviewerAddCmd(g *globals) *cobra.Command {
	var role, keyText, keyFile string
	cmd := &cobra.Command{
		Use:   "add NAME --role reviewer|lead (--key 'ssh-ed25519 …' | --key-file PATH)",
		Short: "Register a reviewer with a public key, or add a key to one",
		Long: `Register a reviewer with one or more SSH public keys, or add keys to an
existing reviewer. A key belongs to one reviewer only. --key-file may hold
several keys in authorized_keys form. Give bare keys ("ssh-ed25519 AAAA…
comment"): a line with key options (from=, command=, no-pty, …) is refused,
since the server would not enforce them.`,
		Args: needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := reviewerName(args[0])
			if err != nil {
				return fmt.Errorf("NAME: %w", err)
			}
			// Everything missing at once, not one flag a run.
			var missing []string
			if role == "" {
				missing = append(missing, "--role reviewer|lead")
			}
			if keyText == "" && keyFile == "" {
				missing = append(missing, "--key or --key-file")
			}
			if len(missing) > 0 {
				return fmt.Errorf("reviewer add %s: missing %s", name, strings.Join(missing, " and "))
			}
			r, err := model.ParseRole(role)
			if err != nil {
				return fmt.Errorf("flag --role: %w", err)
			}
			var keys []data.PublicKey
			switch {
			case (keyText == "") == (keyFile == ""):
				return errors.New("give exactly one of --key and --key-file")
			case keyText != "":
				keys, err = data.ParsePublicKeys("flag --key", []byte(keyText))
			default:
				b, rerr := os.ReadFile(keyFile)
				if rerr != nil {
					return fmt.Errorf("flag --key-file: %w", rerr)
				}
				keys, err = data.ParsePublicKeys("flag --key-file "+keyFile, b)
			}
			if err != nil {
				return err
			}
			return g.withStore(func(st *data.Store) error {
				if err := st.AddReviewerBy(cmd.Context(), localOrigin(), name, r, keys); err != nil {
					return err
				}
				for _, k := range keys {
					outf("%s (%s): %s\n", name, r, k.Fingerprint)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "reviewer or lead (required)")
	cmd.Flags().StringVar(&keyText, "key", "", "a public key in authorized_keys form")
	cmd.Flags().StringVar(&keyFile, "key-file", "", "a file of public keys in authorized_keys form")
	return cmd
}

func newReviewerListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List reviewers: name, role, enabled, key fingerprints, last seen",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withStore(func(st *data.Store) error {
				rs, err := st.Reviewers(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					if rs == nil {
						rs = []model.Reviewer{}
					}
					return printJSON(rs)
				}
				tw := tabwriter.NewWriter(safeWriter{os.Stdout}, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tROLE\tENABLED\tLAST SEEN\tKEYS")
				for _, r := range rs {
					seen := "never"
					if !r.LastSeen.IsZero() {
						seen = r.LastSeen.Format("2006-01-02 15:04 UTC")
					}
					fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", cell(r.Name), r.Role, r.Enabled, seen, cell(strings.Join(r.Keys, " ")))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func newReviewerEnableCmd(g *globals, verb string, enabled bool) *cobra.Command {
	short := "Allow a reviewer's keys in again"
	if !enabled {
		short = "Refuse a reviewer's keys; their live SSH sessions end within seconds"
	}
	return &cobra.Command{
		Use:   verb + " NAME",
		Short: short,
		Args:  needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withStore(func(st *data.Store) error {
				if err := st.SetReviewerEnabledBy(cmd.Context(), localOrigin(), args[0], enabled); err != nil {
					return err
				}
				outf("%s: %sd\n", args[0], verb)
				return nil
			})
		},
	}
}

func newReviewerRemoveCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Take a reviewer off the roster: keys deleted, sessions ended; the name stays in the history",
		Long: `Remove a reviewer: their keys are deleted, their live SSH sessions end within
seconds, and they can never act again. Their name stays in every audit event
and claim that names them, and cannot be given to someone else. The removal is
recorded in the admin log with the operating-system account that ran it.`,
		Args: needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withStore(func(st *data.Store) error {
				if err := st.RemoveReviewer(cmd.Context(), localOrigin(), args[0]); err != nil {
					return err
				}
				outf("%s: removed (keys deleted; past decisions keep the name)\n", args[0])
				return nil
			})
		},
	}
}

package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
)

func newRetractCmd(g *globals) *cobra.Command {
	var as, reason string
	cmd := &cobra.Command{
		Use:   "retract POST_ID --reason TEXT",
		Short: "Leads: withdraw a rejection already sent to its platform in a takedown packet",
		Long: `A post in a takedown packet cannot be undone: the platform already has it.
A lead retracts it instead, with a reason (the platform contested it, the
author appealed, new evidence). The retraction is an audit event; the post goes
back to the pending queue to be decided again; and the next 'triage takedowns'
run writes it into the platform's SLUG-…-retractions.csv so the platform is told.
--as must name a registered lead.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("POST_ID: %q is not a post number", args[0])
			}
			if strings.TrimSpace(reason) == "" {
				return errors.New("flag --reason: a retraction needs a reason the platform will read")
			}
			name, err := reviewerName(orDefaultReviewer(as))
			if err != nil {
				return fmt.Errorf("flag --as: %w", err)
			}
			return g.withStore(func(st *data.Store) error {
				ev, err := st.Decide(cmd.Context(), model.Decision{PostID: id, Action: model.ActionRetract, Note: reason,
					Actor: model.Actor{Reviewer: name, KeyFP: localOrigin()}})
				if err != nil {
					return err
				}
				outf("retracted post %d (audit event %d); the next takedowns run tells the platform\n", id, ev.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the lead recording the retraction (default: $USER, else the login name)")
	cmd.Flags().StringVar(&reason, "reason", "", "why the rejection is withdrawn (required; goes to the platform)")
	return cmd
}

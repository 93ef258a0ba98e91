package main

import (
	"github.com/spf13/cobra"

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
		Args: needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ev, err := leadDecision(cmd, g, model.ActionRetract, args[0], reason, as, "a retraction needs a reason the platform will read")
			if err != nil {
				return err
			}
			outf("retracted post %d (audit event %d); the next takedowns run tells the platform\n", ev.PostID, ev.ID)
			return nil
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the lead recording the retraction (default: $USER, else the login name)")
	cmd.Flags().StringVar(&reason, "reason", "", "why the rejection is withdrawn (required; goes to the platform)")
	return cmd
}

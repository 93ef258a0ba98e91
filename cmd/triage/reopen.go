package main

import (
	"github.com/spf13/cobra"

	"triage/model"
)

func newReopenCmd(g *globals) *cobra.Command {
	var as, reason string
	cmd := &cobra.Command{
		Use:   "reopen POST_ID --reason TEXT",
		Short: "Leads: put a decided post back in the queue, with the reason why",
		Long: `A lead reopens a decided post (approved, rejected or escalated) when new facts
arrive: the platform contested it, the author appealed, new evidence. The
reopening is an audit event with the reason; the post goes back to the
pending queue with its whole history; and if it was rejected and already sent
in a takedown packet, the next 'triage takedowns' run writes a retraction so
the platform is told. --as must name a registered lead.`,
		Args: needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ev, err := leadDecision(cmd, g, model.ActionReopen, args[0], reason, as, "reopening needs a reason")
			if err != nil {
				return err
			}
			outf("reopened post %d (audit event %d): it was %s and is pending again\n", ev.PostID, ev.ID, ev.From)
			return nil
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the lead reopening the post (default: $USER, else the login name)")
	cmd.Flags().StringVar(&reason, "reason", "", "why the post is reopened (required; recorded in the audit trail)")
	return cmd
}

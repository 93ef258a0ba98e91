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
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("POST_ID: %q is not a post number", cell(cutText(args[0])))
			}
			if strings.TrimSpace(reason) == "" {
				return errors.New("flag --reason: reopening needs a reason")
			}
			name, err := reviewerName(orDefaultReviewer(as))
			if err != nil {
				return fmt.Errorf("flag --as: %w", err)
			}
			return g.withStore(func(st *data.Store) error {
				ev, err := st.Decide(cmd.Context(), model.Decision{PostID: id, Action: model.ActionReopen, Note: reason,
					Actor: model.Actor{Reviewer: name, KeyFP: localOrigin()}})
				if err != nil {
					return err
				}
				outf("reopened post %d (audit event %d): it was %s and is pending again\n", id, ev.ID, ev.From)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the lead reopening the post (default: $USER, else the login name)")
	cmd.Flags().StringVar(&reason, "reason", "", "why the post is reopened (required; recorded in the audit trail)")
	return cmd
}

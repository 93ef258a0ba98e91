package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"triage/data"
)

func newVerifyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Recompute the audit trail's hash chain; name the first event that does not match",
		Long: `Every audit event stores sha256(previous hash ‖ the event's canonical bytes).
verify recomputes the chain from the first event and stops at the first whose
stored hash differs: that event, or the one before it, was changed behind the
tool's back. Exit 0 if the chain holds, 1 if not.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withStore(func(st *data.Store) error {
				res, err := st.Verify(cmd.Context())
				if err != nil {
					return err
				}
				if res.BadID != 0 {
					fmt.Printf("verify FAILED: %s: %s (the %d events before it hold)\n", st.Path(), res.Problem, res.Events)
					return exitCode(1)
				}
				fmt.Printf("verify ok: %s: %d audit events, chain head %s\n", st.Path(), res.Events, res.Head)
				return nil
			})
		},
	}
}

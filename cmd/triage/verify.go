package main

import (
	"github.com/spf13/cobra"

	"triage/data"
)

func newVerifyCmd(g *globals) *cobra.Command {
	var opt data.VerifyOptions
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Recompute the audit trail's hash chain and check every recorded head is still on it",
		Long: `Every audit event stores sha256(previous hash ‖ the event's canonical bytes).
verify recomputes the chain from the first event and stops at the first whose
stored hash differs, or at a gap in the event numbers: that event, or one
before it, was changed or deleted behind the tool's back.

Deleting the newest events leaves a shorter chain that still computes, so
verify also checks heads recorded elsewhere: the head every takedown packet was
cut at (in the database and in the manifest beside the packet file), and any
head given with --head. Each must still be on the chain at its position.

verify prints the head it ends on and its event count: record them somewhere
the database's owner cannot write, and pass them to a later
'triage verify --head HEX:EVENTS'. --manifests DIR checks the manifests of
packets already sent (kept in the folder that went to the platform) even if
their rows were deleted from the database.
Exit 0 if everything holds, 1 if not.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withReader(func(st *data.Store) error {
				res, err := st.Verify(cmd.Context(), opt)
				if err != nil {
					return err
				}
				if res.BadID != 0 {
					outf("verify FAILED: %s: %s (the %d events before it hold)\n", st.Path(), res.Problem, res.Events)
				}
				for _, p := range res.Problems {
					outf("verify FAILED: %s: %s\n", st.Path(), p)
				}
				if !res.OK() {
					return exitCode(1)
				}
				if res.Events == 0 {
					outf("verify ok: %s: no audit events yet\n", st.Path())
					return nil
				}
				outf("verify ok: %s: %d audit events, %d packet heads and %d given heads on the chain; chain head %s:%d\n",
					st.Path(), res.Events, res.Packets, len(opt.Heads), res.Head, res.Events)
				return nil
			})
		},
	}
	cmd.Flags().StringArrayVar(&opt.Heads, "head", nil, "a chain head recorded earlier, HEX or HEX:EVENTS, that must still be on the chain; repeatable")
	cmd.Flags().StringArrayVar(&opt.Manifests, "manifests", nil, "packet manifests (files or directories) to check against the chain, whatever the database says; repeatable")
	return cmd
}

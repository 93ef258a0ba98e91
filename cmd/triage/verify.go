package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
)

func newVerifyCmd(g *globals) *cobra.Command {
	var opt data.VerifyOptions
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Recompute the audit trail's hash chain and check every recorded head is still on it",
		Long: `Every audit event stores sha256(previous hash ‖ the event's canonical bytes).
verify recomputes the chain from the first event and stops at the first whose
stored hash differs, or at a gap in the event numbers: that event, or one
before it, was changed or deleted behind the tool's back. Every event
written by this version on also binds its post's content (platform, external
id, URL, author, author id, text) by hash: verify recomputes it from the post
as stored and names every post that no longer holds what was decided on.

Deleting the newest events leaves a shorter chain that still computes, so
verify also checks heads recorded elsewhere: the head every takedown packet was
cut at (in the database and in the manifest beside the packet file), and any
head given with --head. Each must still be on the chain at its position.

verify prints the head it ends on and its event count: record them somewhere
the database's owner cannot write, and pass them to a later
'triage verify --head HEX:EVENTS'. --packets DIR checks the folder packets
were written to (or a copy of it): every manifest there, field by field,
against the database's record of its packet (a manifest whose packet has no
record is named), every packet file against its manifest's sha256, and every
packet the database says was written there, which must still be there with
its manifest.
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
				outf("verify ok: %s: %s (%s), %s and %s on the chain; chain head %s:%d\n",
					st.Path(), model.Count(res.Events, "audit event", "audit events"), contentBound(res), model.Count(int64(res.Packets), "packet head", "packet heads"),
					model.Count(int64(len(opt.Heads)), "given head", "given heads"), res.Head, res.Events)
				return nil
			})
		},
	}
	cmd.Flags().StringArrayVar(&opt.Heads, "head", nil, "a chain head recorded earlier, HEX or HEX:EVENTS, that must still be on the chain; repeatable")
	cmd.Flags().StringArrayVar(&opt.Packets, "packets", nil, "a folder packets were written to (or a manifest): check its manifests, files and missing packets against the database; repeatable")
	cmd.Flags().StringArrayVar(&opt.Packets, "manifests", nil, "the former name of --packets")
	cmd.Flags().MarkDeprecated("manifests", "use --packets")
	return cmd
}

// contentBound says from which event on posts' content is bound, and
// from which on their category with it.
func contentBound(res data.VerifyResult) string {
	var s string
	switch {
	case res.ContentFrom == 1:
		s = "each binds its post's content"
	case res.ContentFrom > 1:
		s = fmt.Sprintf("post content bound from event %d on", res.ContentFrom)
	default:
		return "none binds post content: all were written before content was bound"
	}
	switch {
	case res.CategoryFrom == res.ContentFrom:
		return s + ", category included"
	case res.CategoryFrom > 0:
		return s + fmt.Sprintf(", its category from event %d on", res.CategoryFrom)
	}
	return s + ", its category by none yet"
}

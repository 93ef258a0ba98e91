package main

import (
	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
)

func newCheckCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Verify the database's invariants; exit 0 if they hold, 1 if not",
		Long: `Verify that SQLite's integrity check passes, that every post's status is what
its audit events imply, that no post was decided twice, that every audit event
names a reviewer, that the queue counters match the posts, that every trigger
and index is the one the migrations made, that each post's severity, reports,
flagging time and source are what its flags give, that the audit chain
verifies, each post's content included, as 'triage verify' does, and that each
decision's reason is one the policy gives its post's category (a reason or
category the policy no longer knows is a warning). On PostgreSQL it also
warns of a role that may SET session_replication_role (a warning does not
change the exit code).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withReader(func(st *data.Store) error {
				rep, err := st.Check(cmd.Context())
				if err != nil {
					return err
				}
				for _, p := range rep.Problems {
					outf("  %s\n", p)
				}
				for _, w := range rep.Warnings {
					outf("  warning: %s\n", w)
				}
				if len(rep.Problems) > 0 {
					outf("check FAILED: %s: %s in %s and %s\n", st.Path(), model.Count(int64(len(rep.Problems)), "problem", "problems"),
						model.Count(int64(rep.Posts), "post", "posts"), model.Count(int64(rep.Events), "audit event", "audit events"))
					return exitCode(1)
				}
				outf("check ok: %s: %s and %s, all invariants hold\n", st.Path(), model.Count(int64(rep.Posts), "post", "posts"),
					model.Count(int64(rep.Events), "audit event", "audit events"))
				return nil
			})
		},
	}
}

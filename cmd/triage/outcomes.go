package main

import (
	"os"

	"github.com/spf13/cobra"

	"triage/data"
)

func newOutcomesCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "outcomes FILE",
		Short: "Record what platforms did with the posts they were sent (JSONL or CSV)",
		Long: `Record platform outcomes. Each row has platform, url or external_id, outcome
(removed, restricted, no_action or unreachable) and at (RFC 3339; default now).
Rows naming no known post are reported as FILE:LINE: reason; the exit status is
then 1. 'triage stats --json' summarises them under "platforms".`,
		Args: needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			fmtName, err := data.FormatOf(format, name)
			if err != nil {
				return err
			}
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := g.open(false)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := st.RecordOutcomes(cmd.Context(), f, data.OutcomeOptions{Name: name, Format: fmtName,
				Report: func(e data.LineError) { errf("%s\n", e.Error()) }})
			if err != nil {
				return err
			}
			outf("%s: recorded %d, rejected %d\n", name, res.Recorded, res.Rejected)
			if res.Rejected > 0 {
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "jsonl or csv (default: by the file name)")
	return cmd
}

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"triage/data"
)

func newTakedownsCmd(g *globals) *cobra.Command {
	var opt data.TakedownOptions
	cmd := &cobra.Command{
		Use:   "takedowns",
		Short: "Write per-platform takedown packets of the rejected posts not yet sent",
		Long: `Write, per platform, one file PLATFORM-YYYYMMDDTHHMMSSZ.csv (or .jsonl) of the
rejected posts not yet sent: url, external_id, author, category, reason_code,
legal_basis, decided_at, reviewer, text_sha256. The last line carries the
audit chain head the packet was cut from ("#chain_head", hash, "events", count
in CSV; {"chain_head":…,"events":…} in JSONL), to check later against
'triage verify'. Posts count as sent only once their file is complete and
synced; a re-run never sends a post twice, and finishes any packet a crash
interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.Format != data.FormatCSV && opt.Format != data.FormatJSONL {
				return fmt.Errorf("flag --format: %q is not csv or jsonl", opt.Format)
			}
			return g.withStore(func(st *data.Store) error {
				packets, err := st.Takedowns(cmd.Context(), opt)
				if err != nil {
					return err
				}
				verb := "wrote"
				if opt.DryRun {
					verb = "would write"
				}
				total := 0
				for _, p := range packets {
					note := ""
					if p.Resumed {
						note = " (finished a packet an earlier run left incomplete)"
					}
					fmt.Printf("%s %s: %d posts%s\n", verb, p.File, p.Posts, note)
					total += p.Posts
				}
				fmt.Printf("takedowns: %d packets, %d posts\n", len(packets), total)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&opt.Dir, "out", ".", "directory for the packet files")
	cmd.Flags().StringVar(&opt.Platform, "platform", "", "only this platform")
	cmd.Flags().StringVar(&opt.Format, "format", "csv", "csv or jsonl")
	cmd.Flags().BoolVar(&opt.DryRun, "dry-run", false, "say what would be written; write and change nothing")
	return cmd
}

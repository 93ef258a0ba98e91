package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"triage/data"
)

func newStatsCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Print queue and decision counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withStore(func(st *data.Store) error {
				s, err := st.Stats(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					enc := json.NewEncoder(os.Stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(s)
				}
				fmt.Printf("pending %d · approved %d · rejected %d · escalated %d\n", s.Pending, s.Approved, s.Rejected, s.Escalated)
				fmt.Printf("decisions %d · undos %d · notes %d · audit events %d\n", s.Decisions, s.Undos, s.Notes, s.Events)
				fmt.Printf("near-duplicate clusters with 2+ pending posts: %d\n", s.Clusters)
				fmt.Println("\npending by category:")
				printCounts(s.ByCategory)
				fmt.Println("\npending past the category's target time (SLA breaches):")
				printCounts(s.Breaches)
				if len(s.ByReviewer) > 0 {
					fmt.Println("\ndecisions by reviewer:")
					printCounts(s.ByReviewer)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

func printCounts(m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || (m[keys[i]] == m[keys[j]] && keys[i] < keys[j]) })
	for _, k := range keys {
		fmt.Printf("  %-16s %6d\n", k, m[k])
	}
}

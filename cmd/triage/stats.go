package main

import (
	"sort"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
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
					return printJSON(s)
				}
				outf("pending %d · approved %d · rejected %d · escalated %d · awaiting confirmation %d\n", s.Pending, s.Approved, s.Rejected, s.Escalated, s.Awaiting)
				outf("decisions %d · undos %d · notes %d · audit events %d\n", s.Decisions, s.Undos, s.Notes, s.Events)
				outf("near-duplicate clusters with 2+ pending posts: %d\n", s.Clusters)
				outf("\npending by category:\n")
				printCounts(s.ByCategory)
				outf("\npending past the category's target time (SLA breaches):\n")
				printCounts(s.Breaches)
				if len(s.ByReviewer) > 0 {
					outf("\ndecisions by reviewer:\n")
					printCounts(s.ByReviewer)
				}
				if len(s.Exposure) > 0 {
					outf("\nsensitive exposure (day, reviewer, sensitive posts read, minutes in the console):\n")
					for _, e := range s.Exposure {
						outf("  %s  %-20s %6d %6d\n", e.Day, cell(e.Reviewer), e.Reveals, e.Minutes)
					}
				}
				printAgreement(s.Agreement)
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
		outf("  %-16s %6d\n", k, m[k])
	}
}

// printAgreement prints the agreement of second looks with first decisions:
// all pairs, then per category and per pair of reviewers.
func printAgreement(a model.AgreementStats) {
	if a.All.Action.N == 0 {
		return
	}
	outf("\nagreement of second looks with first decisions (pairs, %% agreeing, Cohen's kappa [95%% CI]; action, then reason):\n")
	row := func(name string, g model.AgreementGroup) {
		outf("  %-24s %5d  %s  %s\n", name, g.Action.N, g.Action.Cell(), g.Reason.Cell())
	}
	row("all", a.All)
	for _, g := range a.ByKind {
		row(map[model.LookKind]string{model.LookQA: "blind QA checks", model.LookConfirm: "four-eyes confirmations"}[g.Kind], g)
	}
	for _, g := range a.ByCategory {
		row(cell(g.Category), g)
	}
	for _, g := range a.ByPair {
		row(cell(g.Reviewer)+" + "+cell(g.Other), g)
	}
	if len(a.QADisagreements) == 0 {
		return
	}
	outf("\nQA checks that disagreed, newest first (triage reopen ID --reason … puts a post back in the queue):\n")
	for _, p := range a.QADisagreements {
		outf("  #%d %s  %s %s %s  ≠  %s %s %s\n", p.PostID, cell(p.Category), cell(p.FirstReviewer), p.FirstAction, cell(p.FirstReason),
			cell(p.SecondReviewer), p.SecondAction, cell(p.SecondReason))
	}
}

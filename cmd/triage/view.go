package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
)

func newViewCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "view",
		Short: "Manage saved views: named filters the whole team can open",
		Long: `A view is a named filter, shared by everyone on the database. Open one with
triage review --view NAME, or switch to it in the console with v. The view
"breaches" is built in: posts past their category's target time, oldest first.

Filter terms (combine with spaces; a comma list means any of):
  ` + model.FilterSyntax,
	}
	cmd.AddCommand(newViewListCmd(g), newViewSaveCmd(g), newViewDeleteCmd(g))
	return cmd
}

func newViewListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the saved views",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withStore(func(st *data.Store) error {
				views, err := st.Views(cmd.Context())
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(safeWriter{os.Stdout}, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tFILTER\tSAVED BY\tAT")
				for _, v := range views {
					f := v.Filter.String()
					if v.Filter.Breached {
						f += " (oldest first)"
					}
					at := "—"
					if !v.At.IsZero() {
						at = v.At.Format("2006-01-02 15:04 UTC")
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cell(v.Name), cell(f), cell(v.By), at)
				}
				return tw.Flush()
			})
		},
	}
}

func newViewSaveCmd(g *globals) *cobra.Command {
	var by string
	cmd := &cobra.Command{
		Use:   "save NAME FILTER…",
		Short: "Save (or replace) a view",
		Example: `  triage view save kk-recruitment category:recruitment lang:kk
  triage view save urgent sev:4 age>2h`,
		Args: needArgs(2, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := model.ValidViewName(args[0]); err != nil {
				return fmt.Errorf("NAME: %w", err)
			}
			f, err := model.ParseFilter(strings.Join(args[1:], " "))
			if err != nil {
				return fmt.Errorf("FILTER: %w", err)
			}
			name, err := reviewerName(orDefaultReviewer(by))
			if err != nil {
				return fmt.Errorf("flag --as: %w", err)
			}
			return g.withStore(func(st *data.Store) error {
				// The same check as the console's filter bar: a value no
				// post has would save a view that always shows nothing.
				facets, err := st.Facets(cmd.Context())
				if err != nil {
					return err
				}
				if err := model.CheckFilter(f, st.Policy(), facets); err != nil {
					return fmt.Errorf("FILTER: %w", err)
				}
				if err := st.SaveView(cmd.Context(), args[0], f, name); err != nil {
					return err
				}
				outf("saved view %s: %s\n", args[0], f)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&by, "as", "", "who saves the view (default: $USER, else the login name)")
	return cmd
}

func newViewDeleteCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a saved view",
		Args:  needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withStore(func(st *data.Store) error {
				return st.DeleteView(cmd.Context(), args[0])
			})
		},
	}
}

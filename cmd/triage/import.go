package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"triage/data"
)

func newImportCmd(g *globals) *cobra.Command {
	var strict bool
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import flagged posts from a JSONL file (- reads standard input)",
		Long: `Import flagged posts, one JSON object per line. Bad lines are reported on
stderr as FILE:LINE: reason and skipped; the exit status is 1 if any line was
rejected. With --strict, one bad line means nothing at all is written.
A post flagged again (same platform and external_id, else platform and url)
is merged into the stored one. The database is created if it does not exist.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			var in io.Reader = os.Stdin
			if name != "-" {
				f, err := os.Open(name)
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			st, err := g.open(true)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := st.Import(cmd.Context(), in, data.ImportOptions{
				Name: name, Strict: strict,
				Report: func(e data.LineError) { fmt.Fprintln(os.Stderr, e.Error()) },
			})
			if err != nil {
				return err
			}
			written := "imported"
			if strict && res.Rejected > 0 {
				written = "nothing written (--strict); would have imported"
			}
			fmt.Printf("%s: %s %d, merged %d, rejected %d\n", name, written, res.Imported, res.Merged, res.Rejected)
			if res.Rejected > 0 {
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "write nothing at all if any line is bad")
	return cmd
}

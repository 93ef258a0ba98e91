package main

import (
	"errors"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"triage/data"
	"triage/tui"
)

func newImportCmd(g *globals) *cobra.Command {
	var strict bool
	var format string
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import flagged posts from a JSONL or CSV file (- reads standard input)",
		Long: `Import flagged posts: JSONL, one JSON object per line, or CSV with a header
row of the same field names (--format csv, or a name ending in .csv).
Bad records are reported on stderr as FILE:LINE: reason and skipped; the exit
status is 1 if any was rejected. With --strict, one bad record means nothing
at all is written. A post flagged again (same platform and external_id, else
platform and url) is merged into the stored one. The database is created if
it does not exist. Progress is shown on stderr.`,
		Args: needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			fmtName, err := data.FormatOf(format, name)
			if err != nil {
				return err
			}
			var in io.Reader = os.Stdin
			var size int64
			if name != "-" {
				f, err := os.Open(name)
				if err != nil {
					return err
				}
				defer f.Close()
				if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
					size = st.Size()
				}
				in = f
			}
			// On PostgreSQL the database is the DBA's: a failed strict import
			// leaves only the schema it made, and no post.
			_, statErr := os.Stat(g.db)
			created := errors.Is(statErr, os.ErrNotExist) && !data.IsPostgresURL(g.db)
			st, err := g.open(true)
			if err != nil {
				return err
			}
			defer st.Close()
			// A --strict import that writes nothing leaves nothing behind:
			// not even the database file it had to create.
			discard := func() {
				if strict && created {
					st.Close()
					for _, suffix := range []string{"", "-wal", "-shm", "-writers"} {
						os.Remove(g.db + suffix)
					}
				}
			}
			prog := tui.NewProgress(os.Stderr, term.IsTerminal(os.Stderr.Fd()), size)
			var last data.ImportProgress
			res, err := st.Import(cmd.Context(), in, data.ImportOptions{
				Name: name, Format: fmtName, Strict: strict,
				Report:   func(e data.LineError) { prog.Println(e.Error()) },
				Progress: func(p data.ImportProgress) { last = p; prog.Update(p.Lines, p.BytesRead) },
			})
			prog.Done(last.Lines, last.BytesRead)
			if err != nil || (strict && res.Rejected > 0) {
				discard()
			}
			if err != nil {
				return err
			}
			written := "imported"
			if strict && res.Rejected > 0 {
				written = "nothing written (--strict); would have imported"
			}
			outf("%s: %s %d, merged %d, rejected %d\n", name, written, res.Imported, res.Merged, res.Rejected)
			if res.Rejected > 0 {
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "write nothing at all if any record is bad")
	cmd.Flags().StringVar(&format, "format", "", "jsonl or csv (default: by the file name, else jsonl)")
	return cmd
}

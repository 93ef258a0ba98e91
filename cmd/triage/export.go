package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
)

func newExportCmd(g *globals) *cobra.Command {
	var status, since, format, out string
	var qa bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export decided posts with their decision and flag history (JSONL or CSV)",
		Long: `Export one record per decided post. In JSONL the post's fields as imported
(unknown ones included) stand at the top level, with "decision" (action,
reason code and label, legal basis, note, reviewer, key fingerprint, time) and
"flags" (the flag history) beside them; id and status are added. CSV flattens
the same, with flags and unknown fields as JSON columns; a CSV cell that a
spreadsheet would evaluate (starting with a tab, CR or LF, or with = + - @ or
their full-width forms after any spaces) gets a leading apostrophe, and
hidden text shows (<RLO>, <tags:...>). JSONL is exact, hidden characters
written as \u escapes.

--out FILE is written to a temporary file and renamed over FILE only when the
export is complete and synced: a failed export leaves the previous FILE as it
was. --out - (the default), a pipe or a FIFO is written directly. Standard
output that is a terminal is refused: post text would reach it raw.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var f data.ExportFilter
			switch status {
			case "all":
			case "approved", "rejected", "escalated", "awaiting":
				f.Status = model.Status(status)
			default:
				return fmt.Errorf("flag --status: %q is not approved, rejected, escalated, awaiting or all", status)
			}
			if qa && f.Status != "" {
				return fmt.Errorf("flag --status: --qa writes pairs of reviews, whatever the post's status")
			}
			if since != "" {
				t, err := time.Parse(time.RFC3339, since)
				if err != nil {
					return fmt.Errorf("flag --since: %q is not an RFC 3339 time", since)
				}
				f.Since = t
			}
			if format != data.FormatJSONL && format != data.FormatCSV {
				return fmt.Errorf("flag --format: %q is not jsonl or csv", format)
			}
			st, err := g.open(false)
			if err != nil {
				return err
			}
			defer st.Close()
			out, err := openOutput(out)
			if err != nil {
				return fmt.Errorf("flag --out: %w", err)
			}
			defer out.Abort()
			if qa {
				return exportPairs(cmd.Context(), st, out, format, f.Since)
			}
			ew, err := data.NewExportWriter(out, format, st.Policy())
			if err != nil {
				return err
			}
			n, err := st.Export(cmd.Context(), f, ew.Write)
			if err == nil {
				err = ew.Close()
			}
			if err == nil {
				err = out.Commit()
			}
			if err != nil {
				return err
			}
			errf("export: %s\n", model.Count(int64(n), "decided post", "decided posts"))
			return nil
		},
	}
	cmd.Flags().StringVar(&status, "status", "all", "approved, rejected, escalated, awaiting or all")
	cmd.Flags().BoolVar(&qa, "qa", false, "write the posts reviewed twice (confirmations, QA checks) as pairs instead")
	cmd.Flags().StringVar(&since, "since", "", "only decisions at or after this RFC 3339 time")
	cmd.Flags().StringVar(&format, "format", "jsonl", "jsonl or csv")
	cmd.Flags().StringVar(&out, "out", "-", "output file, - for standard output")
	return cmd
}

// exportPairs writes every review pair answered at or after since.
func exportPairs(ctx context.Context, st *data.Store, out *output, format string, since time.Time) error {
	pw, err := data.NewPairWriter(out, format)
	if err != nil {
		return err
	}
	n := 0
	err = st.ReviewPairs(ctx, func(p model.ReviewPair) error {
		if p.SecondAt.Before(since) {
			return nil
		}
		n++
		return pw.Write(p)
	})
	if err == nil {
		err = pw.Close()
	}
	if err == nil {
		err = out.Commit()
	}
	if err != nil {
		return err
	}
	errf("export: %s\n", model.Count(int64(n), "review pair", "review pairs"))
	return nil
}

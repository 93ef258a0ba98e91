package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"triage/data"
)

func newTakedownsCmd(g *globals) *cobra.Command {
	var opt data.TakedownOptions
	cmd := &cobra.Command{
		Use:   "takedowns",
		Short: "Write per-platform takedown packets of the rejected posts not yet sent",
		Long: `Write, per platform, one packet of the rejected posts not yet sent:
SLUG-YYYYMMDDTHHMMSSZ-pID.csv (or .jsonl) with the columns url, external_id,
author, category, reason_code, legal_basis, decided_at, reviewer, text_sha256,
confirmed_by (the second reviewer of a four-eyes rejection, or empty).
SLUG is the platform in lower-case ASCII (followed by a short hash of the real
name when that spelling had to change it); ID is the packet's number, so no two
packets ever share a file name, and no existing file is ever replaced.

Beside each packet, SLUG-…-pID.manifest.json holds the packet id, row count,
the file's sha256 and the audit chain head it was cut from, to check later with
'triage verify'. Retractions a lead recorded ('triage retract') go to the
platform in SLUG-…-pID-retractions.csv, with its own manifest.

CSV cells a spreadsheet would evaluate (starting with a tab, CR or LF, or
with = + - @ or their full-width forms after any spaces) get a leading
apostrophe, and hidden text shows; JSONL is exact. Posts count as sent only once their file
and manifest are complete and synced; a re-run never sends a post twice, and
finishes any packet a crash interrupted. One run at a time per database: a
second exits with status 1 and changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.Format != data.FormatCSV && opt.Format != data.FormatJSONL {
				return fmt.Errorf("flag --format: %q is not csv or jsonl", opt.Format)
			}
			return g.withStore(func(st *data.Store) error {
				packets, err := st.Takedowns(cmd.Context(), opt)
				if errors.Is(err, data.ErrBusy) {
					errf("triage: %s\n", err)
					return exitCode(1)
				}
				total, retracted := 0, 0
				for _, p := range packets {
					what := plural(p.Posts, "post")
					if p.Kind == data.KindRetractions {
						what = plural(p.Posts, "retraction")
					}
					switch {
					case opt.DryRun:
						outf("would write a %s packet for %s: %s\n", p.Kind, p.Platform, what)
					case p.Resumed:
						outf("wrote %s: %s (finished a packet an earlier run left incomplete)\n", p.File, what)
					default:
						outf("wrote %s: %s\n", p.File, what)
					}
					if p.Kind == data.KindRetractions {
						retracted += p.Posts
					} else {
						total += p.Posts
					}
				}
				if err != nil {
					return err
				}
				tail := ""
				if retracted > 0 {
					tail = ", " + plural(retracted, "retraction")
				}
				outf("takedowns: %s, %s%s\n", plural(len(packets), "packet"), plural(total, "post"), tail)
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

// plural is "1 post", "2 posts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

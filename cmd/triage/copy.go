package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
)

func newCopyCmd(g *globals) *cobra.Command {
	var from, to string
	var force bool
	cmd := &cobra.Command{
		Use:   "copy --from SRC --to DST",
		Short: "Copy a whole database between SQLite and PostgreSQL (or within either)",
		Long:  copyHelp,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return errors.New("flag --from and flag --to are both required")
			}
			p, err := g.loadPolicy()
			if err != nil {
				return err
			}
			src, err := data.Open(from, data.Options{Policy: p, ReadOnly: true})
			if err != nil {
				return fmt.Errorf("flag --from: %w", err)
			}
			if sameDatabase(from, to) {
				src.Close()
				return fmt.Errorf("flag --to: %s is the database being copied", src.Path())
			}
			defer src.Close()
			check, err := src.CheckSource(cmd.Context(), force, localOrigin())
			if err != nil {
				return fmt.Errorf("copy from %s: %w", src.Path(), err)
			}
			if err := refuseFilled(to); err != nil {
				return err
			}
			dst, err := copyInto(cmd.Context(), src, to, p, check)
			if err != nil {
				return err
			}
			head, events, err := dst.ChainHead(cmd.Context())
			if cerr := dst.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			if events == 0 {
				outf("copy ok: %s → %s; no audit events yet\n", src.Path(), dst.Path())
				return nil
			}
			outf("copy ok: %s → %s; chain head %s:%d\n", src.Path(), dst.Path(), head, events)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the database to copy: a SQLite file or a postgres:// URL")
	cmd.Flags().StringVar(&to, "to", "", "the empty database to copy into: a SQLite file or a postgres:// URL")
	cmd.Flags().BoolVar(&force, "force-broken-source", false, "copy a source whose audit trail does not verify, and record that in the destination")
	return cmd
}

// copyHelp is copy's --help.
const copyHelp = `copy moves a triage database to another backend, or another place: posts,
flags, the audit events with their hashes, reviewers and their keys, sessions'
history, views, takedown packets, retractions, outcomes and the admin log.
SRC and DST are each a SQLite file or a postgres:// URL.

The destination must be empty: a new file, an empty PostgreSQL database, or a
triage database with nothing in it. A destination that holds anything is
refused with nothing changed. The copy is one transaction: if it fails (or
is killed), the destination holds no data — on PostgreSQL triage's empty
tables may remain — and the copy can simply be run again. The source is
only read.

Before it opens the destination, copy verifies the source as 'triage verify'
does: the audit chain, the content every event bound, the packets' records.
A source that does not verify is refused in one line naming its first
problem, and nothing is written. --force-broken-source copies it all the
same (to keep what is left, say) and records in the destination's admin log
that it did, by whom and why the source did not verify.

Afterwards the destination's chain head equals the source's (copy checks it
and prints it); 'triage verify' on each prints the same head, and
'triage stats --json' gives the same figures. Stop every serve and console on
the source first, so nothing is decided while the copy runs.`

// copyInto opens (or creates) the destination and copies src into it in
// one transaction; a SQLite file it created is removed again if the copy
// fails, so a failed copy leaves nothing behind.
func copyInto(ctx context.Context, src *data.Store, to string, p *model.Policy, check *data.SourceCheck) (*data.Store, error) {
	created := false
	if !data.IsPostgresURL(to) {
		_, statErr := os.Stat(to)
		created = errors.Is(statErr, os.ErrNotExist)
	}
	dst, err := data.Open(to, data.Options{Policy: p, Create: true})
	if err != nil {
		return nil, fmt.Errorf("flag --to: %w", err)
	}
	if check.Forced {
		errf("copy: %s does not verify; copying it anyway (--force-broken-source), recorded in the destination's admin log\n", src.Path())
	}
	if err := dst.CopyFrom(ctx, src, data.CopyOptions{Progress: copyProgress(), Source: check}); err != nil {
		dst.Close()
		if created {
			for _, suffix := range []string{"", "-wal", "-shm", "-writers"} {
				os.Remove(to + suffix)
			}
		}
		return nil, fmt.Errorf("copy to %s: %w", dst.Path(), err)
	}
	return dst, nil
}

// refuseFilled refuses an existing SQLite destination that holds anything,
// before it is opened for writing (which could migrate it).
func refuseFilled(to string) error {
	if data.IsPostgresURL(to) {
		return nil // checked inside the copy's transaction
	}
	if st, err := os.Stat(to); err != nil || st.Size() == 0 {
		return nil
	}
	dst, err := data.Open(to, data.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("flag --to: %w", err)
	}
	defer dst.Close()
	if err := dst.RequireEmpty(); err != nil {
		return fmt.Errorf("flag --to: %s: %w", dst.Path(), err)
	}
	return nil
}

// sameDatabase reports whether two SQLite paths name one file (a
// PostgreSQL destination that is the source is refused as not empty).
func sameDatabase(a, b string) bool {
	if data.IsPostgresURL(a) || data.IsPostgresURL(b) {
		return false
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// copyProgress reports each table as it completes, and a large one's rows
// so far every two seconds, on stderr.
func copyProgress() func(data.CopyProgress) {
	last := time.Now()
	return func(p data.CopyProgress) {
		if p.Done || time.Since(last) >= 2*time.Second {
			last = time.Now()
			if !p.Done {
				errf("copy: %s: %s so far\n", p.Table, model.Count(int64(p.Rows), "row", "rows"))
				return
			}
			errf("copy: %s: %s\n", p.Table, model.Count(int64(p.Rows), "row", "rows"))
		}
	}
}

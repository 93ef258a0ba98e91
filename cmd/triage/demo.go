package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/data/demo"
	"triage/model"
)

func newDemoCmd(g *globals) *cobra.Command {
	var posts int
	var seed uint64
	var force, noReview, emit bool
	var emitFormat string
	rv := &reviewFlags{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Fill a database with a realistic demo queue and open the console",
		Long: `Create a database holding a realistic monitoring queue: Russian, Kazakh and
English posts from seven platforms, campaigns reposted with small edits, benign
look-alikes, and a few hostile posts that try to hijack the terminal.
The same --seed always gives the same queue. A database that already holds
posts is refused unless --force, which keeps the old file beside the new one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if posts < 1 {
				return fmt.Errorf("flag --posts: want at least 1, got %d", posts)
			}
			if !emit && cmd.Flags().Changed("format") {
				return fmt.Errorf("flag --format: only with --emit (the database holds no format)")
			}
			if emit {
				if emitFormat != "jsonl" && emitFormat != "csv" {
					return fmt.Errorf("flag --format: %q is not jsonl or csv", emitFormat)
				}
				return demo.Generate(os.Stdout, demo.Options{Posts: posts, Seed: seed, Now: time.Now(), CSV: emitFormat == "csv"})
			}
			name, err := reviewerName(orDefaultReviewer(rv.as))
			if err != nil && !noReview {
				return fmt.Errorf("flag --as: %w", err)
			}
			if err := makeRoom(g, force); err != nil {
				return err
			}
			st, err := g.open(true)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := fillDemo(cmd.Context(), st, posts, seed); err != nil {
				return err
			}
			if noReview {
				return nil
			}
			var view model.View
			if rv.view != "" {
				if view, err = st.View(cmd.Context(), rv.view); err != nil {
					return fmt.Errorf("flag --view: %w", err)
				}
			}
			return reviewLocally(cmd.Context(), st, name, rv.as == "", view, g.lang)
		},
	}
	cmd.Flags().IntVar(&posts, "posts", 500, "number of flagged posts")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same queue")
	cmd.Flags().BoolVar(&force, "force", false, "replace a database that already holds posts (the old file is kept renamed)")
	cmd.Flags().BoolVar(&noReview, "no-review", false, "fill the database and exit without opening the console")
	cmd.Flags().BoolVar(&emit, "emit", false, "write the demo queue to standard output instead (no database)")
	cmd.Flags().StringVar(&emitFormat, "format", "jsonl", "with --emit: jsonl or csv")
	rv.register(cmd)
	return cmd
}

// makeRoom refuses a database that holds posts, or with --force moves it
// (and its WAL files) aside, so no evidence is ever destroyed by a demo.
func makeRoom(g *globals, force bool) error {
	shared := data.IsPostgresURL(g.db)
	if _, err := os.Stat(g.db); !shared && os.IsNotExist(err) {
		return nil
	}
	st, err := g.open(shared) // a PostgreSQL database is the DBA's to create; triage makes its schema
	if err != nil {
		return err
	}
	stats, err := st.Stats(context.Background())
	st.Close()
	if err != nil {
		return err
	}
	held := stats.Pending + stats.Approved + stats.Rejected + stats.Escalated
	if held == 0 {
		return nil
	}
	name := g.dbName()
	if shared {
		return fmt.Errorf("%s already holds %d posts; a demo needs an empty database (create one with createdb), or 'triage review --db URL' to work on this one", name, held)
	}
	if !force {
		return fmt.Errorf("%s already holds %d posts; use --force to replace it, or 'triage review --db %s' to work on it", name, held, name)
	}
	return moveAside(g.db)
}

// moveAside renames a SQLite database and its WAL files out of the way.
func moveAside(db string) error {
	aside := db + ".replaced-" + time.Now().UTC().Format("20060102T150405Z")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(db+suffix, aside+suffix); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("--force: %w", err)
		}
	}
	errf("demo: the old database is kept as %s\n", aside)
	return nil
}

// fillDemo streams the generator into the ordinary import path.
func fillDemo(ctx context.Context, st *data.Store, posts int, seed uint64) error {
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(demo.Generate(pw, demo.Options{Posts: posts, Seed: seed, Now: time.Now()}))
	}()
	res, err := st.Import(ctx, pr, data.ImportOptions{Name: "demo"})
	pr.Close()
	if err != nil {
		return err
	}
	if res.Rejected > 0 {
		return fmt.Errorf("demo: %d generated lines were rejected (a bug in the generator)", res.Rejected)
	}
	errf("demo: %s (%s merged) in %s\n", model.Count(int64(res.Imported), "post", "posts"), model.Count(int64(res.Merged), "re-flag", "re-flags"), st.Path())
	return nil
}

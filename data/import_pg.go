package data

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"triage/model"
)

// On PostgreSQL a row-at-a-time import pays a network round trip per
// statement, three or four per line. Instead each batch is written with
// COPY: the batch's dedup keys are looked up in one query at its start (the
// write lock is held, so nobody else adds posts meanwhile), every record is
// then sorted in memory into a new post or a re-flag of a known one, and at
// the batch's end the new clusters, posts, flags and search rows go in by
// COPY and the re-flagged posts' severity, reports and priority by one
// UPDATE. Parsing, validation, merging rules and clustering are the same
// code as on SQLite; only the writing differs.

// pgImportBatch is the batch size on PostgreSQL: each is one transaction
// (a few tens of milliseconds), so reviewers' decisions get in between.
const pgImportBatch = 1000

// knownPost is a post a batch may re-flag: its merge state.
type knownPost struct {
	id      int64
	sev     int
	reports int
	flagged int64
	row     []any // its COPY row while it is new in this batch, else nil
	dirty   bool  // an UPDATE is owed
}

// Column positions in a posts COPY row.
const (
	pgColSeverity = 10
	pgColReports  = 11
	pgColPrio     = 17
)

var pgPostCols = []string{"id", "dedup_key", "platform", "external_id", "url", "author", "author_id", "language", "text",
	"category", "severity", "reports", "posted_at", "flagged_at", "source", "extra", "status", "prio", "cluster"}

type pgCopy struct {
	conn     *sql.Conn
	known    map[string]*knownPost
	posts    [][]any
	flags    [][]any
	search   [][]any
	clusters [][]any
}

// beginPG begins the writer's transaction on a connection of its own, so
// COPY can run inside it.
func (w *batchWriter) beginPG(ctx context.Context) (*sql.Tx, error) {
	conn, err := w.s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	w.copy = &pgCopy{conn: conn, known: map[string]*knownPost{}}
	return tx, nil
}

// prepare looks up, in one query, the posts the batch's records may
// re-flag.
func (c *pgCopy) prepare(tx *sql.Tx, s *Store, batch []parsed) error {
	keys := make([]string, 0, len(batch))
	for i := range batch {
		if batch[i].err == nil {
			keys = append(keys, s.dedupKey(&batch[i].in))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	rows, err := tx.Query(`SELECT dedup_key, id, severity, reports, flagged_at FROM posts WHERE dedup_key = ANY(?)`, keys)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		k := &knownPost{}
		if err := rows.Scan(&key, &k.id, &k.sev, &k.reports, &k.flagged); err != nil {
			return err
		}
		c.known[key] = k
	}
	return rows.Err()
}

// writePG is write for PostgreSQL: the record is sorted into the batch's
// buffers; it reports whether it re-flagged a post.
func (w *batchWriter) writePG(p *parsed) (bool, error) {
	c, in := w.copy, &p.in
	key := w.s.dedupKey(in)
	var id int64
	k, merged := c.known[key]
	if merged {
		k.sev = max(k.sev, in.Severity)
		k.reports += in.Reports
		prio := model.Priority(k.sev, k.reports, time.Unix(k.flagged, 0))
		if k.row != nil {
			k.row[pgColSeverity], k.row[pgColReports], k.row[pgColPrio] = k.sev, k.reports, prio
		} else {
			k.dirty = true
		}
		id = k.id
	} else {
		id = w.nextID
		var cluster int64
		if !w.noClusters {
			var err error
			if cluster, err = w.clusters.match(p.words, p.keys); err != nil {
				return false, err
			}
		}
		founds := cluster == 0 && !w.noClusters
		if founds {
			cluster = id
			c.clusters = append(c.clusters, []any{id, encodeKeys(p.keys), 0, 0})
			w.clusters.foundUnwritten(id, p.words, p.keys)
		}
		var posted, extra, clusterArg any
		if !in.PostedAt.IsZero() {
			posted = in.PostedAt.Unix()
		}
		if in.Extra != nil {
			extra = string(in.Extra)
		}
		if cluster != 0 {
			clusterArg = cluster
		}
		row := []any{id, key, in.Platform, in.ExternalID, in.URL, in.Author, in.AuthorID, in.Language, in.Text,
			in.Category, in.Severity, in.Reports, posted, in.FlaggedAt.Unix(), in.Source, extra, "pending", in.Priority, clusterArg}
		c.posts = append(c.posts, row)
		c.search = append(c.search, append([]any{id}, p.index...))
		c.known[key] = &knownPost{id: id, sev: in.Severity, reports: in.Reports, flagged: in.FlaggedAt.Unix(), row: row}
		w.nextID++
	}
	f := in.Flag
	c.flags = append(c.flags, []any{id, f.FlaggedAt.Unix(), f.Reason, f.Source, f.Reports, f.Severity})
	return merged, nil
}

// flush writes the batch's buffers: clusters first (the posts' trigger
// counts into them), then posts, flags and search rows, then the re-flags.
func (c *pgCopy) flush(ctx context.Context, tx *sql.Tx, ix *clusterIndex) error {
	defer ix.written()
	err := c.conn.Raw(func(dc any) error {
		pc, ok := dc.(*pgConn)
		if !ok {
			return errors.New("import: not a PostgreSQL connection")
		}
		conn := pc.Conn.(*stdlib.Conn).Conn()
		for _, t := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"clusters", []string{"id", "keys", "posts", "pending"}, c.clusters},
			{"posts", pgPostCols, c.posts},
			{"flags", []string{"post_id", "flagged_at", "reason", "source", "reports", "severity"}, c.flags},
			{"posts_search", []string{"docid", "words"}, c.search},
		} {
			if len(t.rows) == 0 {
				continue
			}
			if _, err := conn.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var ids, sevs, reports, prios []int64
	for _, k := range c.known {
		if k.dirty {
			ids = append(ids, k.id)
			sevs = append(sevs, int64(k.sev))
			reports = append(reports, int64(k.reports))
			prios = append(prios, model.Priority(k.sev, k.reports, time.Unix(k.flagged, 0)))
			k.dirty = false
		}
	}
	if len(ids) > 0 {
		if _, err := tx.Exec(`UPDATE posts p SET severity = v.sev, reports = v.reports, prio = v.prio
			FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS v(id, sev, reports, prio) WHERE p.id = v.id`,
			ids, sevs, reports, prios); err != nil {
			return err
		}
	}
	for _, k := range c.known {
		k.row = nil // written: a later re-flag updates it
	}
	c.posts, c.flags, c.search, c.clusters = c.posts[:0], c.flags[:0], c.search[:0], c.clusters[:0]
	return nil
}

// end returns the connection to the writer's pool.
func (c *pgCopy) end() {
	c.conn.Close()
}

// analyzeAfterImport refreshes PostgreSQL's statistics after a large
// import, rather than waiting for autovacuum: search relies on them to
// choose between the word index (a rare word) and walking the posts in
// flag order (a common one), and without them it walks for every word.
func (s *Store) analyzeAfterImport(ctx context.Context, imported int) error {
	if s.pg == nil || imported < 1000 {
		return nil
	}
	_, err := s.w.ExecContext(writeCtx(ctx), `ANALYZE posts, posts_search`)
	return err
}

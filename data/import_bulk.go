package data

import (
	"database/sql"
	"fmt"
	"math/bits"
	"strings"
	"time"

	"triage/model"
)

// The import writes in bulk on both backends. A row at a time cost a
// statement per line and table — three or four cgo calls, trigger programs
// and statement journals on SQLite, network round trips on PostgreSQL —
// and was most of an import's time. Instead the records of a unit (a few
// hundred lines) are sorted in memory: the unit's dedup keys are looked up
// in one query at its start (the write lock is held, so nobody else adds
// posts meanwhile), each record becomes a new post or a re-flag of a known
// one, and at the unit's end the new clusters, posts and flags go in by
// multi-row INSERT (SQLite) or COPY (PostgreSQL), and the re-flagged posts'
// severity, reports and priority by UPDATE. Search rows follow at the
// transaction's end. Parsing, validation, merging rules and clustering are
// the same code on both backends; only the writing differs.

// knownPost is a post a unit may re-flag: its merge state.
type knownPost struct {
	id      int64
	sev     int
	reports int
	flagged int64
	row     []any // its posts row while it is not written yet, else nil
	dirty   bool  // an UPDATE is owed
}

// Column positions in a posts row.
const (
	postColSeverity = 10
	postColReports  = 11
	postColPrio     = 17
)

var postCols = []string{"id", "dedup_key", "platform", "external_id", "url", "author", "author_id", "language", "text",
	"category", "severity", "reports", "posted_at", "flagged_at", "source", "extra", "status", "prio", "cluster"}

var (
	flagCols    = []string{"post_id", "flagged_at", "reason", "source", "reports", "severity"}
	clusterCols = []string{"id", "keys", "posts", "pending"}
)

// bulkRows is one transaction's records on their way in.
type bulkRows struct {
	known    map[string]*knownPost
	unit     []*knownPost // the posts of this unit's rows, not written yet
	dirty    []*knownPost // the posts written before that owe an UPDATE
	posts    [][]any
	flags    [][]any
	clusters [][]any
	search   [][]any // written at the transaction's end (indexTexts)
}

func newBulkRows() *bulkRows { return &bulkRows{known: map[string]*knownPost{}} }

// prepare looks up, in one query, the stored posts the unit's records may
// re-flag (those not already known to this transaction).
func (b *bulkRows) prepare(tx *sql.Tx, s *Store, unit []parsed) error {
	keys := make([]string, 0, len(unit))
	for i := range unit {
		if unit[i].err == nil {
			if k := s.dedupKey(&unit[i].in); b.known[k] == nil {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var rows *sql.Rows
	var err error
	if s.pg != nil {
		rows, err = tx.Query(`SELECT dedup_key, id, severity, reports, flagged_at FROM posts WHERE dedup_key = ANY(?)`, keys)
	} else {
		// The list is padded to a power of two with its last key, so the
		// connection's statement cache holds a few shapes of this query,
		// not one per number of keys a unit happened to have.
		args := make([]any, powerOfTwoAtLeast(len(keys)))
		for i := range args {
			args[i] = keys[min(i, len(keys)-1)]
		}
		rows, err = tx.Query(`SELECT dedup_key, id, severity, reports, flagged_at FROM posts WHERE dedup_key IN (`+
			placeholders(len(args))+`)`, args...)
	}
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
		b.known[key] = k
	}
	return rows.Err()
}

// write sorts one record into the transaction's rows; it reports whether
// the record re-flagged a post.
func (w *batchWriter) write(p *parsed) (bool, error) {
	b, in := w.bulk, &p.in
	key := w.s.dedupKey(in)
	var id int64
	k, merged := b.known[key]
	if merged {
		k.sev = max(k.sev, in.Severity)
		k.reports += in.Reports
		prio := model.Priority(k.sev, k.reports, time.Unix(k.flagged, 0))
		switch {
		case k.row != nil:
			k.row[postColSeverity], k.row[postColReports], k.row[postColPrio] = k.sev, k.reports, prio
		case !k.dirty:
			k.dirty = true
			b.dirty = append(b.dirty, k)
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
		// A new cluster is written before its posts with no counts: the
		// posts' insert trigger counts them in.
		if founds := cluster == 0 && !w.noClusters; founds {
			cluster = id
			b.clusters = append(b.clusters, []any{id, encodeKeys(p.keys), 0, 0})
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
		docid, err := w.s.searchDocid(in.FlaggedAt.Unix(), id)
		if err != nil {
			return false, err
		}
		b.posts = append(b.posts, row)
		b.search = append(b.search, append([]any{docid}, p.index...))
		k := &knownPost{id: id, sev: in.Severity, reports: in.Reports, flagged: in.FlaggedAt.Unix(), row: row}
		b.known[key] = k
		b.unit = append(b.unit, k)
		w.nextID++
	}
	f := in.Flag
	b.flags = append(b.flags, []any{id, f.FlaggedAt.Unix(), f.Reason, f.Source, f.Reports, f.Severity})
	return merged, nil
}

// flush writes the unit's rows: clusters first (the posts' trigger counts
// into them), then posts and flags, then the re-flags of posts written
// before.
func (w *batchWriter) flush() error {
	b := w.bulk
	defer w.clusters.written()
	var err error
	if w.s.pg != nil {
		err = w.copyBulk([]tableRows{{"clusters", clusterCols, b.clusters}, {"posts", postCols, b.posts}, {"flags", flagCols, b.flags}})
	} else {
		err = w.insertRows([]tableRows{{"clusters", clusterCols, b.clusters}, {"posts", postCols, b.posts}, {"flags", flagCols, b.flags}})
	}
	if err != nil {
		return err
	}
	if err := w.updateReflagged(); err != nil {
		return err
	}
	for _, k := range b.unit {
		k.row = nil // written: a later re-flag updates it
	}
	b.unit, b.posts, b.flags, b.clusters = b.unit[:0], b.posts[:0], b.flags[:0], b.clusters[:0]
	return nil
}

// writeSearch writes the transaction's search rows.
func (w *batchWriter) writeSearch() error {
	b := w.bulk
	if len(b.search) == 0 {
		return nil
	}
	sortByDocid(b.search)
	var err error
	if w.s.pg != nil {
		err = w.copyBulk([]tableRows{{"posts_search", []string{"docid", "words"}, b.search}})
	} else {
		err = w.insertRows([]tableRows{{"posts_search", []string{"docid", "text", "author", "author_id", "url"}, b.search}})
	}
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	b.search = b.search[:0]
	return nil
}

// updateReflagged writes the merge state of re-flagged posts written in an
// earlier unit or transaction.
func (w *batchWriter) updateReflagged() error {
	var ids, sevs, reports, prios []int64
	for _, k := range w.bulk.dirty {
		ids = append(ids, k.id)
		sevs = append(sevs, int64(k.sev))
		reports = append(reports, int64(k.reports))
		prios = append(prios, model.Priority(k.sev, k.reports, time.Unix(k.flagged, 0)))
		k.dirty = false
	}
	w.bulk.dirty = w.bulk.dirty[:0]
	if len(ids) == 0 {
		return nil
	}
	if w.s.pg != nil {
		_, err := w.tx.Exec(`UPDATE posts p SET severity = v.sev, reports = v.reports, prio = v.prio
			FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS v(id, sev, reports, prio) WHERE p.id = v.id`,
			ids, sevs, reports, prios)
		return err
	}
	st, err := w.tx.Prepare(`UPDATE posts SET severity = ?, reports = ?, prio = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := range ids {
		if _, err := st.Exec(sevs[i], reports[i], prios[i], ids[i]); err != nil {
			return err
		}
	}
	return nil
}

// tableRows is rows for one table.
type tableRows struct {
	table string
	cols  []string
	rows  [][]any
}

// sqliteMaxRowsPerInsert bounds a multi-row INSERT: 19 columns × 256 rows
// is 4,864 parameters, well under SQLite's limit of 32,766. The search
// index takes 1,024 rows a statement: FTS4 writes the terms it holds as a
// new segment at the end of every statement, and fewer, larger segments are
// less to merge (330k lines ran 7 % faster in statements of 6,553 rows than
// of 256). 1,024 and 4,096 rows were as fast as each other at a million
// posts, and the larger statements' prepared programs took 50 MiB more.
const (
	sqliteMaxRowsPerInsert = 256
	sqliteMaxSearchRows    = 1024
)

// rowsPerInsert is the most rows of t one INSERT writes.
func (t tableRows) rowsPerInsert() int {
	if t.table == "posts_search" {
		return sqliteMaxSearchRows
	}
	return sqliteMaxRowsPerInsert
}

// insertRows writes rows on SQLite with multi-row INSERTs. Each statement
// writes a power of two of rows, so a table has at most a dozen statement
// shapes: the connection keeps its prepared statements (stmtCache), and a
// statement for every row count a transaction happened to end on filled
// that cache with large programs — at a million posts the import's memory
// had grown by 150 MiB.
func (w *batchWriter) insertRows(tables []tableRows) error {
	for _, t := range tables {
		for rows := t.rows; len(rows) > 0; {
			n := powerOfTwoAtMost(min(len(rows), t.rowsPerInsert()))
			args := make([]any, 0, n*len(t.cols))
			for _, r := range rows[:n] {
				args = append(args, r...)
			}
			if _, err := w.tx.Exec(insertSQL(t.table, t.cols, n), args...); err != nil {
				return fmt.Errorf("%s: %w", t.table, err)
			}
			rows = rows[n:]
		}
	}
	return nil
}

// powerOfTwoAtMost is the largest power of two not above n (n ≥ 1).
func powerOfTwoAtMost(n int) int { return 1 << (bits.Len(uint(n)) - 1) }

// powerOfTwoAtLeast is the smallest power of two not below n (n ≥ 1).
func powerOfTwoAtLeast(n int) int { return 1 << bits.Len(uint(n-1)) }

// insertSQL is INSERT INTO table (cols) VALUES (?, …), … for n rows.
func insertSQL(table string, cols []string, n int) string {
	var b strings.Builder
	row := "(" + placeholders(len(cols)) + ")"
	b.Grow(32 + len(table) + 16*len(cols) + n*(len(row)+1))
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// placeholders is "?, ?, …", n of them: the parameters of an IN list or
// a VALUES row.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"triage/data/fold"
	"triage/model"
)

// ImportOptions controls Import.
type ImportOptions struct {
	Name      string // the file name used in line errors ("-" for stdin)
	Format    string // FormatJSONL (default) or FormatCSV
	Strict    bool   // any bad line: write nothing at all
	BatchSize int    // lines per transaction; 0 means 5000
	// Report receives each rejected line, in line order.
	Report func(LineError)
	// Progress is called after each committed batch (and at the end).
	Progress func(ImportProgress)
	// noClusters skips near-duplicate clustering: only the benchmark that
	// measures what clustering costs sets it.
	noClusters bool
}

// LineError is one rejected input line.
type LineError struct {
	Name string
	Line int
	Err  error
}

// Error is "FILE:LINE: what", cut to one short line whatever the input held.
func (e LineError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, cut(e.Err.Error(), maxErrorBytes))
}

// maxErrorBytes bounds the reason quoted in a line error.
const maxErrorBytes = 200

// ImportProgress is how far an import has come.
type ImportProgress struct {
	Lines     int
	BytesRead int64
}

// ImportResult counts what an import did with its lines.
type ImportResult struct {
	Imported int // new posts
	Merged   int // lines that flagged an already stored post again
	Rejected int // bad lines, skipped
	Blank    int // empty lines, ignored
}

// Lines is the number of non-blank lines read.
func (r ImportResult) Lines() int { return r.Imported + r.Merged + r.Rejected }

// parsed is one line after parsing, on its way to the writer.
type parsed struct {
	line  int
	in    model.Incoming
	err   error
	words []uint64 // the text's fingerprint, computed here, off the writer's path
	keys  [model.ClusterBands]uint64
	index []any // the search index's values after the post's id (searchFields)
}

// Import reads flagged posts, JSONL or CSV, from r. Parsing runs in its own
// goroutine ahead of the writer; good records are written in batched
// transactions. With Strict everything goes into one transaction that is
// rolled back if any record was bad. Memory is bounded by a few batches
// whatever the input's size.
func (s *Store) Import(ctx context.Context, r io.Reader, opt ImportOptions) (ImportResult, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 5000
		if s.pg != nil {
			opt.BatchSize = pgImportBatch
		}
	}
	if opt.Name == "" {
		opt.Name = "-"
	}
	if err := s.beginWrite(); err != nil {
		return ImportResult{}, err
	}
	defer s.writes.Done()
	cr := &countingReader{r: r}
	src, err := newRecordReader(cr, opt.Format)
	if err != nil {
		return ImportResult{}, fmt.Errorf("%s: %w", opt.Name, err)
	}
	batches := make(chan []parsed, 4)
	readErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		readErr <- s.parseRecords(ctx, src, opt.BatchSize, !opt.noClusters, batches)
	}()

	var res ImportResult
	clusters, err := loadClusterIndex(s.r)
	if err != nil {
		return res, err
	}
	w := &batchWriter{s: s, clusters: clusters, noClusters: opt.noClusters}
	defer w.rollback()
	// On PostgreSQL there is no intent file: the server queues lock
	// waiters in order, so a writer waiting for the write lock gets it when
	// this batch commits, before the next one.
	if s.pg == nil {
		if f, err := os.OpenFile(s.intentPath(), os.O_RDWR|os.O_CREATE, 0o644); err == nil {
			w.intent = f
			defer f.Close()
		}
	}
	lines := 0
	for batch := range batches {
		if err := w.begin(ctx); err != nil {
			return res, err
		}
		if w.copy != nil {
			if err := w.copy.prepare(w.tx, s, batch); err != nil {
				return res, fmt.Errorf("%s: %w", opt.Name, err)
			}
		}
		for _, p := range batch {
			lines = p.line
			switch {
			case p.err == errBlank:
				res.Blank++
			case p.err != nil:
				res.Rejected++
				if opt.Report != nil {
					opt.Report(LineError{Name: opt.Name, Line: p.line, Err: p.err})
				}
			default:
				merged, err := w.write(&p)
				if err != nil {
					return res, fmt.Errorf("%s:%d: %w", opt.Name, p.line, err)
				}
				if merged {
					res.Merged++
				} else {
					res.Imported++
				}
				// The write lock is the database's only one: an import that
				// held it for a whole batch made reviewers' decisions wait
				// seconds. It commits early as soon as a writer waits, and
				// after importTxLimit in any case.
				w.sinceCheck++
				if !opt.Strict && w.copy == nil && (time.Since(w.began) >= importTxLimit ||
					w.sinceCheck >= waiterCheckEvery && w.waiterCheck()) {
					if err := w.commit(); err != nil {
						return res, err
					}
					if w.intent != nil {
						w.s.yieldToWaiters() // a writer waiting in another process goes first
					}
					if err := w.begin(ctx); err != nil {
						return res, err
					}
				}
			}
		}
		if !opt.Strict {
			if err := w.commit(); err != nil {
				return res, err
			}
		} else if err := w.indexTexts(); err != nil {
			return res, err
		}
		if opt.Progress != nil {
			opt.Progress(ImportProgress{Lines: lines, BytesRead: cr.n.Load()})
		}
	}
	if err := <-readErr; err != nil {
		return res, fmt.Errorf("%s: %w", opt.Name, err)
	}
	if opt.Strict && res.Rejected > 0 {
		return res, nil // the deferred rollback discards everything
	}
	if err := w.commit(); err != nil {
		return res, err
	}
	return res, s.analyzeAfterImport(ctx, res.Imported)
}

var errBlank = errors.New("blank line")

func (s *Store) parseRecords(ctx context.Context, src recordReader, size int, fingerprint bool, out chan<- []parsed) error {
	now := s.now()
	batch := make([]parsed, 0, size)
	send := func() error {
		select {
		case out <- batch:
			batch = make([]parsed, 0, size)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		raw, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		p := parsed{line: raw.line, err: raw.err}
		switch {
		case raw.blank:
			p.err = errBlank
		case p.err == nil:
			p.in, p.err = raw.rec.incoming(s.policy, now, src.textual())
			if p.err == nil {
				folded := fold.Text(p.in.Text)
				p.index = s.searchFields(folded, p.in.Author, p.in.AuthorID, p.in.URL)
				if fingerprint {
					p.words = model.Words(folded)
					p.keys = model.BandKeys(p.words)
				}
			}
		}
		batch = append(batch, p)
		if len(batch) == size {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		return send()
	}
	return nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// importTxLimit bounds how long an import holds the write lock in one
// transaction even when no waiting writer is seen (one that cannot create
// the intent file). --strict imports are one transaction by definition and
// are not bounded.
const importTxLimit = 50 * time.Millisecond

// waiterCheckEvery is how many records an import writes between looks for a
// waiting writer (a non-blocking flock): a few milliseconds of work.
const waiterCheckEvery = 16

// batchWriter holds one open transaction and its prepared statements.
type batchWriter struct {
	s                                           *Store
	tx                                          *sql.Tx
	began                                       time.Time // when tx began
	intent                                      *os.File  // the intent file, to see waiting writers; nil if none
	sinceCheck                                  int       // records since the last look for waiters
	find, insPost, updPost, insFlag, insCluster *sql.Stmt
	insText                                     *sql.Stmt // into posts_search
	copy                                        *pgCopy   // PostgreSQL: the batch written by COPY (import_pg.go)
	texts                                       [][]any   // search index rows of new posts not yet in posts_search
	clusters                                    *clusterIndex
	noClusters                                  bool
	nextID                                      int64 // the id the next new post gets
}

func (w *batchWriter) begin(ctx context.Context) error {
	if w.tx != nil {
		return nil
	}
	var tx *sql.Tx
	var err error
	if w.s.pg != nil {
		tx, err = w.beginPG(writeCtx(ctx))
	} else {
		tx, err = w.s.beginWriteTx(writeCtx(ctx))
	}
	if err != nil {
		return fmt.Errorf("begin import: %w", err)
	}
	w.tx = tx
	w.began = time.Now()
	if err := tx.QueryRow(`SELECT coalesce(max(id), 0) + 1 FROM posts`).Scan(&w.nextID); err != nil {
		return fmt.Errorf("begin import: %w", err)
	}
	if w.copy != nil {
		w.clusters.q = tx
		return nil // no statements to prepare: COPY at the batch's end
	}
	w.clusters.q = tx // a cluster's first post may be in this very transaction
	prep := func(q string) *sql.Stmt {
		st, e := tx.Prepare(q)
		if e != nil && err == nil {
			err = e
		}
		return st
	}
	w.find = prep(`SELECT id, severity, reports, flagged_at FROM posts WHERE dedup_key = ?`)
	w.insPost = prep(`INSERT INTO posts (id, dedup_key, platform, external_id, url, author, author_id, language, text,
		category, severity, reports, posted_at, flagged_at, source, extra, status, prio, cluster)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
		ON CONFLICT (dedup_key) DO NOTHING`)
	w.insText = prep(w.s.insertSearchSQL())
	// The post is written first, so the new cluster's counts start at one.
	w.insCluster = prep(`INSERT INTO clusters (id, keys, posts, pending) VALUES (?, ?, 1, 1)`)
	w.updPost = prep(`UPDATE posts SET severity = ?, reports = ?, prio = ? WHERE id = ?`)
	w.insFlag = prep(`INSERT INTO flags (post_id, flagged_at, reason, source, reports, severity) VALUES (?, ?, ?, ?, ?, ?)`)
	return err
}

// write stores one record, merging it into the post it flags again if there
// is one. It reports whether it merged. The insert is tried first because
// most lines are new posts: a merge costs a second statement, a new post not.
func (w *batchWriter) write(p *parsed) (bool, error) {
	if w.copy != nil {
		return w.writePG(p)
	}
	in := &p.in
	var posted, extra any
	if !in.PostedAt.IsZero() {
		posted = in.PostedAt.Unix()
	}
	if in.Extra != nil {
		extra = string(in.Extra)
	}
	key := w.s.dedupKey(in)
	id := w.nextID
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
	}
	var clusterArg any
	if cluster != 0 {
		clusterArg = cluster
	}
	res, err := w.insPost.Exec(id, key, in.Platform, in.ExternalID, in.URL, in.Author, in.AuthorID,
		in.Language, in.Text, in.Category, in.Severity, in.Reports, posted, in.FlaggedAt.Unix(), in.Source,
		extra, in.Priority, clusterArg)
	if err != nil {
		return false, err
	}
	merged := false
	if n, _ := res.RowsAffected(); n == 1 {
		w.nextID++
		w.texts = append(w.texts, append([]any{id}, p.index...))
		if founds {
			if _, err := w.insCluster.Exec(id, encodeKeys(p.keys)); err != nil {
				return false, err
			}
			w.clusters.found(id, p.words, p.keys)
		}
	} else {
		merged = true
		var flagged int64
		var sev, reports int
		if err := w.find.QueryRow(key).Scan(&id, &sev, &reports, &flagged); err != nil {
			return false, err
		}
		sev = max(sev, in.Severity)
		reports += in.Reports
		prio := model.Priority(sev, reports, time.Unix(flagged, 0))
		if _, err := w.updPost.Exec(sev, reports, prio, id); err != nil {
			return false, err
		}
	}
	f := in.Flag
	_, err = w.insFlag.Exec(id, f.FlaggedAt.Unix(), f.Reason, f.Source, f.Reports, f.Severity)
	return merged, err
}

// indexTexts writes the batch's new posts into the search index in one run
// of statements. FTS4 flushes its pending terms at every statement savepoint
// of the transaction, and each post insert (it fires triggers) opens one: the
// texts are written together, after the posts, so they are flushed once.
func (w *batchWriter) indexTexts() error {
	if w.copy != nil {
		return w.copy.flush(context.Background(), w.tx, w.clusters)
	}
	for _, args := range w.texts {
		if _, err := w.insText.Exec(args...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	w.texts = w.texts[:0]
	return nil
}

func (w *batchWriter) commit() error {
	if w.tx == nil {
		return nil
	}
	if err := w.indexTexts(); err != nil {
		return err
	}
	err := w.tx.Commit()
	w.tx = nil
	w.endCopy()
	if err != nil {
		return fmt.Errorf("commit import: %w", err)
	}
	return nil
}

// endCopy gives PostgreSQL's writer connection back between transactions,
// so other writers of this process get their turn.
func (w *batchWriter) endCopy() {
	if w.copy != nil {
		w.copy.end()
		w.copy = nil
	}
}

// waiterCheck looks for a waiting writer.
func (w *batchWriter) waiterCheck() bool {
	w.sinceCheck = 0
	return w.s.writersWaiting(w.intent)
}

func (w *batchWriter) rollback() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
	w.endCopy()
}

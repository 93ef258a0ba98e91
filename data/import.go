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
	w, err := s.newBatchWriter(opt.noClusters)
	if err != nil {
		return res, err
	}
	defer w.close()
	lines := 0
	for batch := range batches {
		for len(batch) > 0 {
			unit := batch[:min(len(batch), w.unit())]
			batch = batch[len(unit):]
			if err := w.begin(ctx); err != nil {
				return res, err
			}
			if err := w.bulk.prepare(w.tx, s, unit); err != nil {
				return res, fmt.Errorf("%s: %w", opt.Name, err)
			}
			for _, p := range unit {
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
				}
			}
			if err := w.flush(); err != nil {
				return res, fmt.Errorf("%s: lines %d–%d: %w", opt.Name, unit[0].line, unit[len(unit)-1].line, err)
			}
			// The write lock is the database's only one: an import that
			// held it for a whole batch made reviewers' decisions wait
			// seconds. It commits after each unit as soon as a writer waits,
			// and after its time limit (txLimit) in any case, then lets the
			// checkpointer catch up if the WAL has grown (catchUpWAL).
			if !opt.Strict && (time.Since(w.began) >= w.txLimit() || w.waiterCheck()) {
				if err := w.commit(); err != nil {
					return res, err
				}
				s.catchUpWAL()
				if w.intent != nil {
					w.s.yieldToWaiters() // a writer waiting in another process goes first
				}
			}
		}
		if opt.Strict {
			if err := w.indexTexts(); err != nil { // not held in memory to the end
				return res, err
			}
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
	s.catchUpWAL() // imports one after another, too, leave the WAL bounded
	return res, s.analyzeAfterImport(ctx, res.Imported)
}

var errBlank = errors.New("blank line")

func (s *Store) parseRecords(ctx context.Context, src recordReader, size int, fingerprint bool, out chan<- []parsed) error {
	now := s.now()
	var folder fold.Folder
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
				folded := folder.Text(p.in.Text)
				p.index = s.searchFields(folded, folder.Text(p.in.Author), folder.Text(p.in.AuthorID), folder.Text(p.in.URL))
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
// transaction. Writers of this store and of other processes announce
// themselves (the intent file, busy.go), and the import commits and gives
// way after the unit it is writing, a few milliseconds; the limit is for a
// writer that cannot announce itself (no intent file: a read-only
// directory), which waits out at most that long.
//
// Where waiters can announce themselves the limit adapts. While no
// console is open and no writer has waited for a while (importQuiet), a
// transaction runs up to importTxLimitAlone: every commit writes each page
// the transaction dirtied to the WAL and syncs it, and the indexes' pages
// are dirtied all over again by the next transaction, so at a million
// posts short transactions made commits most of an import's time.
// Transactions of three seconds rather than two made a 1.1M-line import
// 4 % faster over five runs each (77 s against 81 s on average; this
// machine's runs of one setting spread by 10 %), and 7 % faster in runs
// alternated back to back; a 110k-line import stayed at 6 s. Peak memory
// rose by a tenth (the search rows a transaction holds until its end).
// Four and six seconds were no faster and took more memory. While a
// reviewer may be deciding (contended) transactions stay short: a decision
// that arrives during an import waits for the unit and the commit in
// progress, and the commit of two seconds' posts took a second to sync. A
// reviewer reading a post for longer than importQuiet before deciding
// would otherwise wait that second at every decision; an open console is
// the sign that one may decide at any moment. --strict imports are one
// transaction by definition and are not bounded.
const (
	importTxLimit      = 50 * time.Millisecond
	importTxLimitAlone = 3 * time.Second
	importQuiet        = 5 * time.Second
)

// sqliteImportUnit is how many records the import writes between looks for
// a waiting writer on SQLite: written by a few multi-row statements, a few
// milliseconds of work. While writers have waited lately (contended) the
// units are smaller, since a decision that arrives mid-unit waits for the
// rest of it.
const (
	sqliteImportUnit          = 256
	sqliteImportUnitContended = 64
)

// batchWriter holds one open transaction and the records on their way into
// it (import_bulk.go).
type batchWriter struct {
	s          *Store
	tx         *sql.Tx
	began      time.Time // when tx began
	intent     *os.File  // the intent file, to see waiting writers; nil if none
	waited     time.Time // when a waiting writer was last seen
	online     bool      // a console was open when tx began (model.OnlineWindow)
	conn       *sql.Conn // PostgreSQL: the connection tx is on, for COPY
	bulk       *bulkRows
	clusters   *clusterIndex
	noClusters bool
	nextID     int64 // the id the next new post gets
}

// unit is how many records are written between looks for waiting writers;
// on PostgreSQL each unit is a transaction of its own.
func (w *batchWriter) unit() int {
	switch {
	case w.s.pg != nil:
		return pgImportBatch
	case w.contended():
		return sqliteImportUnitContended
	}
	return sqliteImportUnit
}

// contended reports whether reviewers may be deciding now: a console was
// open when this transaction began, or a writer has waited for the import
// lately.
func (w *batchWriter) contended() bool { return w.online || time.Since(w.waited) < importQuiet }

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
	if w.s.pg == nil { // PostgreSQL's units and transactions do not adapt
		online, err := w.s.Online(ctx)
		if err != nil {
			return fmt.Errorf("begin import: %w", err)
		}
		w.online = online > 0
	}
	w.bulk = newBulkRows()
	w.clusters.q = tx // a cluster's first post may be in this very transaction
	return nil
}

// indexTexts writes the search index rows of the posts written so far, all
// together: FTS4 flushes its pending terms at every statement savepoint of
// the transaction, so the texts go in after the posts, in few statements.
func (w *batchWriter) indexTexts() error {
	if w.tx == nil {
		return nil
	}
	return w.writeSearch()
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
	w.endConn()
	if err != nil {
		return fmt.Errorf("commit import: %w", err)
	}
	return nil
}

// endConn gives PostgreSQL's writer connection back between transactions,
// so other writers of this process get their turn.
func (w *batchWriter) endConn() {
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
}

// txLimit is how long a transaction may run when nobody waits. On
// PostgreSQL each unit is a transaction of its own (no intent file there:
// the server queues lock waiters in order).
func (w *batchWriter) txLimit() time.Duration {
	if w.s.pg != nil {
		return 0
	}
	if w.intent != nil && !w.contended() {
		return importTxLimitAlone
	}
	return importTxLimit
}

// waiterCheck looks for a waiting writer, and remembers when it saw one.
func (w *batchWriter) waiterCheck() bool {
	if !w.s.writersWaiting(w.intent) {
		return false
	}
	w.waited = time.Now()
	return true
}

// newBatchWriter is an import's writer, with every cluster's keys loaded
// and the intent file open to see waiting writers. On PostgreSQL there is
// no intent file: the server queues lock waiters in order, so a writer
// waiting for the write lock gets it when this batch commits, before the
// next one.
func (s *Store) newBatchWriter(noClusters bool) (*batchWriter, error) {
	clusters, err := loadClusterIndex(s.r)
	if err != nil {
		return nil, err
	}
	w := &batchWriter{s: s, clusters: clusters, noClusters: noClusters}
	if s.pg == nil {
		if f, err := os.OpenFile(s.intentPath(), os.O_RDWR|os.O_CREATE, 0o644); err == nil {
			w.intent = f
		}
	}
	return w, nil
}

// close rolls back what was not committed and closes the intent file.
func (w *batchWriter) close() {
	w.rollback()
	if w.intent != nil {
		w.intent.Close()
	}
}

func (w *batchWriter) rollback() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
	w.endConn()
}

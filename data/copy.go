package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"triage/model"
)

// copyTable is one table a copy carries, its columns in the order both
// backends name them. Tables the triggers keep (counts, facets,
// event_hours) are not copied: the destination's own triggers rebuild them
// from the rows, as they do for every import; cluster sizes likewise start
// at zero and count up as the posts arrive. The search index is rebuilt
// from the posts in the destination's own form. Run locks are transient.
type copyTable struct {
	name, cols string
	read       string // what is read for cols, when it differs (a cluster's sizes start at zero)
	identity   bool   // the id is generated on PostgreSQL: its sequence moves past the copied ids
	replace    bool   // the destination made its own row(s) when created: the source's replace them
}

var copyTables = []copyTable{
	{name: "takedown_packets", cols: "id, platform, file, format, created_at, state, posts, chain_head, sha256, kind", identity: true},
	{name: "clusters", cols: "id, keys, posts, pending", read: "id, keys, 0, 0"},
	{name: "posts", cols: "id, dedup_key, platform, external_id, url, author, author_id, language, text, category, severity, reports, posted_at, flagged_at, source, extra, status, prio, lease_owner, lease_until, takedown_packet, cluster"},
	{name: "flags", cols: "id, post_id, flagged_at, reason, source, reports, severity", identity: true},
	{name: "events", cols: "id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, hash, content_sha256"},
	{name: "reviewers", cols: "id, name, role, enabled, created_at, last_seen, removed_at", identity: true},
	{name: "reviewer_keys", cols: "fingerprint, reviewer_id, public_key, added_at"},
	{name: "sessions", cols: "id, reviewer, key_fp, origin, started_at, last_seen, ended_at"},
	{name: "claims", cols: "id, post_id, at, reviewer, session", identity: true},
	{name: "outcomes", cols: "id, post_id, outcome, at, recorded_at", identity: true},
	{name: "retractions", cols: "id, post_id, packet_id, event_id, sent_in", identity: true},
	{name: "views", cols: "name, filter, created_by, created_at"},
	{name: "admin_log", cols: "id, at, actor, action, name, detail", identity: true},
	{name: "second_looks", cols: "id, post_id, kind, first_event, first_reviewer, done_event, verdict", identity: true},
	{name: "reviewer_settings", cols: "reviewer, name, value"},
	{name: "reviewer_exclusions", cols: "reviewer, category"},
	{name: "settings_log", cols: "id, at, actor, action, reviewer, detail", identity: true},
	{name: "exposure", cols: "reviewer, day, reveals, seconds"},
	{name: "qa_seed", cols: "id, seed", replace: true}, // the same seed, the same QA sample
}

// derivedTables are kept by triggers or rebuilt from the copied rows (the
// counters, the search index, facets and hourly figures), or are the
// database's own bookkeeping (run locks, PostgreSQL's schema version):
// copy writes none of them itself. A test
// holds every other table of the schema to copyTables.
var derivedTables = []string{"counts", "posts_search", "facets", "event_hours", "run_locks", "triage_schema"}

// CopyProgress is how far a copy has come: rows of the table so far.
type CopyProgress struct {
	Table string
	Rows  int64
	Done  bool // the table is complete
}

// ErrNotEmpty is a copy into a database that already holds something.
var ErrNotEmpty = errors.New("the destination already holds data; copy needs an empty database, and nothing was changed")

// CopyOptions control CopyFrom.
type CopyOptions struct {
	Progress func(CopyProgress)
	// Source is the source's check, when the caller has run CheckSource
	// already (the copy command does, before it opens the destination);
	// nil, and CopyFrom runs it and refuses a broken source.
	Source *SourceCheck
}

// CopyFrom copies every record of src into s, which must be empty: posts,
// flags, the audit events with their hashes and the content they bind,
// reviewers and their keys, settings, exclusions and exposure, sessions and
// claims, views, packets, retractions, outcomes, second looks, and the admin
// and settings logs. A source whose audit trail does not verify is refused
// before anything is written, unless the check was forced, which the
// destination's admin log records. It is one transaction: a copy that fails
// leaves s as empty as it was. Afterwards s's chain head is src's, which it
// checks.
func (s *Store) CopyFrom(ctx context.Context, src *Store, opt CopyOptions) error {
	progress := opt.Progress
	if progress == nil {
		progress = func(CopyProgress) {}
	}
	check := opt.Source
	if check == nil {
		var err error
		if check, err = src.CheckSource(ctx, false, ""); err != nil {
			return err
		}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := requireEmpty(tx); err != nil {
			return err
		}
		for _, t := range copyTables {
			if err := s.copyRows(ctx, tx, src, t, progress); err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
		}
		if err := s.moveSequences(tx); err != nil {
			return err
		}
		return s.recordForced(tx, src, check)
	})
	if err != nil {
		return err
	}
	want, wantN, err := src.ChainHead(ctx)
	if err != nil {
		return err
	}
	got, gotN, err := s.ChainHead(ctx)
	if err != nil {
		return err
	}
	if got != want || gotN != wantN {
		return fmt.Errorf("copied, but the chain head differs: source %s (%d events), destination %s (%d events)", want, wantN, got, gotN)
	}
	return nil
}

// moveSequences moves PostgreSQL's identity sequences past the copied ids.
func (s *Store) moveSequences(tx *sql.Tx) error {
	if s.pg == nil {
		return nil
	}
	for _, t := range copyTables {
		if t.identity {
			if _, err := tx.Exec(`SELECT setval(pg_get_serial_sequence('` + t.name + `', 'id'), coalesce(max(id), 0) + 1, false) FROM ` + t.name); err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
		}
	}
	return nil
}

// ErrBrokenSource is a copy refused because its source's audit trail does
// not verify: an event changed, missing or re-hashed, a post whose content
// is not what was decided on, a packet that disagrees with its record.
var ErrBrokenSource = errors.New("the source's audit trail does not verify")

// SourceCheck is a copy's source as verified before the copy.
type SourceCheck struct {
	Result VerifyResult
	Forced bool   // it did not verify and is copied anyway, as Actor asked
	Actor  string // who forced it, for the destination's admin log
}

// CheckSource verifies src, as `triage verify` does, before anything is
// copied from it. A source that does not verify is refused with
// ErrBrokenSource, naming its first problem, unless force: then the copy
// goes ahead and the destination's admin log records it, by actor.
func (src *Store) CheckSource(ctx context.Context, force bool, actor string) (*SourceCheck, error) {
	res, err := src.Verify(ctx, VerifyOptions{})
	if err != nil {
		return nil, fmt.Errorf("verify the source: %w", err)
	}
	c := &SourceCheck{Result: res}
	if res.OK() {
		return c, nil
	}
	if !force {
		return nil, fmt.Errorf("%w: %s; nothing was copied (--force-broken-source copies it anyway, and records that in the destination)",
			ErrBrokenSource, c.summary())
	}
	c.Forced, c.Actor = true, actor
	return c, nil
}

// summary is the source's first problem and how many there are.
func (c *SourceCheck) summary() string {
	r := c.Result
	first, n := r.Problem, len(r.Problems)
	if r.BadID != 0 {
		n++
	} else if n > 0 {
		first = r.Problems[0]
	}
	if n == 1 {
		return first
	}
	return fmt.Sprintf("%s (and %s)", first, model.Count(int64(n-1), "more problem", "more problems"))
}

// recordForced writes a forced copy of a broken source into the admin log.
func (s *Store) recordForced(tx *sql.Tx, src *Store, c *SourceCheck) error {
	if !c.Forced {
		return nil
	}
	return s.logAdmin(tx, c.Actor, "copy-broken-source", src.Path(), "copied although its audit trail does not verify: "+c.summary())
}

// RequireEmpty refuses a destination with any record in it.
func (s *Store) RequireEmpty() error {
	tx, err := s.r.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return requireEmpty(tx)
}

// requireEmpty refuses a destination with any record in it.
func requireEmpty(tx *sql.Tx) error {
	var held []string
	for _, t := range copyTables {
		if t.replace {
			continue // made with the database, not data of its own
		}
		var n int64
		if err := tx.QueryRow(`SELECT count(*) FROM ` + t.name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			held = append(held, fmt.Sprintf("%d %s", n, strings.ReplaceAll(t.name, "_", " ")))
		}
	}
	if len(held) > 0 {
		return fmt.Errorf("%w (it holds %s)", ErrNotEmpty, strings.Join(held, ", "))
	}
	return nil
}

// copyBatch is how many rows are read from the source at a time, in key order.
const copyBatch = 5000

func (s *Store) copyRows(ctx context.Context, tx *sql.Tx, src *Store, t copyTable, progress func(CopyProgress)) error {
	cols := strings.Split(t.cols, ", ")
	if t.replace {
		if _, err := tx.Exec(`DELETE FROM ` + t.name); err != nil {
			return err
		}
	}
	ins, err := tx.Prepare(`INSERT INTO ` + t.name + ` (` + t.cols + `) VALUES (` + placeholders(len(cols)) + `)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	var search *sql.Stmt
	if t.name == "posts" {
		if search, err = tx.Prepare(s.insertSearchSQL()); err != nil {
			return err
		}
		defer search.Close()
	}
	key := cols[0]
	var n int64
	var after any
	for {
		batch, err := src.readCopyBatch(ctx, t, len(cols), key, after)
		if err != nil {
			return err
		}
		var searchRows [][]any
		for _, vals := range batch {
			if t.name == "posts" {
				vals[1] = src.convertKey(vals[1], s)
			}
			if _, err := ins.Exec(vals...); err != nil {
				return err
			}
			if search != nil {
				r := searchRow{id: asInt64(vals[0]), flaggedAt: asInt64(vals[13]), text: asString(vals[8]), author: asString(vals[5]), authorID: asString(vals[6]), url: asString(vals[4])}
				args, err := s.searchArgs(r)
				if err != nil {
					return err
				}
				searchRows = append(searchRows, args)
			}
		}
		sortByDocid(searchRows) // in docid order, as FTS4 keeps them in memory
		for _, args := range searchRows {
			if _, err := search.Exec(args...); err != nil {
				return err
			}
		}
		n += int64(len(batch))
		progress(CopyProgress{Table: t.name, Rows: n, Done: len(batch) < copyBatch})
		if len(batch) < copyBatch {
			return nil
		}
		after = batch[len(batch)-1][0]
	}
}

// readCopyBatch reads the next copyBatch rows of t from src, in key order,
// after the key after (nil: from the start).
func (src *Store) readCopyBatch(ctx context.Context, t copyTable, ncols int, key string, after any) ([][]any, error) {
	read := t.cols
	if t.read != "" {
		read = t.read
	}
	q := `SELECT ` + read + ` FROM ` + t.name
	args := []any{}
	if after != nil {
		q += ` WHERE ` + key + ` > ?`
		args = append(args, after)
	}
	rows, err := src.r.QueryContext(ctx, q+` ORDER BY `+key+` LIMIT `+fmt.Sprint(copyBatch), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var batch [][]any
	for rows.Next() {
		vals := make([]any, ncols)
		ptrs := make([]any, ncols)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		batch = append(batch, vals)
	}
	return batch, rows.Err()
}

// convertKey respells a dedup key from src's form into dst's (their
// separators differ: dedupKey). Only the two separators are respelt,
// never a character of the platform's own id.
func (src *Store) convertKey(v any, dst *Store) any {
	k := asString(v)
	from, to := "\x00", "\x1f"
	if src.pg != nil {
		from, to = to, from
	}
	if (src.pg != nil) == (dst.pg != nil) {
		return k
	}
	return strings.Replace(k, from, to, 2)
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

func asInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

package data

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"triage/data/fold"
)

// searchRow is a post's searchable fields, on their way to posts_search.
type searchRow struct {
	id, flaggedAt               int64
	text, author, authorID, url string
}

// insertSearchSQL indexes one post, its fields folded (data/fold): on
// SQLite into FTS4 columns, on PostgreSQL as the space-separated words its
// generated tsvector takes as they are.
const (
	insertSearchSQL   = `INSERT INTO posts_search (docid, text, author, author_id, url) VALUES (?, ?, ?, ?, ?)`
	insertSearchSQLPG = `INSERT INTO posts_search (docid, words) VALUES (?, ?)`
)

func (s *Store) insertSearchSQL() string {
	if s.pg != nil {
		return insertSearchSQLPG
	}
	return insertSearchSQL
}

// searchArgs are insertSearchSQL's arguments for a post.
func (s *Store) searchArgs(r searchRow) ([]any, error) {
	docid, err := s.searchDocid(r.flaggedAt, r.id)
	if err != nil {
		return nil, err
	}
	return append([]any{docid}, s.searchFields(fold.Text(r.text), fold.Text(r.author), fold.Text(r.authorID), fold.Text(r.url))...), nil
}

// On SQLite a post's search docid is its flag time and its id in one
// integer, flagged_at<<30 | id, which sorts the way search lists posts:
// most recently flagged first, the higher id first among equal times.
// FTS4 reads matches in docid order, so a page of results is the first
// matches it reads (migration 10). Thirty bits of id are a billion posts,
// and a post beyond them is refused rather than given another post's
// docid. The 33 bits left for the flag time reach the year 2242; the import
// takes flag times from 1990 to tomorrow, and a time outside 1970–2242 (a
// row written behind triage's back) is clamped to its end of that range, so
// such a post is still found and pages still follow the docids.
const (
	docidIDBits   = 30
	docidIDMask   = 1<<docidIDBits - 1
	docidTimeBits = 63 - docidIDBits
	docidTimeMax  = 1<<docidTimeBits - 1
)

// ErrSearchRange is a post the search index cannot hold.
var ErrSearchRange = errors.New("beyond the billion posts the search index can hold")

// searchDocid is the post's docid in posts_search: its own id on
// PostgreSQL, whose search sorts by the posts' columns, else the
// flag-time-ordered key above.
func (s *Store) searchDocid(flaggedAt, id int64) (int64, error) {
	if s.pg != nil {
		return id, nil
	}
	return orderedDocid(flaggedAt, id)
}

func orderedDocid(flaggedAt, id int64) (int64, error) {
	if id <= 0 || id > docidIDMask {
		return 0, fmt.Errorf("post %d: %w", id, ErrSearchRange)
	}
	return docidTime(flaggedAt)<<docidIDBits | id, nil
}

// docidTime is a flag time clamped to what a docid holds.
func docidTime(flaggedAt int64) int64 { return min(max(flaggedAt, 0), docidTimeMax) }

// sortByDocid puts search rows (docid first) in docid order. FTS4 keeps
// the terms of a transaction in memory only while docids ascend: a smaller
// docid writes them out as a segment of their own first, and a transaction
// of posts in any other order would write a segment per post and spend the
// import merging them.
func sortByDocid(rows [][]any) {
	slices.SortFunc(rows, func(a, b []any) int { return cmp.Compare(a[0].(int64), b[0].(int64)) })
}

// searchFields are a post's indexed values after its id, from its fields
// already folded (the import folds the text once, for clustering too). The
// import computes them while parsing, off the writer's path.
func (s *Store) searchFields(text, author, authorID, url string) []any {
	fields := []string{text, author, authorID, url}
	if s.pg != nil {
		return []any{searchWords(fields)}
	}
	return []any{fields[0], fields[1], fields[2], fields[3]}
}

// PostgreSQL's limits on a tsvector: a lexeme under 2 KiB, the whole
// under 1 MiB. Longer words are cut; words past the budget (a post of a
// megabyte of distinct words) are not indexed.
const (
	maxLexemeBytes = 2000
	maxWordsBytes  = 512 << 10
)

// searchWords is a post's folded fields as words, each once, split where
// SQLite's unicode61 tokenizer splits (anything not a letter, digit or mark).
func searchWords(folded []string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, field := range folded {
		for _, w := range strings.FieldsFunc(field, notWordRune) {
			if len(w) > maxLexemeBytes {
				w = strings.ToValidUTF8(w[:maxLexemeBytes], "")
			}
			if seen[w] || b.Len()+len(w)+1 > maxWordsBytes {
				continue
			}
			seen[w] = true
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// indexExisting is the step after migration 10: every post already stored
// goes into the rebuilt search index, keyed by flag time and id, in the
// migration's transaction.
func indexExisting(tx *sql.Tx) error { return indexPosts(tx, orderedDocid) }

// indexByID is the step after migration 6, whose index was keyed by post
// id; migration 10 replaces it. A database older than 6 passes through
// both, so no schema version in between has a search index that misses
// posts.
func indexByID(tx *sql.Tx) error {
	return indexPosts(tx, func(_, id int64) (int64, error) { return id, nil })
}

// indexPosts indexes every stored post, in id order, a batch at a time.
func indexPosts(tx *sql.Tx, docid func(flaggedAt, id int64) (int64, error)) error {
	const batch = 10_000
	var all []searchRow
	for last := int64(0); ; last = all[len(all)-1].id {
		all = all[:0]
		rows, err := tx.Query(`SELECT id, flagged_at, text, author, author_id, url FROM posts WHERE id > ? ORDER BY id LIMIT ?`, last, batch)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r searchRow
			if err := rows.Scan(&r.id, &r.flaggedAt, &r.text, &r.author, &r.authorID, &r.url); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := insertSearchRows(tx, all, docid); err != nil {
			return err
		}
		if len(all) < batch {
			return nil
		}
	}
}

// insertSearchRows indexes posts on SQLite (a migration's backfill).
func insertSearchRows(tx *sql.Tx, rs []searchRow, docid func(flaggedAt, id int64) (int64, error)) error {
	st, err := tx.Prepare(insertSearchSQL)
	if err != nil {
		return err
	}
	defer st.Close()
	rows := make([][]any, 0, len(rs))
	for _, r := range rs {
		d, err := docid(r.flaggedAt, r.id)
		if err != nil {
			return err
		}
		rows = append(rows, []any{d, fold.Text(r.text), fold.Text(r.author), fold.Text(r.authorID), fold.Text(r.url)})
	}
	sortByDocid(rows)
	for _, r := range rows {
		if _, err := st.Exec(r...); err != nil {
			return err
		}
	}
	return nil
}

package data

import (
	"database/sql"
	"strings"

	"triage/data/fold"
)

// searchRow is a new post's searchable fields, on their way to posts_search.
type searchRow struct {
	id                          int64
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
func (s *Store) searchArgs(r searchRow) []any {
	return append([]any{r.id}, s.searchFields(fold.Text(r.text), fold.Text(r.author), fold.Text(r.authorID), fold.Text(r.url))...)
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

// indexExisting is the step after migration 6: every post already stored
// goes into the new search index, in id order, in the migration's
// transaction.
func indexExisting(tx *sql.Tx) error {
	rows, err := tx.Query(`SELECT id, text, author, author_id, url FROM posts ORDER BY id`)
	if err != nil {
		return err
	}
	var all []searchRow
	for rows.Next() {
		var r searchRow
		if err := rows.Scan(&r.id, &r.text, &r.author, &r.authorID, &r.url); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
		if len(all) == 10_000 {
			rows.Close()
			if err := insertSearchRows(tx, all); err != nil {
				return err
			}
			last := all[len(all)-1].id
			all = all[:0]
			if rows, err = tx.Query(`SELECT id, text, author, author_id, url FROM posts WHERE id > ? ORDER BY id`, last); err != nil {
				return err
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return insertSearchRows(tx, all)
}

// insertSearchRows indexes posts on SQLite (the migration's backfill).
func insertSearchRows(tx *sql.Tx, rs []searchRow) error {
	st, err := tx.Prepare(insertSearchSQL)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range rs {
		if _, err := st.Exec(r.id, fold.Text(r.text), fold.Text(r.author), fold.Text(r.authorID), fold.Text(r.url)); err != nil {
			return err
		}
	}
	return nil
}

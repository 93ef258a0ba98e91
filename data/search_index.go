package data

import (
	"database/sql"

	"triage/data/fold"
)

// searchRow is a new post's searchable fields, on their way to posts_search.
type searchRow struct {
	id                          int64
	text, author, authorID, url string
}

// insertSearchSQL indexes one post, its fields folded (data/fold).
const insertSearchSQL = `INSERT INTO posts_search (docid, text, author, author_id, url) VALUES (?, ?, ?, ?, ?)`

func (r searchRow) args() []any {
	return []any{r.id, fold.Text(r.text), fold.Text(r.author), fold.Text(r.authorID), fold.Text(r.url)}
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

func insertSearchRows(tx *sql.Tx, rs []searchRow) error {
	st, err := tx.Prepare(insertSearchSQL)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range rs {
		if _, err := st.Exec(r.args()...); err != nil {
			return err
		}
	}
	return nil
}

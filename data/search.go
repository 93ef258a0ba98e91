package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"triage/model"
)

// ErrEmptySearch is a search with no words in it.
var ErrEmptySearch = errors.New("type a word to search for")

// ftsQuery turns what a reviewer typed into an FTS4 query: every word must
// occur, each as a prefix ("вербов" finds "вербовка"). Quotes, stars and
// operators typed by the reviewer are dropped, not interpreted, so no input
// can make a malformed query. Russian is often typed without ё, so a word
// with е or ё matches either spelling.
func ftsQuery(typed string) (string, error) {
	words := strings.FieldsFunc(typed, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
	if len(words) == 0 {
		return "", ErrEmptySearch
	}
	terms := make([]string, len(words))
	for i, w := range words {
		var alts []string
		for _, v := range yoVariants(w) {
			alts = append(alts, `"`+v+`*"`)
		}
		// In FTS4's standard syntax OR binds tighter than the implicit AND.
		terms[i] = strings.Join(alts, " OR ")
	}
	return strings.Join(terms, " "), nil
}

// maxYo bounds the е/ё letters of one word that get both spellings: 2^n
// variants.
const maxYo = 3

// yoVariants spells w with every combination of е and ё at its first maxYo
// such letters.
func yoVariants(w string) []string {
	out := []string{""}
	n := 0
	for _, r := range w {
		alt := r
		switch r {
		case 'е':
			alt = 'ё'
		case 'ё':
			alt = 'е'
		case 'Е':
			alt = 'Ё'
		case 'Ё':
			alt = 'Е'
		}
		if alt == r || n == maxYo {
			for i := range out {
				out[i] += string(r)
			}
			continue
		}
		n++
		next := make([]string, 0, 2*len(out))
		for _, prefix := range out {
			next = append(next, prefix+string(r), prefix+string(alt))
		}
		out = next
	}
	return out
}

// searchPage reads one page of full-text search results over text, author
// and URL, newest post first, keyed by post id. Reviewers who are not leads
// never see escalated posts, here as anywhere.
func (s *Store) searchPage(ctx context.Context, q model.PageQuery) ([]model.Item, error) {
	match, err := ftsQuery(q.Search)
	if err != nil {
		return nil, err
	}
	role, err := roleOf(s.r, q.Actor.Reviewer)
	if err != nil {
		return nil, err
	}
	cond, fargs := s.filterSQL(q.Filter, "p.", s.now())
	base := fmt.Sprintf(rowCols, "p.id") + `FROM posts_fts JOIN posts p ON p.id = posts_fts.docid
		LEFT JOIN clusters c ON c.id = p.cluster WHERE posts_fts MATCH ?` + cond
	args := append([]any{match}, fargs...)
	if role != model.RoleLead {
		base += ` AND p.status <> 'escalated'`
	}
	tail, kargs, reverse := keyset(q.Dir, []string{"posts_fts.docid"}, []any{q.Key.A})
	query, args := base+tail, append(args, kargs...)
	rows, err := s.r.QueryContext(ctx, query, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Search, err)
	}
	return scanItems(rows, reverse)
}

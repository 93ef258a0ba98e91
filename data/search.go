package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"

	"triage/data/fold"
	"triage/model"
)

// ErrEmptySearch is a search with no words in it.
var ErrEmptySearch = errors.New("type a word to search for")

// ftsQuery turns what a reviewer typed into an FTS4 query: every word must
// occur, each as a prefix ("вербов" finds "вербовка"), spelt the way the
// index spells words (data/fold: look-alike letters, ё, case). Quotes, stars
// and operators typed by the reviewer are dropped, not interpreted, so no
// input can make a malformed query.
func ftsQuery(typed string) (string, error) {
	return searchTerms(typed, `"`, `*"`, " ")
}

// tsQuery is the same query for PostgreSQL's tsquery: each folded word a
// quoted prefix lexeme ('word':*), all of them required. Words hold only
// letters, digits and marks, so the quotes cannot be broken out of.
func tsQuery(typed string) (string, error) {
	return searchTerms(typed, `'`, `':*`, " & ")
}

func searchTerms(typed, open, close, and string) (string, error) {
	words := strings.FieldsFunc(typed, notWordRune)
	if len(words) == 0 {
		return "", ErrEmptySearch
	}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = open + fold.Word(w) + close
	}
	return strings.Join(terms, and), nil
}

func notWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
}

// searchSQL is a search as SQL.
type searchSQL struct {
	from string // FROM and WHERE: the matching posts with their clusters
	args []any  // from's arguments, the query's terms first
	// index is the FROM and WHERE of the matches in the index alone (its
	// one argument the terms), when they are exactly the results: a lead's
	// search with no filter, for no post is hidden from a lead and every
	// post is in the index once. Else "".
	index string
}

// searchFrom is the search's SQL: the posts whose folded words match;
// reviewers who are not leads never see escalated posts, here as anywhere.
func (s *Store) searchFrom(q model.PageQuery) (searchSQL, error) {
	query, match, post := ftsQuery, `posts_search MATCH ?`, `posts_search.docid & `+fmt.Sprint(docidIDMask)
	if s.pg != nil {
		query, match, post = tsQuery, `posts_search.tsv @@ ?::tsquery`, `posts_search.docid`
	}
	terms, err := query(q.Search)
	if err != nil {
		return searchSQL{}, err
	}
	role, err := roleOf(s.r, q.Actor.Reviewer)
	if err != nil {
		return searchSQL{}, err
	}
	cond, fargs := s.filterSQL(q.Filter, "p.", s.now())
	sq := searchSQL{
		from: `FROM posts_search JOIN posts p ON p.id = ` + post + ` LEFT JOIN clusters c ON c.id = p.cluster WHERE ` + match + cond,
		args: append([]any{terms}, fargs...),
	}
	switch {
	case role != model.RoleLead:
		sq.from += ` AND p.status <> 'escalated'`
	case cond == "":
		sq.index = `FROM posts_search WHERE ` + match
	}
	return sq, nil
}

// searchPage reads one page of search results over text, author, author id
// and URL, most recently flagged first (post id breaks ties).
func (s *Store) searchPage(ctx context.Context, q model.PageQuery) ([]model.Item, error) {
	sq, err := s.searchFrom(q)
	if err != nil {
		return nil, err
	}
	from, args := sq.from, sq.args
	// On SQLite the docid sorts as the page does (searchDocid), so FTS4
	// reads the page's matches first and no other match is joined.
	cols, key := []string{"p.flagged_at", "p.id"}, []any{q.Key.Order, q.Key.Tie}
	if s.pg == nil {
		cols, key = []string{"posts_search.docid"}, []any{anchorDocid(q.Key)}
	}
	tail, kargs, reverse := keyset(q.Dir, cols, key)
	query, args := fmt.Sprintf(rowCols, "p.flagged_at")+from+tail, append(args, kargs...)
	rows, err := s.r.QueryContext(ctx, query, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q.Search, err)
	}
	items, err := scanItems(rows, reverse)
	if err != nil {
		return nil, err
	}
	var decided, pending []int64
	at := map[int64]int{}
	for i, it := range items {
		at[it.PostID] = i
		if it.Status != model.StatusPending {
			decided = append(decided, it.PostID)
		} else {
			pending = append(pending, it.PostID)
		}
	}
	if err := s.markHeld(ctx, q.Actor.Session, pending, func(id int64) { items[at[id]].HeldByOther = true }); err != nil {
		return nil, err
	}
	err = s.blindfold(ctx, q.Actor.Reviewer, decided, func(id int64) { items[at[id]].Status = "" })
	return items, err
}

// markHeld calls held for each of posts a live session other than session
// holds: a search result the reviewer could not take.
func (s *Store) markHeld(ctx context.Context, session string, posts []int64, held func(int64)) error {
	if len(posts) == 0 {
		return nil
	}
	args := []any{session, heldSince(s.now())}
	for _, id := range posts {
		args = append(args, id)
	}
	ids, err := queryIDs(ctx, s.r, `SELECT id FROM posts WHERE lease_owner IS NOT NULL AND lease_owner <> ? AND lease_until >= ?
		AND id IN (`+placeholders(len(posts))+`)`, args...)
	for _, id := range ids {
		held(id)
	}
	return err
}

// anchorDocid is the docid a page's anchor sorts at: its flag time
// clamped as the posts' are (docidTime), and an id out of range (a key from
// outside the store) below or above every post of that time.
func anchorDocid(k model.Key) int64 {
	t := docidTime(k.Order)
	switch {
	case k.Tie < 0:
		return t << docidIDBits
	case k.Tie <= docidIDMask:
		return t<<docidIDBits | k.Tie
	case t == docidTimeMax:
		return math.MaxInt64
	}
	return (t + 1) << docidIDBits // the next flag time's first
}

// SearchCount counts a search's results, up to limit.
func (s *Store) SearchCount(ctx context.Context, q model.PageQuery, limit int) (int, error) {
	sq, err := s.searchFrom(q)
	if err != nil {
		return 0, err
	}
	// Where the index's matches are the results, they are counted there:
	// joining each to its post cost 30 ms for a common word at a million.
	from, args := sq.from, sq.args
	if sq.index != "" {
		from, args = sq.index, sq.args[:1]
	}
	var n int
	err = s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 `+from+` LIMIT ?) hits`, append(args, limit)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("search %q: %w", q.Search, err)
	}
	return n, nil
}

// Facets are the platforms and languages the posts have, from the
// trigger-kept facets table.
func (s *Store) Facets(ctx context.Context) (model.Facets, error) {
	f := model.Facets{Platforms: []string{}, Languages: []string{}}
	rows, err := s.r.QueryContext(ctx, `SELECT kind, value FROM facets ORDER BY kind, value`)
	if err != nil {
		return f, fmt.Errorf("facets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, v string
		if err := rows.Scan(&kind, &v); err != nil {
			return f, err
		}
		if kind == "platform" {
			f.Platforms = append(f.Platforms, v)
		} else {
			f.Languages = append(f.Languages, v)
		}
	}
	return f, rows.Err()
}

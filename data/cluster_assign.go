package data

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"

	"triage/data/fold"
	"triage/model"
)

// clusterIndex assigns posts to near-duplicate clusters as they are written.
// It holds every cluster's band keys in memory (loaded once per import) and
// a bounded cache of the first posts' word sets, against which candidates
// are checked with the exact Jaccard similarity.
type clusterIndex struct {
	bands map[uint64]int64   // band key → the first cluster that has it
	words map[int64][]uint64 // cluster id → its first post's words
	// q reads a cluster's first post when its words are not cached: the
	// transaction the import is writing in, so posts it wrote are seen.
	q rowQuerier
	// unwritten holds the words of clusters founded by posts not yet in the
	// database (PostgreSQL's import writes a batch at its end): the cache
	// may be cleared, these may not.
	unwritten map[int64][]uint64
}

type rowQuerier interface {
	Query(string, ...any) (*sql.Rows, error)
	QueryRow(string, ...any) *sql.Row
}

// maxCachedWords bounds the word-set cache: beyond it the cache starts over,
// and words are read again from the posts table when needed.
const maxCachedWords = 200_000

// loadClusterIndex reads the band keys of every cluster in the database.
func loadClusterIndex(q rowQuerier) (*clusterIndex, error) {
	ix := &clusterIndex{bands: map[uint64]int64{}, words: map[int64][]uint64{}, q: q}
	rows, err := q.Query(`SELECT id, keys FROM clusters WHERE keys IS NOT NULL ORDER BY id`) // the oldest cluster keeps a shared band, on either backend
	if err != nil {
		return nil, fmt.Errorf("load clusters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var blob []byte
		if err := rows.Scan(&id, &blob); err != nil {
			return nil, err
		}
		ix.addKeys(id, decodeKeys(blob))
	}
	return ix, rows.Err()
}

// match returns the cluster whose first post is most like words, or 0 when
// none reaches model.ClusterThreshold.
func (ix *clusterIndex) match(words []uint64, keys [model.ClusterBands]uint64) (int64, error) {
	var best int64
	bestSim := model.ClusterThreshold
	var seen [model.ClusterBands]int64
	for i, k := range keys {
		id, ok := ix.bands[k]
		if k == 0 || !ok || slices.Contains(seen[:i], id) {
			continue
		}
		seen[i] = id
		rep, ok := ix.words[id]
		if !ok {
			rep, ok = ix.unwritten[id]
		}
		if !ok {
			var text string
			if err := ix.q.QueryRow(`SELECT text FROM posts WHERE id = ?`, id).Scan(&text); err != nil {
				return 0, fmt.Errorf("cluster %d: %w", id, err)
			}
			rep = model.Words(fold.Text(text))
			ix.cache(id, rep)
		}
		if sim := model.Jaccard(words, rep); sim >= bestSim {
			best, bestSim = id, sim
		}
	}
	return best, nil
}

// found registers a new cluster whose first post has these words.
func (ix *clusterIndex) found(id int64, words []uint64, keys [model.ClusterBands]uint64) {
	ix.addKeys(id, keys)
	ix.cache(id, words)
}

// foundUnwritten is found for a cluster whose first post is not written yet.
func (ix *clusterIndex) foundUnwritten(id int64, words []uint64, keys [model.ClusterBands]uint64) {
	ix.found(id, words, keys)
	if ix.unwritten == nil {
		ix.unwritten = map[int64][]uint64{}
	}
	ix.unwritten[id] = words
}

// written says the posts founding clusters are in the database now.
func (ix *clusterIndex) written() { clear(ix.unwritten) }

func (ix *clusterIndex) addKeys(id int64, keys [model.ClusterBands]uint64) {
	for _, k := range keys {
		if _, taken := ix.bands[k]; k != 0 && !taken {
			ix.bands[k] = id
		}
	}
}

func (ix *clusterIndex) cache(id int64, words []uint64) {
	if len(ix.words) >= maxCachedWords {
		clear(ix.words)
	}
	ix.words[id] = words
}

func encodeKeys(keys [model.ClusterBands]uint64) []byte {
	b := make([]byte, 8*len(keys))
	for i, k := range keys {
		binary.BigEndian.PutUint64(b[8*i:], k)
	}
	return b
}

func decodeKeys(b []byte) [model.ClusterBands]uint64 {
	var keys [model.ClusterBands]uint64
	for i := range keys {
		if len(b) >= 8*(i+1) {
			keys[i] = binary.BigEndian.Uint64(b[8*i:])
		}
	}
	return keys
}

// clusterExisting assigns every post written before clusters existed, in id
// order: the step that follows migration 4.
func clusterExisting(tx *sql.Tx) error {
	ix, err := loadClusterIndex(tx)
	if err != nil {
		return err
	}
	rows, err := tx.Query(`SELECT id, text FROM posts WHERE cluster IS NULL ORDER BY id`)
	if err != nil {
		return err
	}
	type assignment struct{ post, cluster int64 }
	var out []assignment
	var founded []int64
	keysOf := map[int64][model.ClusterBands]uint64{}
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			rows.Close()
			return err
		}
		words := model.Words(fold.Text(text))
		keys := model.BandKeys(words)
		c, err := ix.match(words, keys)
		if err != nil {
			rows.Close()
			return err
		}
		if c == 0 {
			c = id
			ix.found(id, words, keys)
			founded = append(founded, id)
			keysOf[id] = keys
		}
		out = append(out, assignment{id, c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range founded {
		if _, err := tx.Exec(`INSERT INTO clusters (id, keys) VALUES (?, ?)`, id, encodeKeys(keysOf[id])); err != nil {
			return err
		}
	}
	st, err := tx.Prepare(`UPDATE posts SET cluster = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, a := range out {
		if _, err := st.Exec(a.cluster, a.post); err != nil {
			return err
		}
	}
	return nil
}

package data

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"triage/model"
)

// ClusterInfo describes a cluster: its size, how many of its posts are
// pending, and across how many accounts and platforms the text was posted.
// Id 0 (a post from before clusters, or none) gives the zero ClusterInfo.
func (s *Store) ClusterInfo(ctx context.Context, id int64) (model.ClusterInfo, error) {
	ci := model.ClusterInfo{ID: id}
	if id == 0 {
		return ci, nil
	}
	err := s.r.QueryRowContext(ctx, `SELECT posts, pending FROM clusters WHERE id = ?`, id).Scan(&ci.Posts, &ci.Pending)
	if err != nil {
		return ci, fmt.Errorf("cluster %d: %w", id, err)
	}
	if sp, ok := s.spread.get(id, ci.Posts); ok {
		ci.Accounts, ci.Platforms = sp.accounts, sp.platforms
		return ci, nil
	}
	// Counted off the covering index posts_cluster, without touching the table.
	err = s.r.QueryRowContext(ctx, `SELECT count(DISTINCT platform || ':' || author_id), count(DISTINCT platform)
		FROM posts INDEXED BY posts_cluster WHERE cluster = ?`, id).Scan(&ci.Accounts, &ci.Platforms)
	if err != nil {
		return ci, fmt.Errorf("cluster %d: %w", id, err)
	}
	s.spread.put(id, spread{posts: ci.Posts, accounts: ci.Accounts, platforms: ci.Platforms})
	return ci, nil
}

// spreadCache remembers the account and platform counts of recently shown
// clusters: moving through a campaign's posts shows the same cluster again
// and again, and those counts change only when the cluster grows.
type spreadCache struct {
	mu sync.Mutex
	m  map[int64]spread
}

type spread struct{ posts, accounts, platforms int }

func (c *spreadCache) get(id int64, posts int) (spread, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sp, ok := c.m[id]
	return sp, ok && sp.posts == posts
}

func (c *spreadCache) put(id int64, sp spread) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 4096 {
		c.m = map[int64]spread{}
	}
	c.m[id] = sp
}

// clusterPendingSQL counts a cluster's pending posts and those of them a live
// lease of another session holds. Parameters: session, now (ms), cluster.
const clusterPendingSQL = `SELECT count(*), coalesce(sum(CASE WHEN lease_owner IS NOT NULL AND lease_owner <> ? AND lease_until >= ? THEN 1 ELSE 0 END), 0)
	FROM posts INDEXED BY posts_cluster WHERE cluster = ? AND status = 'pending'`

// ClusterPending counts a cluster's pending posts, and of them those another
// live session than this one holds: what a cluster decision would skip.
func (s *Store) ClusterPending(ctx context.Context, cluster int64, session string) (pending, held int, err error) {
	err = s.r.QueryRowContext(ctx, clusterPendingSQL, session, heldSince(s.now()), cluster).Scan(&pending, &held)
	if err != nil {
		err = fmt.Errorf("cluster %d: %w", cluster, err)
	}
	return pending, held, err
}

// DecideCluster applies one decision to every pending post of a cluster that
// no other live session holds, in one transaction: all of them or none. Each
// post gets its own audit event, exactly as if decided one by one. The posts
// the deciding session does not hold yet are leased to it inside the same
// transaction, so the lease rule is the one every decision obeys.
func (s *Store) DecideCluster(ctx context.Context, cluster int64, d model.Decision) (model.ClusterResult, error) {
	var out model.ClusterResult
	if d.Reviewer == "" || d.Session == "" {
		return out, fmt.Errorf("a cluster decision needs a reviewer and a session")
	}
	if !d.Action.IsDecision() {
		return out, fmt.Errorf("cluster %d: %q is not a decision", cluster, d.Action)
	}
	now := s.now().UnixMilli()
	held := heldSince(s.now())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var pending int
		if err := tx.QueryRow(clusterPendingSQL, d.Session, held, cluster).Scan(&pending, &out.Held); err != nil {
			return err
		}
		ids, err := queryIDs(writeCtx(ctx), tx, `UPDATE posts SET lease_owner = ?, lease_until = ?
			WHERE cluster = ? AND status = 'pending' AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)`+notExcluded+`
			RETURNING id`, d.Session, now+60_000, cluster, d.Session, held, d.Session)
		if err != nil {
			return err
		}
		st := newTxState()
		for _, id := range ids {
			one := d
			one.PostID = id
			ev, err := s.applyDecision(tx, one, st)
			if err != nil {
				return fmt.Errorf("cluster %d: %w", cluster, err)
			}
			out.Events = append(out.Events, ev.ID)
		}
		out.Decided = len(ids)
		out.Held = pending - len(ids) // held by others, or kept from this reviewer
		return nil
	})
	if err != nil {
		return model.ClusterResult{}, err
	}
	return out, nil
}

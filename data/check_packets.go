package data

import (
	"context"
	"fmt"
)

// checkPackets finds posts whose status contradicts their packet (a post in
// a takedown packet must stay rejected: undo is refused, a retraction takes
// it out), packets whose recorded size is not the posts they hold plus those
// retracted from them, and retractions not recorded by a retract event of
// their own post.
func (s *Store) checkPackets(ctx context.Context, rep *CheckReport) error {
	rows, err := s.r.QueryContext(ctx, `
		SELECT 'post ' || p.id || ': ' || p.status || ', but it is in takedown packet ' || p.takedown_packet
		FROM posts p WHERE p.takedown_packet IS NOT NULL AND p.status <> 'rejected'
		UNION ALL
		SELECT 'post ' || p.id || ': in packet ' || p.takedown_packet || ', which does not exist'
		FROM posts p LEFT JOIN takedown_packets k ON k.id = p.takedown_packet
		WHERE p.takedown_packet IS NOT NULL AND k.id IS NULL
		UNION ALL
		SELECT 'packet ' || k.id || ': records ' || k.posts || ' posts, holds ' ||
			((SELECT count(*) FROM posts WHERE takedown_packet = k.id) + (SELECT count(*) FROM retractions WHERE packet_id = k.id)) ||
			' (with those retracted)'
		FROM takedown_packets k WHERE k.kind = 'takedown' AND k.posts <>
			(SELECT count(*) FROM posts WHERE takedown_packet = k.id) + (SELECT count(*) FROM retractions WHERE packet_id = k.id)
		UNION ALL
		SELECT 'packet ' || k.id || ': records ' || k.posts || ' retractions, holds ' || (SELECT count(*) FROM retractions WHERE sent_in = k.id)
		FROM takedown_packets k WHERE k.kind = 'retractions' AND k.posts <> (SELECT count(*) FROM retractions WHERE sent_in = k.id)
		UNION ALL
		SELECT 'retraction ' || r.id || ': event ' || r.event_id || ' is not a retraction (or reopening) of post ' || r.post_id
		FROM retractions r LEFT JOIN events e ON e.id = r.event_id
		WHERE e.id IS NULL OR e.action NOT IN ('retract', 'reopen') OR e.post_id <> r.post_id
		UNION ALL
		SELECT 'post ' || id || ': its unknown fields are not valid JSON (export would fail on them)'
		FROM posts WHERE extra IS NOT NULL AND NOT json_valid(extra)`)
	if err != nil {
		return fmt.Errorf("check packets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		rep.add("%s", p)
	}
	return rows.Err()
}

// checkChain runs the audit chain verification (see Verify) as part of the
// check: a broken or shortened chain is a broken invariant.
func (s *Store) checkChain(ctx context.Context, rep *CheckReport) error {
	res, err := s.Verify(ctx, VerifyOptions{})
	if err != nil {
		return err
	}
	rep.chain = res
	if res.BadID != 0 {
		rep.add("audit chain: %s", res.Problem)
	}
	for _, p := range res.Problems {
		rep.add("audit chain: %s", p)
	}
	return nil
}

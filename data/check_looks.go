package data

import (
	"context"
	"fmt"
)

// checkLooks finds second looks that disagree with the posts and the trail:
// a post awaiting confirmation with no open confirmation (it could never be
// confirmed), an open confirmation of a post not awaiting one, and a look
// answered by the reviewer whose decision it was about.
func (s *Store) checkLooks(ctx context.Context, rep *CheckReport) error {
	rows, err := s.r.QueryContext(ctx, `
		SELECT p.id, 'is awaiting confirmation, but no confirmation is open' FROM posts p INDEXED BY posts_awaiting
			WHERE p.status = 'awaiting'
			  AND NOT EXISTS (SELECT 1 FROM second_looks l WHERE l.post_id = p.id AND l.kind = 'confirm' AND l.done_event IS NULL)
		UNION ALL
		SELECT l.post_id, 'has an open confirmation, but is ' || p.status FROM second_looks l JOIN posts p ON p.id = l.post_id
			WHERE l.done_event IS NULL AND l.kind = 'confirm' AND p.status <> 'awaiting'
		UNION ALL
		SELECT l.post_id, 'was given its second look by the reviewer of the first decision, ' || l.first_reviewer
			FROM second_looks l JOIN events d ON d.id = l.done_event
			WHERE l.verdict <> '' AND d.reviewer = l.first_reviewer
		ORDER BY 1`)
	if err != nil {
		return fmt.Errorf("check second looks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var what string
		if err := rows.Scan(&id, &what); err != nil {
			return err
		}
		rep.add("post %d: %s", id, what)
	}
	return rows.Err()
}

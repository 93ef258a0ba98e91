package tui

import (
	"context"
	"time"

	"triage/model"
)

// Store is all the console needs of the database. It is declared here, not in
// data, so the UI depends on behaviour rather than on a package (and tests of
// components use a small in-memory fake of it).
type Store interface {
	Page(ctx context.Context, q model.PageQuery) ([]model.Item, error)
	Post(ctx context.Context, a model.Actor, id int64) (model.PostDetail, error)
	Decide(ctx context.Context, d model.Decision) (model.Event, error)
	// UndoPlan says what an undo of the reviewer's decision on a post (0:
	// their latest) would undo; UndoPosts undoes those, all or none.
	UndoPlan(ctx context.Context, reviewer string, postID int64) (model.UndoPlan, error)
	UndoPosts(ctx context.Context, a model.Actor, posts []int64) (int, error)
	Counts(ctx context.Context) (model.Counts, error)
	CountMatching(ctx context.Context, f model.Filter, limit int) (int, error)
	Online(ctx context.Context) (int, error)
	// ClaimMatching tops the session up to n held pending posts that pass
	// the filter, in its order (racing claims never give it more than n); Renew extends the session's leases and is its
	// heartbeat. Both are no-ops without a session.
	ClaimMatching(ctx context.Context, session string, n int, lease time.Duration, f model.Filter) (int, error)
	Renew(ctx context.Context, session string, lease time.Duration) error
	ClaimPost(ctx context.Context, session string, id int64, lease time.Duration) (model.ClaimOutcome, error)
	// ToConfirm counts what waits in a's Confirm queue, up to limit.
	ToConfirm(ctx context.Context, a model.Actor, limit int) (int, error)
	// Release gives back everything the session holds.
	Release(ctx context.Context, session string) error
	// Clusters: how many pending posts a cluster decision would decide and
	// how many it would skip; the decision itself, one event per post.
	ClusterPending(ctx context.Context, cluster int64, session string) (pending, held int, err error)
	DecideCluster(ctx context.Context, cluster int64, d model.Decision) (model.ClusterResult, error)
	// SearchCount counts a search's results, up to limit; Facets are the
	// platforms and languages present, for the filter bar.
	SearchCount(ctx context.Context, q model.PageQuery, limit int) (int, error)
	Facets(ctx context.Context) (model.Facets, error)
	// Saved views, shared by the team.
	Views(ctx context.Context) ([]model.View, error)
	SaveView(ctx context.Context, name string, f model.Filter, by string) error
	// Dashboard is what the stats view draws.
	Dashboard(ctx context.Context) (model.Dashboard, error)
	// Exclusions are the categories a lead keeps away from the reviewer,
	// re-read as the console runs: a lead may change them at any time.
	Exclusions(ctx context.Context, reviewer string) ([]string, error)
	// RecordExposure adds to a reviewer's exposure on the day of at:
	// sensitive posts whose text was shown, and seconds in the console.
	RecordExposure(ctx context.Context, reviewer string, at time.Time, reveals, seconds int) error
}

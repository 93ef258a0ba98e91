package tui

import (
	"context"
	"time"

	"triage/model"
)

// Store is all the console needs of the database. It is declared here, not in
// data, so the UI depends on behaviour rather than on a package.
type Store interface {
	Page(ctx context.Context, q model.PageQuery) ([]model.Item, error)
	Post(ctx context.Context, a model.Actor, id int64) (model.PostDetail, error)
	Decide(ctx context.Context, d model.Decision) (model.Event, error)
	LastUndoable(ctx context.Context, reviewer string) (int64, error)
	Counts(ctx context.Context) (model.Counts, error)
	Online(ctx context.Context) (int, error)
	// Claim leases up to n more pending posts to the session; Renew extends
	// the session's leases. Both are no-ops without a session.
	Claim(ctx context.Context, session string, n int, lease time.Duration) (int, error)
	Renew(ctx context.Context, session string, lease time.Duration) error
	ClaimPost(ctx context.Context, session string, id int64, lease time.Duration) (bool, error)
	// ClaimMatching claims like Claim, only posts that pass the filter, in
	// its order; Release gives back everything the session holds.
	ClaimMatching(ctx context.Context, session string, n int, lease time.Duration, f model.Filter) (int, error)
	Release(ctx context.Context, session string) error
	// Clusters: how many pending posts a cluster decision would decide and
	// how many it would skip; the decision itself, one event per post.
	ClusterPending(ctx context.Context, cluster int64, session string) (pending, held int, err error)
	DecideCluster(ctx context.Context, cluster int64, d model.Decision) (model.ClusterResult, error)
	// Saved views, shared by the team.
	Views(ctx context.Context) ([]model.View, error)
	SaveView(ctx context.Context, name string, f model.Filter, by string) error
	// Dashboard is what the stats view draws.
	Dashboard(ctx context.Context) (model.Dashboard, error)
}

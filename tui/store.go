package tui

import (
	"context"

	"triage/model"
)

// Store is all the console needs of the database. It is declared here, not in
// data, so the UI depends on behaviour rather than on a package.
type Store interface {
	Page(ctx context.Context, q model.PageQuery) ([]model.Item, error)
	Post(ctx context.Context, id int64) (model.PostDetail, error)
	Decide(ctx context.Context, d model.Decision) (model.Event, error)
	LastUndoable(ctx context.Context, reviewer string) (int64, error)
	Counts(ctx context.Context) (model.Counts, error)
}

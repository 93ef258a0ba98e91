package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"triage/model"
)

// ErrNoView is a view name that is not saved.
var ErrNoView = errors.New("no such view")

// BreachView is the built-in view every console offers: posts past their
// category's target time, oldest first.
const BreachView = "breaches"

// SaveView stores a named filter for the whole team, replacing one of the
// same name.
func (s *Store) SaveView(ctx context.Context, name string, f model.Filter, by string) error {
	if err := model.ValidViewName(name); err != nil {
		return err
	}
	if name == BreachView {
		return fmt.Errorf("view name %q is built in", name)
	}
	_, err := s.exec(ctx, `INSERT INTO views (name, filter, created_by, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET filter = excluded.filter, created_by = excluded.created_by, created_at = excluded.created_at`,
		name, f.String(), by, s.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("save view %s: %w", name, err)
	}
	return nil
}

// DeleteView removes a saved view.
func (s *Store) DeleteView(ctx context.Context, name string) error {
	if name == BreachView {
		return fmt.Errorf("view %q is built in: it cannot be deleted", name)
	}
	n, err := s.exec(ctx, `DELETE FROM views WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete view %s: %w", name, err)
	}
	if n == 0 {
		return fmt.Errorf("view %q: %w", name, ErrNoView)
	}
	return nil
}

// Views lists the saved views by name, after the built-in breach view.
func (s *Store) Views(ctx context.Context) ([]model.View, error) {
	out := []model.View{{Name: BreachView, Filter: model.Filter{Breached: true}, By: "built in"}}
	rows, err := s.r.QueryContext(ctx, `SELECT name, filter, created_by, created_at FROM views ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("views: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanView(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// View reads one view by name, the built-in one included.
func (s *Store) View(ctx context.Context, name string) (model.View, error) {
	if name == BreachView {
		return model.View{Name: BreachView, Filter: model.Filter{Breached: true}, By: "built in"}, nil
	}
	v, err := scanView(s.r.QueryRowContext(ctx, `SELECT name, filter, created_by, created_at FROM views WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("view %q: %w (see `triage view list`)", name, ErrNoView)
	}
	return v, err
}

func scanView(row interface{ Scan(...any) error }) (model.View, error) {
	var v model.View
	var text string
	var at int64
	if err := row.Scan(&v.Name, &text, &v.By, &at); err != nil {
		return v, err
	}
	f, err := model.ParseFilter(text)
	if err != nil {
		return v, fmt.Errorf("view %s: %w", v.Name, err)
	}
	v.Filter, v.At = f, time.UnixMilli(at).UTC()
	return v, nil
}

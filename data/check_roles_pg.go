package data

import (
	"context"
	"fmt"
)

// checkReplicationRoles warns of every role that may SET
// session_replication_role and write triage's tables on PostgreSQL: the
// role check connects as, when it is a superuser or was granted SET on the
// parameter, and any other role granted it that may write a triage table.
// In replica mode foreign keys and every trigger left at the default are
// skipped; the guards fire ALWAYS (migrations_pg/0005), so they hold, but
// references and counters do not. A warning, not a problem: it is about
// who may connect, not what the data says, and a superuser can lift any
// guard with ALTER TABLE, which the schema check reports.
func (s *Store) checkReplicationRoles(ctx context.Context, rep *CheckReport) error {
	if s.pg == nil {
		return nil
	}
	var version int
	if err := s.r.QueryRowContext(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		return fmt.Errorf("check roles: %w", err)
	}
	q := replicationRolesQuery
	if version < 150000 {
		q = replicationRolesQuery14 // before 15 only a superuser may set it
	}
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("check roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var super, self bool
		if err := rows.Scan(&name, &super, &self); err != nil {
			return err
		}
		rep.Warnings = append(rep.Warnings, replicationWarning(name, super, self))
	}
	return rows.Err()
}

const (
	replicationRolesQuery = `SELECT r.rolname, r.rolsuper, r.rolname = current_user FROM pg_roles r
		WHERE (r.rolname = current_user AND (r.rolsuper OR has_parameter_privilege(r.oid, 'session_replication_role', 'SET')))
		   OR (NOT r.rolsuper AND r.rolname <> current_user AND has_parameter_privilege(r.oid, 'session_replication_role', 'SET')
		       AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
		                   AND has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')))
		ORDER BY r.rolname`
	replicationRolesQuery14 = `SELECT r.rolname, r.rolsuper, true FROM pg_roles r WHERE r.rolname = current_user AND r.rolsuper`
)

func replicationWarning(name string, super, self bool) string {
	who := fmt.Sprintf("role %s", name)
	if self {
		who += " (the role check connected as)"
	}
	if super {
		return who + " is a superuser: it may SET session_replication_role = replica, which skips foreign keys and triage's counters, and may disable any trigger; run triage as a role that owns its tables and is not a superuser"
	}
	return who + " was granted SET on session_replication_role and may write triage's tables: in replica mode foreign keys and triage's counters are skipped (the guards fire always); revoke it"
}

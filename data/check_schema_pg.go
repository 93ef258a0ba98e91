package data

import (
	"context"
	_ "embed"
	"regexp"
	"strings"
)

// PostgreSQL keeps no SQL text for its objects, so the schema check there
// compares what the catalog says with the migrations: every trigger and
// function they create is present, every trigger fires when the migrations
// say (the guards ALWAYS, so session_replication_role = replica does not
// lift them; the rest in ordinary sessions; none disabled or switched to
// replica-only), every function's body is the one written. Indexes, constraints and columns (type, NOT
// NULL, default, generated expression) are compared with the server's own
// rendering of them for a freshly migrated database, kept in
// migrations_pg/catalog.txt, which TestPostgresCatalog keeps true to the
// migrations. Nothing may be added beside them — a rule on a table least
// of all, since an INSERT rule could swallow audit events.

//go:embed migrations_pg/catalog.txt
var pgCatalog string

var (
	pgCreatedTrigger  = regexp.MustCompile(`CREATE TRIGGER (\w+)`)
	pgAlwaysTrigger   = regexp.MustCompile(`ENABLE ALWAYS TRIGGER (\w+)`)
	pgCreatedFunction = regexp.MustCompile(`(?s)CREATE FUNCTION (\w+)\(.*?AS \$\$(.*?)\$\$`)
)

// expectedPGSchema is "index NAME", "trigger NAME" and "function NAME" (with
// its body) for everything the migrations create.
func expectedPGSchema() map[string]string {
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(pgCatalog), "\n") {
		if name, def, ok := strings.Cut(line, "\t"); ok {
			want[name] = def
		}
	}
	for _, m := range pgMigrations {
		for _, x := range pgCreatedTrigger.FindAllStringSubmatch(m, -1) {
			want["trigger "+x[1]] = triggerFires['O']
		}
		for _, x := range pgAlwaysTrigger.FindAllStringSubmatch(m, -1) {
			want["trigger "+x[1]] = triggerFires['A']
		}
		for _, x := range pgCreatedFunction.FindAllStringSubmatch(m, -1) {
			want["function "+x[1]] = strings.TrimSpace(x[2])
		}
	}
	return want
}

// triggerFires says when a trigger fires, by pg_trigger.tgenabled.
var triggerFires = map[byte]string{
	'O': "fires in ordinary sessions",
	'A': "fires always, in replica mode too",
	'R': "fires only in replica mode",
	'D': "disabled",
}

// pgSchemaObjects reads the same from the catalog.
func (s *Store) pgSchemaObjects(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT 'index ' || c.relname, replace(pg_get_indexdef(i.indexrelid), ' ON ' || current_schema() || '.', ' ON ')
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = current_schema()::regnamespace
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		UNION ALL
		SELECT 'trigger ' || t.tgname, t.tgenabled::text
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
		UNION ALL
		SELECT 'function ' || p.proname, p.prosrc FROM pg_proc p
		WHERE p.pronamespace = current_schema()::regnamespace
		UNION ALL
		SELECT 'rule ' || r.rulename, r.definition FROM pg_rules r WHERE r.schemaname = current_schema()
		UNION ALL
		SELECT 'constraint ' || c.relname || '.' || k.conname, pg_get_constraintdef(k.oid)
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
		WHERE k.connamespace = current_schema()::regnamespace
		UNION ALL
		SELECT 'column ' || c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod)
			|| CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
			|| CASE WHEN a.attidentity <> '' THEN ' IDENTITY' ELSE '' END
			|| coalesce(CASE WHEN a.attgenerated = 's' THEN ' GENERATED AS ' ELSE ' DEFAULT ' END || pg_get_expr(d.adbin, d.adrelid), '')
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, v string
		if err := rows.Scan(&name, &v); err != nil {
			return nil, err
		}
		if strings.HasPrefix(name, "function ") {
			v = strings.TrimSpace(v)
		}
		if strings.HasPrefix(name, "trigger ") && len(v) == 1 {
			v = triggerFires[v[0]]
		}
		out[name] = v
	}
	return out, rows.Err()
}

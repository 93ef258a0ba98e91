package data

import (
	"context"
	_ "embed"
	"regexp"
	"strings"
)

// PostgreSQL keeps no SQL text for its objects, so the schema check there
// compares what the catalog says with the migrations' own text: every
// index, trigger and function they create is present, every trigger is
// enabled, every function's body is the one written, and nothing was added
// beside them. Index definitions are compared with the server's own
// rendering of them (pg_get_indexdef) for a freshly migrated database,
// kept in migrations_pg/indexes.txt; TestPostgresIndexDefinitions keeps
// that file true to the migrations.

//go:embed migrations_pg/indexes.txt
var pgIndexDefs string

var (
	pgCreatedIndex    = regexp.MustCompile(`CREATE (?:UNIQUE )?INDEX (\w+)`)
	pgCreatedTrigger  = regexp.MustCompile(`CREATE TRIGGER (\w+)`)
	pgCreatedFunction = regexp.MustCompile(`(?s)CREATE FUNCTION (\w+)\(.*?AS \$\$(.*?)\$\$`)
)

// expectedPGSchema is "index NAME", "trigger NAME" and "function NAME" (with
// its body) for everything the migrations create.
func expectedPGSchema() map[string]string {
	want := map[string]string{}
	defs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(pgIndexDefs), "\n") {
		if name, def, ok := strings.Cut(line, "\t"); ok {
			defs[name] = def
		}
	}
	for _, m := range pgMigrations {
		for _, x := range pgCreatedIndex.FindAllStringSubmatch(m, -1) {
			want["index "+x[1]] = defs[x[1]]
		}
		for _, x := range pgCreatedTrigger.FindAllStringSubmatch(m, -1) {
			want["trigger "+x[1]] = "enabled"
		}
		for _, x := range pgCreatedFunction.FindAllStringSubmatch(m, -1) {
			want["function "+x[1]] = strings.TrimSpace(x[2])
		}
	}
	return want
}

// pgSchemaObjects reads the same from the catalog.
func (s *Store) pgSchemaObjects(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT 'index ' || c.relname, replace(pg_get_indexdef(i.indexrelid), ' ON ' || current_schema() || '.', ' ON ')
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = current_schema()::regnamespace
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		UNION ALL
		SELECT 'trigger ' || t.tgname, CASE t.tgenabled WHEN 'D' THEN 'disabled' ELSE 'enabled' END
		FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
		UNION ALL
		SELECT 'function ' || p.proname, p.prosrc FROM pg_proc p
		WHERE p.pronamespace = current_schema()::regnamespace`)
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
		out[name] = v
	}
	return out, rows.Err()
}

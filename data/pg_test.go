package data

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"triage/data/pgtest"
	"triage/model"
)

// PostgreSQL's own tests: what has no SQLite counterpart in the shared suite.

// pgStore opens a fresh PostgreSQL database. These tests run once, in the
// ordinary pass (they need no second run under the conformance pass).
func pgStore(t *testing.T, opt Options) (*Store, string) {
	t.Helper()
	if onPostgres() {
		t.Skip("PostgreSQL's own tests run in the ordinary pass")
	}
	url := pgtest.URL(t)
	opt.Create = true
	s, err := Open(url, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, url
}

// The catalog check compares with (indexes, constraints, columns) is the
// one the migrations make. TRIAGE_UPDATE_PG_CATALOG=1 rewrites the file
// after a migration.
func TestPostgresCatalog(t *testing.T) {
	s, _ := pgStore(t, Options{})
	have, err := s.pgSchemaObjects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for name, def := range have {
		for _, kind := range []string{"index ", "constraint ", "column "} {
			if strings.HasPrefix(name, kind) {
				lines = append(lines, name+"\t"+def)
			}
		}
	}
	sort.Strings(lines)
	got := strings.Join(lines, "\n") + "\n"
	if os.Getenv("TRIAGE_UPDATE_PG_CATALOG") == "1" {
		if err := os.WriteFile("migrations_pg/catalog.txt", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != pgCatalog {
		t.Fatalf("migrations_pg/catalog.txt is out of date (TRIAGE_UPDATE_PG_CATALOG=1 go test ./data -run TestPostgresCatalog):\n%s", got)
	}
}

// What check sees on PostgreSQL beyond the shared suite: a trigger switched
// to replica-only, a rule, a dropped constraint, a changed column.
func TestPostgresCheckSeesCatalogTampering(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		{`ALTER TABLE admin_log ENABLE REPLICA TRIGGER admin_log_append_only_delete`, "trigger admin_log_append_only_delete: fires only in replica mode (the schema says: fires always"},
		{`CREATE RULE swallow AS ON INSERT TO events DO INSTEAD NOTHING`, "rule swallow: not part of the schema"},
		{`ALTER TABLE events DROP CONSTRAINT events_action_check`, "constraint events.events_action_check: missing"},
		{`ALTER TABLE events ALTER COLUMN reviewer TYPE varchar(3)`, "column events.reviewer: differs"},
	} {
		s, _ := pgStore(t, Options{})
		if _, err := s.w.Exec(c.sql); err != nil {
			t.Fatal(err)
		}
		rep, err := s.Check(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if all := strings.Join(rep.Problems, "\n"); !strings.Contains(all, c.want) {
			t.Errorf("%s: check said %q, want %q", c.sql, all, c.want)
		}
	}
}

func TestPostgresRefusesNewerSchema(t *testing.T) {
	s, url := pgStore(t, Options{})
	importLines(t, s, fraudPosts(1)...)
	if _, err := s.w.Exec(`INSERT INTO triage_schema (version, applied_at) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(url, Options{Create: true})
	if err == nil || !strings.Contains(err.Error(), "newer triage (schema version 99") {
		t.Fatalf("err = %v", err)
	}
}

func TestPostgresRefusesSomeoneElsesDatabase(t *testing.T) {
	_, url := pgStore(t, Options{})
	s, err := Open(url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.w.Exec(`DROP TABLE triage_schema`)
	s.Close()
	_, err = Open(url, Options{Create: true})
	if err == nil || !strings.Contains(err.Error(), "not a triage database") {
		t.Fatalf("err = %v", err)
	}
}

// Open's mistakes are one line each, never showing a password, and write nothing.
func TestPostgresOpenErrors(t *testing.T) {
	if onPostgres() {
		t.Skip("PostgreSQL's own tests run in the ordinary pass")
	}
	url := pgtest.URL(t)
	host := strings.TrimPrefix(url[:strings.LastIndex(url, "/")], "postgres://postgres@")
	db := url[strings.LastIndex(url, "/")+1:]
	db, _, _ = strings.Cut(db, "?")
	pgtest.Admin(t, "CREATE ROLE nobody_"+db+" LOGIN")
	cases := []struct{ name, url, want string }{
		{"no server", "postgres://postgres:hunter2@127.0.0.1:1/x?sslmode=disable&connect_timeout=3", "cannot connect"},
		{"wrong password", "postgres://" + pgtest.PasswordRole + ":hunter2@" + host + "/" + db + "?sslmode=disable", "password authentication failed"},
		{"no permission", "postgres://nobody_" + db + "@" + host + "/" + db + "?sslmode=disable", "permission denied"},
		{"synchronous_commit off", url + "&options=-c%20synchronous_commit%3Doff", "synchronous_commit is off"},
		{"no such database", "postgres://postgres@" + host + "/nope_" + db + "?sslmode=disable", "does not exist"},
	}
	for _, c := range cases {
		_, err := Open(c.url, Options{Create: true})
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// Nothing was written by the refused opens.
	var tables int
	s, err := Open(url, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.r.QueryRow(`SELECT count(*) FROM posts`).Scan(&tables)
	if tables != 0 {
		t.Fatalf("%d posts after refused opens", tables)
	}
}

// On a shared database, a server starting up ends only sessions that went
// silent (their server died), never another live server's.
func TestPostgresOrphansAreOnlySilentSessions(t *testing.T) {
	now := testNow
	s, _ := pgStore(t, Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	importLines(t, s, fraudPosts(4)...)
	dead, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginSSH)
	s.Claim(ctx, dead, 2, time.Hour)
	now = now.Add(model.OnlineWindow + time.Second)
	live, _ := s.StartSession(ctx, model.Actor{Reviewer: "bob"}, OriginSSH)
	s.Claim(ctx, live, 2, time.Hour)
	if n, err := s.EndOrphanedSessions(ctx, OriginSSH); err != nil || n != 1 {
		t.Fatalf("ended %d (%v), want only the silent one", n, err)
	}
	other, _ := s.StartSession(ctx, model.Actor{Reviewer: "carol"}, OriginSSH)
	if n, _ := s.Claim(ctx, other, 10, time.Hour); n != 2 {
		t.Fatalf("carol claimed %d, want the dead session's 2 (bob keeps his)", n)
	}
}

// Another server's change reaches this store's subscribers (LISTEN/NOTIFY).
func TestPostgresChangesReachOtherServers(t *testing.T) {
	a, url := pgStore(t, Options{})
	importLines(t, a, fraudPosts(2)...)
	b, err := Open(url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ch, cancel := b.Changes()
	defer cancel()
	// b listens from the moment Open returned: nothing has changed since.
	if len(ch) != 0 {
		t.Fatal("a change signal with nothing changed")
	}
	decide(t, a, 1, "alice", model.ActionApprove, "FRD-NONE")
	<-ch // the test's own timeout fails a signal that never comes
}

package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"triage/data/pgtest"
	"triage/model"
)

// inReplicaMode runs q in a transaction with session_replication_role =
// replica, as any role allowed to set it could, and rolls it back.
func inReplicaMode(s *Store, q string) error {
	tx, err := s.w.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`SET LOCAL session_replication_role = replica`); err != nil {
		return err
	}
	_, err = tx.Exec(q)
	return err
}

// session_replication_role = replica skipped every trigger at the default
// setting, the evidence guards with them: one SET in a session, and a
// decided post's text could be changed. The guards fire always now.
func TestPostgresReplicaRoleLiftsNoGuard(t *testing.T) {
	s, _ := pgStore(t, Options{Now: func() time.Time { return testNow }})
	fillForCopy(t, s)
	for _, q := range []string{
		`UPDATE posts SET text = 'forged', url = 'https://evil.example/' WHERE id = 1`,
		`DELETE FROM posts WHERE id = 6`,
		`UPDATE events SET reviewer = 'mallory' WHERE id = 1`,
		`DELETE FROM events WHERE id = (SELECT max(id) FROM events)`,
		`TRUNCATE events CASCADE`,
		`UPDATE takedown_packets SET platform = 'mallory'`,
		`DELETE FROM retractions`,
		`DELETE FROM claims`,
		`DELETE FROM admin_log`,
		`UPDATE second_looks SET first_reviewer = 'mallory'`,
		`DELETE FROM outcomes`,
	} {
		if err := inReplicaMode(s, q); err == nil {
			t.Errorf("in replica mode: %s: allowed", q)
		}
	}
	if res, err := s.Verify(context.Background(), VerifyOptions{}); err != nil || !res.OK() {
		t.Fatalf("after the refusals: %+v %v", res, err)
	}
}

// check warns of the role it connects as when that role may set
// session_replication_role (a superuser here), and of any other role granted
// SET on it that may write triage's tables; it reports a guard switched back
// to firing in ordinary sessions only.
func TestPostgresCheckWarnsOfReplicationRoles(t *testing.T) {
	s, _ := pgStore(t, Options{})
	ctx := context.Background()
	role := fmt.Sprintf("t_replica_%d", os.Getpid()) // roles are the cluster's, not the database's
	pgtest.Admin(t, `CREATE ROLE `+role+` LOGIN`)
	t.Cleanup(func() {
		s.w.Exec(`REVOKE ALL ON events FROM ` + role)
		pgtest.Admin(t, `REVOKE SET ON PARAMETER session_replication_role FROM `+role)
		pgtest.Admin(t, `DROP ROLE `+role)
	})
	pgtest.Admin(t, `GRANT SET ON PARAMETER session_replication_role TO `+role)
	if _, err := s.w.Exec(`GRANT INSERT ON events TO ` + role); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`ALTER TABLE posts ENABLE TRIGGER posts_evidence_fixed`); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	warn := strings.Join(rep.Warnings, "\n")
	if !strings.Contains(warn, "(the role check connected as) is a superuser") ||
		!strings.Contains(warn, "role "+role+" was granted SET on session_replication_role") {
		t.Fatalf("warnings: %q", rep.Warnings)
	}
	if len(rep.Problems) != 1 || !strings.HasPrefix(rep.Problems[0], "trigger posts_evidence_fixed: fires in ordinary sessions (the schema says: fires always") {
		t.Fatalf("problems: %q", rep.Problems)
	}
}

// The same decisions on SQLite and PostgreSQL make the same chain, the
// content each event binds included: one construction, the same bytes.
func TestPostgresChainMatchesSQLite(t *testing.T) {
	pg, _ := pgStore(t, Options{Now: func() time.Time { return testNow }})
	lite := openTestStoreAt(t, filepath.Join(t.TempDir(), "lite.db"))
	var heads []string
	for _, s := range []*Store{pg, lite} {
		importLines(t, s, `{"platform":"вк","external_id":"1","url":"https://vk.com/x?a=1","author":"Иван","author_id":"9","text":"Жұмыс\nбар ✓","category":"fraud"}`,
			`{"platform":"tg","external_id":"2","text":"t","category":"fraud"}`)
		rejectAll(t, s, 1)
		decide(t, s, 2, "alice", model.ActionApprove, "FRD-NONE")
		res, err := s.Verify(context.Background(), VerifyOptions{})
		if err != nil || !res.OK() || res.ContentFrom != 1 || res.Events != 2 {
			t.Fatalf("%s: %+v %v", s.Path(), res, err)
		}
		heads = append(heads, res.Head)
	}
	if heads[0] != heads[1] {
		t.Fatalf("PostgreSQL's head %s, SQLite's %s", heads[0], heads[1])
	}
}

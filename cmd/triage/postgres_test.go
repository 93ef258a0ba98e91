package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"triage/data"
	"triage/data/pgtest"
	"triage/model"
)

// passwordURL is url with the password role's credentials in it.
func passwordURL(t *testing.T, raw, password string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(pgtest.PasswordRole, password)
	return u.String()
}

// decideSome records a few decisions through the store, so a database has
// an audit chain to carry.
func decideSome(t *testing.T, db string, ids ...int64) {
	t.Helper()
	st, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, id := range ids {
		p, err := st.Post(ctx, model.Actor{Reviewer: "alice"}, id)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := st.Policy().Category(p.Category)
		if _, err := st.Decide(ctx, model.Decision{PostID: id, Actor: model.Actor{Reviewer: "alice"}, Action: model.ActionApprove, ReasonCode: c.DefaultApproval().Code}); err != nil {
			t.Fatal(err)
		}
	}
}

// verifyHead runs `triage verify` and returns the head it prints.
func verifyHead(t *testing.T, db string) string {
	t.Helper()
	r := triage(t, "", "verify", "--db", db)
	if r.code != 0 {
		t.Fatalf("verify %s: %+v", db, r)
	}
	i := strings.LastIndex(r.stdout, "chain head ")
	if i < 0 {
		t.Fatalf("verify printed no head: %q", r.stdout)
	}
	return strings.TrimSpace(r.stdout[i+len("chain head "):])
}

// triage copy moves a database SQLite → PostgreSQL → SQLite with the same
// figures and chain head at each step, and refuses a destination with data.
func TestCopyCommandRoundTrip(t *testing.T) {
	src := demoDB(t, "300")
	pg := pgtest.URL(t)
	name := pg[strings.LastIndex(pg, "/")+1 : strings.Index(pg, "?")]
	pgtest.Admin(t, "ALTER DATABASE "+name+" OWNER TO "+pgtest.PasswordRole) // the password role copies into its own database
	withPassword := passwordURL(t, pg, pgtest.Password)
	decideSome(t, src, 1, 2, 3)
	back := filepath.Join(t.TempDir(), "back.db")
	for _, step := range [][2]string{{src, withPassword}, {withPassword, back}} {
		r := triage(t, "", "copy", "--from", step[0], "--to", step[1])
		if r.code != 0 {
			t.Fatalf("copy %s → %s: %+v", step[0], step[1], r)
		}
		if strings.Contains(r.stdout+r.stderr, pgtest.Password) {
			t.Fatalf("copy printed the password: %s%s", r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "copy: posts: ") || !strings.Contains(r.stderr, "copy: events: 3 rows") ||
			!strings.Contains(r.stderr, "copy: qa_seed: 1 row\n") {
			t.Fatalf("no progress shown: %q", r.stderr)
		}
	}
	want := verifyHead(t, src)
	stats := triage(t, "", "stats", "--json", "--db", src).stdout
	for _, db := range []string{withPassword, back} {
		if got := verifyHead(t, db); got != want {
			t.Errorf("%s: head %s, source %s", db, got, want)
		}
		if got := triage(t, "", "stats", "--json", "--db", db).stdout; got != stats {
			t.Errorf("stats --json differ:\n%s\nsource:\n%s", got, stats)
		}
		if r := triage(t, "", "check", "--db", db); r.code != 0 {
			t.Errorf("check %s: %+v", db, r)
		}
	}
	// Into a destination that holds data: refused in one line, nothing changed.
	r := triage(t, "", "copy", "--from", src, "--to", withPassword)
	if r.code == 0 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "already holds data") {
		t.Fatalf("copy into a full database: %+v", r)
	}
	if got := triage(t, "", "stats", "--json", "--db", withPassword).stdout; got != stats {
		t.Fatal("the refused copy changed the destination")
	}
	r = triage(t, "", "copy", "--from", withPassword, "--to", src)
	if r.code == 0 || !strings.Contains(r.stderr, "already holds data") {
		t.Fatalf("copy into a full SQLite file: %+v", r)
	}
}

// A user's mistakes with a PostgreSQL URL: one line each, exit 1, and the
// password never printed.
func TestPostgresBadInput(t *testing.T) {
	pg := pgtest.URL(t)
	host := pg[len("postgres://postgres@"):strings.LastIndex(pg, "/")]
	cases := []struct{ name, db, want string }{
		{"unreachable", "postgres://u:hunter2@127.0.0.1:1/x?connect_timeout=3", "cannot connect"},
		{"wrong password", "postgres://" + pgtest.PasswordRole + ":hunter2@" + host + "/postgres?sslmode=disable", "password authentication failed"},
		{"synchronous_commit off", pg + "&options=-c%20synchronous_commit%3Doff", "synchronous_commit is off"},
		{"not a URL", "postgres://u:hunter2@[::1", "not a usable PostgreSQL URL"},
	}
	for _, c := range cases {
		r := triage(t, "", "stats", "--db", c.db)
		msg := strings.TrimSpace(r.stderr)
		if r.code == 0 || strings.Contains(msg, "\n") || !strings.Contains(msg, c.want) || strings.Contains(r.stdout+msg, "hunter2") {
			t.Errorf("%s: exit %d, %q", c.name, r.code, msg)
		}
	}
	// A libpq keyword=value string is refused, not taken for a SQLite file
	// named after it (password and all).
	dir := t.TempDir()
	conninfo := "host=127.0.0.1 password=hunter2 dbname=x"
	r := triageIn(t, dir, "stats", "--db", conninfo)
	if r.code == 0 || strings.Contains(r.stderr, "hunter2") || !strings.Contains(r.stderr, "keyword=value") {
		t.Errorf("conninfo: %+v", r)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("conninfo made files: %v", entries)
	}
	// The scheme in capitals is still PostgreSQL, and still redacted.
	upper := "POSTGRES://" + pgtest.PasswordRole + ":hunter2@" + host + "/nope?sslmode=disable"
	if r := triage(t, "", "stats", "--db", upper); r.code == 0 || strings.Contains(r.stderr, "hunter2") || !strings.Contains(r.stderr, "postgres://"+pgtest.PasswordRole+"@") {
		t.Errorf("upper-case scheme: %+v", r)
	}
	// The refused commands wrote nothing: the database is still empty of triage.
	r = triage(t, "", "stats", "--db", pg)
	if r.code == 0 || !strings.Contains(r.stderr, "no triage database here") {
		t.Fatalf("%+v", r)
	}
}

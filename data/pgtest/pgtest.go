// Package pgtest gives tests a throwaway PostgreSQL database.
//
// With TRIAGE_TEST_POSTGRES set (a URL to a server where tests may create
// and drop databases) it uses that server. Otherwise it starts one private
// cluster per test binary from the machine's PostgreSQL binaries
// (/usr/lib/postgresql/*/bin), in a temporary directory on a free loopback
// port, and stops it when the binary's tests end (Main). As root the
// cluster runs as the postgres user, which initdb insists on.
//
// Where no PostgreSQL exists the tests that need one skip, saying how to
// enable them, unless TRIAGE_REQUIRE_POSTGRES=1 (CI sets it): then they fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env names.
const (
	EnvURL     = "TRIAGE_TEST_POSTGRES"
	EnvRequire = "TRIAGE_REQUIRE_POSTGRES"
)

// Password is the password of the role Server makes for password tests.
const (
	PasswordRole = "triage_pw"
	Password     = "s3cret-for-tests"
)

var (
	once    sync.Once
	server  string // admin URL of the server, ending in the database name
	dir     string // the private cluster's directory; "" for an external server
	bin     string
	cred    *syscall.Credential
	initErr error
)

// Main runs a package's tests and stops the private cluster afterwards. Use
// it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops the private cluster, if one was started.
func Stop() {
	if dir == "" {
		return
	}
	cmd := exec.Command(filepath.Join(bin, "pg_ctl"), "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Run()
	os.RemoveAll(dir)
	dir = ""
}

// Available reports whether a PostgreSQL can be had, starting the private
// cluster if needed; the error says why not.
func Available() error {
	once.Do(func() { initErr = start() })
	return initErr
}

// need skips (or, when required, fails) a test without a PostgreSQL.
func need(t testing.TB) {
	t.Helper()
	if err := Available(); err != nil {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("PostgreSQL required (%s=1) but not available: %v", EnvRequire, err)
		}
		t.Skipf("no PostgreSQL (%v); install the postgresql package or set %s to a server URL", err, EnvURL)
	}
}

// URL creates a fresh, empty database for the test and returns its URL; the
// database is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	need(t)
	name := "t_" + randomHex(8)
	admin(t, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'")
	t.Cleanup(func() {
		admin(t, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDatabase(server, name)
}

// Admin runs one statement as the server's superuser (tests use it to make
// roles and break things on purpose).
func Admin(t testing.TB, sql string) {
	t.Helper()
	need(t)
	admin(t, sql)
}

// AdminURL is the superuser's URL to the database named.
func AdminURL(t testing.TB, database string) string {
	t.Helper()
	need(t)
	return withDatabase(server, database)
}

func admin(t testing.TB, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}

func withDatabase(u, name string) string {
	i := strings.LastIndex(u, "/")
	q := ""
	if j := strings.IndexByte(u[i:], '?'); j >= 0 {
		q = u[i+j:]
	}
	return u[:i+1] + name + q
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func start() error {
	if u := os.Getenv(EnvURL); u != "" {
		server = u
		return nil
	}
	var err error
	if bin, err = findBin(); err != nil {
		return err
	}
	if dir, err = os.MkdirTemp("", "triage-pg-"); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root and there is no postgres user to run the cluster as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	run := func(name string, args ...string) error {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v: %s", name, err, strings.TrimSpace(lastLines(string(out), 5)))
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	pwfile := filepath.Join(dir, "pw")
	// The superuser's password is never used (loopback trust for it), but
	// initdb wants one to allow password roles at all.
	if err := os.WriteFile(pwfile, []byte(randomHex(16)+"\n"), 0o644); err != nil {
		return err
	}
	if err := run("initdb", "-D", data, "-U", "postgres", "--pwfile", pwfile, "-E", "UTF8", "--locale=C.UTF-8",
		"--auth-local=trust", "--auth-host=trust"); err != nil {
		return err
	}
	// The password role must give its password; everyone else on loopback is trusted.
	hba := "host all " + PasswordRole + " 127.0.0.1/32 scram-sha-256\nlocal all all trust\nhost all all 127.0.0.1/32 trust\n"
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		return err
	}
	if cred != nil {
		os.Chown(filepath.Join(data, "pg_hba.conf"), int(cred.Uid), int(cred.Gid))
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	// fsync off: the test cluster's own crash safety is not under test, and
	// the store's check of synchronous_commit sees it on as it should.
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c fsync=off -c max_connections=300 -c shared_buffers=128MB", port, dir)
	if os.Getenv("TRIAGE_TEST_PG_FSYNC") == "1" {
		opts = strings.Replace(opts, "-c fsync=off ", "", 1)
	}
	if err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		return err
	}
	server = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	c, err := pgx.Connect(context.Background(), server)
	if err != nil {
		return err
	}
	defer c.Close(context.Background())
	_, err = c.Exec(context.Background(), fmt.Sprintf("CREATE ROLE %s LOGIN CREATEDB PASSWORD '%s'", PasswordRole, Password))
	return err
}

// findBin picks the newest /usr/lib/postgresql/N/bin with initdb in it.
func findBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no initdb under /usr/lib/postgresql/*/bin or on PATH")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}

// ServerURL is the admin URL of the server in use, for a child test process
// to reuse (via TRIAGE_TEST_POSTGRES) instead of starting its own cluster.
func ServerURL() string { return server }

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"triage/data/pgtest"
)

// bin is the triage binary, built once from this package for every test.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "triage-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "triage")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	pgtest.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// triage runs the binary with args (and stdin, if given).
func triage(t testing.TB, stdin string, args ...string) result {
	t.Helper()
	return runIn(t, "", stdin, args...)
}

// triageIn runs the binary in dir.
func triageIn(t testing.TB, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, "", args...)
}

func runIn(t testing.TB, dir, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TRIAGE_DB=", "USER=tester")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func demoDB(t testing.TB, posts string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if r := triage(t, "", "demo", "--db", db, "--posts", posts, "--no-review"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	return db
}

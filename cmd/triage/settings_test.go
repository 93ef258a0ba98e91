package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// reviewer set checks every pair before storing any; get prints every
// setting, defaults included; a refused change leaves what was stored.
func TestReviewerSetAndGet(t *testing.T) {
	db := demoDB(t, "50")
	if r := triage(t, "", "reviewer", "add", "alice", "--role", "reviewer", "--db", db, "--key", aliceKey); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	r := triage(t, "", "reviewer", "set", "alice", "lang=kk", "theme=high-contrast", "keys.preset=vim", "keys.reject=r,x", "exclude=extremism", "--db", db)
	if r.code != 0 {
		t.Fatalf("set: %+v", r)
	}
	r = triage(t, "", "reviewer", "get", "alice", "--db", db)
	want := "lang=kk\ntheme=high-contrast\nreveal=false\nkeys.preset=vim\nkeys.reject=r,x\nexclude=extremism\n"
	if r.code != 0 || r.stdout != want {
		t.Fatalf("get: %+v\nwant:\n%s", r, want)
	}
	for _, c := range []struct{ pair, says string }{
		{"keys.approve=r", "bound to both approve and reject"},
		{"keys.fly=f", "unknown action keys.fly"},
		{"lang=de", `lang "de": triage speaks en, ru, kk`},
		{"theme=pink", "theme \"pink\""},
		{"exclude=nonsense", "no category \"nonsense\""},
		{"colour=red", "unknown setting \"colour\""},
		{"lang", "want KEY=VALUE"},
	} {
		r := triage(t, "", "reviewer", "set", "alice", "lang=ru", c.pair, "--db", db)
		if r.code == 0 || !strings.Contains(r.stderr, c.says) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q; want a one-line error saying %q", c.pair, r.code, r.stderr, c.says)
		}
	}
	if r := triage(t, "", "reviewer", "get", "alice", "--db", db); r.stdout != want {
		t.Fatalf("a refused set changed the settings:\n%s", r.stdout)
	}
	r = triage(t, "", "reviewer", "get", "alice", "--json", "--db", db)
	var got struct {
		Lang    string              `json:"lang"`
		Preset  string              `json:"keys_preset"`
		Keys    map[string][]string `json:"keys"`
		Exclude []string            `json:"exclude"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.Lang != "kk" || got.Preset != "vim" ||
		strings.Join(got.Keys["reject"], ",") != "r,x" || strings.Join(got.Exclude, ",") != "extremism" {
		t.Fatalf("get --json: %+v (%v)", r, err)
	}
	if r := triage(t, "", "reviewer", "get", "nobody", "--db", db); r.code == 0 || !strings.Contains(r.stderr, "nobody") {
		t.Fatalf("get of an unknown reviewer: %+v", r)
	}
}

func TestLangFlagIsChecked(t *testing.T) {
	db := demoDB(t, "10")
	r := triage(t, "", "review", "--lang", "klingon", "--db", db)
	if r.code == 0 || !strings.Contains(r.stderr, `flag --lang: "klingon" is not a language triage speaks (en, ru, kk)`) {
		t.Fatalf("%+v", r)
	}
}

// A bad settings file stops the console with a one-line error naming the
// file (and the line, for a syntax error), and changes nothing.
func TestConfigFileErrorsNameTheFile(t *testing.T) {
	db := demoDB(t, "10")
	for _, c := range []struct{ file, says string }{
		{"keys.approve = \"r\"\n", "config.toml: key r is bound to both approve and reject"},
		{"lang = \"ru\"\ntheme = = 1\n", "config.toml:2:"},
		{"exclude = \"drugs\"\n", "exclude: set by a lead"},
		{"keys.reject = [1, 2]\n", "keys.reject: a list of keys"},
	} {
		cfg := t.TempDir()
		os.MkdirAll(filepath.Join(cfg, "triage"), 0o700)
		path := filepath.Join(cfg, "triage", "config.toml")
		os.WriteFile(path, []byte(c.file), 0o600)
		r := runEnv(t, []string{"XDG_CONFIG_HOME=" + cfg}, "review", "--db", db)
		if r.code == 0 || !strings.Contains(r.stderr, c.says) || !strings.Contains(r.stderr, path) {
			t.Errorf("%q: exit %d, stderr %q; want it to name %s and say %q", c.file, r.code, r.stderr, path, c.says)
		}
	}
}

// runEnv runs the binary with extra environment variables.
func runEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	return triage(t, "", args...)
}

const aliceKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"

// The local console speaks the locale's language, a local user's settings
// file rebinds keys, and a language chosen in the console is written to
// that file for the next run.
func TestLocalConsoleLanguageAndConfigFileInTmux(t *testing.T) {
	db := demoDB(t, "30")
	cfg := t.TempDir()
	os.MkdirAll(filepath.Join(cfg, "triage"), 0o700)
	path := filepath.Join(cfg, "triage", "config.toml")
	if err := os.WriteFile(path, []byte("keys.approve = [\"x\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := newTmux(t, 120, 40, fmt.Sprintf("XDG_CONFIG_HOME=%s LANG=kk_KZ.UTF-8 %s review --as frank --db %s", cfg, bin, db))
	tm.waitFor("Күтуде", "30 күтуде")
	tm.keys("X") // sensitive text shown, so it may be approved
	tm.waitFor("x мақұлдау")
	tm.keys("x")
	tm.waitFor("29 күтуде", "мақұлданды")
	tm.keys("O")
	tm.waitFor("Баптаулар", "Қазақша")
	tm.keys("Enter") // kk → en
	tm.waitFor("Language: English.")
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), `lang = "en"`) || !strings.Contains(string(b), `keys.approve = ["x"]`) {
		t.Fatalf("the settings file after the switch: %q %v", b, err)
	}
	tm.keys("Escape")
	tm.waitFor("AGE PL") // esc alone: with the q after it, it would arrive as alt+q
	tm.keys("q")
	tm.waitFor("EXITED 0")
}

// reopen's mistakes get one line naming the argument or flag, and change
// nothing; a pending post cannot be reopened, nor by a reviewer.
func TestReopenRefusals(t *testing.T) {
	db := demoDB(t, "10")
	if r := triage(t, "", "reviewer", "add", "alice", "--role", "reviewer", "--db", db, "--key", aliceKey); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"reopen", "abc", "--reason", "x"}, `POST_ID: "abc" is not a post number`},
		{[]string{"reopen", "1"}, "flag --reason: reopening needs a reason"},
		{[]string{"reopen", "1", "--reason", "appeal", "--as", "alice"}, "reopen is not allowed on a pending post"},
		{[]string{"reopen", "1", "--reason", "appeal", "--as", "nobody"}, "not a registered reviewer"},
	} {
		r := triage(t, "", append(c.args, "--db", db)...)
		if r.code == 0 || !strings.Contains(r.stderr, c.says) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, r.code, r.stderr, c.says)
		}
	}
	if r := triage(t, "", "check", "--db", db); r.code != 0 {
		t.Fatalf("check after refused reopens: %+v", r)
	}
}

// A binding saved before a newer default took its key (w, now the first
// decision's) does not block a lead from changing anything else, and a new
// binding of it is still refused.
func TestStoredBindingDoesNotBlockOtherSettings(t *testing.T) {
	db := demoDB(t, "20")
	if r := triage(t, "", "reviewer", "add", "kim", "--role", "reviewer", "--db", db, "--key", aliceKey); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	// As an older triage stored it, before w was a default key.
	if out, err := exec.Command("sqlite3", db, `INSERT INTO reviewer_settings (reviewer, name, value) VALUES ('kim', 'keys.reject', 'w')`).CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	if r := triage(t, "", "reviewer", "set", "kim", "exclude=recruitment", "theme=dark", "--db", db); r.code != 0 {
		t.Fatalf("a lead's exclusion was refused over kim's old binding: %+v", r)
	}
	if r := triage(t, "", "reviewer", "set", "kim", "keys.reject=w", "--db", db); r.code == 0 || !strings.Contains(r.stderr, "bound to both reject and first_decision") {
		t.Fatalf("a new binding of w to reject: %+v", r)
	}
}

package main

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// helpIDs are the message ids of every command's and flag's help, with
// whether the command has long help, as the command tree carries them in
// English.
func helpIDs() map[string]bool {
	root := newRoot()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	out := map[string]bool{}
	var walk func(c *cobra.Command, path string)
	walk = func(c *cobra.Command, path string) {
		if c.Name() == "help" && c.Parent() != nil {
			return // cli.usage.help_short
		}
		out[path+".short"] = true
		if c.Long != "" && !strings.HasPrefix(path, "cli.completion") {
			out[path+".long"] = true
		}
		visit := func(f *pflag.Flag) { out[path+".flag."+f.Name] = true }
		c.LocalNonPersistentFlags().VisitAll(visit)
		c.PersistentFlags().VisitAll(visit)
		for _, sub := range c.Commands() {
			walk(sub, path+"."+sub.Name())
		}
	}
	walk(root, "cli")
	return out
}

// flatten reads a message file's ids.
func flatten(t *testing.T, path string) map[string]string {
	t.Helper()
	var raw map[string]any
	if _, err := toml.DecodeFile(path, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			switch v := v.(type) {
			case string:
				out[prefix+k] = v
			case map[string]any:
				walk(prefix+k+".", v)
			}
		}
	}
	walk("", raw)
	return out
}

// Every command and flag has its help in Russian and Kazakh, and no
// translation is left of a command or flag that is gone.
func TestCLIHelpIsInEveryLanguage(t *testing.T) {
	want := helpIDs()
	if len(want) < 80 {
		t.Fatalf("only %d help texts found in the command tree", len(want))
	}
	for _, lang := range []string{"ru", "kk"} {
		have := flatten(t, "../../tui/i18n/locales/cli."+lang+".toml")
		for id := range want {
			if strings.TrimSpace(have[id]) == "" {
				t.Errorf("%s: no translation of %s", lang, id)
			}
		}
		for _, id := range slices.Sorted(maps.Keys(have)) {
			if !want[id] && !strings.HasPrefix(id, "cli.usage.") {
				t.Errorf("%s: %s translates a command or flag that does not exist", lang, id)
			}
		}
	}
}

// --lang, else the locale, picks the help's language; what scripts read
// stays English.
func TestHelpInTheLocalesLanguage(t *testing.T) {
	t.Setenv("LANG", "ru_RU.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	r := triage(t, "", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "Использование:") || !strings.Contains(r.stdout, "Открыть консоль проверки очереди") {
		t.Fatalf("help under LANG=ru_RU.UTF-8:\n%s", r.stdout)
	}
	r = triage(t, "", "serve", "--help", "--lang", "kk")
	if !strings.Contains(r.stdout, "Тексеру консолін SSH арқылы береді") || !strings.Contains(r.stdout, "тыңдайтын мекенжай (әдепкі: \"127.0.0.1:2222\")") {
		t.Fatalf("serve --help --lang kk:\n%s", r.stdout)
	}
	r = triage(t, "", "--help", "--lang=en")
	if !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "Open the review console on the queue") {
		t.Fatalf("--lang=en:\n%s", r.stdout)
	}
	db := demoDB(t, "10")
	if r := triage(t, "", "check", "--db", db); r.code != 0 || !strings.HasPrefix(r.stdout, "check ok:") {
		t.Fatalf("check under a Russian locale: %+v", r)
	}
}

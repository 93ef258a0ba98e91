package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"triage/tui/i18n"
)

// The command line's help speaks the language of --lang, else of the
// locale (LC_ALL, LC_MESSAGES, LANG). Each command carries its help in
// English; tui/i18n/locales/cli.{ru,kk}.toml hold the translations, keyed
// by the command's path (cli.reviewer.add.short, cli.serve.flag.listen).
// What scripts read — KEY=VALUE lines, JSON, "check ok:" and the like —
// stays English whatever the language.

// cliLang finds the language before cobra parses anything: the help text
// is set when the commands are built.
func cliLang(args []string, getenv func(string) string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			return v
		}
		if a == "--lang" && i+1 < len(args) {
			return args[i+1]
		}
	}
	l, _ := i18n.FromLocale(getenv)
	return l
}

// localize puts every command's and flag's help in t's language where a
// translation exists.
func localize(root *cobra.Command, t *i18n.T) {
	if t.Lang() == "en" {
		return
	}
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	usage := root.UsageTemplate()
	for _, h := range []struct{ en, id string }{
		{"Usage:", "usage"}, {"Aliases:", "aliases"}, {"Examples:", "examples"}, {"Available Commands:", "commands"},
		{"Global Flags:", "global"}, {"Flags:", "flags"}, {"Additional help topics:", "topics"},
	} {
		if tr, ok := t.Lookup("cli.usage." + h.id); ok {
			usage = strings.Replace(usage, h.en, tr, 1)
		}
	}
	if tr, ok := t.Lookup("cli.usage.more"); ok {
		usage = strings.Replace(usage, `Use "{{.CommandPath}} [command] --help" for more information about a command.`,
			fmt.Sprintf(tr, "{{.CommandPath}}"), 1)
	}
	// pflag writes "(default …)" after a flag's help itself.
	if tr, ok := t.Lookup("cli.usage.default"); ok {
		cobra.AddTemplateFunc("flagUsages", func(fs *pflag.FlagSet) string {
			return strings.ReplaceAll(fs.FlagUsages(), "(default ", "("+tr+" ")
		})
		usage = strings.ReplaceAll(usage, ".LocalFlags.FlagUsages", "flagUsages .LocalFlags")
		usage = strings.ReplaceAll(usage, ".InheritedFlags.FlagUsages", "flagUsages .InheritedFlags")
	}
	root.SetUsageTemplate(usage)
	var walk func(c *cobra.Command, path string)
	walk = func(c *cobra.Command, path string) {
		c.InitDefaultHelpFlag()
		set := func(id string, dst *string) {
			if tr, ok := t.Lookup(id); ok {
				*dst = tr
			}
		}
		set(path+".short", &c.Short)
		set(path+".long", &c.Long)
		if c.Name() == "help" && c.Parent() != nil {
			set("cli.usage.help_short", &c.Short)
		}
		visit := func(f *pflag.Flag) {
			switch f.Name {
			case "help":
				if tr, ok := t.Lookup("cli.usage.help_flag"); ok {
					f.Usage = fmt.Sprintf(tr, c.Name())
				}
			case "version":
				if tr, ok := t.Lookup("cli.usage.version_flag"); ok {
					f.Usage = fmt.Sprintf(tr, c.Name())
				}
			default:
				set(path+".flag."+f.Name, &f.Usage)
			}
		}
		c.LocalNonPersistentFlags().VisitAll(visit)
		c.PersistentFlags().VisitAll(visit)
		for _, sub := range c.Commands() {
			walk(sub, path+"."+sub.Name())
		}
	}
	walk(root, "cli")
}

// helpLanguage is the language of this run's help.
func helpLanguage(args []string) *i18n.T {
	return i18n.For(i18n.Choose(cliLang(args, os.Getenv)))
}

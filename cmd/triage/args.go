package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// needArgs is cobra's ExactArgs (max == min) or MinimumNArgs (max < 0) with
// a message that names what is missing, taken from the command's usage
// line: "import needs FILE|- (usage: triage import FILE|-)", not "accepts
// 1 arg(s), received 0".
func needArgs(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
		names := argNames(cmd.Use)
		switch {
		case len(args) < min:
			missing := "more arguments"
			if len(names) >= min {
				missing = strings.Join(names[len(args):min], " ")
			}
			return fmt.Errorf("%s needs %s (usage: %s)", name, missing, cmd.UseLine())
		case max >= 0 && len(args) > max:
			return fmt.Errorf("%s: unexpected argument %q (usage: %s)", name, args[max], cmd.UseLine())
		}
		return nil
	}
}

// argNames are the arguments a usage line names: its upper-case words
// after the command's name, before any flag.
func argNames(use string) []string {
	var names []string
	for _, w := range strings.Fields(use)[1:] {
		if strings.HasPrefix(w, "-") || strings.HasPrefix(w, "(") {
			break
		}
		names = append(names, w)
	}
	return names
}

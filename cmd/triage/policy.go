package main

import (
	"os"

	"github.com/spf13/cobra"

	"triage/data"
)

func newPolicyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "policy",
		Short: "Print the policy in force (built-in, or --policy) as TOML, to copy and edit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := g.loadPolicy()
			if err != nil {
				return err
			}
			b, err := data.EncodePolicy(p)
			if err != nil {
				return err
			}
			_, err = os.Stdout.Write(b)
			return err
		},
	}
}

package main

import (
	"errors"
	"os"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"triage/tui"
)

type reviewFlags struct {
	as string
}

func (f *reviewFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.as, "as", os.Getenv("USER"), "reviewer name recorded with every decision (default $USER)")
}

func newReviewCmd(g *globals) *cobra.Command {
	f := &reviewFlags{}
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Open the review console on the queue",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runReview(cmd, g, f) },
	}
	f.register(cmd)
	return cmd
}

func runReview(cmd *cobra.Command, g *globals, f *reviewFlags) error {
	name, err := reviewerName(f.as)
	if err != nil {
		return err
	}
	st, err := g.open(false)
	if err != nil {
		return err
	}
	defer st.Close()
	return tui.Run(cmd.Context(), tui.Options{Reviewer: name, Policy: st.Policy(), Store: st})
}

// reviewerName checks a name that will stand in the audit trail.
func reviewerName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("no reviewer name: pass --as NAME (or set $USER)")
	}
	if len(s) > 64 || strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0 {
		return "", errors.New("flag --as: a reviewer name is at most 64 bytes of printable text")
	}
	return s, nil
}

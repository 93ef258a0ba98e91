package tui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"
)

// Run runs a console on the local terminal until the reviewer quits or ctx
// ends. Extra program options (input, output, size) are for tests and SSH.
func Run(ctx context.Context, opt Options, progOpts ...tea.ProgramOption) error {
	p := tea.NewProgram(New(ctx, opt), append([]tea.ProgramOption{tea.WithContext(ctx)}, progOpts...)...)
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // the session ended from outside: not an error of the console
	}
	return err
}

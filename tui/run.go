package tui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"
)

// Run runs a console on the local terminal until the reviewer quits or ctx
// ends, and returns the session's one-line summary (Summary) for the caller
// to print once the terminal is back. Extra program options (input, output,
// size) are for tests.
func Run(ctx context.Context, opt Options, progOpts ...tea.ProgramOption) (string, error) {
	app := New(ctx, opt)
	p := tea.NewProgram(app, append([]tea.ProgramOption{tea.WithContext(ctx)}, progOpts...)...)
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // the session ended from outside: not an error of the console
	}
	app.Close(context.WithoutCancel(ctx)) // a lost exposure count is not the reviewer's error
	return app.Summary(), err
}

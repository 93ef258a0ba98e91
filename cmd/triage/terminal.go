package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"triage/model"
	"triage/tui/sanitize"
)

// Everything the CLI prints for a person goes through the sanitiser: a
// message may quote a CSV cell, a platform, a view's filter or a file name,
// and any of them may carry escape sequences (an OSC 0 retitles the
// operator's terminal, an OSC 52 writes their clipboard). Escapes, controls
// and bidi overrides come out as visible placeholders; newlines stay.

// outf prints to standard output, sanitised.
func outf(format string, args ...any) {
	fmt.Fprint(os.Stdout, sanitize.Text(fmt.Sprintf(format, args...)))
}

// errf prints to standard error, sanitised.
func errf(format string, args ...any) {
	fmt.Fprint(os.Stderr, sanitize.Text(fmt.Sprintf(format, args...)))
}

// safeWriter sanitises every write; for writers (tabwriter, progress) that
// print whole lines or cells at a time.
type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(s.w, sanitize.Text(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// cell is one tabwriter cell: sanitised for one line, and with the
// tabwriter's own separators (tab, newline) already replaced, so hostile
// text can neither move a column nor be measured wider than it prints.
func cell(s string) string { return sanitize.Line(s) }

// printJSON prints v as indented JSON for scripts. The values stay exact, but
// every character a terminal could act on (DEL, C1 controls, bidi and other
// invisible format characters) is written as a \u escape, which any JSON
// reader decodes to the same string: the output is safe to view raw.
func printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	out := append(model.EscapeJSON(b), '\n')
	_, err = os.Stdout.Write(out)
	return err
}

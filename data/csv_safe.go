package data

import (
	"encoding/csv"
	"io"
)

// safeCSV writes CSV that a spreadsheet opens as data, never as formulas:
// a cell starting with = + - @, a tab or a carriage return gets a leading
// apostrophe (OWASP's advice for CSV injection). Every CSV the tool writes
// for people goes through it; JSONL output stays exact.
type safeCSV struct {
	w   *csv.Writer
	buf []string
}

func newSafeCSV(w io.Writer) *safeCSV { return &safeCSV{w: csv.NewWriter(w)} }

// Write writes one row, neutralised.
func (c *safeCSV) Write(row []string) error {
	c.buf = c.buf[:0]
	for _, cell := range row {
		c.buf = append(c.buf, NeutraliseCell(cell))
	}
	return c.w.Write(c.buf)
}

// Flush writes out what is buffered and returns any error so far.
func (c *safeCSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// NeutraliseCell prefixes a cell a spreadsheet would evaluate with an
// apostrophe, which spreadsheets show as text and do not display.
func NeutraliseCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

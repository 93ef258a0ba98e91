package data

import (
	"encoding/csv"
	"io"
	"strings"
	"unicode"

	"triage/model"
)

// safeCSV writes CSV that a spreadsheet opens as data, never as formulas
// (NeutraliseCell), and that shows what hides or reorders itself
// (model.RevealHidden: bidi controls, tag characters). Every CSV the tool
// writes for people goes through it; JSONL output stays exact.
type safeCSV struct {
	w   *csv.Writer
	buf []string
}

func newSafeCSV(w io.Writer) *safeCSV { return &safeCSV{w: csv.NewWriter(w)} }

// Write writes one row, neutralised.
func (c *safeCSV) Write(row []string) error {
	c.buf = c.buf[:0]
	for _, cell := range row {
		c.buf = append(c.buf, NeutraliseCell(model.RevealHidden(cell)))
	}
	return c.w.Write(c.buf)
}

// Flush writes out what is buffered and returns any error so far.
func (c *safeCSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// NeutraliseCell prefixes a cell a spreadsheet would evaluate with an
// apostrophe, which spreadsheets show as text and do not display: one that
// starts with a tab, CR or LF (OWASP's advice), or whose first character
// past any spacing and invisible formatting (spaces, NBSP, newlines, format
// characters, which LibreOffice skips) is a formula's first character, in
// its ASCII or full-width form. A minus sign too: "-1+2" is a formula.
func NeutraliseCell(s string) string {
	for _, r := range s {
		switch {
		case r == '\t' || r == '\r' || r == '\n':
			return "'" + s
		case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r):
			continue
		case strings.ContainsRune(formulaStarts, r):
			return "'" + s
		}
		return s
	}
	return s
}

// formulaStarts are the characters a spreadsheet reads as a formula's
// start: = + - @ in ASCII, their full-width and small forms, and the minus
// sign.
const formulaStarts = "=+-@＝＋－＠﹦﹢﹣−"

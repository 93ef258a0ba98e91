package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Input formats.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

// FormatOf picks the input format: the flag if given, else the file's name.
func FormatOf(flag, name string) (string, error) {
	switch strings.ToLower(flag) {
	case FormatJSONL, FormatCSV:
		return strings.ToLower(flag), nil
	case "":
		if strings.HasSuffix(strings.ToLower(name), ".csv") {
			return FormatCSV, nil
		}
		return FormatJSONL, nil
	}
	return "", fmt.Errorf("flag --format: %q is not jsonl or csv", flag)
}

// rawRecord is one input record before the schema is applied: its line
// number and fields, or why it could not be read.
type rawRecord struct {
	line  int
	rec   record
	err   error
	blank bool
}

// recordReader yields the records of an input file in order; io.EOF ends it.
type recordReader interface {
	next() (rawRecord, error)
	// textual reports whether numbers arrive as text (CSV).
	textual() bool
}

func newRecordReader(r io.Reader, format string) (recordReader, error) {
	if format == FormatCSV {
		return newCSVReader(r)
	}
	return &jsonlReader{lr: newLineReader(r)}, nil
}

type jsonlReader struct{ lr *lineReader }

func (j *jsonlReader) textual() bool { return false }

func (j *jsonlReader) next() (rawRecord, error) {
	line, err := j.lr.next()
	if err == io.EOF {
		return rawRecord{}, io.EOF
	}
	r := rawRecord{line: j.lr.n}
	switch {
	case err == errLineTooLong:
		r.err = err
	case err != nil:
		return r, err
	case isBlank(line):
		r.blank = true
	default:
		r.rec, r.err = parseJSONRecord(line)
	}
	return r, nil
}

// csvReader reads RFC 4180 CSV with a header row of field names. Quoted
// fields may span lines; a record's line is where it starts. Every value is
// a string; empty cells count as absent.
type csvReader struct {
	r      *csv.Reader
	header []string
}

func newCSVReader(r io.Reader) (*csvReader, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	cr := csv.NewReader(newCSVFramer(br))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0 // every row as wide as the header
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file: want a header row of field names")
	}
	if err == nil && len(head) > 0 && head[0] == oversizeMark {
		err = fmt.Errorf("record over %d bytes", MaxRecordBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	c := &csvReader{r: cr, header: append([]string(nil), head...)}
	seen := map[string]bool{}
	for i, h := range c.header {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, fmt.Errorf("header: column %d has no name", i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("header: column %q appears twice", h)
		}
		seen[h] = true
		c.header[i] = h
	}
	return c, nil
}

func (c *csvReader) textual() bool { return true }

func (c *csvReader) next() (rawRecord, error) {
	row, err := c.r.Read()
	if err == io.EOF {
		return rawRecord{}, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case pe.Err == csv.ErrFieldCount && len(row) == 1 && row[0] == oversizeMark:
			return rawRecord{line: pe.StartLine, err: fmt.Errorf("record over %d bytes", MaxRecordBytes)}, nil
		case pe.Err == csv.ErrFieldCount:
			return rawRecord{line: pe.StartLine, err: fmt.Errorf("%d fields, the header has %d", len(row), len(c.header))}, nil
		}
		// A quoting error ends its record at the line where csv found it
		// (the framer agrees), so the rest of the file is read on.
		return rawRecord{line: pe.StartLine, err: fmt.Errorf("line %d: %v", pe.Line, pe.Err)}, nil
	}
	if err != nil {
		return rawRecord{}, err
	}
	line, _ := c.r.FieldPos(0)
	rec := make(record, len(row))
	for i, v := range row {
		if !utf8.ValidString(v) {
			return rawRecord{line: line, err: fmt.Errorf("column %q: invalid UTF-8", c.header[i])}, nil
		}
		if v != "" { // an empty cell is an absent field
			rec[c.header[i]] = field{kind: kindString, text: v, raw: v}
		}
	}
	return rawRecord{line: line, rec: rec, blank: len(rec) == 0}, nil
}

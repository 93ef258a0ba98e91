package data

import (
	"bufio"
	"bytes"
	"errors"
)

// MaxRecordBytes bounds one CSV record, quoted fields and all: encoding/csv
// holds a whole record in memory (a 1 GiB quoted field cost 7 GB), so
// records are framed first and a longer one is reported and skipped.
const MaxRecordBytes = 1 << 20

// oversizeMark stands in for a record over MaxRecordBytes: csvFramer emits
// it as a one-field record, which the CSV reader reports by line.
const oversizeMark = "\x00triage: record over limit\x00"

// csvFramer passes CSV bytes through one record at a time, finding where
// each record ends the way encoding/csv does (a newline outside quotes; a
// quote opens a quoted field only at a field's start; "" inside one is a
// quote). A record longer than MaxRecordBytes is never held: its bytes are
// dropped and replaced by oversizeMark followed by as many newlines as the
// record spanned, so every later line number stays right.
type csvFramer struct {
	r   *bufio.Reader
	out []byte // framed bytes not yet read
	rec []byte // the record being framed
	err error
}

func newCSVFramer(r *bufio.Reader) *csvFramer { return &csvFramer{r: r} }

func (f *csvFramer) Read(p []byte) (int, error) {
	for len(f.out) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		f.frame()
	}
	n := copy(p, f.out)
	f.out = f.out[n:]
	return n, nil
}

// frame reads one record into f.out (or sets f.err at the end of input).
func (f *csvFramer) frame() {
	const (
		fieldStart = iota
		unquoted
		quoted
		quoteInQuoted // a quote seen inside a quoted field: closing, or the first of ""
		broken        // a quoting error: csv ends the record at this line's end
	)
	state := fieldStart
	f.rec = f.rec[:0]
	size, newlines := 0, 0
	over := false
	for {
		chunk, err := f.r.ReadSlice('\n')
		for _, c := range chunk {
			switch state {
			case fieldStart, unquoted:
				switch c {
				case '"':
					if state == fieldStart {
						state = quoted
					} else {
						state = broken
					}
				case ',':
					state = fieldStart
				case '\n':
				default:
					state = unquoted
				}
			case quoted:
				if c == '"' {
					state = quoteInQuoted
				}
			case quoteInQuoted:
				switch c {
				case '"':
					state = quoted
				case ',':
					state = fieldStart
				case '\n', '\r':
				default:
					state = broken
				}
			}
		}
		size += len(chunk)
		if size > MaxRecordBytes {
			over = true
		}
		if !over {
			f.rec = append(f.rec, chunk...)
		}
		if n := len(chunk); n > 0 && chunk[n-1] == '\n' {
			newlines++
			if state != quoted {
				break // a newline outside quotes ends the record
			}
			continue
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			f.err = err
			break
		}
	}
	if over {
		f.out = append([]byte(oversizeMark+"\n"), bytes.Repeat([]byte{'\n'}, max(0, newlines-1))...)
		return
	}
	f.out = f.rec
}

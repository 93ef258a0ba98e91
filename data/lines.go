package data

import (
	"bufio"
	"errors"
	"io"
)

// MaxLineBytes bounds one import line; a longer line is reported and skipped
// without holding it in memory.
const MaxLineBytes = 1 << 20

var errLineTooLong = errors.New("line over 1 MiB")

// lineReader yields lines with bounded memory, numbering them from 1.
type lineReader struct {
	r    *bufio.Reader
	n    int
	buf  []byte
	done bool
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 256<<10)}
}

// next returns the next line without its line ending. The slice is valid
// until the following call. It returns io.EOF after the last line; a line
// over MaxLineBytes comes back as errLineTooLong (its rest discarded).
func (lr *lineReader) next() ([]byte, error) {
	if lr.done {
		return nil, io.EOF
	}
	lr.buf = lr.buf[:0]
	tooLong := false
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > MaxLineBytes+2 {
				tooLong = true
				lr.buf = lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF {
			lr.done = true
			if len(lr.buf) == 0 && !tooLong {
				return nil, io.EOF
			}
		} else if err != nil {
			return nil, err
		}
		lr.n++
		if tooLong {
			return nil, errLineTooLong
		}
		line := lr.buf
		if n := len(line); n > 0 && line[n-1] == '\n' {
			line = line[:n-1]
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		return line, nil
	}
}

package data

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"triage/model"
)

// pairColumns is `export --qa`'s CSV header: one row per post reviewed by
// two people, the first decision and the second look beside it.
var pairColumns = []string{"post_id", "category", "kind", "first_reviewer", "first_action", "first_reason", "first_at",
	"second_reviewer", "second_action", "second_reason", "second_at"}

// PairWriter writes review pairs for outside analysis of agreement, as
// JSONL (each pair a model.ReviewPair object) or CSV.
type PairWriter struct {
	bw *bufio.Writer
	cw *safeCSV
}

// NewPairWriter starts a pairs export in format (FormatJSONL or FormatCSV).
func NewPairWriter(w io.Writer, format string) (*PairWriter, error) {
	p := &PairWriter{bw: bufio.NewWriterSize(w, 64<<10)}
	if format == FormatCSV {
		p.cw = newSafeCSV(p.bw)
		if err := p.cw.Write(pairColumns); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Write adds one pair.
func (p *PairWriter) Write(r model.ReviewPair) error {
	if p.cw != nil {
		at := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
		return p.cw.Write([]string{strconv.FormatInt(r.PostID, 10), r.Category, string(r.Kind),
			r.FirstReviewer, string(r.FirstAction), r.FirstReason, at(r.FirstAt),
			r.SecondReviewer, string(r.SecondAction), r.SecondReason, at(r.SecondAt)})
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	p.bw.Write(model.EscapeJSON(b))
	return p.bw.WriteByte('\n')
}

// Close flushes what is buffered.
func (p *PairWriter) Close() error {
	if p.cw != nil {
		if err := p.cw.Flush(); err != nil {
			return err
		}
	}
	return p.bw.Flush()
}

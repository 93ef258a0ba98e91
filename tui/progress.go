package tui

import (
	"fmt"
	"io"
	"time"
	"triage/tui/sanitize"

	"charm.land/bubbles/v2/progress"
)

// Progress reports a long import: on a terminal a bar (lines, rate, time
// left) redrawn in place; elsewhere a plain line every few seconds, for logs.
type Progress struct {
	w       io.Writer
	tty     bool
	total   int64 // input size in bytes; 0 when unknown (a pipe)
	start   time.Time
	last    time.Time
	bar     progress.Model
	every   time.Duration
	started bool
}

// NewProgress starts a report on w; total is the input's size, if known.
func NewProgress(w io.Writer, tty bool, total int64) *Progress {
	now := time.Now()
	// In a log, the first line comes after the first interval: a quick
	// import prints no progress at all.
	p := &Progress{w: w, tty: tty, total: total, start: now, last: now, every: 5 * time.Second}
	if tty {
		p.every, p.last = 150*time.Millisecond, time.Time{}
		p.bar = progress.New(progress.WithWidth(30), progress.WithoutPercentage())
	}
	return p
}

// Update reports lines read and bytes consumed so far; it draws at most
// every so often.
func (p *Progress) Update(lines int, bytes int64) {
	now := time.Now()
	if now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	p.draw(lines, bytes, now)
}

// Println writes a line of its own (an error report) without mixing it into
// the bar. The line may quote the input (a CSV cell, a file name), so it is
// sanitised: an escape in it must not retitle the operator's terminal or
// write their clipboard.
func (p *Progress) Println(line string) {
	if p.tty && p.started {
		fmt.Fprint(p.w, "\r\x1b[2K")
		p.last = time.Time{} // redraw the bar on the next update
	}
	fmt.Fprintln(p.w, sanitize.Line(line))
}

// Done draws the final state and ends the line.
func (p *Progress) Done(lines int, bytes int64) {
	if !p.started && !p.tty {
		return // a short import needs no progress in a log
	}
	p.draw(lines, bytes, time.Now())
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

func (p *Progress) draw(lines int, bytes int64, now time.Time) {
	p.started = true
	elapsed := now.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(lines) / elapsed
	}
	text := fmt.Sprintf("%d lines · %.0f lines/s", lines, rate)
	frac := -1.0
	if p.total > 0 {
		frac = min(1, float64(bytes)/float64(p.total))
		if frac > 0 && frac < 1 {
			left := time.Duration(elapsed*(1-frac)/frac) * time.Second
			text += fmt.Sprintf(" · %s left", left.Round(time.Second))
		}
	}
	if !p.tty {
		if frac >= 0 {
			text = fmt.Sprintf("%.0f%% · ", 100*frac) + text
		}
		fmt.Fprintln(p.w, "import: "+text)
		return
	}
	bar := ""
	if frac >= 0 {
		bar = p.bar.ViewAs(frac) + fmt.Sprintf(" %3.0f%% ", 100*frac)
	}
	// \r and erase-line redraw in place; the text is ours, not the input's.
	fmt.Fprintf(p.w, "\r\x1b[2K%s%s", bar, text)
}

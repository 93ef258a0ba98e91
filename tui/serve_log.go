package tui

import (
	"sync"
	"time"

	"triage/model"
)

// summaryLog logs events a client can cause by the thousand (refused
// connections, evictions, refused channels) as at most one line per kind a
// second, each counting the events it stands for and quoting the latest:
// an attack fills no disk, and nothing it did goes unreported.
type summaryLog struct {
	logf  func(string, ...any)
	every time.Duration

	mu    sync.Mutex
	kinds map[string]*summaryKind
}

type summaryKind struct {
	n      int // events since the last line
	last   time.Time
	noun   noun   // what is counted
	format string // its first verb (%s) is the count with its noun
	args   []any  // the latest event's
	timer  *time.Timer
}

// noun is a counted thing's singular and plural: "1 connection".
type noun [2]string

var (
	connections   = noun{"connection", "connections"}
	unauthConns   = noun{"unauthenticated connection", "unauthenticated connections"}
	sessionChans  = noun{"session channel", "session channels"}
	consoleStarts = noun{"console", "consoles"}
)

func newSummaryLog(logf func(string, ...any)) *summaryLog {
	return &summaryLog{logf: logf, every: time.Second, kinds: map[string]*summaryKind{}}
}

// note records one event of kind: logged at once if kind has been quiet
// for a second, else counted into a line written when the second is up.
func (l *summaryLog) note(kind string, what noun, format string, args ...any) {
	l.mu.Lock()
	k := l.kinds[kind]
	if k == nil {
		k = &summaryKind{}
		l.kinds[kind] = k
	}
	k.n++
	k.noun, k.format, k.args = what, format, args
	wait := l.every - time.Since(k.last)
	if wait <= 0 {
		f, a := k.take()
		l.mu.Unlock()
		l.logf(f, a...)
		return
	}
	if k.timer == nil {
		k.timer = time.AfterFunc(wait, func() { l.flush(k) })
	}
	l.mu.Unlock()
}

func (l *summaryLog) flush(k *summaryKind) {
	l.mu.Lock()
	k.timer = nil
	if k.n == 0 {
		l.mu.Unlock()
		return
	}
	f, a := k.take()
	l.mu.Unlock()
	l.logf(f, a...)
}

// take is the line for the events counted so far; called with l.mu held.
func (k *summaryKind) take() (string, []any) {
	a := append([]any{model.Count(int64(k.n), k.noun[0], k.noun[1])}, k.args...)
	k.n, k.last = 0, time.Now()
	return k.format, a
}

package tui

import (
	"net"
	"sync"
	"time"

	"charm.land/ssh"
)

// What one client may make the server do. Every client is hostile until its
// key is proven: these bounds hold before that, and the write deadline and
// window clamp after it too.
const (
	// MaxColumns and MaxRows bound a session's terminal: a pty-req or
	// window-change asking for more is clamped (and logged once per session)
	// before the server allocates anything for it; zero or negative sizes
	// become 1.
	MaxColumns = 500
	MaxRows    = 200

	DefaultHandshakeTimeout        = 20 * time.Second // to authenticate and open a session
	DefaultMaxUnauthenticated      = 64               // connections not yet authenticated, in total
	DefaultMaxUnauthenticatedPerIP = 16               // … from one IPv4 address or IPv6 /64
	DefaultWriteTimeout            = 10 * time.Second
	DefaultShutdownGrace           = 10 * time.Second
)

type trackedConnKey struct{}

// connLimiter admits connections and counts those not yet authenticated,
// in total and per source, closing at once any beyond the caps and, after
// the handshake timeout, any that have not authenticated and opened a
// session. An authenticated connection no longer counts. It also knows
// every open connection, so that shutdown can close them.
type connLimiter struct {
	max, perSource int
	timeout        time.Duration
	logf           func(string, ...any)

	mu       sync.Mutex
	closed   bool
	pending  int
	bySource map[string]int
	conns    map[*trackedConn]struct{}
	refused  int       // refusals not yet logged
	lastLog  time.Time // of the last refusal logged
}

func newConnLimiter(max, perSource int, timeout time.Duration, logf func(string, ...any)) *connLimiter {
	return &connLimiter{max: max, perSource: perSource, timeout: timeout, logf: logf,
		bySource: map[string]int{}, conns: map[*trackedConn]struct{}{}}
}

// trackedConn is a connection the limiter knows.
type trackedConn struct {
	net.Conn
	l         *connLimiter
	source    string
	preauth   bool      // guarded by l.mu
	since     time.Time // when it was admitted
	timer     *time.Timer
	closeOnce sync.Once
}

// admit is the server's connection callback: nil closes the connection.
func (l *connLimiter) admit(ctx ssh.Context, c net.Conn) net.Conn {
	src := sourceOf(c.RemoteAddr())
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	var evict *trackedConn
	if l.pending >= l.max && l.bySource[src] < l.perSource {
		// The total is full but this source is not: a flood spread over
		// many addresses. Rather than lock everyone out, the oldest
		// unauthenticated connection of the busiest source makes room: a
		// real client, which proves its key in a moment, is not the one.
		evict = l.oldestOfBusiest()
	}
	if (l.pending >= l.max && evict == nil) || l.bySource[src] >= l.perSource {
		l.refused++
		now := time.Now()
		var n int
		if now.Sub(l.lastLog) >= time.Second { // a flood is logged, not echoed line by line
			n, l.refused, l.lastLog = l.refused, 0, now
		}
		total, fromSrc := l.pending, l.bySource[src]
		l.mu.Unlock()
		if n > 0 {
			l.logf("refused %d connection(s), the latest from %s: %d unauthenticated (limit %d), %d from that source (limit %d)",
				n, c.RemoteAddr(), total, l.max, fromSrc, l.perSource)
		}
		return nil
	}
	if evict != nil {
		l.leavePreauth(evict) // counted out now; closed below, outside the lock
	}
	tc := &trackedConn{Conn: c, l: l, source: src, preauth: true, since: time.Now()}
	l.pending++
	l.bySource[src]++
	l.conns[tc] = struct{}{}
	tc.timer = time.AfterFunc(l.timeout, func() {
		l.mu.Lock()
		late := tc.preauth
		l.mu.Unlock()
		if late {
			l.logf("closed %s: no session within %s of connecting", c.RemoteAddr(), l.timeout)
			tc.Close()
		}
	})
	l.mu.Unlock()
	if evict != nil {
		l.logf("closed %s to make room for %s: %d unauthenticated (limit %d)", evict.RemoteAddr(), c.RemoteAddr(), l.max, l.max)
		evict.Close()
	}
	ctx.SetValue(trackedConnKey{}, tc)
	return tc
}

// oldestOfBusiest is the longest-waiting unauthenticated connection of the
// source with the most of them; called with l.mu held.
func (l *connLimiter) oldestOfBusiest() *trackedConn {
	busiest := 0
	for _, n := range l.bySource {
		busiest = max(busiest, n)
	}
	var oldest *trackedConn
	for tc := range l.conns {
		if tc.preauth && l.bySource[tc.source] == busiest && (oldest == nil || tc.since.Before(oldest.since)) {
			oldest = tc
		}
	}
	return oldest
}

// authenticated takes the connection out of the unauthenticated counts:
// called when it opens a session, which only a proven key can do.
func (tc *trackedConn) authenticated() {
	tc.timer.Stop()
	tc.l.mu.Lock()
	tc.l.leavePreauth(tc)
	tc.l.mu.Unlock()
}

func (l *connLimiter) leavePreauth(tc *trackedConn) {
	if !tc.preauth {
		return
	}
	tc.preauth = false
	l.pending--
	if l.bySource[tc.source]--; l.bySource[tc.source] <= 0 {
		delete(l.bySource, tc.source)
	}
}

func (tc *trackedConn) Close() error {
	tc.closeOnce.Do(func() {
		tc.timer.Stop()
		tc.l.mu.Lock()
		tc.l.leavePreauth(tc)
		delete(tc.l.conns, tc)
		tc.l.mu.Unlock()
	})
	return tc.Conn.Close()
}

// closeUnauthenticated closes every connection that has not authenticated.
func (l *connLimiter) closeUnauthenticated() {
	for _, tc := range l.snapshot(true) {
		tc.Close()
	}
}

// closeAll refuses new connections and closes every open one.
func (l *connLimiter) closeAll() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	for _, tc := range l.snapshot(false) {
		tc.Close()
	}
}

func (l *connLimiter) snapshot(preauthOnly bool) []*trackedConn {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*trackedConn
	for tc := range l.conns {
		if !preauthOnly || tc.preauth {
			out = append(out, tc)
		}
	}
	return out
}

// unauthenticated reports the counts, for tests.
func (l *connLimiter) unauthenticated() (total int, bySource map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := make(map[string]int, len(l.bySource))
	for k, v := range l.bySource {
		m[k] = v
	}
	return l.pending, m
}

// sourceOf is what the per-source cap counts: an IPv4 address, or the /64
// an IPv6 address is in (one host is commonly given a whole /64).
func sourceOf(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		host, _, err := net.SplitHostPort(a.String())
		if err != nil {
			return a.String()
		}
		return host
	}
	if v4 := tcp.IP.To4(); v4 != nil {
		return v4.String()
	}
	return tcp.IP.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

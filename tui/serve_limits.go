package tui

import (
	"fmt"
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
	DefaultMaxSessionsPerConn      = 4                // session channels open on one connection
	DefaultWriteTimeout            = 10 * time.Second
	DefaultShutdownGrace           = 10 * time.Second
)

type trackedConnKey struct{}

// connLimiter admits connections and counts those not yet authenticated,
// in total and per source, closing at once any beyond the caps. It also
// times every connection: one that has no console running — it has not
// authenticated, or has but opened none, or its last console ended — is
// closed after the handshake timeout. And it knows every open connection,
// so that shutdown can close them.
type connLimiter struct {
	max, perSource int
	timeout        time.Duration
	log            *summaryLog

	mu       sync.Mutex
	closed   bool
	pending  int
	bySource map[string]int // unauthenticated connections per host (IPv4) or /64 (IPv6)
	byPrefix map[string]int // … per wider prefix (prefixesOf), to choose whom to evict
	conns    map[*trackedConn]struct{}
}

func newConnLimiter(max, perSource int, timeout time.Duration, log *summaryLog) *connLimiter {
	return &connLimiter{max: max, perSource: perSource, timeout: timeout, log: log,
		bySource: map[string]int{}, byPrefix: map[string]int{}, conns: map[*trackedConn]struct{}{}}
}

// trackedConn is a connection the limiter knows.
type trackedConn struct {
	net.Conn
	l        *connLimiter
	source   string
	prefixes [2]string // the wider networks the source is in, widest first
	since    time.Time // when it was admitted
	// Guarded by l.mu:
	preauth   bool // not yet authenticated: counted against the caps
	keyOffer  bool // offered the key of an enabled reviewer: never evicted
	consoles  int  // consoles running on it
	closed    bool // its deadline never runs again
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
		// many addresses. Rather than lock everyone out, a connection of
		// the flood makes room (evictee).
		evict = l.evictee()
	}
	if (l.pending >= l.max && evict == nil) || l.bySource[src] >= l.perSource {
		total, fromSrc := l.pending, l.bySource[src]
		l.mu.Unlock()
		l.log.note("refused", connections, "refused %s, the latest from %s: %d unauthenticated (limit %d), %d from that source (limit %d)",
			c.RemoteAddr(), total, l.max, fromSrc, l.perSource)
		return nil
	}
	if evict != nil {
		l.leavePreauth(evict) // counted out now; closed below, outside the lock
	}
	tc := &trackedConn{Conn: c, l: l, source: src, prefixes: prefixesOf(c.RemoteAddr()), preauth: true, since: time.Now()}
	l.pending++
	l.bySource[src]++
	for _, p := range tc.prefixes {
		l.byPrefix[p]++
	}
	l.conns[tc] = struct{}{}
	tc.timer = time.AfterFunc(l.timeout, tc.expire)
	l.mu.Unlock()
	if evict != nil {
		l.log.note("evicted", unauthConns, "closed %s to make room under a flood, the latest %s for %s (limit %d)",
			evict.RemoteAddr(), c.RemoteAddr(), l.max)
		evict.Close()
	}
	ctx.SetValue(trackedConnKey{}, tc)
	return tc
}

// expire closes the connection if no console is running on it.
func (tc *trackedConn) expire() {
	tc.l.mu.Lock()
	idle := tc.consoles == 0 && !tc.closed
	tc.l.mu.Unlock()
	if idle {
		tc.l.log.note("no-console", connections, "closed %s with no console started within %s, the latest from %s",
			tc.l.timeout, tc.RemoteAddr())
		tc.Close()
	}
}

// evictee is the unauthenticated connection a newcomer replaces when the
// total is full, or nil: never one that has offered an enabled reviewer's
// key (a real client, about to prove it), and otherwise the one from the
// most crowded network — the widest prefix first, then the narrower, then
// the host — and of those the oldest. A flood from many addresses of a few
// networks so pays for itself, not the reviewer who connects beside it.
// Called with l.mu held.
func (l *connLimiter) evictee() *trackedConn {
	var best *trackedConn
	var bestRank [3]int
	for tc := range l.conns {
		if !tc.preauth || tc.keyOffer {
			continue
		}
		rank := [3]int{l.byPrefix[tc.prefixes[0]], l.byPrefix[tc.prefixes[1]], l.bySource[tc.source]}
		if best == nil || rank[0] > bestRank[0] ||
			rank[0] == bestRank[0] && (rank[1] > bestRank[1] ||
				rank[1] == bestRank[1] && (rank[2] > bestRank[2] ||
					rank[2] == bestRank[2] && tc.since.Before(best.since))) {
			best, bestRank = tc, rank
		}
	}
	return best
}

// offeredKey marks a connection whose client offered an enabled
// reviewer's key: a flood does not evict it while it proves the key.
func (l *connLimiter) offeredKey(ctx ssh.Context) {
	if tc, ok := ctx.Value(trackedConnKey{}).(*trackedConn); ok {
		l.mu.Lock()
		tc.keyOffer = true
		l.mu.Unlock()
	}
}

// authenticated takes the connection out of the unauthenticated counts:
// called when it opens a session, which only a proven key can do. Its
// deadline stays until a console starts on it.
func (tc *trackedConn) authenticated() {
	tc.l.mu.Lock()
	tc.l.leavePreauth(tc)
	tc.l.mu.Unlock()
}

// consoleStarted stops the connection's deadline while a console runs on
// it; the returned func, called when that console ends, restarts the
// deadline once the connection has none running.
func (tc *trackedConn) consoleStarted() (ended func()) {
	tc.l.mu.Lock()
	tc.consoles++
	tc.timer.Stop()
	tc.l.mu.Unlock()
	return func() {
		tc.l.mu.Lock()
		// A client that dropped closes the connection before its console
		// has ended: no deadline for a connection already gone.
		if tc.consoles--; tc.consoles == 0 && !tc.closed {
			tc.timer.Reset(tc.l.timeout)
		}
		tc.l.mu.Unlock()
	}
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
	for _, p := range tc.prefixes {
		if l.byPrefix[p]--; l.byPrefix[p] <= 0 {
			delete(l.byPrefix, p)
		}
	}
}

func (tc *trackedConn) Close() error {
	tc.closeOnce.Do(func() {
		tc.l.mu.Lock()
		tc.closed = true
		tc.timer.Stop()
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

// prefixesOf are the networks an address is in that a flood from many
// addresses is grouped by: an IPv4 address's /16 and /24, an IPv6
// address's /32 and /48 (a site is commonly given a /48, a host a /64).
func prefixesOf(a net.Addr) [2]string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return [2]string{"?", "?"}
	}
	if v4 := tcp.IP.To4(); v4 != nil {
		return [2]string{v4.Mask(net.CIDRMask(16, 32)).String() + "/16", v4.Mask(net.CIDRMask(24, 32)).String() + "/24"}
	}
	return [2]string{tcp.IP.Mask(net.CIDRMask(32, 128)).String() + "/32", tcp.IP.Mask(net.CIDRMask(48, 128)).String() + "/48"}
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

// channelCaps counts the session channels open on each connection and for
// each reviewer, on this server: each can hold a PTY of the host's, so an
// authenticated key gets no more than its consoles need. (The store counts
// consoles across servers: model.Limits.)
type channelCaps struct {
	perConn, perReviewer int

	mu         sync.Mutex
	byConn     map[*trackedConn]int
	byReviewer map[string]int
}

func newChannelCaps(perConn, perReviewer int) *channelCaps {
	return &channelCaps{perConn: perConn, perReviewer: perReviewer,
		byConn: map[*trackedConn]int{}, byReviewer: map[string]int{}}
}

// open counts a new channel of reviewer name on tc (nil: a connection the
// limiter does not know, counted only by reviewer); refusal says why not.
func (c *channelCaps) open(tc *trackedConn, name string) (release func(), refusal string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case tc != nil && c.byConn[tc] >= c.perConn:
		return nil, fmt.Sprintf("%d sessions are open on this connection, the limit", c.perConn)
	case c.byReviewer[name] >= c.perReviewer:
		return nil, fmt.Sprintf("%s has %d sessions open, the limit; close one first", name, c.perReviewer)
	}
	c.byConn[tc]++
	c.byReviewer[name]++
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.byConn[tc]--; c.byConn[tc] <= 0 {
			delete(c.byConn, tc)
		}
		if c.byReviewer[name]--; c.byReviewer[name] <= 0 {
			delete(c.byReviewer, name)
		}
	}, ""
}

// count is how many channels are open, for tests and the log.
func (c *channelCaps) count() (total int, byReviewer map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.byReviewer))
	for k, v := range c.byReviewer {
		m[k] = v
		total += v
	}
	return total, m
}

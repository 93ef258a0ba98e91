package tui

import (
	"encoding/binary"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// writeChunk is how much output one write deadline covers: a client must
// take at least this much per WriteTimeout, however large a frame is.
const writeChunk = 8 << 10

type guardKey struct{}

// channelGuard protects the server from one session channel's client: it
// clamps window sizes before charm.land/ssh parses them, puts a deadline
// on every write (a client that stops reading has its connection closed,
// which ends the session and releases its posts), and notes when the client
// last sent anything, for the idle limit.
type channelGuard struct {
	conn    *gossh.ServerConn
	timeout time.Duration
	logf    func(string, ...any)

	lastInput  atomic.Int64 // unix nanoseconds
	lastOutput atomic.Int64
	carried    atomic.Int64 // bytes written to the channel's stdout
	writeSince atomic.Int64 // start of the write in progress; 0: none
	clamped    atomic.Bool  // logged once per session
	stalled    atomic.Bool

	// Window changes are handled here rather than by charm.land/ssh, which
	// hands each one to either the PTY's resizer or Bubble Tea's, not both:
	// half of all resizes never reached the console. The latest size waits
	// here; resized says it changed.
	winMu   sync.Mutex
	pty     bool // a pty-req has been passed on
	winW    int
	winH    int
	resized chan struct{}

	// Until its console starts, a channel lives under a deadline: expired
	// is closed when it passes, which ends the channel's requests (charm
	// then closes its PTY) whatever the client does.
	startMu  sync.Mutex
	started  bool
	expired  chan struct{}
	deadline *time.Timer
	ch       gossh.Channel // once accepted
	envs     int           // env requests seen
}

// MaxEnvRequests and MaxEnvBytes cap what a client may ask of one session
// channel before its console starts: OpenSSH sends a handful of env
// requests (LANG, LC_*), each short.
const (
	MaxEnvRequests = 32
	MaxEnvBytes    = 1024
)

// start marks the channel's console as started, which lifts its deadline;
// false if the deadline passed first.
func (g *channelGuard) start() bool {
	g.startMu.Lock()
	defer g.startMu.Unlock()
	select {
	case <-g.expired:
		return false
	default:
	}
	g.started = true
	g.deadline.Stop()
	return true
}

// expire ends a channel whose console has not started; true if it did.
func (g *channelGuard) expire() bool {
	g.startMu.Lock()
	if g.started {
		g.startMu.Unlock()
		return false
	}
	close(g.expired)
	ch := g.ch
	g.startMu.Unlock()
	if ch != nil {
		stop := g.watch()
		ch.Close()
		stop()
	}
	return true
}

// sessionChannel is the server's handler for "session" channels: charm's own
// handler, given a guarded channel and a context of its own (the
// connection's context is shared by every channel on it). A channel counts
// against its connection's and its reviewer's caps while it is open, and
// one whose console has not started within the handshake timeout is closed,
// its PTY with it.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	tc, _ := ctx.Value(trackedConnKey{}).(*trackedConn)
	if tc != nil {
		tc.authenticated()
	}
	name, ok := s.reviewerOf(ctx)
	if !ok {
		nc.Reject(gossh.Prohibited, "access denied")
		return
	}
	release, refusal := s.channels.open(tc, name)
	if refusal != "" {
		s.log.note("channel-refused", sessionChans, "refused %s, the latest for %s from %s: %s", name, conn.RemoteAddr(), refusal)
		nc.Reject(gossh.ResourceShortage, "triage: "+refusal)
		return
	}
	defer release()
	g := &channelGuard{conn: conn, timeout: s.opt.WriteTimeout, logf: s.opt.Logf, resized: make(chan struct{}, 1),
		expired: make(chan struct{})}
	g.touch()
	g.deadline = time.AfterFunc(s.opt.HandshakeTimeout, func() {
		if g.expire() {
			s.log.note("channel-expired", sessionChans, "closed %s with no console within %s, the latest for %s from %s",
				s.opt.HandshakeTimeout, name, conn.RemoteAddr())
		}
	})
	defer g.deadline.Stop()
	sctx := &sessionContext{Context: ctx, values: map[any]any{guardKey{}: g}}
	ssh.DefaultSessionHandler(srv, conn, guardedNewChannel{NewChannel: nc, g: g}, sctx)
}

// reviewerOf is the enabled reviewer whose key the connection proved.
func (s *Server) reviewerOf(ctx ssh.Context) (string, bool) {
	key, ok := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey)
	if !ok || key == nil {
		return "", false
	}
	r, err := s.opt.Store.ReviewerByKey(ctx, gossh.FingerprintSHA256(key))
	return r.Name, err == nil && r.Enabled
}

func (g *channelGuard) touch() { g.lastInput.Store(time.Now().UnixNano()) }

// idleFor is how long the client has sent nothing.
func (g *channelGuard) idleFor() time.Duration {
	return time.Since(time.Unix(0, g.lastInput.Load()))
}

// watch starts a write's deadline; the returned func stops it.
func (g *channelGuard) watch() (stop func() bool) {
	return time.AfterFunc(g.timeout, g.stall).Stop
}

// stall closes the connection of a client that has taken no output for the
// write timeout: every blocked write then fails, and the session ends.
func (g *channelGuard) stall() {
	if g.stalled.CompareAndSwap(false, true) {
		g.logf("%s: the client took no output for %s; closing the connection", g.conn.RemoteAddr(), g.timeout)
		g.conn.Close()
	}
}

// write writes p in chunks, each with its own deadline.
func (g *channelGuard) write(w io.Writer, p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), writeChunk)]
		stop := g.watch()
		g.writeSince.Store(time.Now().UnixNano())
		m, err := w.Write(chunk)
		g.writeSince.Store(0)
		stop()
		n += m
		if err != nil {
			return n, err
		}
		p = p[m:]
	}
	g.lastOutput.Store(time.Now().UnixNano())
	return n, nil
}

// blocked is how long the write in progress has waited for the client.
func (g *channelGuard) blocked() time.Duration {
	if t := g.writeSince.Load(); t != 0 {
		return time.Since(time.Unix(0, t))
	}
	return 0
}

// settle waits, at most limit, until no output has been written for quiet:
// a goodbye line then follows the console's last frame instead of racing it.
func (g *channelGuard) settle(quiet, limit time.Duration) {
	end := time.Now().Add(limit)
	for time.Now().Before(end) && time.Since(time.Unix(0, g.lastOutput.Load())) < quiet {
		time.Sleep(quiet / 4)
	}
}

// clamp rewrites the window size at the start of payload (columns, rows as
// uint32) to lie within 1…MaxColumns × 1…MaxRows, logging the first time a
// session asks for more.
func (g *channelGuard) clamp(payload []byte) {
	if len(payload) < 8 {
		return // malformed: charm.land/ssh refuses it
	}
	w, h := binary.BigEndian.Uint32(payload[0:4]), binary.BigEndian.Uint32(payload[4:8])
	cw, ch := clampDim(w, MaxColumns), clampDim(h, MaxRows)
	if cw == w && ch == h {
		return
	}
	binary.BigEndian.PutUint32(payload[0:4], cw)
	binary.BigEndian.PutUint32(payload[4:8], ch)
	if g.clamped.CompareAndSwap(false, true) {
		g.logf("%s: window %d×%d clamped to %d×%d (the limit is %d×%d; logged once per session)",
			g.conn.RemoteAddr(), int32(w), int32(h), cw, ch, MaxColumns, MaxRows)
	}
}

// clampDim reads v as the signed number a client may have meant.
func clampDim(v uint32, limit int32) uint32 {
	return uint32(min(limit, max1(int32(v))))
}

func max1(v int32) int32 {
	if v < 1 {
		return 1
	}
	return v
}

// filter passes the channel's requests on in order, with window sizes
// clamped.
func (g *channelGuard) filter(in <-chan *gossh.Request) <-chan *gossh.Request {
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for {
			var req *gossh.Request
			select {
			case r, ok := <-in:
				if !ok {
					return
				}
				req = r
			case <-g.expired:
				go g.refuseAll(in)
				return
			}
			switch req.Type {
			case "env":
				if g.envs++; g.envs > MaxEnvRequests || len(req.Payload) > MaxEnvBytes {
					g.refuse(req)
					continue
				}
			case "pty-req": // string TERM, uint32 columns, rows, width px, height px, string modes
				if len(req.Payload) >= 4 {
					if n := binary.BigEndian.Uint32(req.Payload); uint64(n) <= uint64(len(req.Payload)-4) {
						req.Payload = append([]byte(nil), req.Payload...)
						g.clamp(req.Payload[4+n:])
					}
				}
				g.winMu.Lock()
				g.pty = true
				g.winMu.Unlock()
			case "window-change": // uint32 columns, rows, width px, height px
				req.Payload = append([]byte(nil), req.Payload...)
				g.clamp(req.Payload)
				g.touch()
				if g.resize(req.Payload) {
					if req.WantReply {
						stop := g.watch()
						req.Reply(true, nil)
						stop()
					}
					continue
				}
			}
			select {
			case out <- req:
			case <-g.expired:
				g.refuse(req)
				go g.refuseAll(in)
				return
			}
		}
	}()
	return out
}

// refuse answers a request no, if it wants an answer.
func (g *channelGuard) refuse(req *gossh.Request) {
	if req.WantReply {
		stop := g.watch()
		req.Reply(false, nil)
		stop()
	}
}

// refuseAll answers no to the rest of an expired channel's requests.
func (g *channelGuard) refuseAll(in <-chan *gossh.Request) {
	for req := range in {
		g.refuse(req)
	}
}

// resize records a clamped window-change payload as the session's latest
// size and signals it; false (the request goes on to charm.land/ssh, which
// refuses it) when the session has no PTY.
func (g *channelGuard) resize(payload []byte) bool {
	if len(payload) < 8 {
		return false
	}
	g.winMu.Lock()
	defer g.winMu.Unlock()
	if !g.pty {
		return false
	}
	g.winW, g.winH = int(binary.BigEndian.Uint32(payload[0:4])), int(binary.BigEndian.Uint32(payload[4:8]))
	select {
	case g.resized <- struct{}{}:
	default: // a signal is pending; it will read the latest size
	}
	return true
}

// window is the latest size a window-change asked for; ok is false if none
// has.
func (g *channelGuard) window() (w, h int, ok bool) {
	g.winMu.Lock()
	defer g.winMu.Unlock()
	return g.winW, g.winH, g.winW > 0
}

// guardedNewChannel hands charm.land/ssh the guarded channel and requests.
type guardedNewChannel struct {
	gossh.NewChannel
	g *channelGuard
}

func (nc guardedNewChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := nc.NewChannel.Accept()
	if err != nil {
		return nil, nil, err
	}
	nc.g.startMu.Lock()
	nc.g.ch = ch
	nc.g.startMu.Unlock()
	return &guardedChannel{Channel: ch, g: nc.g}, nc.g.filter(reqs), nil
}

// guardedChannel is a session channel whose every write has a deadline.
type guardedChannel struct {
	gossh.Channel
	g *channelGuard
}

func (c *guardedChannel) Read(p []byte) (int, error) {
	n, err := c.Channel.Read(p)
	if n > 0 {
		c.g.touch()
	}
	return n, err
}

func (c *guardedChannel) Write(p []byte) (int, error) {
	n, err := c.g.write(c.Channel, p)
	c.g.carried.Add(int64(n))
	return n, err
}

func (c *guardedChannel) Stderr() io.ReadWriter {
	return guardedStderr{ReadWriter: c.Channel.Stderr(), g: c.g}
}

func (c *guardedChannel) SendRequest(name string, wantReply bool, payload []byte) (bool, error) {
	defer c.g.watch()()
	return c.Channel.SendRequest(name, wantReply, payload)
}

func (c *guardedChannel) CloseWrite() error {
	defer c.g.watch()()
	return c.Channel.CloseWrite()
}

func (c *guardedChannel) Close() error {
	defer c.g.watch()()
	return c.Channel.Close()
}

type guardedStderr struct {
	io.ReadWriter
	g *channelGuard
}

func (s guardedStderr) Write(p []byte) (int, error) { return s.g.write(s.ReadWriter, p) }

// sessionContext is one session channel's context: the connection's, with
// values of its own, so that two sessions on one connection never see each
// other's identity.
type sessionContext struct {
	ssh.Context
	mu     sync.Mutex
	values map[any]any
}

func (c *sessionContext) Value(key any) any {
	c.mu.Lock()
	v, ok := c.values[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	return c.Context.Value(key)
}

func (c *sessionContext) SetValue(key, value any) {
	c.mu.Lock()
	c.values[key] = value
	c.mu.Unlock()
}
